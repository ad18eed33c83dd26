# Markup in titles, category and tag names, for the simulated changes of each
# upstream name ablog_ext reaches into (tests/reaches/test_reaches.py).
project = "Upstream changes"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
exclude_patterns = ["_build"]
blog_post_pattern = ["posts/*"]
blog_baseurl = "https://upstream.example.org/"
blog_feed_archives = True
blog_authors = {"ada": ("Ada <b class=\"t-b\">Lovelace</b>", None)}
blog_default_author = "ada"
ablog_ext_review_pages = True
# Sets ABlog's cutoff to the end of time while this site builds.
ablog_ext_future = True
