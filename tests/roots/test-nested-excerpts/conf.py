# Posts in nested folders whose excerpts link (``:doc:``, ``:ref:``, relative
# document links, an image, a download), listed with their excerpts on pages at
# other depths: the top page, a page in a folder, one two folders down, and the
# blog's archive pages.
project = blog_title = "Burrow"
extensions = ["ablog", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
html_theme = "alabaster"
exclude_patterns = ["_build"]
author = "The Burrow keepers"
# The sidebars that show other posts, on every page.
_SIDEBARS = ("postcard", "recentposts", "tagcloud", "categories", "archives")
html_sidebars = {"**": [f"ablog/{name}.html" for name in _SIDEBARS]}

blog_baseurl = "https://burrow.example.org/"
blog_feed_archives = True
