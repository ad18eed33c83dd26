# The shape of a project site that never was a Jekyll site: Markdown posts with
# ABlog's front matter, in year folders, with dated file names and categories.
# No ablog_ext_permalink: such a site gets no Jekyll redirect pages.
project = "Orchard tools"
author = "Orchard team"
extensions = ["ablog", "myst_parser"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_sidebars = {"**": ["ablog/postcard.html", "ablog/recentposts.html", "ablog/archives.html"]}

blog_title = "Orchard news"
blog_baseurl = "https://orchard.example.org/"
blog_post_pattern = ["news/*/*", "events/*/*"]
