project = "Shapes from real Jekyll blogs"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*"
blog_baseurl = "https://shapes.example.org/"
exclude_patterns = ["_build"]
ablog_ext_timezone = "UTC"
ablog_ext_permalink = "/:year/:month/:day/:title"
