"""PAU layer."""

from typing import Any

import keras
import numpy as np

from keras_act.activations import pau
from keras_act.activations import _pau_fit
from keras_act import _validation

MAX_DEGREE = 10


@keras.saving.register_keras_serializable(package="keras_act")
class PAU(keras.layers.Layer):
    """Padé activation unit: a learned rational function P(x) / Q(x).

    A flexible activation that learns its shape (Molina et al. 2019): the
    numerator P has `numerator_degree + 1` coefficients, the denominator
    Q(x) = 1 + |b_1 x + ... + b_n x^n| `denominator_degree` more; the
    absolute value is the paper's "safe" PAU, whose denominator is at least
    1, so the unit has no poles. Both are evaluated by Horner's rule, in
    float32 for float16 and bfloat16 inputs (float32 weights, never
    autocast). The coefficients are shared by the whole layer, as in the
    paper (one set of m + n + 1 weights per layer, not per channel).

    They start, as in the paper, from the least-squares fit of the rational
    function to `initial` on [-3, 3]. For the default degrees (5, 4) the
    fits are stored constants (`keras_act.activations._pau_fit.FITS`,
    computed once by that module's script); their largest errors on [-3, 3]
    are 0.0336 for leaky ReLU (slope 0.01, the paper's choice), 0.0339 for
    ReLU (both at the kink at 0), 3.5e-6 for tanh and 4.8e-9 for sigmoid.
    Other degrees are fitted at build time by the same deterministic numpy
    code (about 0.1 s).

    Formula:
        f(x) = (a_0 + a_1 x + ... + a_m x^m) / (1 + |b_1 x + ... + b_n x^n|)

    Reference:
        Molina, Schramowski and Kersting 2019, Padé Activation Units:
        End-to-end Learning of Flexible Activation Functions in Deep
        Networks, https://arxiv.org/abs/1907.06732

    Args:
        numerator_degree: m, an integer from 1 to 10. Defaults to `5`.
        denominator_degree: n, an integer from 1 to 10. Defaults to `4`.
        initial: the function the coefficients start from: one of
            `"leaky_relu"` (slope 0.01), `"relu"`, `"tanh"`, `"sigmoid"`.
            Defaults to `"leaky_relu"`.

    Call arguments:
        inputs: the input tensor.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> layer = keras_act.layers.PAU()
        >>> y = layer(np.array([[-1.0, 0.0, 2.0]], "float32"))
        >>> np.round(keras.ops.convert_to_numpy(y), 4)
        array([[-0.0092,  0.0336,  2.0011]], dtype=float32)
    """

    activation_id = None

    def __init__(
        self,
        numerator_degree: int = 5,
        denominator_degree: int = 4,
        initial: str = "leaky_relu",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.numerator_degree = _validation.integer("PAU", "numerator_degree", numerator_degree, minimum=1)
        self.denominator_degree = _validation.integer("PAU", "denominator_degree", denominator_degree, minimum=1)
        for name in ("numerator_degree", "denominator_degree"):
            if getattr(self, name) > MAX_DEGREE:
                _validation.refuse(
                    "PAU",
                    f"`{name}` to be at most {MAX_DEGREE} (higher powers of x overflow and make the fit "
                    "ill-conditioned)",
                    **{name: getattr(self, name)},
                )
        if initial not in _pau_fit.INITIAL_FUNCTIONS:
            _validation.refuse(
                "PAU", f"`initial` to be one of {', '.join(map(repr, _pau_fit.INITIAL_FUNCTIONS))}", initial=initial
            )
        self.initial = initial
        self.supports_masking = True

    def build(self, input_shape):
        numerator, denominator, _ = _pau_fit.stored_or_fit(self.initial, self.numerator_degree, self.denominator_degree)
        dtype = "float64" if self.variable_dtype == "float64" else "float32"
        # numpy values of the weight's dtype: Constant would round a Python
        # float to float32 first, also for a float64 weight.
        self.numerator = self.add_weight(
            shape=(self.numerator_degree + 1,), name="numerator",
            initializer=keras.initializers.Constant(np.asarray(numerator, dtype=dtype)), dtype=dtype, autocast=False,
        )
        self.denominator = self.add_weight(
            shape=(self.denominator_degree,), name="denominator",
            initializer=keras.initializers.Constant(np.asarray(denominator, dtype=dtype)), dtype=dtype, autocast=False,
        )

    def call(self, inputs):
        return pau(inputs, self.numerator, self.denominator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "numerator_degree": self.numerator_degree,
            "denominator_degree": self.denominator_degree,
            "initial": self.initial,
        }
