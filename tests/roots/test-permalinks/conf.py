project = "Permalinks test site"
extensions = ["ablog_ext"]
blog_post_pattern = "posts/*"
blog_baseurl = "https://example.org/site/"
ablog_ext_site = {"baseurl": "/old-blog"}
exclude_patterns = ["_build"]
# ablog_ext_permalink is left at its default, Jekyll's "date".
