"""What is benchmarked for the functions: one case per string id (from the records).

The rows come from `keras_act._record.RECORDS`, never from a hand-kept list;
the layers' cases (layer_cases.py) build on this module's `Case`, and
catalog.py joins both (the imports go one way: catalog -> layer_cases ->
cases). What the records do not say lives here, keyed by id; every table is
optional, so a new id gets its row against the Keras built-in its record
names without an entry here (the smoke test checks no entry is stale):

- NAIVE: what a user writes by hand with `keras.ops` (the textbook formula,
  no custom gradient, no fused kernel): an extra column, for scale.
- KIN: for ids Keras lacks, the closest Keras built-in of the same kind
  (the issue's "within 1.20" goal is measured against it); an id with
  neither a built-in nor a kin has no row.
- COMPOSED: the Keras built-ins that Keras composes from several ops
  (/work/shared/ANCHORS.md); for these keras_act should fuse.
- PIECEWISE_LINEAR: ids whose XLA forward should be as cheap as a copy.
"""

import dataclasses
import functools
import math
from typing import Callable, Optional

import keras
from keras import ops

import keras_act  # noqa: F401  (records and registers every id)
from keras_act._record import RECORDS

from benchmarks.training import AsLayer

SQRT2 = math.sqrt(2.0)
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
RRELU_MID = (1.0 / 8.0 + 1.0 / 3.0) / 2.0


def _softmax(x, axis=-1):
    e = ops.exp(x - ops.max(x, axis=axis, keepdims=True))
    return e / ops.sum(e, axis=axis, keepdims=True)


def _naive_sparsemax(x, axis=-1):
    # The paper's algorithm, as a user writes it: sort, cumulative sums, the
    # k(z)-th of them.
    z = ops.flip(ops.sort(x, axis=axis), axis=axis)
    cumsum = ops.cumsum(z, axis=axis)
    k = ops.cumsum(ops.ones_like(z), axis=axis)
    k_z = ops.sum(ops.cast(1.0 + k * z > cumsum, x.dtype), axis=axis, keepdims=True)
    tau = (ops.sum(ops.where(k == k_z, cumsum, 0.0), axis=axis, keepdims=True) - 1.0) / k_z
    return ops.maximum(x - tau, 0.0)


def _naive_glu(x):
    a, b = ops.split(x, 2, axis=-1)
    return a / (1.0 + ops.exp(-b))


def _naive_gated(gate):
    # The same expression written with keras.ops (the 1.10 goal).
    def gated(x):
        a, b = ops.split(x, 2, axis=-1)
        return a * gate(b)

    return gated


NAIVE = {
    "relu_custom": lambda x: ops.maximum(x, 0.0),
    "relu6_custom": lambda x: ops.minimum(ops.maximum(x, 0.0), 6.0),
    "leaky_relu_custom": lambda x: ops.where(x > 0, x, 0.01 * x),
    "rrelu_custom": lambda x: ops.where(x >= 0, x, RRELU_MID * x),
    "elu_custom": lambda x: ops.where(x > 0, x, ops.exp(x) - 1.0),
    "selu_custom": lambda x: SELU_SCALE * ops.where(x > 0, x, SELU_ALPHA * (ops.exp(x) - 1.0)),
    "celu_custom": lambda x: ops.where(x > 0, x, ops.exp(x) - 1.0),
    "gelu_custom": lambda x: 0.5 * x * (1.0 + ops.erf(x / SQRT2)),
    "gelu_tanh_custom": lambda x: 0.5 * x * (1.0 + ops.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x))),
    "glu_custom": _naive_glu,
    "swiglu_custom": _naive_gated(lambda b: b / (1.0 + ops.exp(-b))),
    "geglu_custom": _naive_gated(lambda b: 0.5 * b * (1.0 + ops.erf(b / SQRT2))),
    "reglu_custom": _naive_gated(lambda b: ops.maximum(b, 0.0)),
    "relu_squared_custom": lambda x: ops.square(ops.maximum(x, 0.0)),
    "hard_shrink_custom": lambda x: ops.where(ops.abs(x) > 0.5, x, 0.0),
    "soft_shrink_custom": lambda x: ops.where(x > 0.5, x - 0.5, ops.where(x < -0.5, x + 0.5, 0.0)),
    "tanh_shrink_custom": lambda x: x - ops.tanh(x),
    "hard_sigmoid_custom": lambda x: ops.clip((x + 3.0) / 6.0, 0.0, 1.0),
    "hard_swish_custom": lambda x: x * ops.clip((x + 3.0) / 6.0, 0.0, 1.0),
    "hard_tanh_custom": lambda x: ops.clip(x, -1.0, 1.0),
    "lisht_custom": lambda x: x * ops.tanh(x),
    "log_sigmoid_custom": lambda x: -ops.log(1.0 + ops.exp(-x)),
    "log_softmax_custom": lambda x: x - ops.log(ops.sum(ops.exp(x), axis=-1, keepdims=True)),
    "mish_custom": lambda x: x * ops.tanh(ops.log(1.0 + ops.exp(x))),
    "sigmoid_custom": lambda x: 1.0 / (1.0 + ops.exp(-x)),
    "silu_custom": lambda x: x / (1.0 + ops.exp(-x)),
    "snake_custom": lambda x: x + ops.square(ops.sin(x)),
    "softmax_custom": _softmax,
    "softmin_custom": lambda x: _softmax(-x),
    "softplus_custom": lambda x: ops.where(x > 20.0, x, ops.log(1.0 + ops.exp(x))),
    "softsign_custom": lambda x: x / (1.0 + ops.abs(x)),
    "sparse_plus_custom": lambda x: ops.where(x <= -1.0, 0.0, ops.where(x < 1.0, 0.25 * ops.square(x + 1.0), x)),
    "sparse_sigmoid_custom": lambda x: ops.clip(0.5 * (x + 1.0), 0.0, 1.0),
    "sparsemax_custom": _naive_sparsemax,
    "squareplus_custom": lambda x: 0.5 * (x + ops.sqrt(ops.square(x) + 4.0)),
    "linear_custom": lambda x: x,
    "exponential_custom": ops.exp,
    "tanh_custom": lambda x: 1.0 - 2.0 / (ops.exp(2.0 * x) + 1.0),
}

