"""Templates compiled once, not once per build.

Sphinx compiles every Jinja template it renders in each build: the theme's
layout, ABlog's and ablog_ext's templates, the index and search pages.  In a
rebuild that writes a few pages, that compiling is a good part of the time.
Jinja's own bytecode cache keeps the compiled templates in the build folder
(``.doctrees/ablog_ext_jinja``); Jinja checks each template's source against
it, so an edited template is compiled again.  A site or theme that set a
bytecode cache itself keeps its own.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ablog_ext import upstream


def use_bytecode_cache(app: Sphinx) -> None:
    """``builder-inited``: the HTML builder's Jinja environment keeps its compiled
    templates between builds."""
    import jinja2

    environment = upstream.SPHINX_TEMPLATES.environment(app)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache:
        return
    folder = Path(app.doctreedir) / "ablog_ext_jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only build folder: templates are compiled as before
    environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def setup_templatecache(app: Sphinx) -> None:
    # After the builder made its template loader (Sphinx, at its own builder-inited).
    app.connect("builder-inited", use_bytecode_cache, priority=900)
