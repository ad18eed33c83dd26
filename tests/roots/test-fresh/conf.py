project = "Fresh sidebars"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = ["posts/*.md", "drafts/*.md"]
ablog_ext_drafts = ["drafts/*"]
blog_baseurl = "https://fresh.example.org/"
ablog_ext_review_pages = True
exclude_patterns = ["_build"]
# Old Jekyll URLs, so edits are seen to reach the redirect pages too.
ablog_ext_permalink = "date"
