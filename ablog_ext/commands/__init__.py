"""The command-line tools: ``ablog-ext versions`` and ``ablog-ext init --from-jekyll``."""
