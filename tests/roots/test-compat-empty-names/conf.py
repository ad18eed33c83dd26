# Empty names in every format a post can be written in.
project = "Empty names"
extensions = ["ablog_ext"]
exclude_patterns = ["_build"]
blog_post_pattern = ["posts/*"]
blog_baseurl = "https://empty.example.org/"
blog_feed_archives = True
ablog_ext_feed_archives = ["category", "tag", "author", "location", "language", "year"]
