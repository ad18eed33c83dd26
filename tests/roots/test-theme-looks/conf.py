# A small ABlog site, every ABlog sidebar, a postlist with excerpts and an archive:
# built with and without ablog_ext on each theme, its ABlog elements must look the
# same (tests/pages/test_theme_looks.py).  The theme comes from confoverrides.
project = "Pebble notes"
author = "Pebble team"
extensions = ["ablog", "myst_parser"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
# Every ABlog sidebar whose look is compared.
_SIDEBARS = ("postcard", "recentposts", "tagcloud", "categories", "archives", "authors")
html_sidebars = {"**": [f"ablog/{name}.html" for name in _SIDEBARS]}
blog_title = "Pebble notes"
blog_baseurl = "https://pebble.example.org/"
blog_post_pattern = "posts/*"
blog_authors = {"Ida": ("Ida Brook", None)}


def _ablog_templates_after_furo(app):
    """Furo, as a Furo site sets ABlog up: ABlog's templates after the theme's, so
    ABlog's page.html does not replace Furo's (ABlog reads
    ``skip_injecting_base_ablog_templates`` at its own builder-inited, later)."""
    if app.config.html_theme != "furo":
        return
    import ablog
    from sphinx.jinja2glue import SphinxFileSystemLoader

    app.config.skip_injecting_base_ablog_templates = True
    app.builder.templates.loaders.append(SphinxFileSystemLoader(ablog.get_html_templates_path()))


def setup(app):
    app.connect("builder-inited", _ablog_templates_after_furo, priority=400)
