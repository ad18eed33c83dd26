project = "Bad input"
extensions = ["ablog_ext"]
blog_post_pattern = "posts/*.md"
exclude_patterns = ["_build"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
