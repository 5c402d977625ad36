"""keras_act activation functions, written with `keras.ops`.

Each public function is the activation of the string id of the same name
(`selu_custom` is `"selu_custom"`); importing this package records and
registers all of them.
"""

from keras_act.activations.algebraic import sparse_plus_custom, sparse_sigmoid_custom, squareplus_custom
from keras_act.activations.gated import geglu_custom, reglu_custom, swiglu_custom
from keras_act.activations.elementary import exponential_custom, linear_custom
from keras_act.activations.normalizing import (
    glu_custom,
    log_softmax_custom,
    maxout,
    softmax_custom,
    softmin_custom,
    sparsemax_custom,
)
from keras_act.activations.parametric import pelu, srelu
from keras_act.activations.polynomial import pau, relu_squared_custom
from keras_act.activations.rectifiers import (
    celu_custom,
    elu_custom,
    leaky_relu_custom,
    prelu,
    relu6_custom,
    relu_custom,
    rrelu_custom,
    selu_custom,
    threshold,
)
from keras_act.activations.shrink import (
    hard_shrink_band,
    hard_shrink_custom,
    soft_shrink_band,
    soft_shrink_custom,
    tanh_shrink_custom,
)
from keras_act.activations.sigmoidal import (
    hard_sigmoid_custom,
    hard_tanh_custom,
    log_sigmoid_custom,
    sigmoid_custom,
    softplus_custom,
    softsign_custom,
    tanh_custom,
)
from keras_act.activations.smooth import (
    gelu_custom,
    gelu_tanh_custom,
    hard_swish_custom,
    lisht_custom,
    mish_custom,
    silu_custom,
    snake_custom,
    swish,
)

swish_custom = silu_custom

__all__ = [
    "celu_custom",
    "elu_custom",
    "exponential_custom",
    "gelu_custom",
    "gelu_tanh_custom",
    "geglu_custom",
    "glu_custom",
    "hard_shrink_band",
    "hard_shrink_custom",
    "hard_sigmoid_custom",
    "hard_swish_custom",
    "hard_tanh_custom",
    "leaky_relu_custom",
    "linear_custom",
    "lisht_custom",
    "log_sigmoid_custom",
    "log_softmax_custom",
    "maxout",
    "mish_custom",
    "pau",
    "pelu",
    "prelu",
    "relu6_custom",
    "reglu_custom",
    "relu_custom",
    "relu_squared_custom",
    "rrelu_custom",
    "selu_custom",
    "sigmoid_custom",
    "silu_custom",
    "snake_custom",
    "soft_shrink_band",
    "soft_shrink_custom",
    "softmax_custom",
    "softmin_custom",
    "softplus_custom",
    "sparse_plus_custom",
    "sparse_sigmoid_custom",
    "sparsemax_custom",
    "squareplus_custom",
    "softsign_custom",
    "srelu",
    "swiglu_custom",
    "swish",
    "swish_custom",
    "tanh_custom",
    "tanh_shrink_custom",
    "threshold",
]
