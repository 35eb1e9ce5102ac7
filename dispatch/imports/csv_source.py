"""Reading an export file: encoding with or without BOM, `,` `;` or tab separators, line numbers."""

from __future__ import annotations

import csv
import typing as t
from pathlib import Path

from dispatch.errors import ImportFileError

if t.TYPE_CHECKING:
    from collections.abc import Iterator
    from collections.abc import Sequence

SEPARATORS = ",;\t"


def read_rows(path: Path, *, required: Sequence[str], known: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each data row; ``line`` is where the row starts (header = line 1).

    Column names are matched without regard to case or surrounding spaces. Every value is a
    stripped string ('' when absent).

    Raises
    ------
    ImportFileError
        The file is missing, is not UTF-8 text, or lacks a required column.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise ImportFileError(path=str(path), detail="file not found / файл не найден") from e
    except UnicodeDecodeError as e:
        raise ImportFileError(path=str(path), detail="not UTF-8 text / файл не в кодировке UTF-8") from e
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        raise ImportFileError(path=str(path), detail="empty file / файл пуст")
    separator = _separator(lines[0])
    reader = csv.reader(lines, delimiter=separator)
    header = [name.strip().lower() for name in next(reader)]
    missing = [name for name in required if name not in header]
    if missing:
        detail = f"missing columns / нет столбцов: {', '.join(missing)}; expected / ожидаются: {', '.join(known)}"
        raise ImportFileError(path=str(path), detail=detail)
    start = reader.line_num + 1
    for values in reader:
        line = start
        start = reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        row = {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}
        yield line, row


def _separator(header_line: str) -> str:
    """The separator used in the header: the most frequent of comma, semicolon and tab."""
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
