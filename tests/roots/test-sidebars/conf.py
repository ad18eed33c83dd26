# Blog sidebars kept per link base must give the same bytes as rendered per page
# (tests/speed/test_sidebars.py): pages at several folder depths, more posts than
# "recent posts" shows, categories, tags, authors, feeds and year-in-review pages.
project = "Kept sidebars"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = ["posts/*.md", "posts/*/*.md"]
blog_baseurl = "https://sidebars.example.org/"
blog_authors = {"ada": ("Ada", None), "bob": ("Bob", None)}
ablog_ext_review_pages = True
exclude_patterns = ["_build"]
