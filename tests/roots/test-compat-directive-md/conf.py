# The shape of a MyST-NB or MyST site whose Markdown posts use ABlog's `post`
# directive instead of front matter, in a folder that blog_post_pattern matches:
# one record per post in ABlog, and no published post on the drafts page. A post
# with front matter whose body opens with its title as a heading shows it once.
project = "Kiln log"
author = "Kiln group"
extensions = ["ablog", "myst_parser"]
exclude_patterns = ["_build"]
html_theme = "alabaster"

blog_title = "Kiln log"
blog_baseurl = "https://kiln.example.org/"
blog_path = "blog"
blog_post_pattern = "notes/*"
