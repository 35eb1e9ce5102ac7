"""Domain errors: each carries a stable code and the parameters its ru/kk/en message needs."""

from __future__ import annotations

import typing as t

from dispatch.messages import render


class DispatchError(Exception):
    """Base of every error the domain raises on purpose; ``code`` never changes once published."""

    code: str = "dispatch_error"

    def __init__(self, code: str | None = None, **params: t.Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "ru") -> str:
        """The error in the reader's or staff member's language."""
        return render(self.code, lang, self.params)

    def as_dict(self, lang: str = "ru") -> dict[str, t.Any]:
        """Plain data for JSON output: code, message, parameters."""
        return {"code": self.code, "message": self.message(lang), "params": self.params}


class IllegalTransition(DispatchError):
    """A status change the state machine does not allow."""

    code = "illegal_transition"


class UnknownReader(DispatchError):
    """No reader has this card number."""

    code = "card_not_found"


class InvalidRequest(DispatchError):
    """A request whose fields cannot be read (bad date, window, kind, channel); lists every problem."""

    code = "invalid_request"

    def __init__(self, problems: list[tuple[str, dict[str, t.Any]]]) -> None:
        self.problems = problems
        super().__init__(problems=[{"code": code, "params": params} for code, params in problems])

    def message(self, lang: str = "ru") -> str:
        """All problems, each in the caller's language, in one sentence list."""
        parts = " ".join(render(code, lang, params) for code, params in self.problems)
        return render(self.code, lang, {"problems": parts})


class IdempotencyConflict(DispatchError):
    """An idempotency key reused for a different request."""

    code = "idempotency_key_reused"


class NotFound(DispatchError):
    """A record asked for by id does not exist."""

    code = "not_found"


class ImportFileError(DispatchError):
    """An import file that cannot be read at all (missing, wrong columns, not text)."""

    code = "import_file_invalid"
