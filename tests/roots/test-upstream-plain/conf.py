# A site for plain ABlog (no ablog_ext), built in the same process as an ablog_ext
# site: its output must be what a fresh process gives (tests/reaches/test_reaches.py).
project = "Plain ABlog"
extensions = ["ablog"]
exclude_patterns = ["_build"]
# ABlog also takes one pattern as text, as plain ABlog sites often write it.
blog_post_pattern = "posts/*"
blog_baseurl = "https://plain.example.org/"
blog_feed_archives = True
blog_authors = {"ada": ("Ada Lovelace", None)}
blog_default_author = "ada"
