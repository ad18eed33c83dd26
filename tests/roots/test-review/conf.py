project = "Review test site"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*.md"
blog_baseurl = "https://review.example.org/"
ablog_ext_review_pages = True
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
