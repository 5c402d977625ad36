"""Lean custom gradients: an activation's analytic derivative, or a
backward computed from what the forward saved, instead of autodiff through
every op of the forward. The family modules' portable forms and the native
kernels (where a backend's own backward falls short) share them.
"""

from keras_act._lazy import ops


def with_derivative(forward, derivative, x, **hyperparameters):
    """Evaluate `forward(x)` with the analytic `derivative` as its gradient.

    Backward then needs only `x` (no intermediate of the forward pass is
    kept), and takes one fused elementwise expression instead of the chain
    of gradients autodiff would build through every op of `forward`. It is
    also how a function gets the same derivative on every backend where a
    built-in's autodiff differs at a kink (jax.nn.selu'(0) = scale * alpha,
    TensorFlow's scale). Hyperparameters are closed over because
    `tf.custom_gradient` accepts no keyword arguments in graph mode.
    """

    @ops.custom_gradient
    def f(x):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * derivative(x, **hyperparameters)

        return forward(x, **hyperparameters), grad

    return f(x)


def with_saved_gradient(forward, backward, x, **hyperparameters):
    """Evaluate `forward(x) -> (y, saved)` with gradient `backward(saved, upstream)`.

    For functions whose derivative can be read off the output (or a
    boolean mask): backward then keeps the output, which the next layer
    keeps anyway, or a one-byte mask, and costs one or two elementwise ops
    (measured in benchmarks/RESULTS.md).

    What backward keeps differs by backend. TensorFlow and JAX keep only
    what the gradient function closes over, `saved` (on JAX these are the
    residuals of jax.custom_gradient: `jax.vjp` of celu_custom holds one
    array, the output; of hard_shrink_custom one bool mask). On PyTorch,
    Keras's `ops.custom_gradient` also saves every positional input of the
    forward (`ctx.save_for_backward(*args)`), so the input `x` is kept
    as well and the saving is in backward's ops only.
    """

    @ops.custom_gradient
    def f(x):
        y, saved = forward(x, **hyperparameters)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return backward(saved, upstream, **hyperparameters)

        return y, grad

    return f(x)
