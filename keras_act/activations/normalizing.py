"""Activations over an axis: softmax, its log and its mirror, and GLU."""

from keras import ops

from keras_act._record import activation
from keras_act.activations._common import as_float


@activation(
    "softmax_custom",
    derivative=None,
    formula="exp(x_i) / sum_j exp(x_j)   (over the last axis)",
    derivative_formula="d s_i / d x_j = s_i * (delta_ij - s_j)",
    output_range=(0.0, 1.0),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Bridle 1990, Probabilistic Interpretation of Feedforward Classification Network Outputs, https://doi.org/10.1007/978-3-642-76153-9_28",
    defaults={"axis": -1},
    keras_builtin=("softmax", {}),
    torch_equivalent="torch.nn.Softmax(dim=-1)",
    elementwise=False,
)
def softmax_custom(x, axis=-1):
    """Softmax: a probability distribution over `axis`.

    Formula:
        softmax(x)_i = exp(x_i) / sum_j exp(x_j)

    Reference:
        Bridle 1990, https://doi.org/10.1007/978-3-642-76153-9_28

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.
    """
    return ops.softmax(as_float(x), axis=axis)


@activation(
    "log_softmax_custom",
    derivative=None,
    formula="x_i - log(sum_j exp(x_j))   (over the last axis)",
    derivative_formula="d y_i / d x_j = delta_ij - softmax(x)_j",
    output_range=(-float("inf"), 0.0),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Bridle 1990, Probabilistic Interpretation of Feedforward Classification Network Outputs, https://doi.org/10.1007/978-3-642-76153-9_28",
    defaults={"axis": -1},
    keras_builtin=("log_softmax", {}),
    torch_equivalent="torch.nn.LogSoftmax(dim=-1)",
    elementwise=False,
)
def log_softmax_custom(x, axis=-1):
    """Log of the softmax, computed stably (never log of a rounded 0).

    Formula:
        log_softmax(x)_i = x_i - log(sum_j exp(x_j))

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.
    """
    return ops.log_softmax(as_float(x), axis=axis)


@activation(
    "softmin_custom",
    derivative=None,
    formula="exp(-x_i) / sum_j exp(-x_j)   (over the last axis)",
    derivative_formula="d s_i / d x_j = -s_i * (delta_ij - s_j)",
    output_range=(0.0, 1.0),
    zero_centered=False,
    monotonic=False,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="PyTorch torch.nn.Softmin, https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html",
    defaults={"axis": -1},
    torch_equivalent="torch.nn.Softmin(dim=-1)",
    elementwise=False,
)
def softmin_custom(x, axis=-1):
    """Softmin: softmax of -x; the smallest input gets the largest weight.

    Formula:
        softmin(x)_i = exp(-x_i) / sum_j exp(-x_j)

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.
    """
    return ops.softmax(-as_float(x), axis=axis)


@activation(
    "glu_custom",
    derivative=None,
    formula="a * sigmoid(b), where [a, b] = split(x, 2, axis=-1)",
    derivative_formula="d/da = sigmoid(b), d/db = a * sigmoid(b) * (1 - sigmoid(b))",
    output_range=(-float("inf"), float("inf")),
    zero_centered=True,
    monotonic=False,
    smooth=True,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Dauphin, Fan, Auli and Grangier 2017, Language Modeling with Gated Convolutional Networks, https://arxiv.org/abs/1612.08083",
    defaults={"axis": -1},
    keras_builtin=("glu", {}),
    torch_equivalent="torch.nn.GLU(dim=-1)",
    elementwise=False,
)
def glu_custom(x, axis=-1):
    """Gated linear unit: the first half of `axis` gated by the second.

    The output has half the size of `axis`, which must be even.

    Formula:
        glu(x) = a * sigmoid(b), where [a, b] = split(x, 2, axis)

    Reference:
        Dauphin et al. 2017, https://arxiv.org/abs/1612.08083

    Args:
        x: input tensor.
        axis: the axis to split. Defaults to `-1`.
    """
    x = as_float(x)
    size = x.shape[axis]
    if size is not None and size % 2 != 0:
        raise ValueError(
            "glu_custom splits `axis` in two halves, so its size must be even. "
            f"Received: x.shape={tuple(x.shape)} with axis={axis}."
        )
    a, b = ops.split(x, 2, axis=axis)
    return a * ops.sigmoid(b)
