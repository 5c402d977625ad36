"""Argument checks shared by the layers: one wording for every message.

What counts as a number is `keras_act.activations._common`'s rule, the one
the functions use: any `numbers.Real` but a bool (numpy scalars included);
the layers store it as a plain Python float or int, so configs stay JSON.
"""

from keras_act.activations._common import is_finite_number, is_normal_for, normal_limits
from keras_act.activations._common import is_integer as _is_integer


def number(layer, name, value, minimum=None, strict=False):
    """Return `value` as a float, or raise a ValueError naming it."""
    ok = is_finite_number(value)
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
    ok = _is_integer(value)
    if ok and minimum is not None:
        ok = value >= minimum
    if not ok:
        bound = "" if minimum is None else f" >= {minimum}"
        raise ValueError(f"{layer} expected `{name}` to be an integer{bound}. Received: {name}={value!r}.")
    return int(value)


def normal(layer, name, value, dtype, zero_ok=False):
    """Refuse a hyperparameter outside the normal numbers of the dtype its
    arithmetic runs in for this layer's compute `dtype` (float32, or
    float64): there it rounds to 0 or inf and the output to NaN."""
    if not is_normal_for(value, dtype, zero_ok):
        wide, low, high = normal_limits(dtype)
        raise ValueError(
            f"{layer} expected `{name}` to be a normal {wide} number, between {low:.7g} and {high:.8g} in "
            f"magnitude{' (or 0)' if zero_ok else ''}: its arithmetic runs in {wide} for a {dtype} layer, where "
            f"other values round to 0 or inf and the output to NaN. Received: {name}={value!r}. "
            "Use a value in that range (or dtype='float64' for a wider one)."
        )
    return value


def boolean(layer, name, value):
    if not isinstance(value, bool):
        raise ValueError(f"{layer} expected `{name}` to be True or False. Received: {name}={value!r}.")
    return value


def axes(layer, name, value):
    """An int, or a non-empty list or tuple of ints (kept as a tuple), as
    `keras.layers.Softmax` accepts."""
    if isinstance(value, list):
        value = tuple(value)
    ok = _is_integer(value) or (isinstance(value, tuple) and value and all(_is_integer(a) for a in value))
    if not ok:
        raise ValueError(
            f"{layer} expected `{name}` to be an integer or a tuple of integers. Received: {name}={value!r}. "
            "Pass e.g. -1 or (1, 2)."
        )
    return int(value) if _is_integer(value) else tuple(int(a) for a in value)


def axis_in_rank(layer, axis, rank, name="axis"):
    """Normalize `axis` (an int or a tuple) for an input of `rank`; the batch
    axis is refused, and so is an axis named twice."""
    for a in axis if isinstance(axis, tuple) else (axis,):
        if not -rank <= a < rank or a % rank == 0:
            raise ValueError(
                f"{layer} expected `{name}` to be a non-batch axis of an input of rank {rank}, "
                f"i.e. in [1, {rank - 1}] or [{-(rank - 1)}, -1]. Received: {name}={axis}."
            )
    if not isinstance(axis, tuple):
        return axis % rank
    normalized = tuple(a % rank for a in axis)
    if len(set(normalized)) != len(normalized):
        raise ValueError(
            f"{layer} expected the entries of `{name}` to name different axes. Received: {name}={axis} "
            f"for an input of rank {rank}. Name each axis once."
        )
    return normalized
