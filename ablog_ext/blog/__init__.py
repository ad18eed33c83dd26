"""The blog's data: per-document records in a Sphinx domain, names, and read-only queries."""
