"""One custom gradient per learnable activation: the input gradient and the
gradient of every parameter from one backward function.

Autodiff of a composed activation with tensor parameters (PELU's a * elu(x /
b), SReLU's minimums and maximums, PAU's two Horner chains) walks back
through every op of the forward and reduces one broadcast product per
parameter use: PAU's ten coefficients cost ten chains and ten reductions
(forward+backward 9-24x its fixed kin, benchmarks/NOTES.md). As the PAU
authors' CUDA kernels do, the functions here compute every partial
derivative in one expression over what the forward saved, then sum each one
over the axes its parameter was broadcast along.
"""

from keras_act._lazy import keras
from keras_act._lazy import ops

_HALF = ("float16", "bfloat16")


def parameter(value, dtype):
    """A tensor parameter (a variable, an array) as a tensor of `dtype`, the
    form a custom gradient takes as an input (it differentiates with
    respect to its inputs, not to variables read inside it)."""
    return ops.cast(ops.convert_to_tensor(value), dtype)


def sum_to_shape(t, shape):
    """`t` summed over the axes along which a tensor of `shape` is broadcast
    to t's shape (numpy's rules: leading axes, and axes of size 1), so
    that it has `shape`: the gradient of a broadcast parameter.

    float16 and bfloat16 are summed in float32 (a long sum in bfloat16
    rounds away its 8 bits; float16 overflows at 65504 on the way) and the
    sum is returned in t's dtype.
    """
    shape = tuple(shape)
    if tuple(t.shape) == shape:
        return t
    dtype = keras.backend.standardize_dtype(t.dtype)
    if dtype in _HALF:
        return ops.cast(sum_to_shape(ops.cast(t, "float32"), shape), dtype)
    rank, lead = len(t.shape), len(t.shape) - len(shape)
    axes = tuple(range(lead))
    kept_ones = tuple(lead + i for i, size in enumerate(shape) if size == 1 and t.shape[lead + i] != 1)
    if kept_ones:
        t = ops.sum(t, axis=kept_ones, keepdims=True)
    if axes:
        t = ops.sum(t, axis=axes) if len(axes) < rank else ops.sum(t)
    return ops.reshape(t, shape) if tuple(t.shape) != shape else t


def with_parameter_gradients(forward, backward, x, *parameters):
    """Evaluate `forward(x, *parameters) -> (y, saved)` with the gradients
    `backward(saved, upstream) -> (dx, *dparameters)`.

    `parameters` are tensors broadcastable to `x` (see `parameter`). Each
    `dparameters[i]` is upstream times the partial derivative of y with
    respect to parameter i, of any shape that broadcasts to x's and from
    which parameter i's shape is reached by summing (x's own shape, or
    already summed); it is summed here to the parameter's shape and cast to
    its dtype. `dx` is summed to x's shape (where a parameter broadcasts x
    up) and cast to x's dtype.

    Calling conventions (Keras's `ops.custom_gradient`): TensorFlow calls
    the gradient function as `grad(upstream)`, JAX as `grad(g)`, PyTorch as
    `grad(*inputs, upstream=g)` after saving every input (x and the
    parameters: they are kept anyway, by the layer and its caller).
    """
    shapes = [tuple(p.shape) for p in parameters]
    dtypes = [p.dtype for p in parameters]
    x_shape, x_dtype = tuple(x.shape), x.dtype

    @ops.custom_gradient
    def f(x, *parameters):
        y, saved = forward(x, *parameters)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            dx, *dparameters = backward(saved, upstream)
            grads = [ops.cast(sum_to_shape(dx, x_shape), x_dtype)]
            for d, shape, dtype in zip(dparameters, shapes, dtypes):
                grads.append(ops.cast(sum_to_shape(d, shape), dtype))
            return tuple(grads)

        return y, grad

    return f(x, *parameters)
