"""The command groups of ``reconsult``: help that loads only what it shows.

Typer checks an option's value with a pydantic TypeAdapter, built the first
time the value is not already a bool. A group's ``--help`` that was not asked
for has the value None, so ``reconsult assess --help`` imported pydantic (about
0.15 s) only to learn that the group's own help was not wanted.
:class:`CommandGroup` gives each group's help option the default False, so
adapters are built only for the command that runs. Every ``typer.Typer`` of the
command line is made with ``cls=CommandGroup``.

The top-level help ends with the knowledge base's emergency numbers
(``policy.yaml``: ``emergency_numbers``), read only when that help is shown.
Loading and checking the whole knowledge base takes seconds, so this reads the
one file; ``reconsult knowledge check`` validates it, and tests check that these
readings agree with the loaded knowledge base. ``reconsult --version`` reads the
knowledge version from the same file's ``version:`` line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter
    from typer.core import TyperOption

__all__ = ["CommandGroup", "RootGroup", "emergency_numbers", "knowledge_version"]

_POLICY = Path(__file__).resolve().parents[1] / "knowledge" / "policy.yaml"
_VERSION_LINE = re.compile(r"^version:\s*['\"]?([^'\"\s#]+)")


class CommandGroup(TyperGroup):
    """A group whose ``--help``, when not given, is False rather than None."""

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        """Return the help option, defaulting to False so that it needs no coercion."""
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


class RootGroup(CommandGroup):
    """The ``reconsult`` group: its help ends with the emergency numbers.

    Its ``--lang`` is taken as typed (or None): the group's callback checks it against
    the languages reconsult speaks, so typer builds no pydantic adapter for it, which
    would slow every command's start, ``--help`` included, by pydantic's import.
    """

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Read the arguments, with ``--lang`` passed through unconverted."""
        for param in self.params:
            if param.name == "lang":
                param.process_value = _as_typed.__get__(param)  # type: ignore[method-assign]
        return super().parse_args(ctx, args)

    def format_help_text(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Write the help text, then the knowledge base's emergency numbers."""
        super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(emergency_numbers())


def _as_typed(_param: Any, _ctx: Context, value: Any) -> Any:
    """Return an option's value as typed (a string, or None when not given)."""
    return value


def _policy() -> dict[str, Any]:
    """Parse ``policy.yaml`` alone, with libyaml's safe parser when PyYAML has it (10x faster)."""
    import yaml

    with _POLICY.open(encoding="utf-8") as handle:
        if yaml.__with_libyaml__:
            data = yaml.load(handle, Loader=yaml.CSafeLoader)
        else:
            data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{_POLICY.name}: expected a mapping")
    return data


def emergency_numbers() -> str:
    """The numbers to call in an emergency or a crisis, as the knowledge base words them."""
    return str(_policy()["emergency_numbers"])


def knowledge_version() -> str | None:
    """The knowledge base's version (``policy.yaml``'s top-level ``version:``), or None.

    Read from that one line, without parsing YAML: ``--version`` stays instant.
    """
    try:
        with _POLICY.open(encoding="utf-8") as handle:
            for line in handle:
                match = _VERSION_LINE.match(line)
                if match:
                    return match.group(1)
    except OSError:
        return None
    return None
