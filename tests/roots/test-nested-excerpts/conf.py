# Posts in nested folders whose excerpts link (``:doc:``, ``:ref:``, relative
# document links, an image, a download), listed with their excerpts on pages at
# other depths: the top page, a page in a folder, one two folders down, and the
# blog's archive pages.
project = "Burrow"
author = "The Burrow keepers"
extensions = ["ablog", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_sidebars = {
    "**": [
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
    ]
}

blog_title = "Burrow"
blog_baseurl = "https://burrow.example.org/"
blog_feed_archives = True
