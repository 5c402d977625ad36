"""Type aliases of keras_act's public signatures.

A tensor is whatever the active backend takes (a numpy array, a
`tf.Tensor`, a `jax.Array`, a `torch.Tensor`, a `keras.Variable`), so it is
`Any`: a precise union would name every backend's types, which keras_act
neither imports nor checks.
"""

from typing import Any

TensorLike = Any
