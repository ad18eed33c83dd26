# The shape of a notebook blog: MyST-NB listed before ablog_ext (the order a user
# gets by appending "ablog_ext"), posts as .ipynb notebooks and as MyST text
# notebooks, next to a Jekyll-style Markdown post that MyST-NB's parser reads too.
project = "Tide tables"
author = "Harbour office"
extensions = ["myst_nb", "ablog", "ablog_ext"]
# The outputs stored in the notebooks are shown; nothing is run.
nb_execution_mode = "off"
blog_post_pattern = "posts/*"
blog_title = "Tide tables"
blog_baseurl = "https://tides.example.org/"
blog_feed_fulltext = True
ablog_ext_review_pages = True
html_theme = "alabaster"
html_sidebars = {"**": ["ablog/postcard.html", "ablog/recentposts.html", "ablog/archives.html"]}
exclude_patterns = ["_build"]
