"""The message for an unknown activation id, with its closest ids.

Standard library only: the command line's `info` uses it without importing
Keras, and `keras_act.registry` uses it with the live registry, so both say
the same "Did you mean ...?".
"""

import difflib
from typing import Iterable, List

SUFFIX = "_custom"


def closest(name: str, candidates: Iterable[str], suffix: str = SUFFIX) -> List[str]:
    """Up to three of `candidates` that `name` was probably meant to be.

    >>> closest("relu_custm", ["relu_custom", "elu_custom", "tanh_custom"])
    ['relu_custom', 'elu_custom']
    >>> closest("selu", ["selu_custom", "tanh_custom"])
    ['selu_custom']
    """
    candidates = sorted(candidates)
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)
    if not close and suffix:
        # "selu" -> "selu_custom": compare with the ids' stems.
        stems = {c[: -len(suffix)]: c for c in candidates if c.endswith(suffix)}
        close = [stems[s] for s in difflib.get_close_matches(name, list(stems), n=3, cutoff=0.75)]
    return close


def did_you_mean(name: str, candidates: Iterable[str], suffix: str = SUFFIX) -> str:
    """`" Did you mean 'a' or 'b'?"`, or `""` when nothing is close."""
    close = closest(name, candidates, suffix)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def unknown_id_message(name: str, ids: Iterable[str]) -> str:
    """The error message for an unknown id, naming the closest of `ids`."""
    return (
        f"Unknown keras_act activation id. Received: name={name!r}.{did_you_mean(name, ids)} "
        "keras_act.list_activations() lists every id."
    )
