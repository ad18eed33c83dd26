# The shape of a site whose theme changes the configuration at build time: the
# local extension _ext/late_config.py sets a value at builder-inited, after Sphinx
# compared the configuration with the last build's, so every rebuild reads every
# document again ("config changed").
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "Kiln diary"
author = "Kiln club"
extensions = ["ablog", "myst_parser", "late_config", "ablog_ext"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_sidebars = {"**": ["ablog/postcard.html", "ablog/recentposts.html", "ablog/archives.html"]}
blog_title = "Kiln diary"
blog_baseurl = "https://kiln.example.org/"
blog_post_pattern = "posts/*"
