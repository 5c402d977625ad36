"""Which implementation of each activation runs: the one place that knows
backends and exporters.

As timm's activation factory (timm/layers/create_act.py), one table per
variant says what serves an id, and the mathematics stays pure:

- native: the backend's own fused kernel where it computes the same function
  (`tf.nn`, `jax.nn`, `torch.nn.functional`), with keras_act's lean gradient
  on top only where it beats the kernel's own backward. Its implementations
  live in `_tensorflow.py`, `_jax.py` and `_torch.py`; only the active
  backend's module is ever imported.
- exportable (TensorFlow only): forms that an exporter turns into builtin
  ops (`_export.py`), used while `keras_act.exporting(format)` is active,
  which `model.export(format=...)` enters by itself. ONNX through tf2onnx
  has no converter for TensorFlow's `Erfc` and `Expm1`; LiteRT turns
  `tf.nn.gelu` into one GELU op. Training never pays for them.
- portable: the `keras.ops` composition written in the activation's family
  module (with its lean custom gradient), used wherever no table names a
  kernel, and whenever `variant("portable")` asks for it.

`run(name, portable, x, **hp)` is what a public function calls after
validating its arguments: the active backend's and variant's kernel for
`name` if one exists and accepts these arguments (a kernel returns None to
decline, e.g. TensorFlow's LeakyRelu for float64, whose slope it rounds to
float32), else `portable(x, **hp)`. `NATIVE` and `EXPORT` describe the
tables as plain data (read by `keras_act.info` and the docs without
importing any backend); a test holds them to the implementation modules.
"""

import contextlib
import dataclasses
import importlib
from typing import Callable, Iterator, Mapping, Optional

from keras_act._lazy import keras
import numpy as np

from keras_act import _backend

BACKENDS = ("tensorflow", "jax", "torch")
EXPORT_FORMATS = ("onnx", "litert")
# "native" is the default: the fastest form that computes the same function.
VARIANTS = ("native", "portable") + EXPORT_FORMATS

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


@dataclasses.dataclass(frozen=True)
class Kernel:
    """What a table says of one id on one backend or exporter.

    Attributes:
        name: the kernel, as its library spells it (`"tf.nn.gelu"`).
        when: the arguments it serves where not all (e.g. `"alpha = 1"`);
            the portable form serves the rest.
        note: how it serves them, where that needs saying.
        kinks: derivative values of this kernel's autodiff at kinks where
            they differ from keras_act's documented ones (the record's
            derivative): kept where correcting them would cost a pass over
            the tensor for a value hit at one exact float.
        accuracy: where the kernel is less accurate than keras_act's
            float32 tolerance (2e-7 + 2e-6 |y|) but as accurate as Keras's
            own built-in on that backend, the bound it does meet:
            `(atol, rtol)` in float32.
    """

    name: str
    when: str = ""
    note: str = ""
    kinks: Mapping[float, float] = dataclasses.field(default_factory=dict)
    accuracy: Optional[tuple] = None

    def describe(self):
        text = self.name + (f" ({self.when})" if self.when else "") + (f"; {self.note}" if self.note else "")
        if self.kinks:
            points = ", ".join(f"f'({k:g}) = {v:.7g}" for k, v in sorted(self.kinks.items()))
            text += f"; autodiff at kinks: {points}"
        return text


K = Kernel
_F = "torch.nn.functional"

