project = "Jekyll test site"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*.md"
blog_baseurl = "https://blog.example.org/"
blog_title = "Field notes"
exclude_patterns = ["_build"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
