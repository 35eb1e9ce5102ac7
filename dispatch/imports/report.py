"""What an import did: counts, and every rejected row with its line number and reason."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from dispatch.messages import render


@dataclass(frozen=True)
class RowProblem:
    """One reason a row was rejected."""

    code: str
    params: dict[str, t.Any]

    def message(self, lang: str) -> str:
        """The reason in ``lang``."""
        return render(self.code, lang, self.params)


@dataclass(frozen=True)
class RejectedRow:
    """A row left out, with its line in the file (the header is line 1) and all its problems."""

    line: int
    key: str
    problems: tuple[RowProblem, ...]

    def message(self, lang: str = "ru") -> str:
        """``line N (key): reason; reason``."""
        reasons = "; ".join(problem.message(lang) for problem in self.problems)
        label = {"ru": "строка", "kk": "жол", "en": "line"}.get(lang, "line")
        return f"{label} {self.line} ({self.key or '—'}): {reasons}"


@dataclass
class ImportReport:
    """Counts of one file's import; ``rejected`` lists every row that was not imported."""

    kind: str
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Data rows read (not counting the header)."""
        return self.created + self.updated + self.unchanged + len(self.rejected)

    @property
    def ok(self) -> bool:
        """True when every row was imported."""
        return not self.rejected

    def summary(self, lang: str = "ru") -> str:
        """One line of counts in ``lang``."""
        words = {
            "ru": "{kind}: прочитано {rows}, добавлено {created}, обновлено {updated}, без изменений {unchanged}, отклонено {rejected}",
            "kk": "{kind}: оқылды {rows}, қосылды {created}, жаңартылды {updated}, өзгеріссіз {unchanged}, қабылданбады {rejected}",
            "en": "{kind}: read {rows}, created {created}, updated {updated}, unchanged {unchanged}, rejected {rejected}",
        }
        return words.get(lang, words["en"]).format(
            kind=self.kind,
            rows=self.rows,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=len(self.rejected),
        )

    def as_dict(self, lang: str = "ru") -> dict[str, t.Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "path": self.path,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"line": row.line, "key": row.key, "problems": [p.code for p in row.problems], "message": row.message(lang)}
                for row in self.rejected
            ],
        }