# Ids Keras lacks -> (closest Keras built-in of the same kind, kwargs, why).
KIN = {
    "rrelu_custom": ("leaky_relu", {"negative_slope": RRELU_MID}, "leaky_relu with the inference slope"),
    "lisht_custom": ("tanh_shrink", {}, "x - tanh(x): one tanh and one binary op, as x * tanh(x)"),
    "snake_custom": ("tanh_shrink", {}, "x - tanh(x): x plus one transcendental, as x + sin(x)^2"),
    "softmin_custom": ("softmax", {}, "softmax over the same axis"),
    "swiglu_custom": ("glu", {}, "glu: the same split and product, a sigmoid gate"),
    "geglu_custom": ("glu", {}, "glu: the same split and product, a sigmoid gate"),
    "reglu_custom": ("glu", {}, "glu: the same split and product, a sigmoid gate"),
    "relu_squared_custom": ("relu", {}, "relu, without the square"),
}

COMPOSED = {
    "gelu", "silu", "hard_sigmoid", "hard_silu", "celu", "glu", "hard_tanh", "hard_shrink",
    "soft_shrink", "tanh_shrink", "threshold", "squareplus", "sparsemax", "mish",
}

PIECEWISE_LINEAR = {
    "relu_custom", "relu6_custom", "leaky_relu_custom", "rrelu_custom", "hard_sigmoid_custom",
    "hard_swish_custom", "hard_tanh_custom", "hard_shrink_custom", "soft_shrink_custom",
    "sparse_sigmoid_custom",
}


@dataclasses.dataclass
class Case:
    """One benchmark row: keras_act's callable and its references.

    `make(shape)` returns `(subject, references)`: `subject` maps a tensor of
    `shape` to the output; `references` maps a reference name ("builtin",
    "kin", "naive") to a callable of the same kind. `weights()` lists
    trainable variables whose gradients the backward pass also computes.
    """

    name: str
    kind: str  # "function" or "layer"
    make: Callable
    builtin_label: Optional[str] = None
    composed: bool = False
    piecewise_linear: bool = False
    torch_spec: Optional[str] = None
    note: str = ""
    # (keras_act activation, reference activation or None) for the training
    # step and the memory measurement: a string id, a callable or an AsLayer.
    training: Optional[tuple] = None
    # Layers that only wrap a function id are timed in training through that id.
    in_training: bool = True
    # The id (or keras_act function) whose kernel table serves this case, if any.
    kernel_id: Optional[str] = None

    @property
    def reference_kind(self):
        return "kin" if self.note == "kin" else "builtin"


def _lambda_layer(fn):
    return AsLayer(lambda: keras.layers.Lambda(fn))


def _builtin_fn(name, kwargs):
    fn = getattr(keras.activations, name)
    return functools.partial(fn, **kwargs) if kwargs else fn


def _label(name, kwargs):
    args = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v!r}" for k, v in kwargs.items())
    return f"keras.activations.{name}({args})" if args else f"keras.activations.{name}"


