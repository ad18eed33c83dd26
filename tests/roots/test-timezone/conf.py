project = "Time zones"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*"
blog_baseurl = "https://zones.example.org/"
ablog_ext_timezone = "America/Los_Angeles"
ablog_ext_review_pages = True
ablog_ext_feed_archives = ["category", "year"]
post_date_format = "%Y-%m-%d"
exclude_patterns = ["_build"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
