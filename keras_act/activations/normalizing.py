"""Activations over an axis: softmax, its log and its mirror, sparsemax, and GLU."""

from keras_act._lazy import keras
from keras_act._lazy import ops

from keras_act import _backend, _keras_internals
from keras_act._kernels import run
from keras_act._record import activation
from keras_act._typing import TensorLike
from keras_act._validation import even_halves, units_divide
from keras_act.activations._common import as_float, with_saved_gradient


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
    keras_builtin=("softmax", {}),
    torch_equivalent="torch.nn.Softmax(dim=-1)",
    elementwise=False,
)
def softmax_custom(x: TensorLike, axis: int | tuple[int, ...] = -1) -> TensorLike:
    """Softmax: a probability distribution over `axis`.

    Use it for the class probabilities of a classifier or for attention weights;
    for log-probabilities use `log_softmax_custom`, which stays finite. As
    the last activation before a crossentropy loss it gives the loss and
    gradient of `keras.activations.softmax`: on TensorFlow the loss is
    computed from `x` (the output carries it, as Keras's does), so a
    confident mistake is not clipped to a loss of 16.1 with no gradient. A
    row holding NaN comes out all NaN (its loss is NaN).

    Formula:
        softmax(x)_i = exp(x_i) / sum_j exp(x_j)

    Reference:
        Bridle 1990, Probabilistic Interpretation of Feedforward Classification
        Network Outputs, https://doi.org/10.1007/978-3-642-76153-9_28

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, 3.0]], "float32")
        >>> y = keras_act.activations.softmax_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.09  , 0.2447, 0.6652]], dtype=float32)
    """
    x = as_float(x)
    # As keras.activations.softmax: a crossentropy loss on TensorFlow then
    # computes from `x`, not from clipped probabilities.
    return _keras_internals.attach_logits(run("softmax_custom", _softmax, x, axis=axis), x)


def _softmax(x, axis):
    axis = _one_axis_if_possible(axis)
    return with_saved_gradient(_softmax_saving_output, _softmax_grad_from_output, x, axis=axis)


def _one_axis_if_possible(axis):
    return axis[0] if isinstance(axis, (tuple, list)) and len(axis) == 1 else axis


def _softmax_saving_output(x, axis):
    if isinstance(axis, (tuple, list)):
        # keras.ops.softmax reshapes for several axes, which needs every
        # other dimension known: it failed for a None batch dimension
        # (tf.function, export). Reductions over the axes need no shapes.
        e = ops.exp(x - ops.max(x, axis=axis, keepdims=True))
        y = e / ops.sum(e, axis=axis, keepdims=True)
    else:
        y = ops.softmax(x, axis=axis)
    # TensorFlow's eager softmax kernel maps a row holding NaN to NaN at
    # that entry and 0 elsewhere; the whole distribution is undefined, so
    # the whole row becomes NaN (as in PyTorch and under XLA).
    total = ops.sum(y, axis=axis, keepdims=True)
    out = y + (total - total)
    return out, out


def _softmax_grad_from_output(s, upstream, axis):
    # TensorFlow's SoftmaxGrad, from the output that the next layer keeps
    # anyway; autodiff through the NaN guard kept y and the row sums too
    # (1.65x the built-in's training-step memory, benchmarks/RESULTS.md).
    return (upstream - ops.sum(upstream * s, axis=axis, keepdims=True)) * s


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
    keras_builtin=("log_softmax", {}),
    torch_equivalent="torch.nn.LogSoftmax(dim=-1)",
    elementwise=False,
)
def log_softmax_custom(x: TensorLike, axis: int | tuple[int, ...] = -1) -> TensorLike:
    """Log of the softmax, computed stably (never log of a rounded 0).

    Use it wherever log-probabilities are needed (a negative log-likelihood or a
    cross-entropy written by hand): log(softmax(x)) is -inf where a probability
    rounds to 0.

    Formula:
        log_softmax(x)_i = x_i - log(sum_j exp(x_j))

    Reference:
        Bridle 1990, Probabilistic Interpretation of Feedforward Classification
        Network Outputs, https://doi.org/10.1007/978-3-642-76153-9_28

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, 3.0]], "float32")
        >>> y = keras_act.activations.log_softmax_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-2.4076, -1.4076, -0.4076]], dtype=float32)
    """
    return run("log_softmax_custom", _log_softmax, as_float(x), axis=axis)