# backend -> id -> Kernel. Also the functions without an id that have a
# native form (threshold, the shrink bands).
NATIVE = {
    "tensorflow": {
        "relu_custom": K("tf.nn.relu"),
        "relu6_custom": K("tf.nn.relu6"),
        "leaky_relu_custom": K("tf.nn.leaky_relu", "below float64", note="its slope is a float32 attribute"),
        "rrelu_custom": K("tf.nn.leaky_relu", "inference, below float64"),
        "elu_custom": K("tf.nn.elu", "alpha = 1"),
        "selu_custom": K("tf.nn.selu"),
        "celu_custom": K("tf.nn.elu", "alpha = 1, where celu is elu"),
        "gelu_custom": K(
            "tf.nn.gelu(approximate=False)",
            "below float64: its float64 is off by 6e-7",
            note="float16 and bfloat16 with keras_act's gradient (autodiff's inf * 0 is NaN there)",
        ),
        "sigmoid_custom": K("tf.nn.sigmoid"),
        "tanh_custom": K("tf.nn.tanh"),
        "softsign_custom": K("tf.nn.softsign"),
        "softplus_custom": K("tf.math.softplus", "beta = 1 and threshold >= 14 in float32, where the threshold changes nothing"),
        "log_sigmoid_custom": K("tf.math.log_sigmoid"),
        "silu_custom": K("tf.nn.silu"),
        "hard_sigmoid_custom": K("tf.nn.relu6(x + 3) / 6"),
        "sparse_sigmoid_custom": K("tf.nn.relu6(3x + 3) / 6"),
        "log_softmax_custom": K("tf.nn.log_softmax", "one axis"),
        "exponential_custom": K("tf.math.exp"),
    },
    "jax": {
        "relu_custom": K("jax.nn.relu"),
        "relu6_custom": K("jax.nn.relu6"),
        "elu_custom": K("jax.nn.elu"),
        "celu_custom": K("jax.nn.celu", "alpha <= 1"),
        "gelu_custom": K(
            "jax.nn.gelu(approximate=False)",
            note="float16 and bfloat16 with keras_act's gradient (autodiff's inf * 0 is NaN there)",
        ),
        "sigmoid_custom": K("jax.nn.sigmoid"),
        "tanh_custom": K("jax.numpy.tanh"),
        "softsign_custom": K("jax.nn.soft_sign"),
        "log_sigmoid_custom": K("jax.nn.log_sigmoid"),
        "silu_custom": K("jax.nn.silu"),
        "hard_sigmoid_custom": K("jax.nn.hard_sigmoid"),
        "hard_swish_custom": K("jax.nn.hard_swish"),
        "softmax_custom": K("jax.nn.softmax", "one axis"),
        "log_softmax_custom": K("jax.nn.log_softmax", "one axis"),
        "glu_custom": K("jax.nn.glu"),
        "hard_tanh_custom": K("jax.numpy.where (two selects: 0 at the corners)"),
        "exponential_custom": K("jax.numpy.exp"),
    },
    "torch": {
        "relu_custom": K(f"{_F}.relu"),
        "relu6_custom": K(f"{_F}.relu6"),
        "leaky_relu_custom": K(f"{_F}.leaky_relu"),
        "rrelu_custom": K(f"{_F}.leaky_relu", "inference"),
        "elu_custom": K(f"{_F}.elu"),
        "selu_custom": K(f"{_F}.selu", kinks={0.0: SELU_SCALE * SELU_ALPHA}),
        "celu_custom": K(f"{_F}.celu", "alpha <= 1"),
        "gelu_custom": K(f"{_F}.gelu", accuracy=(1.2e-6, 2e-6)),
        "gelu_tanh_custom": K(f"{_F}.gelu(approximate='tanh')"),
        "sigmoid_custom": K("torch.sigmoid"),
        "tanh_custom": K("torch.tanh"),
        "softsign_custom": K(f"{_F}.softsign"),
        "softplus_custom": K(f"{_F}.softplus"),
        "log_sigmoid_custom": K(f"{_F}.logsigmoid"),
        "silu_custom": K(f"{_F}.silu"),
        "mish_custom": K(f"{_F}.mish"),
        "hard_sigmoid_custom": K(f"{_F}.hardsigmoid", "below float64: its float64 backward rounds 1/6 to float32"),
        "hard_swish_custom": K(f"{_F}.hardswish"),
        "hard_tanh_custom": K(f"{_F}.hardtanh"),
        "hard_shrink_custom": K(f"{_F}.hardshrink"),
        "soft_shrink_custom": K(f"{_F}.softshrink"),
        "tanh_shrink_custom": K(f"{_F}.tanhshrink"),
        "threshold": K(f"{_F}.threshold"),
        "softmax_custom": K(f"{_F}.softmax", "one axis"),
        "softmin_custom": K(f"{_F}.softmin", "one axis"),
        "log_softmax_custom": K(f"{_F}.log_softmax", "one axis"),
        "glu_custom": K(f"{_F}.glu"),
        "squareplus_custom": K("relu(x) + (b / 2) / (hypot(x, sqrt(b)) + |x|) as a torch.autograd.Function", "float32 and float64"),
        "sparse_sigmoid_custom": K(f"{_F}.hardtanh(x) / 2 + 1 / 2"),
        "exponential_custom": K("torch.exp"),
    },
}

