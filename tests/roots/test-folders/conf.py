project = "Folder categories"
extensions = ["ablog_ext"]
blog_post_pattern = ["posts/**", "archive/**/*.md"]
ablog_ext_folder_categories = True
exclude_patterns = ["_build"]
