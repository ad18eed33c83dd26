"""Templates compiled once, not once per build.

Sphinx compiles every Jinja template it renders in each build: the theme's
layout, ABlog's and ablog_ext's templates, the index and search pages.  In a
rebuild that writes a few pages, that compiling is a good part of the time.
Jinja's own bytecode cache keeps the compiled templates in the build folder
(``.doctrees/ablog_ext_jinja``); Jinja checks each template's source against
it, so an edited template is compiled again.  A site or theme that set a
bytecode cache itself keeps its own.

While the pages are written, Jinja's ``auto_reload`` is off
(:func:`hold_templates`): with it on, every lookup of a template (about sixty a
page: the layout's blocks, the theme's components, the sidebars) asks the
loader whether the file changed, a ``stat`` each, and no template file changes
between writing one page and the next.  A template an earlier build of the
same application loaded is checked once, when the writing starts; ``auto_reload``
is on again when the build ends (:func:`release_templates`), so the next build
of the same application (a server that keeps its application) sees an edited
template.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ablog_ext.reaches.jinja import JINJA_TEMPLATE_LOOKUP
from ablog_ext.reaches.sphinx import SPHINX_TEMPLATES
from ablog_ext.state import Slot, build_state


def use_bytecode_cache(app: Sphinx) -> None:
    """``builder-inited``: the HTML builder's Jinja environment keeps its compiled
    templates between builds."""
    import jinja2

    environment = SPHINX_TEMPLATES.environment(app)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache:
        return
    folder = Path(app.doctreedir) / "ablog_ext_jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only build folder: templates are compiled as before
    environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


#: The Jinja environment whose ``auto_reload`` :func:`hold_templates` turned off.
_HELD: Slot[Any] = Slot("templates: auto_reload off while pages are written")


def hold_templates(app: Sphinx, *args: Any) -> None:
    """``write-started``: templates are not checked for changes on each lookup
    until the build ends (a site or theme that turned ``auto_reload`` off keeps it)."""
    import jinja2

    environment = SPHINX_TEMPLATES.environment(app)
    if not isinstance(environment, jinja2.Environment) or not environment.auto_reload:
        return
    # What an earlier build of this application loaded is checked once, here.
    cache = environment.cache
    if cache is not None:
        for key, template in list(cache.items()):
            if not template.is_up_to_date:
                del cache[key]
    environment.auto_reload = False
    build_state(app).set(_HELD, environment)


def release_templates(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: templates are checked again, as before the writing."""
    environment = build_state(app).pop(_HELD)
    if environment is not None:
        environment.auto_reload = True


def replace_template_lookup(
    app: Sphinx,
    wanted: Callable[[str, Any], bool],
    stand_in: Callable[[str, Any], Any],
) -> bool:
    """Templates *wanted* (by name and template, asked once per template) looked
    up in *app*'s Jinja environment come back as ``stand_in(name, template)``
    (:data:`~ablog_ext.reaches.jinja.JINJA_TEMPLATE_LOOKUP`): ``get_template``
    replaced on that environment only.  Whether the lookup is replaced."""
    if not JINJA_TEMPLATE_LOOKUP.on(app):
        return False
    environment = SPHINX_TEMPLATES.environment(app)
    original = getattr(environment, JINJA_TEMPLATE_LOOKUP.attribute)
    made: dict[str, tuple[Any, Any]] = {}

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = original(name, parent, globals)
        if not isinstance(name, str):
            return template
        kept = made.get(name)
        if kept is None or kept[0] is not template:
            found = stand_in(name, template) if wanted(name, template) else template
            kept = made[name] = (template, found)
        return kept[1]

    setattr(environment, JINJA_TEMPLATE_LOOKUP.attribute, get_template)
    return True


def compile_template(
    environment: Any, source: str, name: str, filename: str | None = None, globals: Any = None
) -> Any:
    """*source* compiled in *environment* as the template *name* would be
    (autoescaping is decided by name)."""
    code = environment.compile(source, name=name, filename=filename)
    return environment.template_class.from_code(
        environment, code, environment.make_globals(globals), None
    )
