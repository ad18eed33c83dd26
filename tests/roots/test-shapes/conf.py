project = "Jekyll shapes"
extensions = ["ablog_ext"]
blog_post_pattern = "posts/*"
blog_baseurl = "https://shapes.example.org/"
exclude_patterns = ["_build"]
