"""One case per public layer of keras_act.layers, derived from its __all__.

`_layers_table()` says how to build each layer and what to measure it
against; the smoke test checks it covers keras_act.layers.__all__ exactly.
This module builds on cases.py (its `Case`) and never the other way round.
"""

import functools

import keras
import keras_act.layers as L
from keras import ops

from keras_act._record import RECORDS

from benchmarks.cases import RRELU_MID, Case
from benchmarks.training import AsLayer


class Call:
    """A layer called with fixed keyword arguments, exposing its weights."""

    def __init__(self, layer, **kwargs):
        self.layer = layer
        self.kwargs = kwargs

    def __call__(self, x):
        return self.layer(x, **self.kwargs)

    @property
    def trainable_weights(self):
        return self.layer.trainable_weights


class LeakyPlusDraw(keras.layers.Layer):
    """Reference for RReLU in training: leaky_relu plus one uniform draw."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(2)

    def call(self, x, training=False):
        y = keras.activations.leaky_relu(x, negative_slope=RRELU_MID)
        if training:
            y = y + 0.0 * keras.random.uniform(ops.shape(x), 1.0 / 8.0, 1.0 / 3.0, seed=self.seed_generator)
        return y


def _maxout_reference(units):
    def maxout(x):
        # TFA's grouping: unit u is the max of x[u], x[u + U], x[u + 2U], ...
        k = x.shape[-1] // units
        return ops.max(ops.reshape(x, (-1, *x.shape[1:-1], k, units)), axis=-2)

    return maxout


def _horner9(x):
    # PAU's closest fixed counterpart: a polynomial of 9 coefficients (as
    # many as PAU's 6 + 4 minus its constant 1), evaluated by Horner's rule.
    y = 0.01
    for c in (0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09):
        y = y * x + c
    return y


def _squared_relu(x):
    return ops.square(keras.activations.relu(x))


def _gated(gate):
    def gated(x):
        a, b = ops.split(x, 2, axis=-1)
        return a * gate(b)

    return gated


def _act(name, **kwargs):
    fn = getattr(keras.activations, name)
    return functools.partial(fn, **kwargs) if kwargs else fn


def _spec(make_layer, reference, label, kind="builtin", composed=False, training=False, torch_spec=None,
          kernel_id=None):
    return dict(make_layer=make_layer, reference=reference, label=label, kind=kind, composed=composed,
                training=training, torch_spec=torch_spec, kernel_id=kernel_id)


def _layers_table():
    def act_layer(name, **kwargs):
        return lambda: keras.layers.Activation(_act(name, **kwargs))

    return {
        "CELU": _spec(lambda: L.CELU(), act_layer("celu"), "keras.activations.celu", composed=True,
                      torch_spec="torch.nn.CELU()"),
        "ELU": _spec(lambda: L.ELU(), lambda: keras.layers.ELU(alpha=1.0), "keras.layers.ELU(alpha=1.0)",
                     torch_spec="torch.nn.ELU()"),
        "GELU": _spec(lambda: L.GELU(), act_layer("gelu", approximate=False),
                      "keras.activations.gelu(approximate=False)", composed=True,
                      torch_spec="torch.nn.GELU()"),
        "GELU(approximate=True)": _spec(lambda: L.GELU(approximate=True), act_layer("gelu", approximate=True),
                                        "keras.activations.gelu(approximate=True)", composed=True,
                                        torch_spec="torch.nn.GELU(approximate='tanh')",
                                        kernel_id="gelu_tanh_custom"),
        "GLU": _spec(lambda: L.GLU(), act_layer("glu"), "keras.activations.glu", composed=True,
                     torch_spec="torch.nn.GLU()"),
        "SwiGLU": _spec(lambda: L.SwiGLU(), lambda: keras.layers.Lambda(_gated(keras.activations.silu)),
                        "split, then a * keras.activations.silu(b)", kind="kin"),
        "GeGLU": _spec(lambda: L.GeGLU(), lambda: keras.layers.Lambda(_gated(_act("gelu", approximate=False))),
                       "split, then a * keras.activations.gelu(b, approximate=False)", kind="kin"),
        "ReGLU": _spec(lambda: L.ReGLU(), lambda: keras.layers.Lambda(_gated(keras.activations.relu)),
                       "split, then a * keras.activations.relu(b)", kind="kin"),
        # Learnable layers against their closest fixed counterpart (issue 12: within 1.20).
        "PELU": _spec(lambda: L.PELU(), lambda: keras.layers.ELU(alpha=1.0), "keras.layers.ELU(alpha=1.0)",
                      kind="kin"),
        "SReLU": _spec(lambda: L.SReLU(),
                       lambda: keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25)),
                       "keras.layers.PReLU (learned piecewise-linear)", kind="kin"),
        "StarReLU": _spec(lambda: L.StarReLU(), lambda: keras.layers.Lambda(_squared_relu),
                          "keras.activations.relu and a square", kind="kin"),
        "PAU": _spec(lambda: L.PAU(), lambda: keras.layers.Lambda(_horner9),
                     "a 9-coefficient polynomial by Horner's rule", kind="kin"),
        "HardShrink": _spec(lambda: L.HardShrink(), act_layer("hard_shrink", threshold=0.5),
                            "keras.activations.hard_shrink", composed=True, torch_spec="torch.nn.Hardshrink()"),
        "HardTanh": _spec(lambda: L.HardTanh(), act_layer("hard_tanh"), "keras.activations.hard_tanh",
                          composed=True, torch_spec="torch.nn.Hardtanh()"),
        "LeakyReLU": _spec(lambda: L.LeakyReLU(), lambda: keras.layers.LeakyReLU(negative_slope=0.01),
                           "keras.layers.LeakyReLU(negative_slope=0.01)", torch_spec="torch.nn.LeakyReLU()"),
        "LogSoftmax": _spec(lambda: L.LogSoftmax(), act_layer("log_softmax"), "keras.activations.log_softmax",
                            torch_spec="torch.nn.LogSoftmax(dim=-1)"),
        # 16 units divide every width used here (64, 1024; 32, 64, 512 in training).
        "Maxout": _spec(lambda: L.Maxout(num_units=16),
                        lambda: keras.layers.Lambda(_maxout_reference(16)),
                        "keras.ops.max over a reshape (Keras has no Maxout)", kind="kin"),
        "PReLU": _spec(lambda: L.PReLU(),
                       lambda: keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25)),
                       "keras.layers.PReLU (one alpha per channel)", kind="kin",
                       torch_spec="torch.nn.PReLU({channels})"),
        "RReLU": _spec(lambda: L.RReLU(seed=1), lambda: LeakyPlusDraw(),
                       "leaky_relu + one keras.random.uniform draw", kind="kin", training=True,
                       torch_spec="torch.nn.RReLU().train()"),
        "Snake": _spec(lambda: L.Snake(), act_layer("tanh_shrink"), "keras.activations.tanh_shrink", kind="kin"),
        "SoftShrink": _spec(lambda: L.SoftShrink(), act_layer("soft_shrink", threshold=0.5),
                            "keras.activations.soft_shrink", composed=True, torch_spec="torch.nn.Softshrink()"),
        "Softmax": _spec(lambda: L.Softmax(), lambda: keras.layers.Softmax(), "keras.layers.Softmax",
                         torch_spec="torch.nn.Softmax(dim=-1)"),
        "Softmin": _spec(lambda: L.Softmin(), lambda: keras.layers.Softmax(), "keras.layers.Softmax", kind="kin",
                         torch_spec="torch.nn.Softmin(dim=-1)"),
        "Softplus": _spec(lambda: L.Softplus(), act_layer("softplus"), "keras.activations.softplus",
                          torch_spec="torch.nn.Softplus()"),
        "Softplus(beta=2)": _spec(lambda: L.Softplus(beta=2.0), act_layer("softplus"),
                                  "keras.activations.softplus", kind="kin", torch_spec="torch.nn.Softplus(beta=2.0)"),
        # Keras 3.15.1's sparsemax is wrong (keras-team/keras#23425) but does
        # the same sort, cumsum and reductions: the cost reference.
        "Sparsemax": _spec(lambda: L.Sparsemax(), act_layer("sparsemax"), "keras.activations.sparsemax",
                           composed=True),
        "Swish": _spec(lambda: L.Swish(), act_layer("silu"), "keras.activations.silu", composed=True,
                       torch_spec="torch.nn.SiLU()"),
        "Swish(beta=1.5, trainable)": _spec(lambda: L.Swish(beta=1.5, trainable_beta=True), act_layer("silu"),
                                            "keras.activations.silu", kind="kin"),
        "Threshold": _spec(lambda: L.Threshold(0.5, 0.0), act_layer("threshold", threshold=0.5, default_value=0.0),
                           "keras.activations.threshold", composed=True, torch_spec="torch.nn.Threshold(0.5, 0.0)",
                            kernel_id="threshold"),
    }


def layer_names():
    return list(L.__all__)


def layer_cases():
    """The table's rows, and for a layer it lacks that computes an id with a
    Keras built-in, a row against that built-in (derived, as for the ids)."""
    table = _layers_table()
    listed = {name.split("(")[0] for name in table}
    for name in layer_names():
        if name not in listed:
            spec = _derived_spec(name)
            if spec is not None:
                table[name] = spec
    return [_case(name, spec) for name, spec in table.items()]


def _derived_spec(name):
    activation_id = getattr(L, name).activation_id
    record = RECORDS.get(activation_id) if activation_id else None
    if record is None or record.keras_builtin is None:
        return None
    builtin, kwargs = record.keras_builtin
    return _spec(lambda: getattr(L, name)(), lambda: keras.layers.Activation(_act(builtin, **kwargs)),
                 f"keras.activations.{builtin}")


def _case(name, spec):
    kernel_id = spec["kernel_id"] or getattr(L, name.split("(")[0]).activation_id

    def make(shape):
        layer = spec["make_layer"]()
        ref = spec["reference"]()
        kwargs = {"training": True} if spec["training"] else {}
        layer_call, ref_call = Call(layer, **kwargs), Call(ref, **kwargs)
        return layer_call, {spec["kind"]: ref_call}

    return Case(
        name=f"layers.{name}",
        kind="layer",
        make=make,
        builtin_label=spec["label"],
        composed=spec["composed"],
        piecewise_linear=name in {"HardShrink", "HardTanh", "LeakyReLU", "SoftShrink", "Threshold"},
        torch_spec=spec["torch_spec"],
        note="kin" if spec["kind"] == "kin" else "",
        training=(AsLayer(spec["make_layer"]), AsLayer(spec["reference"])),
        in_training=spec["kind"] == "kin",
        kernel_id=kernel_id,
    )


def supports_jit():
    """layer name -> its supports_jit, for every layer in keras_act.layers."""
    return {name: bool(getattr(getattr(L, name)(**_required_args(name)), "supports_jit", False))
            for name in L.__all__}


def _required_args(name):
    return {"Maxout": {"num_units": 2}, "Threshold": {"threshold": 0.5, "value": 0.0}}.get(name, {})
