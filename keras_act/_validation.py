"""Argument checks of keras_act's functions and layers: one rule, one wording.

The rule for numbers (`is_number`): a real number that is not a bool,
numpy scalars included (`numbers.Real`). A number is checked and used as a
Python float (a layer stores it so, and its config stays JSON). A
function's hyperparameter may also be a tensor or a variable (a learned
parameter): whatever is not a number passes through to the mathematics,
but a bool is refused, by functions and layers alike.

The wording is Keras's: what was expected, then "Received: name=value.",
then how to fix it where that is not plain. `owner` names the function or
layer that refuses the value:

    ELU expected `alpha` to be a finite number > 0. Received: alpha=0.0.
    elu_custom expected `alpha` to be a finite number > 0 or a tensor. Received: alpha=0.0.

These run on every call of a function with hyperparameters
(`leaky_relu_custom`), so a valid Python float takes a fast path that skips
the `numbers.Real` ABC check, and dtype names are remembered. Imports no
Keras (`keras_act._lazy`'s stand-in, first read by `dtype_name`).
"""

import math
import numbers

import numpy as np

from keras_act._lazy import keras

_PLAIN_NUMBERS = (float, int)
_BOOLS = (bool, np.bool_)


def is_number(value):
    """Whether `value` is a real number (numpy scalars too), not a bool."""
    if type(value) in _PLAIN_NUMBERS:
        return True  # the common case, without the slower ABC check
    return isinstance(value, numbers.Real) and not isinstance(value, _BOOLS)


def is_integer(value):
    """Whether `value` is an integer (numpy integers too), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, _BOOLS)


def is_finite_number(value):
    """A finite real number; an int too large for a float (10**400) is not."""
    if not is_number(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def dtype_name(dtype):
    """`keras.backend.standardize_dtype(dtype)`, remembered per dtype object
    (called on every call of a function with hyperparameters)."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = keras.backend.standardize_dtype(dtype)
    return name


_DTYPE_NAMES = {}


def refuse(owner, expected, fix="", **received):
    """Raise the ValueError of the one wording: `owner expected <expected>.
    Received: name=value, ....` and then `fix`, if any."""
    values = ", ".join(f"{name}={value!r}" for name, value in received.items())
    message = f"{owner} expected {expected}. Received: {values}."
    raise ValueError(f"{message} {fix}" if fix else message)


def number(owner, name, value, minimum=None, strict=False, tensor=False):
    """A finite number (above `minimum`, strictly with `strict`, if given),
    returned as a Python float; or a ValueError naming it.

    With `tensor=True` (a function's hyperparameter) a value that is not a
    number and not a bool is returned unchanged, for the mathematics to
    take as a tensor.
    """
    if type(value) is float and value - value == 0.0:  # finite (inf - inf and NaN are NaN)
        if minimum is None or value > minimum or (value == minimum and not strict):
            return value
    elif tensor and not is_number(value) and not isinstance(value, _BOOLS):
        return value
    ok = is_finite_number(value)
    if ok and minimum is not None:
        ok = value > minimum if strict else value >= minimum
    if not ok:
        bound = "" if minimum is None else f" {'>' if strict else '>='} {minimum}"
        refuse(owner, f"`{name}` to be a finite number{bound}{' or a tensor' if tensor else ''}", **{name: value})
    return float(value)


def integer(owner, name, value, minimum=None):
    """An integer (at least `minimum`, if given), returned as a Python int;
    or a ValueError naming it."""
    ok = is_integer(value)
    if ok and minimum is not None:
        ok = value >= minimum
    if not ok:
        refuse(owner, f"`{name}` to be an integer{'' if minimum is None else f' >= {minimum}'}", **{name: value})
    return int(value)


def boolean(owner, name, value):
    """`True` or `False`, or a ValueError naming it."""
    if not isinstance(value, bool):
        refuse(owner, f"`{name}` to be True or False", **{name: value})
    return value


def ordered(owner, lower_name, lower, upper_name, upper, strict=False, fix=""):
    """Refuse `lower > upper` (`lower >= upper` with `strict`) where both are
    numbers; tensors are not compared."""
    if is_number(lower) and is_number(upper) and not (lower < upper if strict else lower <= upper):
        relation = "<" if strict else "<="
        refuse(owner, f"{lower_name} {relation} {upper_name}", fix, **{lower_name: lower, upper_name: upper})


