# Posts read one after the other by the parser ablog_ext keeps per MyST
# configuration (tests/reading/test_reading.py): nothing of one may reach the next.
project = "Reading"
extensions = ["ablog_ext"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
blog_post_pattern = ["posts/*"]
myst_enable_extensions = ["colon_fence"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
