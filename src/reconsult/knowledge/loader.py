"""Read the knowledge base's YAML files into validated models.

Errors name the file, the entry (by its ``code`` or ``id`` when it has one)
and, for enum fields, the allowed values, so that whoever edits the data can
fix it without reading code.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from reconsult.errors import KnowledgeError

Model = TypeVar("Model", bound=BaseModel)

KNOWLEDGE_DIR = Path(__file__).resolve().parent


# libyaml's safe loader builds the same objects as PyYAML's pure-Python one, about eight
# times faster (0.7 s against 0.09 s for the whole knowledge base); PyYAML's wheels ship it.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str | IO[str], *, name: str) -> Any:
    """Parse YAML safely; KnowledgeError names the file ``name`` when it is not valid YAML."""
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader, C or Python)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{name}: not valid YAML: {exc}") from exc


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, raising KnowledgeError with the file name on failure."""
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_yaml(handle, name=path.name)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{path.name}: file is missing") from exc


def read_text(path: Path) -> str:
    """Read one knowledge file as text, raising KnowledgeError with its name if missing."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{path.name}: file is missing") from exc


def _describe(error: dict[str, Any]) -> str:
    """Turn one pydantic error into a line that names the field and allowed values."""
    where = ".".join(str(p) for p in error["loc"])
    message = str(error["msg"])
    expected = (error.get("ctx") or {}).get("expected")
    if expected and "expected" not in message.lower():
        message += f" (allowed: {expected})"
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{where}: {message}"


def parse_entries(
    path: Path, key: str, model: type[Model], context: dict[str, Any] | None = None
) -> list[Model]:
    """Parse the list under ``key`` in ``path`` into ``model`` objects.

    ``context`` is pydantic's validation context: the language's texts (schema.SHOWN).
    """
    data = read_yaml(path)
    if not isinstance(data, dict) or key not in data or not isinstance(data[key], list):
        raise KnowledgeError(f"{path.name}: expected a top-level '{key}:' list")
    unknown = set(data) - {key}
    if unknown:
        raise KnowledgeError(f"{path.name}: unknown top-level keys {sorted(unknown)}")
    entries: list[Model] = []
    problems: list[str] = []
    for index, raw in enumerate(data[key]):
        name = raw.get("code") or raw.get("id") if isinstance(raw, dict) else None
        label = f"{key}[{index}]" + (f" ({name})" if name else "")
        try:
            entries.append(model.model_validate(raw, context=context))
        except ValidationError as exc:
            problems.extend(f"{path.name}: {label}: {_describe(e)}" for e in exc.errors())  # type: ignore[arg-type]
    if problems:
        raise KnowledgeError("\n".join(problems))
    return entries


def parse_document(path: Path, model: type[Model], context: dict[str, Any] | None = None) -> Model:
    """Parse a whole YAML file into one ``model`` object (``context`` as for parse_entries)."""
    try:
        return model.model_validate(read_yaml(path), context=context)
    except ValidationError as exc:
        lines = [f"{path.name}: {_describe(e)}" for e in exc.errors()]  # type: ignore[arg-type]
        raise KnowledgeError("\n".join(lines)) from exc
