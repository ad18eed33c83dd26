"""Generated pages and what they show: feeds, year in review, theme passages, the HTML theme."""