def function_cases():
    """One case per recorded id, plus the variants the goals name."""
    cases = []
    for name in sorted(RECORDS):
        rec = RECORDS[name]
        if rec.keras_builtin is not None or name in KIN:
            cases.append(_function_case(name, rec.fn, {}, rec))
    # Variants Keras lacks: softplus with beta, RReLU in training.
    rec = RECORDS["softplus_custom"]
    cases.append(
        _function_case(
            "softplus_custom(beta=2)", rec.fn, {"beta": 2.0}, rec, kin=("softplus", {}, "softplus"),
            naive=lambda x: ops.where(2.0 * x > 20.0, x, ops.log(1.0 + ops.exp(2.0 * x)) / 2.0),
        )
    )
    rec = RECORDS["rrelu_custom"]
    seed = keras.random.SeedGenerator(1)
    seed_ref = keras.random.SeedGenerator(2)

    def leaky_plus_draw(x):
        # leaky_relu plus one uniform draw of x's shape: RReLU's minimum work.
        noise = keras.random.uniform(ops.shape(x), 1.0 / 8.0, 1.0 / 3.0, dtype=x.dtype, seed=seed_ref)
        return keras.activations.leaky_relu(x, negative_slope=RRELU_MID) + 0.0 * noise

    cases.append(
        Case(
            name="rrelu_custom(training=True)",
            kind="function",
            make=lambda shape: (
                lambda x: rec.fn(x, training=True, seed=seed),
                {"kin": leaky_plus_draw, "naive": lambda x: ops.where(
                    x >= 0, x, x * keras.random.uniform(ops.shape(x), 1.0 / 8.0, 1.0 / 3.0, seed=seed_ref))},
            ),
            builtin_label="keras.activations.leaky_relu + one keras.random.uniform draw",
            piecewise_linear=False,
            torch_spec="torch.nn.RReLU(1/8, 1/3).train()",
            note="kin",
            kernel_id="rrelu_custom",
        )
    )
    # threshold has no id (it needs two arguments) but is a keras_act function.
    cases.append(
        Case(
            name="threshold(x, 0.5, 0.0)",
            kind="function",
            make=lambda shape: (
                lambda x: keras_act.activations.threshold(x, 0.5, 0.0),
                {"builtin": lambda x: keras.activations.threshold(x, 0.5, 0.0),
                 "naive": lambda x: ops.where(x > 0.5, x, 0.0)},
            ),
            builtin_label="keras.activations.threshold(x, 0.5, 0.0)",
            composed=True,
            piecewise_linear=True,
            torch_spec="torch.nn.Threshold(0.5, 0.0)",
            training=(
                functools.partial(keras_act.activations.threshold, threshold=0.5, value=0.0),
                functools.partial(keras.activations.threshold, threshold=0.5, default_value=0.0),
            ),
            kernel_id="threshold",
        )
    )
    return cases


def _function_case(name, fn, kwargs, rec, kin=None, naive=None):
    subject = functools.partial(fn, **kwargs) if kwargs else fn
    naive = naive or NAIVE.get(rec.name)
    if kin is None and rec.keras_builtin is None:
        kin = KIN[rec.name]
    torch_spec = rec.torch_equivalent
    if kwargs and torch_spec:
        torch_spec = torch_spec.replace("beta=1.0", f"beta={kwargs.get('beta', 1.0)}")
    if rec.name == "rrelu_custom" and torch_spec:
        torch_spec += ".eval()"
    training_subject = subject if kwargs else rec.name
    training_reference = None
    if tuple(ops.shape(rec.fn(ops.ones((2, 4))))) != (2, 4):
        # GLU halves its axis, which Dense(activation=...) cannot express (its
        # output shape ignores the activation): both sides go in a Lambda.
        training_subject = _lambda_layer(rec.fn)
        training_reference = _lambda_layer(_builtin_fn(*(rec.keras_builtin or KIN[rec.name][:2])))
    if kin is not None:
        ref_fn = _builtin_fn(kin[0], kin[1])
        refs = {"kin": ref_fn}
        label = _label(kin[0], kin[1])
        composed = False
    else:
        bname, bkwargs = rec.keras_builtin
        refs = {"builtin": _builtin_fn(bname, bkwargs)}
        label = _label(bname, bkwargs)
        composed = bname in COMPOSED
    if naive is not None:
        refs["naive"] = naive
    return Case(
        name=name,
        kind="function",
        make=lambda shape: (subject, dict(refs)),
        builtin_label=label,
        composed=composed,
        piecewise_linear=rec.name in PIECEWISE_LINEAR and not kwargs,
        torch_spec=torch_spec,
        note="kin" if kin is not None else "",
        training=(training_subject, training_reference or (ref_fn if kin is not None else refs["builtin"])),
        kernel_id=rec.name,
    )
