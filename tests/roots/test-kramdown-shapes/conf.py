project = "Kettle shapes"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*"
blog_baseurl = "https://kettle.example.org/"
blog_title = "Kettle shapes"
exclude_patterns = ["_build"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
