"""Reading: which files are posts, and how each becomes an ABlog post (Liquid, kramdown, MyST)."""
