project = "Names"
extensions = ["ablog_ext"]
blog_post_pattern = "posts/*"
blog_baseurl = "https://names.example.org/"
ablog_ext_review_pages = True
exclude_patterns = ["_build"]
