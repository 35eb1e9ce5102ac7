"""What an import did: counts, every rejected row, and every imported row a person must still fix."""

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
class _ListedRow:
    """A row named in a report by its line in the file (the header is line 1), with its problems."""

    line: int
    key: str
    problems: tuple[RowProblem, ...]

    def message(self, lang: str = "ru") -> str:
        """``line N (key): reason; reason``."""
        reasons = "; ".join(problem.message(lang) for problem in self.problems)
        label = {"ru": "строка", "kk": "жол", "en": "line"}.get(lang, "line")
        return f"{label} {self.line} ({self.key or '—'}): {reasons}"

    def as_dict(self, lang: str) -> dict[str, t.Any]:
        """JSON-ready form: line, key, problem codes and the message."""
        return {"line": self.line, "key": self.key, "problems": [p.code for p in self.problems], "message": self.message(lang)}


@dataclass(frozen=True)
class RejectedRow(_ListedRow):
    """A row left out, with all its problems."""


@dataclass(frozen=True)
class AttentionRow(_ListedRow):
    """A row imported, but with something only a person can settle (an address the geocoder could not place)."""

    def as_dict(self, lang: str) -> dict[str, t.Any]:
        """As a rejected row's, plus each problem's parameters (the address, what the geocoder offered)."""
        return {**super().as_dict(lang), "params": [dict(p.params) for p in self.problems]}


@dataclass
class ImportReport:
    """Counts of one file's import; ``rejected`` lists every row that was not imported.

    ``needs_attention`` lists rows that were imported (and counted) but that a person must finish,
    such as a reader whose address the geocoder could not place: they do not make the import fail.
    """

    kind: str
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    needs_attention: list[AttentionRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Data rows read (not counting the header)."""
        return self.created + self.updated + self.unchanged + len(self.rejected)

    @property
    def ok(self) -> bool:
        """True when every row was imported."""
        return not self.rejected

    def summary(self, lang: str = "ru") -> str:
        """One line of counts in ``lang`` (rows needing attention are counted only when there are some)."""
        words = {
            "ru": "{kind}: прочитано {rows}, добавлено {created}, обновлено {updated}, без изменений {unchanged}, отклонено {rejected}",
            "kk": "{kind}: оқылды {rows}, қосылды {created}, жаңартылды {updated}, өзгеріссіз {unchanged}, қабылданбады {rejected}",
            "en": "{kind}: read {rows}, created {created}, updated {updated}, unchanged {unchanged}, rejected {rejected}",
        }
        line = words.get(lang, words["en"]).format(
            kind=self.kind,
            rows=self.rows,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=len(self.rejected),
        )
        if self.needs_attention:
            attention = {"ru": "требуют внимания {n}", "kk": "назар аударуды қажет етеді {n}", "en": "need attention {n}"}
            line += ", " + attention.get(lang, attention["en"]).format(n=len(self.needs_attention))
        return line

    def as_dict(self, lang: str = "ru") -> dict[str, t.Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "path": self.path,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [row.as_dict(lang) for row in self.rejected],
            "needs_attention": [row.as_dict(lang) for row in self.needs_attention],
        }
