# The shape of a team blog: rST posts marked with a field list, in year folders,
# authors who are not in blog_authors, comma-separated categories (one left
# empty), whole posts in the feed, pydata-sphinx-theme.
project = "Harbour computing blog"
author = "Harbour computing"
extensions = ["ablog", "myst_parser"]
exclude_patterns = ["_build"]
html_theme = "pydata_sphinx_theme"
SIDEBARS = ["postcard", "recentposts", "tagcloud", "categories", "archives"]
html_sidebars = {"**": [f"ablog/{name}.html" for name in SIDEBARS]}
fontawesome_included = True

blog_title = "Harbour computing blog"
blog_baseurl = "https://harbour.example.org/blog/"
blog_feed_fulltext = True
blog_feed_length = 50
post_date_format = "%Y %b %d"
post_auto_excerpt = 1000
