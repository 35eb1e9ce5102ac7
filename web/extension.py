"""What every view needs from the app: the dispatch context it was built with, and the caller's language."""

from __future__ import annotations

import typing as t

from flask import current_app
from flask import request

from dispatch.messages import LANGUAGES

if t.TYPE_CHECKING:
    from dispatch.context import Context

EXTENSION = "dispatch"


def context() -> Context:
    """The :class:`~dispatch.bootstrap.Context` stored on the current app by ``create_app``."""
    return t.cast("Context", current_app.extensions[EXTENSION])


def language() -> str:
    """The caller's language from ``Accept-Language`` (ru, kk or en), else the configured default."""
    return request.accept_languages.best_match(LANGUAGES, default=context().settings.language) or "ru"
