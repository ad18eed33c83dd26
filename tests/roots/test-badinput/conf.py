project = "Bad input"
extensions = ["ablog_ext"]
blog_post_pattern = "posts/*.md"
exclude_patterns = ["_build"]