def _log_softmax(x, axis):
    axis = _one_axis_if_possible(axis)
    if isinstance(axis, (tuple, list)):
        # As softmax_custom: keras.ops.log_softmax reshapes for several axes.
        return x - ops.logsumexp(x, axis=axis, keepdims=True)
    return ops.log_softmax(x, axis=axis)


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
    torch_equivalent="torch.nn.Softmin(dim=-1)",
    elementwise=False,
)
def softmin_custom(x: TensorLike, axis: int | tuple[int, ...] = -1) -> TensorLike:
    """Softmin: softmax of -x; the smallest input gets the largest weight.

    Use it to turn costs or distances into weights, the smallest counting most
    (a soft argmin). Before a crossentropy loss it behaves as
    `keras.activations.softmax(-x)`: on TensorFlow the loss is computed from
    the logits `-x`.

    Formula:
        softmin(x)_i = exp(-x_i) / sum_j exp(-x_j)

    Reference:
        PyTorch torch.nn.Softmin,
        https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, 3.0]], "float32")
        >>> y = keras_act.activations.softmin_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.6652, 0.2447, 0.09  ]], dtype=float32)
    """
    x = as_float(x)
    # Its logits for a crossentropy loss on TensorFlow are -x.
    return _keras_internals.attach_logits(run("softmin_custom", _softmin, x, axis=axis), lambda: -x)


def _softmin(x, axis):
    return _softmax(-x, axis)


@activation(
    "sparsemax_custom",
    derivative=None,
    formula="max(x_i - tau(x), 0), tau: sum_i max(x_i - tau, 0) = 1   (over the last axis)",
    derivative_formula="d p_i / d x_j = s_i * (delta_ij - s_j / |S|), s = 1[p > 0], |S| = sum_j s_j",
    output_range=(0.0, 1.0),
    zero_centered=False,
    monotonic=False,
    smooth=False,
    saturates="both",
    recommended_initializer="glorot_uniform",
    reference="Martins and Astudillo 2016, From Softmax to Sparsemax: A Sparse Model of Attention and Multi-Label Classification, https://arxiv.org/abs/1602.02068",
    # An output of exactly 0 passes no gradient (its row and column of the
    # Jacobian are 0): a class that is always 0 is dead.
    flat_outputs=(0.0,),
    keras_builtin=("sparsemax", {}),
    elementwise=False,
)
def sparsemax_custom(x: TensorLike, axis: int = -1) -> TensorLike:
    """Sparsemax: the Euclidean projection of x onto the probability simplex.

    Like softmax it gives a distribution over `axis`, but one with exact
    zeros: inputs more than tau below the largest get probability 0.
    Keras 3.15.1's `keras.activations.sparsemax` sums every cumulative sum
    instead of taking the k-th (keras-team/keras#23425: [1.0, 0.9, 0.8]
    gives [0, 0, 0], the right answer is [0.4333, 0.3333, 0.2333]); this
    one follows the paper. float16 and bfloat16 are computed in float32.
    A row holding NaN, or +inf, is NaN throughout; -inf inputs get 0 (a
    row of only -inf is NaN). The gradient is the paper's Jacobian, read
    off the output.

    Formula:
        sparsemax(x)_i = max(x_i - tau(x), 0), tau: sum_i max(x_i - tau, 0) = 1
        where, with z sorted in descending order,
        k(z) = max{k : 1 + k * z_k > sum_{j<=k} z_j}
        and tau(x) = (sum_{j<=k(z)} z_j - 1) / k(z)

    Reference:
        Martins and Astudillo 2016, From Softmax to Sparsemax: A Sparse Model of
        Attention and Multi-Label Classification,
        https://arxiv.org/abs/1602.02068

    Args:
        x: input tensor.
        axis: the axis to normalize over. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 0.9, 0.8, -1.0]], "float32")
        >>> y = keras_act.activations.sparsemax_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.4333, 0.3333, 0.2333, 0.    ]], dtype=float32)
    """
    return with_saved_gradient(_sparsemax_saving_output, _sparsemax_grad_from_output, as_float(x), axis=axis)


