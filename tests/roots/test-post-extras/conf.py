project = "Post extras"
extensions = ["ablog_ext"]
blog_post_pattern = ["posts/*.md"]
blog_baseurl = "https://extras.example.org/"
ablog_ext_feed_archives = ["category", "series"]
ablog_ext_words_per_minute = 100
exclude_patterns = ["_build"]
