project = "Post files"
extensions = ["ablog_ext"]
blog_post_pattern = ["posts/*", "drafts/*"]
blog_baseurl = "https://files.example.org/"
ablog_ext_drafts = ["drafts/*"]
ablog_ext_review_pages = True
exclude_patterns = ["_build", "posts/2019-04-01-excluded.md"]

# Posts from a Jekyll blog: Liquid and kramdown read as Jekyll reads them.
ablog_ext_liquid = True
ablog_ext_kramdown = True
ablog_ext_space_separated_tags = True
