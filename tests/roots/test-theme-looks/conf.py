# A small ABlog site, every ABlog sidebar, a postlist with excerpts and an archive:
# built with and without ablog_ext on each theme, its ABlog elements must look the
# same (tests/pages/test_theme_looks.py).  The theme comes from confoverrides.
project = "Pebble notes"
author = "Pebble team"
extensions = ["ablog", "myst_parser"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_sidebars = {
    "**": [
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
        "ablog/authors.html",
    ]
}
blog_title = "Pebble notes"
blog_baseurl = "https://pebble.example.org/"
blog_post_pattern = "posts/*"
blog_authors = {"Ida": ("Ida Brook", None)}
