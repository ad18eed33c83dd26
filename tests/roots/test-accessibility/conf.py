# Every page type ablog_ext writes, for the accessibility test (tests/test_accessibility.py):
# posts with categories, tags, an author, a series and a theme passage; review pages;
# three posts a page, so the blog has a second page. html_theme is set by the test.
project = "Accessibility test site"
extensions = ["ablog_ext"]
blog_post_pattern = ["posts/*.md"]
blog_baseurl = "https://a11y.example.org/"
blog_authors = {"Ada": ("Ada Example", None)}
ablog_ext_review_pages = True
ablog_ext_posts_per_page = 3
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
