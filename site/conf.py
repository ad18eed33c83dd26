"""The ablog-ext site: its documentation and its blog, built with ablog_ext."""

project = "ablog-ext"
author = "The ablog-ext team"
copyright = "2026, The ablog-ext team"

# MyST-NB reads the notebook posts; their stored outputs are shown, nothing is run.
extensions = ["myst_nb", "ablog_ext"]
nb_execution_mode = "off"

html_theme = "pydata_sphinx_theme"
html_title = "ablog-ext"
html_theme_options = {
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}

blog_title = "ablog-ext blog"
blog_path = "blog"
blog_post_pattern = "posts/*"
# With the site's URL: link previews on every post (ablog_ext_link_previews, on by
# default) and sitemap.xml with robots.txt.
blog_baseurl = "https://ablog-ext.example.org/"
ablog_ext_link_previews = True
post_date_format = "%d %B %Y"
ablog_ext_review_pages = True
# Ten posts a page: blog.html, then blog/page/2.html.
ablog_ext_posts_per_page = 10
ablog_ext_feed_archives = ["category", "theme", "series"]
# This blog was never a Jekyll site: no old URLs to redirect from.
ablog_ext_permalink = ""

myst_enable_extensions = ["colon_fence", "deflist"]
# Links to a heading of another page (`page.md#a-heading`) with MyST 4 as with 5.
myst_heading_anchors = 3
exclude_patterns = ["_build"]
