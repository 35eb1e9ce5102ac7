"""Imports by upload: a library-system export sent from the admin page, read by the CLI's importers, its report kept.

The file is checked before any row is read (not empty, text rather than a spreadsheet, the columns the
kind needs); then :func:`dispatch.imports.importers.run_import` reads it exactly as ``python -m cli
import`` does, each row in its own savepoint, so a bad row never costs a good one. Excel's Russian
"CSV" (Windows-1251) is accepted as well as UTF-8. Each upload is stored with its report (line, key and
problem codes, so it can be read again in any language) and audited.
"""

from __future__ import annotations

import csv
import tempfile
import typing as t
from dataclasses import dataclass
from pathlib import Path
from pathlib import PurePath

from sqlalchemy import select

from dispatch.admin import audit
from dispatch.admin.refusals import AdminRefused
from dispatch.errors import NotFound
from dispatch.imports.importers import SPECS
from dispatch.imports.importers import run_import
from dispatch.imports.report import AttentionRow
from dispatch.imports.report import ImportReport
from dispatch.imports.report import RejectedRow
from dispatch.imports.report import RowProblem
from dispatch.models import ImportRun

if t.TYPE_CHECKING:
    from datetime import datetime

    from dispatch.context import Context

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""The largest export accepted by upload (about 100 000 readers); larger ones go through ``python -m cli import``."""
ENCODINGS = ("utf-8-sig", "cp1251")
"""UTF-8 (with or without BOM), then Windows-1251, which Excel on a Russian Windows writes as "CSV"."""
SEPARATORS = ",;\t"
SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""The first bytes of .xlsx/.ods (zip) and of old .xls files."""


@dataclass(frozen=True)
class RunSummary:
    """One stored upload as the history lists it."""

    id: int
    kind: str
    filename: str
    actor: str
    at: datetime
    report: ImportReport


def limit_mb() -> str:
    """The upload limit in megabytes as people write it ("20", "0.5")."""
    return f"{round(MAX_UPLOAD_BYTES / (1024 * 1024), 1):g}"


def import_upload(ctx: Context, kind: str, filename: str, data: bytes, *, actor: str) -> RunSummary:
    """Import an uploaded export of ``kind``; the stored run with its report.

    Raises
    ------
    AdminRefused
        No such kind, or the file is empty, too large, a spreadsheet, or lacks a required column.
    """
    spec = SPECS.get(kind)
    name = PurePath(filename.replace("\\", "/")).name[:200] or f"{kind}.csv"
    if spec is None:
        raise AdminRefused("upload_unknown_kind")
    text = _text(name, data)
    _check_columns(name, text, spec.required, spec.columns)
    with tempfile.TemporaryDirectory(prefix="dispatch-upload-") as folder:
        path = Path(folder) / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        report = run_import(ctx, spec, path)
    with ctx.uow() as uow:
        run = ImportRun(kind=kind, filename=name, size_bytes=len(data), actor=actor, at=ctx.clock(), report=_stored(report))
        uow.session.add(run)
        uow.session.flush()
        counts = {"rows": report.rows, "created": report.created, "updated": report.updated, "rejected": len(report.rejected)}
        audit.record(
            uow.session,
            actor=actor,
            entity="import_run",
            entity_id=run.id,
            action="imported",
            changes={key: (None, value) for key, value in counts.items()},
            reason=f"{kind}: {name}",
        )
        uow.commit()
        return _summary(run)


def recent_runs(ctx: Context, *, limit: int = 20) -> list[RunSummary]:
    """The latest uploads, newest first."""
    with ctx.uow() as uow:
        runs = uow.session.scalars(select(ImportRun).order_by(ImportRun.at.desc(), ImportRun.id.desc()).limit(limit))
        return [_summary(run) for run in runs]


def get_run(ctx: Context, run_id: int) -> RunSummary:
    """One stored upload with its report; :class:`NotFound` when there is none."""
    with ctx.uow() as uow:
        run = uow.session.get(ImportRun, run_id)
        if run is None:
            raise NotFound(what="import", id=run_id)
        return _summary(run)


def _text(name: str, data: bytes) -> str:
    if len(data) > MAX_UPLOAD_BYTES:
        raise AdminRefused("upload_too_large", filename=name, limit_mb=limit_mb())
    if not data.strip():
        raise AdminRefused("upload_empty", filename=name)
    if data.startswith(SPREADSHEET_MAGIC) or b"\x00" in data:
        raise AdminRefused("upload_not_text", filename=name)
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AdminRefused("upload_not_text", filename=name)  # pragma: no cover - cp1251 decodes nearly every byte


def _check_columns(name: str, text: str, required: t.Sequence[str], known: t.Sequence[str]) -> None:
    """The header names every required column (in any case, with ``,`` ``;`` or tab between them)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise AdminRefused("upload_empty", filename=name)
    separator = max(SEPARATORS, key=first.count) if any(sep in first for sep in SEPARATORS) else ","
    header = {column.strip().lower() for column in next(csv.reader([first], delimiter=separator))}
    missing = [column for column in required if column not in header]
    if missing:
        raise AdminRefused("upload_missing_columns", filename=name, missing=", ".join(missing), expected=", ".join(known))


def _listed(row: RejectedRow | AttentionRow) -> dict[str, t.Any]:
    problems = [{"code": p.code, "params": {k: audit.plain(v) for k, v in p.params.items()}} for p in row.problems]
    return {"line": row.line, "key": row.key, "problems": problems}


def _stored(report: ImportReport) -> dict[str, t.Any]:
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": [_listed(row) for row in report.rejected],
        "needs_attention": [_listed(row) for row in report.needs_attention],
    }


def _problems(row: dict[str, t.Any]) -> tuple[RowProblem, ...]:
    return tuple(RowProblem(p["code"], dict(p["params"])) for p in row["problems"])


def _summary(run: ImportRun) -> RunSummary:
    data = run.report or {}
    report = ImportReport(
        kind=run.kind,
        path=run.filename,
        created=int(data.get("created", 0)),
        updated=int(data.get("updated", 0)),
        unchanged=int(data.get("unchanged", 0)),
        rejected=[RejectedRow(row["line"], row["key"], _problems(row)) for row in data.get("rejected", [])],
        needs_attention=[AttentionRow(row["line"], row["key"], _problems(row)) for row in data.get("needs_attention", [])],
    )
    return RunSummary(id=run.id, kind=run.kind, filename=run.filename, actor=run.actor, at=run.at, report=report)
