project = "Shapes from real Jekyll blogs"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*"
blog_baseurl = "https://shapes.example.org/"
exclude_patterns = ["_build"]
ablog_ext_timezone = "UTC"
ablog_ext_permalink = "/:year/:month/:day/:title"
ablog_ext_root_folders = ["assets"]
ablog_ext_site = {"baseurl": "/notes"}
ablog_ext_kramdown = {"input": "GFM", "parse_block_html": True}

# Posts from a Jekyll blog: Liquid, kramdown and tags read as Jekyll reads them.
ablog_ext_space_separated_tags = True
ablog_ext_liquid = True
