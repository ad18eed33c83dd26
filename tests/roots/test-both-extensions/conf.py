project = "Both"
extensions = ["myst_parser", "ablog", "ablog_ext"]
blog_post_pattern = "posts/*.md"
myst_title_to_header = True
exclude_patterns = ["_build"]
