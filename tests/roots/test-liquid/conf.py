project = "Liquid test site"
extensions = ["ablog_ext"]
html_theme = "pydata_sphinx_theme"
blog_post_pattern = "posts/*"
blog_baseurl = "https://liquid.example.org/notes/"
blog_title = "Liquid notes"
exclude_patterns = ["_build", "_includes", "posts/snippets"]
ablog_ext_site = {"repository": "example/liquid-notes", "data": {"releases": [
    {"version": "1.0", "sha": "aaa111"}, {"version": "2.0", "sha": "bbb222"}]}}

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
