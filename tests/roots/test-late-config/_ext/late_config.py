"""A stand-in for a theme that sets a configuration value while the build starts."""

from sphinx.application import Sphinx


def stamp(app: Sphinx) -> None:
    app.config.late_config_stamp = "set at builder-inited"


def setup(app: Sphinx) -> dict:
    app.add_config_value("late_config_stamp", "", "env")
    app.connect("builder-inited", stamp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