# format -> id -> Kernel: what replaces the native or portable form while
# exporting from TensorFlow (on JAX and PyTorch, Keras exports through
# their own exporters, which take the native forms).
EXPORT = {
    "onnx": {
        "gelu_custom": K("an erfc fit of Exp, Div and Select (tf2onnx has no Erfc)", "below float64"),
        "celu_custom": K("expm1 as 2t / (1 - t), t = tanh(u / 2) (tf2onnx has no Expm1)", "alpha != 1"),
    },
    "litert": {
        "gelu_tanh_custom": K("tf.nn.gelu(approximate=True): one GELU op", "below float64", accuracy=(7e-7, 2e-6)),
        "hard_swish_custom": K("x * (tf.nn.relu6(x + 3) / 6): one HARD_SWISH op"),
        "prelu": K("relu(x) + (-alpha) * relu(-x), keras.layers.PReLU's expression: one PRELU op"),
        "squareplus_custom": K(
            "(x + sqrt(x^2 + b)) / 2, Keras's squareplus: as many ops as Keras's",
            "float32",
            note="Keras's accuracy: x + s cancels for x < 0",
            accuracy=(1e-4, 2e-6),
        ),
    },
}

_MODULES = {"tensorflow": "_tensorflow", "jax": "_jax", "torch": "_torch"}
# The active variant: a plain module global, read on every call. (A
# ContextVar or thread-local would be per thread, but torch.compile's dynamo
# cannot trace their reads: every call of a keras_act function broke its
# graph.) Exporting happens in the thread that traces, and a model is not
# trained while it is exported, so one process-wide value suffices.
_state = {"variant": "native"}
_tables = {}


def _implementations(backend):
    """The active backend's module of kernels (imported on first use: it
    imports its backend, which only the active one may need)."""
    module = _loaded.get(backend)
    if module is None:
        module = _loaded[backend] = importlib.import_module(f"keras_act._kernels.{_MODULES[backend]}")
    return module


_loaded = {}


def _table(backend, variant):
    """id -> the kernels to try in order (an export form, then the native
    kernel), each of which may decline with None."""
    key = (backend, variant)
    table = _tables.get(key)
    if table is None:
        table = {}
        if backend in _MODULES and variant != "portable":
            table = {name: (k,) for name, k in _implementations(backend).KERNELS.items()}
            if variant in EXPORT_FORMATS and backend == "tensorflow":
                # Imports TensorFlow: only while exporting from it.
                from keras_act._kernels import _export

                for name, k in _export.FORMS[variant].items():
                    table[name] = (k,) + table.get(name, ())
        _tables[key] = table
    return table


def run(name: str, portable: Callable, x, **hyperparameters):
    """`name`'s kernel for the active backend and variant applied to `x`, or
    `portable(x, **hyperparameters)` where none serves these arguments."""
    for kernel in _table(keras.backend.backend(), _state["variant"]).get(name, ()):
        y = kernel(x, **hyperparameters)
        if y is not None:
            return y
    return portable(x, **hyperparameters)


def as_float(x):
    """Return `x` as a tensor of floating dtype; integers become `floatx`.

    A floating tensor of the active backend is returned as it is (Keras's
    conversion is most of a small call's cost). On JAX without
    `JAX_ENABLE_X64=1`, JAX turns float64 arrays into float32; a float64
    numpy input then warns once (keras_act._backend).
    """
    if is_float_tensor(x):
        return x
    if isinstance(x, np.ndarray) and x.dtype == np.float64 and keras.backend.backend() == "jax":
        _backend.warn_if_float64_is_lost()
    x = keras.ops.convert_to_tensor(x)
    if not keras.backend.is_float_dtype(x.dtype):
        x = keras.ops.cast(x, keras.config.floatx())
    return x


