"""How ``make test`` spreads the tests over pytest-xdist workers.

Each test goes alone to whichever worker is free, except the modules of
``WHOLE_MODULES``: each is sent whole, in order, to one worker, because its last
test sums up what the others counted in that process. Being the largest units,
they start first, on different workers, so they never run on alone at the end.

``--dist loadgroup`` would say this with marks, but it no longer groups under
pytest 9.2 (pytest-xdist issue 1386). Its scheduler is reused here, keyed by
position as well as node id: schemathesis gives every operation it tests the
same node id, and a scheduler keyed by node id alone would run only the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xdist.scheduler import LoadScopeScheduling

# Modules whose last test sums up what the others counted in the same process.
WHOLE_MODULES = frozenset(
    {"tests/server/test_upload_fuzz.py", "tests/server/test_api_schema_auth.py"}
)
_AT = "#"  # between a node id and its position in the collection


class WholeModulesFirst(LoadScopeScheduling):
    """LoadScopeScheduling with one scope per test, or per module of WHOLE_MODULES."""

    def add_node_collection(self, node: Any, collection: Sequence[str]) -> None:
        super().add_node_collection(
            node, [f"{nodeid}{_AT}{index}" for index, nodeid in enumerate(collection)]
        )

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in WHOLE_MODULES else nodeid

    def remove_node(self, node: Any) -> str | None:
        crashed = super().remove_node(node)
        return crashed.rsplit(_AT, 1)[0] if crashed else None
