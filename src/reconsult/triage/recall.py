"""The recall net: is a clause nobody explained close in meaning to a danger sign?

Frames and phrasings recognise danger told in words we listed. People also
tell it in words nobody listed ("it's like a grey curtain came down"). Each
clause that no finding explains is compared, by meaning, with several short
descriptions of every danger sign (``recall.yaml``), and with descriptions of
the ordinary things people write (feelings, cost, what a partner said). A
clause counts as close to a sign when its best similarity to that sign reaches
the knowledge base's threshold and beats every ordinary description by the
margin. The answer then never ends calm (docs/architecture.md safety rule 3).

The embeddings are WordLlama's static token embeddings (``l2_supercat``, 256
dimensions), whose weights and tokenizer ship inside the ``wordllama`` wheel:
nothing is downloaded, and no network call is ever made. We build the model
from those packaged files ourselves, because ``WordLlama.load()`` looks for
the tokenizer in a cache folder under the home directory and would fetch it
from the internet when it is missing (see docs/decisions.md). The model is
loaded lazily, once per process, on the first clause that needs it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconsult.errors import KnowledgeError

if TYPE_CHECKING:
    import numpy as np

    from reconsult.knowledge import Knowledge

_CONFIG = "l2_supercat"
_WEIGHTS = "l2_supercat_256.safetensors"
_TOKENIZER = "l2_supercat_tokenizer_config.json"


@dataclass(frozen=True)
class Closeness:
    """How close one clause is to the nearest danger sign."""

    finding: str  # the sign's finding code
    similarity: float  # cosine similarity to its nearest description
    context_similarity: float  # to the nearest ordinary-context description

    def is_close(self, similarity: float, margin: float) -> bool:
        """Return whether this is close enough to count as the sign (thresholds from the KB)."""
        return self.similarity >= similarity and self.similarity - self.context_similarity >= margin


_MODEL: Any = None
_MODEL_LOCK = threading.Lock()


def load_model() -> Any:
    """Return the packaged WordLlama model, building it on first use (thread-safe).

    Only files inside the installed ``wordllama`` package are read.
    """
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                _MODEL = _build_model()
    return _MODEL


def _build_model() -> Any:
    """Build the model from the weights and tokenizer shipped in the wordllama wheel."""
    try:
        import wordllama
        from safetensors import safe_open
        from wordllama.config import Config
        from wordllama.inference import WordLlamaInference
        from wordllama.wordllama import WordLlama
    except ImportError as exc:  # pragma: no cover - a dependency of reconsult
        raise KnowledgeError(f"the recall net needs the wordllama package: {exc}") from exc
    folder = Path(wordllama.__file__).resolve().parent
    weights, tokenizer_file = folder / "weights" / _WEIGHTS, folder / "tokenizers" / _TOKENIZER
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise KnowledgeError(f"the recall net's model file is missing: {path}")
    config = Config._configurations[_CONFIG]
    tokenizer = WordLlama.load_tokenizer(tokenizer_file, config)
    with safe_open(str(weights), framework="np", device="cpu") as handle:
        embedding = handle.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, config, tokenizer)


class RecallNet:
    """The danger descriptions of one knowledge base, embedded once, and the comparison."""

    def __init__(self, kb: Knowledge) -> None:
        """Collect the descriptions; embedding waits until the first comparison."""
        self.signs = [s.finding for s in kb.recall.signs for _ in s.descriptions]
        self._sign_texts = [d for s in kb.recall.signs for d in s.descriptions]
        self._context_texts = [d for c in kb.recall.context for d in c.descriptions]
        self._matrices: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None = None
        self._lock = threading.Lock()

    def _embedded(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        if self._matrices is None:
            with self._lock:
                if self._matrices is None:
                    model = load_model()
                    self._matrices = (
                        model.embed(self._sign_texts, norm=True),
                        model.embed(self._context_texts, norm=True),
                    )
        return self._matrices

    def warm(self) -> None:
        """Load the model and embed the descriptions now (a server does this at start)."""
        self._embedded()

    def nearest(self, clauses: list[str]) -> list[Closeness]:
        """Return, for each clause, its nearest danger sign and how close it and context are."""
        if not clauses:
            return []
        signs, context = self._embedded()
        vectors = load_model().embed(clauses, norm=True)
        to_signs = vectors @ signs.T
        to_context = (vectors @ context.T).max(axis=1)
        best = to_signs.argmax(axis=1)
        return [
            Closeness(
                finding=self.signs[int(index)],
                similarity=float(row[index]),
                context_similarity=float(ctx),
            )
            for row, index, ctx in zip(to_signs, best, to_context, strict=True)
        ]
