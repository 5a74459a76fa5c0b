"""The curated public API: a sorted __all__ whose names all import."""

from __future__ import annotations

import reconsult


def test_all_is_sorted_and_every_name_imports() -> None:
    assert reconsult.__all__ == sorted(reconsult.__all__)
    for name in reconsult.__all__:
        assert getattr(reconsult, name) is not None


def test_unknown_name_raises_attribute_error() -> None:
    try:
        reconsult.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")
