"""What keras_act needs from the backend that keras.ops does not give alike
on TensorFlow, JAX and PyTorch: the one module that imports a backend.

- `gradients(fn, variables)`: autodiff of a scalar with respect to Keras
  variables (tf.GradientTape; jax.value_and_grad through a
  `keras.StatelessScope`; torch.autograd.grad).
- `tanh(x)`, `sin(x)`, `cos(x)`, `cumsum(x, axis)`, `minimum(x, y)`, `maximum(x, y)`:
  in x's dtype. Off TensorFlow, `keras.backend.result_type` maps float64
  to float32 (Keras aligns with JAX's default of 32 bits), and the ops
  that consult it turn a float64 input into float32 or lose its precision:
  `ops.tanh`, `ops.sin` and `ops.cos` on JAX, `ops.cumsum`, `ops.minimum` and
  `ops.maximum` on PyTorch (even of two float64 tensors).

Each backend is imported inside the branch that runs on it: only the
active backend is installed for certain.
"""

import warnings

from keras_act._lazy import keras
from keras_act._lazy import ops


_FLOAT64_WARNED = []


def warn_if_float64_is_lost():
    """Warn (once per process) when float64 inputs become float32: on JAX
    without JAX_ENABLE_X64, which JAX reads when it is first imported."""
    if _FLOAT64_WARNED or keras.backend.backend() != "jax":
        return
    import jax

    if not jax.config.jax_enable_x64:
        _FLOAT64_WARNED.append(True)
        warnings.warn(
            "keras_act got a float64 input on the JAX backend, where float64 exists only with "
            "JAX_ENABLE_X64=1: JAX computes it in float32. Set JAX_ENABLE_X64=1 before JAX is "
            "imported for float64, or pass float32 to silence this.",
            UserWarning,
            stacklevel=4,
        )


def _is_jax_float64(x):
    return keras.backend.backend() == "jax" and keras.backend.standardize_dtype(x.dtype) == "float64"


def tanh(x):
    """`ops.tanh(x)` in x's dtype on every backend."""
    if _is_jax_float64(x):
        import jax.numpy as jnp

        return jnp.tanh(x)
    return ops.tanh(x)


def sin(x):
    """`ops.sin(x)` in x's dtype on every backend."""
    if _is_jax_float64(x):
        import jax.numpy as jnp

        return jnp.sin(x)
    return ops.sin(x)


def cumsum(x, axis):
    """`ops.cumsum(x, axis=axis)` in x's dtype on every backend."""
    if _is_torch_float64(x):
        import torch

        return torch.cumsum(x, dim=axis)
    return ops.cumsum(x, axis=axis)


def cos(x):
    """`ops.cos(x)` in x's dtype on every backend."""
    if _is_jax_float64(x):
        import jax.numpy as jnp

        return jnp.cos(x)
    return ops.cos(x)


def _is_torch_float64(x):
    return keras.backend.backend() == "torch" and keras.backend.standardize_dtype(x.dtype) == "float64"


def minimum(x, y):
    """`ops.minimum(x, y)` in x's dtype on every backend (`y`: a tensor or a number)."""
    if _is_torch_float64(x):
        import torch

        return torch.minimum(x, torch.as_tensor(y, dtype=x.dtype, device=x.device))
    return ops.minimum(x, y)


def maximum(x, y):
    """`ops.maximum(x, y)` in x's dtype on every backend (`y`: a tensor or a number)."""
    if _is_torch_float64(x):
        import torch

        return torch.maximum(x, torch.as_tensor(y, dtype=x.dtype, device=x.device))
    return ops.maximum(x, y)


def clip(x, low, high):
    """`ops.clip(x, low, high)` with the bounds in x's dtype: on PyTorch,
    Keras 3.15 rounds number bounds to float32 (a float64 x - clip(x, -0.2,
    1.5) was off by 3e-9)."""
    if keras.backend.is_float_dtype(x.dtype):
        # convert_to_tensor, not cast: ops.cast(0.2, "float64") goes through
        # float32 on TensorFlow.
        low = ops.convert_to_tensor(low, dtype=x.dtype)
        high = ops.convert_to_tensor(high, dtype=x.dtype)
    return ops.clip(x, low, high)


def gradients(fn, variables):
    """`(fn(), [d fn() / d v for v in variables])` by the active backend's
    autodiff; `fn` takes no argument and returns a scalar computed from the
    variables (a model's loss). A variable `fn` does not use gets `None`.
    """
    backend = keras.backend.backend()
    variables = list(variables)
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            for v in variables:
                tape.watch(v.value)
            value = fn()
        return value, list(tape.gradient(value, [v.value for v in variables]))
    if backend == "jax":
        import jax

        def pure(values):
            # Reads of the variables inside the scope return `values`, so
            # jax differentiates with respect to them; assignments (metric
            # trackers) stay inside the scope.
            with keras.StatelessScope(state_mapping=list(zip(variables, values))):
                return fn()

        value, grads = jax.value_and_grad(pure)([v.value for v in variables])
        return value, list(grads)
    if backend == "torch":
        import torch

        values = [v.value for v in variables]
        with torch.enable_grad():
            value = fn()
        needed = [i for i, t in enumerate(values) if t.requires_grad]
        found = torch.autograd.grad(value, [values[i] for i in needed], allow_unused=True)
        grads = [None] * len(values)
        for i, g in zip(needed, found):
            grads[i] = g
        return value, grads
    raise NotImplementedError(
        f"keras_act has no autodiff helper for the {backend!r} backend. "
        "Use the tensorflow, jax or torch backend (KERAS_BACKEND)."
    )
