project = "Permalinks test site"
extensions = ["ablog_ext"]
blog_post_pattern = "posts/*"
blog_baseurl = "https://example.org/site/"
ablog_ext_site = {"baseurl": "/old-blog"}
exclude_patterns = ["_build"]
# Jekyll's default style, set as `ablog-ext init --from-jekyll` writes it.
ablog_ext_permalink = "date"

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
