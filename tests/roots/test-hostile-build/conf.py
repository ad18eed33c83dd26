# Posts nobody vetted: links out of the source folder, Liquid past its limits, odd
# values (tests/test_hostile_build.py).
project = "Hostile build"
extensions = ["ablog_ext"]
myst_enable_extensions = ["colon_fence"]
html_theme = "pydata_sphinx_theme"
exclude_patterns = ["_build", "_shared", "_includes", "_data"]
blog_post_pattern = ["posts/*.md", "posts/*/*.md"]
blog_baseurl = "https://hostile-build.example.org/"
ablog_ext_root_folders = ["assets"]
ablog_ext_feed_archives = ["category", "tag"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
