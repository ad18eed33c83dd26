# Titles that look like markup, on pages and posts, in every supported theme
# (the tests set html_theme).
project = "Markup in titles"
extensions = ["ablog_ext"]
exclude_patterns = ["_build"]
blog_post_pattern = ["posts/*.md", "posts/*.rst"]
blog_baseurl = "https://titles.example.org/"
blog_feed_archives = True
ablog_ext_review_pages = True
