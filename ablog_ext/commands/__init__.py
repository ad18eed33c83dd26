"""The command-line tools: ``ablog-ext new``, ``post``, ``versions`` and ``init --from-jekyll``."""
