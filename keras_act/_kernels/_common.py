"""What the kernel modules share: when a hyperparameter is a plain number."""

import numbers as _numbers


def number(value):
    """A Python or numpy real number (not a bool, not a tensor): what the
    backends' kernels take as an attribute."""
    if type(value) is float or type(value) is int:
        return True  # the common case, without the slower ABC check
    return isinstance(value, _numbers.Real) and not isinstance(value, bool)


def numbers(*values):
    return all(number(v) for v in values)


def axis_of(axis):
    """One int axis (a tuple of one taken apart), or None for several."""
    if isinstance(axis, (tuple, list)):
        return axis[0] if len(axis) == 1 else None
    return axis
