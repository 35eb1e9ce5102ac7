"""The app refuses to start without compiled catalogues, and says in one line which command builds them."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from dispatch.config import REPO_ROOT
from dispatch.config import Settings
from web import create_app
from web.i18n import COMPILED
from web.i18n import CataloguesNotCompiled
from web.i18n import compiled_directories
from web.i18n import compiled_root


def _catalogue(root: Path, area: str, lang: str, suffix: str, mtime: float) -> Path:
    path = root / area / lang / "LC_MESSAGES" / f"messages{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    os.utime(path, (mtime, mtime))
    return path


def test_the_app_refuses_to_start_without_compiled_catalogues(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_TRANSLATIONS_DIR", str(tmp_path / "empty"))
    with pytest.raises(CataloguesNotCompiled) as refused:
        create_app(replace(settings, database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}"))
    message = str(refused.value)
    assert message.startswith("translations are not compiled: run make translations")
    assert "\n" not in message


def test_a_catalogue_older_than_its_po_counts_as_not_compiled(tmp_path: Path) -> None:
    sources, compiled = tmp_path / "sources", tmp_path / "compiled"
    _catalogue(sources, "reader", "ru", ".po", 2000)
    _catalogue(sources, "reader", "kk", ".po", 2000)
    _catalogue(compiled, "reader", "ru", ".mo", 3000)
    stale = _catalogue(compiled, "reader", "kk", ".mo", 1000)
    with pytest.raises(CataloguesNotCompiled, match="run make translations"):
        compiled_directories(compiled, sources)
    os.utime(stale, (3000, 3000))
    assert compiled_directories(compiled, sources) == [str(compiled / "reader")]


def test_the_directory_is_configurable_relative_to_the_repository() -> None:
    assert compiled_root({}) == COMPILED
    assert compiled_root({"DISPATCH_TRANSLATIONS_DIR": "build/mo"}) == REPO_ROOT / "build" / "mo"
    assert compiled_root({"DISPATCH_TRANSLATIONS_DIR": "/srv/mo"}) == Path("/srv/mo")
