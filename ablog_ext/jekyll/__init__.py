"""Jekyll's rules as pure text functions: front matter, Liquid, kramdown, permalinks. No Sphinx."""
