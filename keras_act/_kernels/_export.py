"""Forms an exporter turns into builtin ops, used only while exporting from
TensorFlow (`keras_act.exporting`, entered by `model.export`): forward
only, since an exported graph holds no gradient. Each keeps the accuracy of
the form it replaces (the tests hold every variant to the same references).
"""

import keras
import tensorflow as tf

from keras_act._kernels._common import number

# Numerical Recipes' erfcc (Press, Teukolsky, Vetterling and Flannery 1992,
# Numerical Recipes in C, 2nd ed., section 6.2): a Chebyshev fit of
# log(erfc(z) / t) + z^2 in t = 1 / (1 + z / 2), fractional error below
# 1.2e-7 for every z >= 0.
_ERFC_FIT = (
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
    0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
)
_INV_SQRT_2 = 0.7071067811865476
_EPSILON = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}


def _erfc_non_negative(z):
    t = 1.0 / (1.0 + 0.5 * z)
    p = _ERFC_FIT[-1]
    for c in _ERFC_FIT[-2::-1]:
        p = p * t + c
    return t * tf.exp(p - z * z)


def _gelu_onnx(x):
    # x * Phi(x) with Phi from erfc(|x| / sqrt(2)) on both sides, so nothing
    # cancels: within 2e-7 absolute / 2e-6 relative of the exact value in
    # float32, as TensorFlow's Gelu kernel. Its ops (Exp, Div, Abs, Select,
    # arithmetic) all convert to ONNX through tf2onnx; TensorFlow's Gelu is
    # built on Erfc, which has no ONNX converter (onnx/tensorflow-onnx#2347),
    # and the erf form 0.5 * x * (1 + erf(x / sqrt(2))) is off by up to
    # 9e-7 near x = -5 in float32 (1 + erf cancels). float64 keeps the
    # native erfc (the fit is a float32 one).
    if x.dtype == tf.float64:
        return None
    h = 0.5 * _erfc_non_negative(tf.abs(x) * _INV_SQRT_2)
    return x * tf.where(x < 0, h, 1.0 - h)


def _expm1_non_positive(u):
    # expm1(u) = 2t / (1 - t) with t = tanh(u / 2), exactly; for u <= 0,
    # 1 - t lies in [1, 2], so nothing cancels and the result keeps tanh's
    # relative accuracy (measured: 2.4e-7 in float32, 5e-16 in float64, as
    # tf.math.expm1). Tanh, Add, Sub and Div convert to ONNX.
    t = tf.tanh(u * 0.5)
    return (t + t) / (1.0 - t)


def _celu_onnx(x, alpha):
    # TensorFlow's Expm1 has no ONNX converter in tf2onnx; alpha = 1 is elu,
    # whose Elu converts (the native form).
    if not number(alpha) or alpha == 1:
        return None
    y = tf.where(x > 0, x, alpha * _expm1_non_positive(tf.minimum(x, 0.0) / alpha))
    if alpha > 1:
        # As the portable form: where x / alpha underflows, celu(x) is x.
        eps = _EPSILON[keras.backend.standardize_dtype(x.dtype)]
        y = tf.where(tf.abs(x) < alpha * eps, x, y)
    return y


def _gelu_tanh_litert(x):
    # As Keras's gelu(approximate=True): 8.1e-7 from the exact value at most
    # in float32 (x = 4.64), and 1 + tanh cancels in float64.
    return None if x.dtype == tf.float64 else tf.nn.gelu(x, approximate=True)


def _hard_swish_litert(x):
    # The pattern the converter fuses into HARD_SWISH (Keras's hard_silu).
    return x * (tf.nn.relu6(x + 3.0) / 6.0)


def _prelu_litert(x, alpha):
    # keras.layers.PReLU's own expression, which the converter fuses into
    # one PRELU op (relu(x) - alpha * relu(-x) became six ops).
    return tf.nn.relu(x) + (-alpha) * tf.nn.relu(-x)


def _squareplus_litert(x, b):
    # Keras's squareplus, (x + sqrt(x^2 + b)) / 2: five ops as Keras's,
    # where keras_act's form takes ten. It is Keras's accuracy, not
    # keras_act's: x + s cancels for x < 0 (1e-4 off at x = -1e4 in float32,
    # where the value is 1e-4) and x^2 overflows float16, so float32 only.
    if x.dtype != tf.float32 or not number(b):
        return None
    return (x + tf.sqrt(tf.square(x) + b)) / 2.0


FORMS = {
    "onnx": {"gelu_custom": _gelu_onnx, "celu_custom": _celu_onnx},
    "litert": {
        "gelu_tanh_custom": _gelu_tanh_litert,
        "hard_swish_custom": _hard_swish_litert,
        "prelu": _prelu_litert,
        "squareplus_custom": _squareplus_litert,
    },
}
