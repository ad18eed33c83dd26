"""The reach into Jinja (a check only; :mod:`ablog_ext.speed.templates` acts on it)."""

from __future__ import annotations

from sphinx.application import Sphinx

from ablog_ext.reaches.base import Reach, code_names, names_used
from ablog_ext.reaches.sphinx import SPHINX_TEMPLATES


class JinjaTemplateLookup(Reach):
    """``get_template`` of the builder's Jinja environment, replaced there: blog sidebars and
    archive entries come back as stand-ins giving kept HTML (:mod:`ablog_ext.speed.templates`).
    Needs ``{% include %}`` to call ``get_or_select_template``, ``new_context``,
    ``root_render_func``.  Seen in Jinja 3.1."""

    package = "jinja2"
    target = "jinja2.Environment.get_template, as {% include %} calls it,"
    fallback = (
        "rendering each blog sidebar once per link base and each archive entry once per build "
        "(every page renders its own)"
    )
    stage, needs = "builder", "templates"
    attribute = "get_template"  # the method ablog_ext replaces on the environment

    def check(self, app: Sphinx) -> str | None:
        import jinja2
        from jinja2.compiler import CodeGenerator

        environment = SPHINX_TEMPLATES.environment(app)
        if not isinstance(environment, jinja2.Environment):
            return "cannot be found (no Jinja environment)"
        if environment.is_async:
            return "renders asynchronously"
        if not callable(getattr(environment, self.attribute, None)):
            return "is missing"
        if self.attribute not in names_used(jinja2.Environment.get_or_select_template):
            return f"is no longer what get_or_select_template calls ({self.attribute})"
        include = code_names(getattr(CodeGenerator.visit_Include, "__code__", None))
        for needed in ("get_or_select_template", "new_context", "root_render_func"):
            if not any(needed in text for text in include):
                return f"is looked up by includes that no longer call {needed}"
        return None


JINJA_TEMPLATE_LOOKUP = JinjaTemplateLookup()
