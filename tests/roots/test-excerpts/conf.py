import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Excerpt shapes"
extensions = ["ablog_ext", "breakexcerpt"]
blog_post_pattern = ["posts/*"]
blog_baseurl = "https://excerpts.example.org/"
ablog_ext_excerpt_separator = "<!--cut-->"
exclude_patterns = ["_build"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