def is_float_tensor(x):
    """Whether `x` is already a floating tensor of the active backend (then
    `as_float` has nothing to do, and skips Keras's conversion)."""
    backend = keras.backend.backend()
    if backend not in _MODULES:
        return False
    return _implementations(backend).is_float_tensor(x)


@contextlib.contextmanager
def variant(name: str) -> Iterator[None]:
    """Run keras_act's functions in one variant inside the block: `"native"`
    (the default), `"portable"` (the keras.ops compositions), or an export
    format, `"onnx"` or `"litert"` (what `keras_act.exporting` sets)."""
    if name not in VARIANTS:
        raise ValueError(f"variant expects one of {VARIANTS}. Received: name={name!r}.")
    previous = _state["variant"]
    _state["variant"] = name
    try:
        yield
    finally:
        _state["variant"] = previous


@contextlib.contextmanager
def exporting(format: str = "onnx") -> Iterator[None]:
    """Trace keras_act's functions in the forms `format` converts to builtin ops.

    `model.export(path, format=...)` enters it by itself; use it around any
    other route to an exporter that traces the model, e.g. `tf2onnx.convert.
    from_keras(model)` (`"onnx"`) or `tf.lite.TFLiteConverter` on a
    `tf.function` of the model (`"litert"`). Inside it, ONNX gets gelu_custom
    as an erfc fit of ops tf2onnx converts (it has no Erfc) and celu_custom
    without Expm1; LiteRT gets one GELU op for gelu_tanh_custom. Formats
    other than "onnx" and "litert" (a SavedModel for TensorFlow Serving)
    keep the native kernels. Training never pays for these forms.

    Args:
        format: `"onnx"`, `"litert"`, or another `model.export` format.
            Defaults to `"onnx"`.

    Example:
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="gelu_custom")])
        >>> with keras_act.exporting("onnx"):
        ...     y = model(np.ones((1, 4), "float32"))
        >>> tuple(y.shape)
        (1, 2)
    """
    if not isinstance(format, str):
        raise ValueError(f"exporting expects a format name such as 'onnx' or 'litert'. Received: format={format!r}.")
    with variant(export_variant(format)):
        yield


def current_variant():
    return _state["variant"]


def export_variant(format):
    """The variant `model.export(format=...)` traces in: the format's own for
    "onnx" and "litert", the native one for the rest (a SavedModel keeps
    TensorFlow's kernels; TensorFlow Serving runs every op)."""
    return format if format in EXPORT_FORMATS else "native"


def kernel(name: str, backend: str) -> Optional[Kernel]:
    """The native kernel `name` runs on `backend`, or None (portable)."""
    return NATIVE.get(backend, {}).get(name)


def describe(name: str) -> dict:
    """Which implementation serves `name`: per backend, then per export format."""
    out = {}
    for backend in BACKENDS:
        k = kernel(name, backend)
        portable = "keras.ops composition"
        out[backend] = k.describe() + (f"; otherwise the {portable}" if k.when else "") if k else portable
    for format in EXPORT_FORMATS:
        k = EXPORT[format].get(name)
        out[f"export:{format}"] = k.describe() if k else "as on TensorFlow"
    return out


def kink_values(name: str, backend: str) -> dict:
    """Where the kernel on `backend` differs from the record at a kink:
    `{x: f'(x)}` of its autodiff there (empty if it takes the record's)."""
    k = kernel(name, backend)
    return dict(k.kinks) if k else {}


def accuracy(name: str, backend: str, variant: str = "native") -> Optional[tuple]:
    """`(atol, rtol)` in float32 where the kernel `variant` runs for `name` on
    `backend` is documented below keras_act's float32 tolerance (and as
    accurate as Keras's own built-in there), else None."""
    if variant in EXPORT_FORMATS:
        k = EXPORT[variant].get(name) if backend == "tensorflow" else None
    else:
        k = kernel(name, backend) if variant == "native" else None
    return k.accuracy if k else None
