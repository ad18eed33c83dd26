# The shape of ABlog's own documentation: rST posts written with the ``post``
# directive or with field lists, authors, locations, languages, a document with
# two section posts, archive feeds and an extra named feed, alabaster.
project = "Lantern"
author = "The Lantern team"
extensions = ["ablog", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_sidebars = {
    "**": [
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
        "ablog/authors.html",
        "ablog/languages.html",
        "ablog/locations.html",
    ]
}

blog_title = "Lantern"
blog_baseurl = "https://lantern.example.org/"
blog_authors = {
    "Mira": ("Mira Okafor", "https://example.org/mira"),
    "Tomas": ("Tomas Lind", None),
}
blog_locations = {
    "Oslo": ("Oslo, Norway", "https://example.org/oslo"),
    "Lagos": ("Lagos, Nigeria", None),
}
blog_languages = {"en": ("English", None), "nb": ("Norsk bokmål", None)}
blog_default_language = "en"
language = "en"
blog_feed_archives = True
blog_feed_fulltext = True
blog_feed_templates = {
    # The usual feed, its entries' content replaced by the title and hashtags.
    "atom": {
        "content": (
            "{{ title }}{% for tag in post.tags %} #{{ tag.name|replace(' ', '') }}{% endfor %}"
        ),
    },
    # A second feed for a bot that posts links.
    "social": {
        "title": "New: {{ title }}",
        "content": "{{ title }}: {{ post_url }}",
    },
}
