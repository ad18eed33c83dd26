"""Speed: caches and shortcuts that must never change the output."""
