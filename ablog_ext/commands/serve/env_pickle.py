"""The environment saved once a resident build is over, not before its pages.

Sphinx saves its environment (``environment.pickle`` in the doctrees folder) as
soon as the documents are read, before it writes a page: 0.15 to 0.4 s on a
1000-post site, spent before the page an author waits for.  ``ablog-ext serve``
does not read the file (its environment stays in memory); a new application (after
a change to ``conf.py``) and a later ``sphinx-build`` of the same folders do.  So
while a resident build runs, what Sphinx saves is a stand-in that cannot be loaded
(an application that finds it reads every document again, as with no environment
at all), and the environment itself is saved when the build is over, before the
server says so.

The stand-in is the environment's ``__reduce_ex__``, set on the object for the
build (:mod:`pickle` looks it up on the object): nothing else pickles the
environment of a build that reads in one process, as ``ablog-ext serve``'s does.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx

#: The attribute set on the environment while a build runs.
_REDUCE = "__reduce_ex__"


def unfinished() -> NoReturn:
    """What loading the stand-in does: Sphinx takes the failure as no environment."""
    raise pickle.UnpicklingError(
        "ablog-ext serve stopped before it saved this environment: it is made afresh"
    )


@contextlib.contextmanager
def saved_at_the_end(app: Sphinx) -> Iterator[None]:
    """While the block runs, the environment Sphinx saves is the stand-in; after
    it, if it ends without raising, the environment is saved if the stand-in was."""
    env = app.env
    saved: list[bool] = []

    def stand_in(protocol: int) -> tuple[Any, ...]:
        saved.append(True)
        return (unfinished, ())

    vars(env)[_REDUCE] = stand_in
    try:
        yield
    finally:
        vars(env).pop(_REDUCE, None)
    # Not after a build that raised: Sphinx removes that build's environment so
    # the next reads every document (a half-updated one would leave pages stale);
    # a stand-in left there cannot be loaded, which does the same.
    if saved:
        with (Path(app.doctreedir) / ENV_PICKLE_FILENAME).open("wb") as stream:
            pickle.dump(env, stream, pickle.HIGHEST_PROTOCOL)