def _sparsemax_saving_output(x, axis):
    dtype = keras.backend.standardize_dtype(x.dtype)
    # Below float32 the cumulative sums lose the support (bfloat16 keeps 8
    # bits) and float16 overflows past 65504: compute in float32.
    z = ops.cast(x, "float32") if dtype in ("float16", "bfloat16") else x
    # Sparsemax is unchanged by adding a constant; taking the max off
    # keeps the cumulative sums small (the support lies within 1 of it).
    z = z - ops.max(z, axis=axis, keepdims=True)
    z_sorted = -ops.sort(-z, axis=axis)
    cumsum = _backend.cumsum(z_sorted, axis=axis)
    k = _backend.cumsum(ops.ones_like(z_sorted), axis=axis)
    support = 1.0 + k * z_sorted > cumsum
    k_z = ops.sum(ops.cast(support, z.dtype), axis=axis, keepdims=True)
    # The k(z)-th cumulative sum (support is a prefix of the sorted row).
    tau = (ops.sum(ops.where(k == k_z, cumsum, 0.0), axis=axis, keepdims=True) - 1.0) / k_z
    p = _backend.maximum(z - tau, 0.0)
    # After the shift every entry is <= 0 or NaN (from NaN, +inf or a row
    # of -inf), so the row sum is NaN exactly when the row is undefined.
    undefined = ops.isnan(ops.sum(z, axis=axis, keepdims=True))
    p = ops.cast(ops.where(undefined, ops.full_like(p, float("nan")), p), x.dtype)
    return p, p


def _sparsemax_grad_from_output(p, upstream, axis):
    # Martins and Astudillo's Jacobian-vector product: on the support S,
    # the upstream gradient minus its mean over S; 0 off it.
    s = ops.cast(p > 0, upstream.dtype)
    mean = ops.sum(upstream * s, axis=axis, keepdims=True) / ops.sum(s, axis=axis, keepdims=True)
    return s * (upstream - mean)


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
    keras_builtin=("glu", {}),
    torch_equivalent="torch.nn.GLU(dim=-1)",
    elementwise=False,
)
def glu_custom(x: TensorLike, axis: int = -1) -> TensorLike:
    """Gated linear unit: the first half of `axis` gated by the second.

    The output has half the size of `axis`, which must be even.

    Formula:
        glu(x) = a * sigmoid(b), where [a, b] = split(x, 2, axis=-1)

    Reference:
        Dauphin, Fan, Auli and Grangier 2017, Language Modeling with Gated
        Convolutional Networks, https://arxiv.org/abs/1612.08083

    Args:
        x: input tensor.
        axis: the axis to split. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 2.0, -1.0, 0.5]], "float32")
        >>> y = keras_act.activations.glu_custom(x)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[0.2689, 1.2449]], dtype=float32)
    """
    x = as_float(x)
    even_halves("glu_custom", x.shape, axis)
    return run("glu_custom", _glu, x, axis=axis)


def _glu(x, axis):
    a, b = ops.split(x, 2, axis=axis)
    return a * ops.sigmoid(b)


def maxout(x: TensorLike, num_units: int, axis: int = -1) -> TensorLike:
    """Maxout: the maximum over groups of `axis`, leaving `num_units` values.

    Grouping is strided, as TensorFlow Addons' `Maxout`: `axis` (of size
    k * num_units) is reshaped to (k, num_units) and the max taken over k,
    so unit u is max(x[u], x[u + num_units], x[u + 2 * num_units], ...).
    Weights ported from a TFA model give the same outputs. Has no string
    id (it changes the shape); `keras_act.layers.Maxout` wraps it.

    Formula:
        maxout(x)_u = max_j x[j * num_units + u],  j = 0 .. k - 1

    Reference:
        Goodfellow, Warde-Farley, Mirza, Courville and Bengio 2013,
        Maxout Networks, https://arxiv.org/abs/1302.4389

    Args:
        x: input tensor.
        num_units: the number of outputs along `axis`; must divide its size.
        axis: the axis to pool over. Defaults to `-1`.

    Example:
        >>> x = np.array([[1.0, 5.0, 3.0, 2.0]], "float32")
        >>> y = keras_act.activations.maxout(x, num_units=2)
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[3., 5.]], dtype=float32)
    """
    x = as_float(x)
    rank = len(x.shape)
    axis = axis % rank
    units_divide("maxout", x.shape, axis, num_units)
    size = x.shape[axis]
    shape = list(ops.shape(x))
    groups = -1 if size is None else size // num_units
    pooled_shape = shape[:axis] + [groups, num_units] + shape[axis + 1 :]
    return ops.max(ops.reshape(x, pooled_shape), axis=axis)
