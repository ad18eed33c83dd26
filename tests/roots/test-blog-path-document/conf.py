# A site with a document where ABlog writes its page of all posts (blog_path):
# ``blog.rst`` holds only a heading, so the site's "Blog" link has a title to show.
project = blog_title = "Quarry"
blog_baseurl = "https://quarry.example.org/"
extensions = ["ablog", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
html_theme = "alabaster"
html_sidebars = {"**": ["ablog/recentposts.html", "ablog/archives.html"]}
exclude_patterns = ["_build"]
author = "The Quarry crew"
