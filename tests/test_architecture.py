"""The layers go one way: the import contract holds, and it, the docs and the packages agree."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / ".importlinter"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "reconsult"


def _contract_layers() -> list[str]:
    config = configparser.ConfigParser()
    config.read(CONTRACT)
    raw = config["importlinter:contract:layers"]["layers"]
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _documented_layers() -> list[str]:
    found = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert found, "docs/architecture.md has no ```layers block"
    return [line.strip() for line in found.group(1).splitlines() if line.strip()]


def test_no_import_goes_up_a_layer_or_across_a_floor() -> None:
    assert lint_imports(config_filename=str(CONTRACT), no_cache=True, no_logo=True) == 0


def test_the_docs_name_the_layers_the_contract_enforces() -> None:
    assert _documented_layers() == _contract_layers()


def test_every_package_and_top_level_module_has_a_layer() -> None:
    named = {name.strip() for floor in _contract_layers() for name in floor.split("|")}
    present = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    present |= {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert named == present
