"""Argument checks shared by the layers: one wording for every message."""

import math


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def number(layer, name, value, minimum=None, strict=False):
    """Return `value` as a float, or raise a ValueError naming it."""
    ok = _is_number(value)
    if ok and minimum is not None:
        ok = value > minimum if strict else value >= minimum
    if not ok:
        bound = "" if minimum is None else f" {'>' if strict else '>='} {minimum}"
        raise ValueError(
            f"{layer} expected `{name}` to be a finite number{bound}. Received: {name}={value!r}."
        )
    return float(value)


def integer(layer, name, value, minimum=None):
    """Return `value` as an int, or raise a ValueError naming it."""
    ok = isinstance(value, int) and not isinstance(value, bool)
    if ok and minimum is not None:
        ok = value >= minimum
    if not ok:
        bound = "" if minimum is None else f" >= {minimum}"
        raise ValueError(f"{layer} expected `{name}` to be an integer{bound}. Received: {name}={value!r}.")
    return value


def boolean(layer, name, value):
    if not isinstance(value, bool):
        raise ValueError(f"{layer} expected `{name}` to be True or False. Received: {name}={value!r}.")
    return value


def axis_in_rank(layer, axis, rank, name="axis"):
    """Normalize `axis` for an input of `rank`; the batch axis is refused."""
    if not -rank <= axis < rank or axis % rank == 0:
        raise ValueError(
            f"{layer} expected `{name}` to be a non-batch axis of an input of rank {rank}, "
            f"i.e. in [1, {rank - 1}] or [{-(rank - 1)}, -1]. Received: {name}={axis}."
        )
    return axis % rank
