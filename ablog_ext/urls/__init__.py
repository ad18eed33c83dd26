"""URLs: Jekyll permalinks, redirect pages, folders copied to the site's root."""
