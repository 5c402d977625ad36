"""What the kernel modules share: when a hyperparameter is a plain number."""

from keras_act._validation import is_number


# keras_act's one rule for numbers (a Python or numpy real, not a bool or a
# tensor): what the backends' kernels take as an attribute.
number = is_number


def numbers(*values):
    return all(number(v) for v in values)


def axis_of(axis):
    """One int axis (a tuple of one taken apart), or None for several."""
    if isinstance(axis, (tuple, list)):
        return axis[0] if len(axis) == 1 else None
    return axis
