"""Neutral code never imports a messenger library or the database driver."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"aiogram", "vk_api", "aiosqlite", "requests", "aiohttp", "sqlite3"}
NEUTRAL = [ROOT / "handlers", ROOT / "bot" / "services", ROOT / "bot" / "domain"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_handlers_and_services_are_platform_neutral() -> None:
    files = [path for folder in NEUTRAL for path in folder.rglob("*.py")]
    assert len(files) >= 8
    offenders = {str(p.relative_to(ROOT)): _imports(p) & FORBIDDEN for p in files}
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_services_do_not_import_handlers_or_storage() -> None:
    for path in (ROOT / "bot" / "services").rglob("*.py"):
        assert not _imports(path) & {"handlers", "storage"}, path


def test_the_scan_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom aiogram import Bot\n", encoding="utf-8")
    assert _imports(sample) & FORBIDDEN == {"aiogram"}
