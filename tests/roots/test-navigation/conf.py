# Posts in a hidden glob toctree of the root, beside pages that are not posts
# (tests/speed/test_navigation.py).
project = "Navigation"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = ["posts/*.md", "journal/2*.md"]
blog_baseurl = "https://navigation.example.org/"
exclude_patterns = ["_build"]