def axes(owner, name, value):
    """An int, or a non-empty list or tuple of ints (kept as a tuple), as
    `keras.layers.Softmax` accepts."""
    if isinstance(value, list):
        value = tuple(value)
    ok = is_integer(value) or (isinstance(value, tuple) and value and all(is_integer(a) for a in value))
    if not ok:
        refuse(owner, f"`{name}` to be an integer or a tuple of integers", "Pass e.g. -1 or (1, 2).", **{name: value})
    return int(value) if is_integer(value) else tuple(int(a) for a in value)


def axis_in_rank(owner, axis, rank, name="axis"):
    """Normalize `axis` (an int or a tuple) for an input of `rank`; the batch
    axis is refused, and so is an axis named twice."""
    for a in axis if isinstance(axis, tuple) else (axis,):
        if not -rank <= a < rank or a % rank == 0:
            refuse(
                owner,
                f"`{name}` to be a non-batch axis of an input of rank {rank}, i.e. in [1, {rank - 1}] or "
                f"[{-(rank - 1)}, -1]",
                **{name: axis},
            )
    if not isinstance(axis, tuple):
        return axis % rank
    normalized = tuple(a % rank for a in axis)
    if len(set(normalized)) != len(normalized):
        refuse(
            owner, f"the entries of `{name}` to name different axes", f"Name each axis of the rank-{rank} input once.",
            **{name: axis},
        )
    return normalized


def even_halves(owner, shape, axis, name="x.shape", known=False):
    """Refuse an odd size along `axis` (an unknown one too, with `known`):
    GLU and its variants split it in two halves."""
    size = shape[axis]
    if (size is None and known) or (size is not None and size % 2 != 0):
        refuse(
            owner,
            f"an even{', known' if known else ''} size along `axis` (it splits it in two halves)",
            "Give the preceding layer 2 * d units for d outputs.",
            **{name: tuple(shape), "axis": axis},
        )


def units_divide(owner, shape, axis, num_units, name="x.shape", known=False):
    """Refuse a size along `axis` that `num_units` does not divide (an
    unknown one too, with `known`): Maxout pools it in groups."""
    size = shape[axis]
    if (size is None and known) or (size is not None and size % num_units != 0):
        refuse(
            owner,
            f"a{' known' if known else ''} size along `axis` that is a multiple of num_units={num_units}",
            "Give the preceding layer k * num_units units for k pieces per unit.",
            **{name: tuple(shape), "axis": axis},
        )


# (smallest normal, largest) of each float dtype.
NORMAL_RANGE = {
    "float16": (6.103515625e-05, 65504.0),
    "bfloat16": (1.1754943508222875e-38, 3.3895313892515355e38),
    "float32": (1.1754943508222875e-38, 3.4028234663852886e38),
    "float64": (2.2250738585072014e-308, 1.7976931348623157e308),
}
_FLOAT32_LOW, _FLOAT32_HIGH = NORMAL_RANGE["float32"]


def normal_limits(dtype):
    """`(wide, low, high)`: the dtype hyperparameter arithmetic runs in at
    most (float32, or float64 for float64 inputs) and its normal range."""
    wide = "float64" if dtype_name(dtype) == "float64" else "float32"
    return (wide, *NORMAL_RANGE[wide])


def is_normal_in(value, dtype):
    """Whether a number is a normal number of `dtype` (a dtype name)."""
    low, high = NORMAL_RANGE[dtype]
    return low <= abs(value) <= high


def normal(owner, name, value, dtype, zero_ok=False):
    """Refuse a number hyperparameter that no dtype keras_act computes in
    holds; return `value` (tensors pass).

    Arithmetic with hyperparameters runs in float32 at least (float64 for
    float64 inputs, or a float64 layer), so a value must be a normal number
    there: beyond, it rounds to 0 or inf and turns the output into NaN
    (0 / 0, inf * 0).
    """
    if type(value) is float and ((zero_ok and value == 0) or _FLOAT32_LOW <= abs(value) <= _FLOAT32_HIGH):
        return value  # normal in float32, hence in float64: the common case
    if is_number(value) and not ((zero_ok and value == 0) or is_normal_in(value, normal_limits(dtype)[0])):
        wide, low, high = normal_limits(dtype)
        refuse(
            owner,
            f"`{name}` to be a normal {wide} number, between {low:.7g} and {high:.8g} in magnitude"
            f"{' (or 0)' if zero_ok else ''}: its arithmetic runs in {wide} for {dtype_name(dtype)} inputs, where "
            "other values round to 0 or inf and the output to NaN",
            "Use a value in that range (or float64 inputs, dtype='float64' for a layer, for a wider one).",
            **{name: value},
        )
    return value
