"""Which layers apply an activation, and what "dead" and "saturated" mean for it.

Everything here is derived from the activation records (`flat_outputs`,
`output_range`, `saturates`, `monotonic`, `keras_builtin`), never from a
hand-kept list of activation names. Keras's own activation layers are
found the same way: the `keras.layers` class spelled as a record's
`keras_builtin` without underscores (ReLU: relu, LeakyReLU: leaky_relu,
ELU: elu, Softmax: softmax). The one layer named here is Keras's PReLU,
which has no record (its slopes are weights).

Definitions (for one layer and one probe batch):

- A *unit* is one channel: the last axis of the layer's output (axis 1 for
  a layer with `data_format="channels_first"`).
- An output is *flat* when it equals one of the activation's flat outputs,
  the values that occur only where f'(x) = 0 (`record.flat_outputs`: 0 for
  relu, 0 and 6 for relu6, the bounds of hard_sigmoid and hard_tanh, the 0
  of the shrink band). Its gradient is exactly zero.
- A unit is *dead* when all its outputs, for every sample and position of
  the probe batch, are flat: no gradient reaches its weights from that
  batch. Activations without flat outputs (leaky_relu, elu, sigmoid, tanh,
  gelu, ...) have no dead units.
- An output is *saturated* when it is flat, or lies within `tolerance` of
  an asymptote: a finite end of `output_range` on a side where the record
  `saturates` and that is not itself a flat output (hard_sigmoid reaches
  its ends exactly; just inside them its slope is 1/6), for activations
  whose record is monotonic (for GELU, SiLU or
  Mish the finite end is a minimum, not an asymptote, so only flat outputs
  count). The margin is `tolerance * (high - low)` when both ends are
  finite, else `tolerance * max(1, |end|)`. With the default tolerance
  0.01 a sigmoid output is saturated below 0.01 or above 0.99 (sigmoid' <
  0.0099, 4% of its peak), a tanh output within 0.02 of +-1 (tanh' < 0.04,
  4% of its peak), an elu output below -0.99 (elu' < 0.01).
- The record describes the function at its default hyperparameters. For a
  layer whose own hyperparameters move the ends (`HardTanh(-2, 2)`,
  `ELU(alpha=2)`, `keras.layers.ReLU(max_value=6)`), the ends are measured
  by evaluating the layer's activation at -1e4, -5e3, 5e3 and 1e4: an end
  whose two values agree is constant there, hence flat.
- Layers with no record (PReLU, Maxout, Threshold, an arbitrary callable):
  the constant ends measured as above are flat outputs; failing that
  (PReLU, whose slopes have the input's shape) a unit is dead when its
  output is exactly 0 for every sample, the common reading of "dead".
- Outputs holding NaN or inf (a diverged network) give NaN fractions: a
  NaN is neither flat nor alive, and a 0 would read as healthy.
"""

import dataclasses
import inspect
import math
from typing import Optional, Tuple

import keras
import numpy as np

from keras_act._record import RECORDS
from keras_act.registry import record

DEFAULT_TOLERANCE = 0.01
_FAR = (-1e4, -5e3, 5e3, 1e4)



@dataclasses.dataclass(frozen=True)
class ActivationSpec:
    """What counts as flat and saturated for the activation of one layer.

    Attributes:
        label: how the activation is named in tables (a keras_act id, a
            Keras built-in name or a class name).
        record: the `ActivationRecord`, or `None` if there is none.
        flat_outputs: output values that only occur where f' = 0.
        lower_asymptote: the value approached as x -> -inf where the
            activation saturates there (`None` otherwise).
        upper_asymptote: likewise for x -> +inf.
        span: the width used to scale the saturation margin.
    """

    label: str
    record: Optional[object]
    flat_outputs: Tuple[float, ...]
    lower_asymptote: Optional[float] = None
    upper_asymptote: Optional[float] = None
    span: float = 1.0

    def flat_mask(self, y):
        """Boolean array: which outputs are flat (gradient exactly zero)."""
        y = np.asarray(y)
        mask = np.zeros(y.shape, dtype=bool)
        for value in self.flat_outputs:
            mask |= y == np.asarray(value, dtype=y.dtype)
        return mask

    def saturated_mask(self, y, tolerance=DEFAULT_TOLERANCE):
        """Boolean array: which outputs are flat or near an asymptote."""
        y = np.asarray(y)
        mask = self.flat_mask(y)
        if self.lower_asymptote is not None:
            mask |= y <= self.lower_asymptote + self._margin(self.lower_asymptote, tolerance)
        if self.upper_asymptote is not None:
            mask |= y >= self.upper_asymptote - self._margin(self.upper_asymptote, tolerance)
        return mask

    def _margin(self, end, tolerance):
        if math.isfinite(self.span):
            return tolerance * self.span
        return tolerance * max(1.0, abs(end))

    @property
    def can_die(self):
        return bool(self.flat_outputs)

    @property
    def can_saturate(self):
        return bool(self.flat_outputs) or self.lower_asymptote is not None or self.upper_asymptote is not None


def _keras_activation_layers():
    """`{class name: keras.activations name}` of Keras's own activation
    layers: each `keras.layers` class spelled as a record's `keras_builtin`
    without underscores (LeakyReLU: leaky_relu)."""
    classes = _keras_layer_classes()
    table = {}
    for rec in RECORDS.values():
        if rec.keras_builtin is not None:
            cls = classes.get(rec.keras_builtin[0].replace("_", ""))
            if cls is not None:
                table[cls] = rec.keras_builtin[0]
    return table


def _keras_layer_classes():
    """`{lowercase name: name}` of the layer classes in `keras.layers`."""
    if not _LAYER_CLASSES:
        for name in dir(keras.layers):
            obj = getattr(keras.layers, name)
            if isinstance(obj, type) and issubclass(obj, keras.layers.Layer):
                _LAYER_CLASSES[name.lower()] = name
    return _LAYER_CLASSES


_LAYER_CLASSES = {}


def _builtin_functions():
    """`{keras.activations function: [records naming it as keras_builtin]}`."""
    table = {}
    for rec in RECORDS.values():
        if rec.keras_builtin is None:
            continue
        fn = getattr(keras.activations, rec.keras_builtin[0], None)
        if fn is not None:
            table.setdefault(fn, []).append(rec)
    return table


def _function_defaults(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}


def record_for_function(fn):
    """The record of an activation function (keras_act's or a Keras built-in).

    A keras_act function is matched by identity; a `keras.activations`
    function through the records' `keras_builtin`, preferring the record
    whose keyword arguments equal the function's own defaults (so
    `keras.activations.gelu`, exact by default, maps to `gelu_custom`, not
    `gelu_tanh_custom`). Returns `None` for any other callable.
    """
    for rec in RECORDS.values():
        if rec.fn is fn:
            return rec
    candidates = _builtin_functions().get(fn)
    if not candidates:
        return None
    defaults = _function_defaults(fn)
    for rec in candidates:
        kwargs = rec.keras_builtin[1]
        if all(defaults.get(k, v) == v for k, v in kwargs.items()):
            return rec
    return candidates[0]


def _label_of_function(fn, rec):
    builtin = getattr(keras.activations, getattr(fn, "__name__", ""), None)
    if builtin is fn:
        return fn.__name__
    if rec is not None:
        return rec.name
    return getattr(fn, "__name__", type(fn).__name__)


def _is_linear(fn):
    return fn is None or fn is keras.activations.linear or fn is RECORDS["linear_custom"].fn


def _is_gated(layer):
    """LSTM and GRU (and their cells): the output is a gate times the activation."""
    return hasattr(layer, "recurrent_activation") or hasattr(getattr(layer, "cell", None), "recurrent_activation")


def layer_activation(layer):
    """`(label, record, callable)` of the activation a layer applies, or `None`.

    A layer applies an activation when it is a keras_act layer (it has an
    `activation_id` attribute, `None` for layers without a record such as
    PReLU), one of Keras's activation layers (Activation, ReLU, LeakyReLU,
    ELU, Softmax, PReLU), or a layer with a non-linear `activation=` (Dense,
    Conv, SimpleRNN, LSTM, GRU, ...; for LSTM and GRU see `gated_spec`).
    """
    if hasattr(layer, "activation_id"):
        activation_id = layer.activation_id
        rec = RECORDS.get(activation_id) if activation_id is not None else None
        if activation_id is not None and rec is None:
            from keras_act.registry import record

            rec = record(activation_id)
        label = f"{type(layer).__name__} ({rec.name})" if rec is not None else type(layer).__name__
        return label, rec, _layer_call(layer)
    if isinstance(layer, keras.layers.Activation):
        if _is_linear(layer.activation):
            return None
        return _describe_function(layer.activation)
    class_name = type(layer).__name__
    builtins = _keras_activation_layers()
    if class_name in builtins and type(layer).__module__.startswith("keras"):
        rec = record_for_function(getattr(keras.activations, builtins[class_name]))
        return class_name, rec, _layer_call(layer)
    if class_name == "PReLU" and type(layer).__module__.startswith("keras"):
        return class_name, None, _layer_call(layer)
    fn = getattr(layer, "activation", None)
    if fn is None and isinstance(getattr(layer, "cell", None), keras.layers.Layer):
        fn = getattr(layer.cell, "activation", None)  # RNN(cell) and Keras's LSTM/GRU keep it on the cell
    if not callable(fn) or _is_linear(fn):
        return None
    return _describe_function(fn)


def _describe_function(fn):
    if isinstance(fn, keras.layers.Layer):
        # Dense(activation=keras_act.layers.ELU()) or another activation layer.
        described = layer_activation(fn)
        if described is not None:
            return described
        return type(fn).__name__, None, _layer_call(fn)
    rec = record_for_function(fn)
    return _label_of_function(fn, rec), rec, fn


def _layer_call(layer):
    def call(x):
        try:
            return layer.call(x, training=False)
        except TypeError:
            return layer.call(x)

    call.layer = layer
    return call


def _probe_input(fn):
    """The inputs `_far_values` evaluates `fn` on: one value of `_FAR` per
    row, shaped so that a layer's weights broadcast against it."""
    far = np.asarray(_FAR, dtype="float32")
    layer = getattr(fn, "layer", None)
    if layer is None or not layer.weights:
        return far.reshape(1, -1)
    # A layer with weights (PReLU: one slope per channel, or per element for
    # Keras's) is called on (4, 1, ..., 1, channels): calling it on (1, 4)
    # fails inside TensorFlow, which logs "Local rendezvous is aborting ...
    # Incompatible shapes" on stderr even though the error is caught.
    try:
        shape = tuple(layer.input.shape)
    except (AttributeError, ValueError):
        return None
    channels = shape[-1] if len(shape) >= 2 else None
    if channels is None:
        return None
    return np.broadcast_to(far.reshape((4,) + (1,) * (len(shape) - 1)), (4,) + (1,) * (len(shape) - 2) + (channels,))


def _far_values(fn):
    """The activation at -1e4, -5e3, 5e3, 1e4, or `None` if it cannot say."""
    probe = _probe_input(fn)
    if probe is None:
        return None
    try:
        y = keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(np.ascontiguousarray(probe))))
    except Exception:  # noqa: BLE001 - non-elementwise callables
        return None
    y = np.asarray(y, dtype="float64")
    if probe.shape[0] == 1:  # (1, 4): the four values along the last axis
        y = y.reshape(-1)
    else:  # (4, ...): one row per value; every channel must agree
        if y.shape[0] != 4:
            return None
        y = y.reshape(4, -1)
        if not np.all(y == y[:, :1]):
            return None
        y = y[:, 0]
    if y.shape != (4,) or np.any(np.isnan(y)):
        return None
    return y


def spec_for(label, rec, fn=None):
    """The `ActivationSpec` of an activation: from its record, adjusted to
    the ends `fn` really has (see the module docstring)."""
    far = _far_values(fn) if fn is not None else None
    if rec is None:
        flats = []
        if far is not None:
            for a, b in ((far[0], far[1]), (far[3], far[2])):
                if a == b and math.isfinite(a) and a not in flats:
                    flats.append(float(a))
        return ActivationSpec(label=label, record=None, flat_outputs=tuple(flats) or (0.0,))

    lo, hi = (float(v) for v in rec.output_range)
    flats = [float(v) for v in rec.flat_outputs]
    lower = lo if rec.monotonic and rec.saturates in ("negative", "both") and math.isfinite(lo) else None
    upper = hi if rec.monotonic and rec.saturates in ("positive", "both") and math.isfinite(hi) else None
    if far is not None and rec.elementwise and rec.monotonic:
        ends = ((lo, far[0], far[1], "lower"), (hi, far[3], far[2], "upper"))
        for end, at_far, at_near, side in ends:
            constant = at_far == at_near and math.isfinite(at_far)
            if end in flats:
                flats[flats.index(end)] = float(at_far)
            elif side == "lower" and lower is not None:
                lower = float(at_far)
            elif side == "upper" and upper is not None:
                upper = float(at_far)
            elif constant:
                flats.append(float(at_far))
        # A finite end of the range moves with the hyperparameters; an
        # infinite one stays infinite.
        lo = float(far[0]) if math.isfinite(lo) else lo
        hi = float(far[3]) if math.isfinite(hi) else hi
    # An end that is a flat output is reached exactly (hard_sigmoid's 0 and
    # 1): only the end itself is flat, its neighbourhood still has slope.
    lower = None if lower in flats else lower
    upper = None if upper in flats else upper
    span = hi - lo if math.isfinite(lo) and math.isfinite(hi) else math.inf
    return ActivationSpec(
        label=label,
        record=rec,
        flat_outputs=tuple(dict.fromkeys(flats)),
        lower_asymptote=lower,
        upper_asymptote=upper,
        span=span,
    )


def activation_layers(model):
    """`[(layer, ActivationSpec)]` for every top-level layer of `model` that
    applies an activation, in order."""
    found = []
    for layer in model.layers:
        described = layer_activation(layer)
        if described is None:
            continue
        label, rec, fn = described
        spec = spec_for(label, rec, fn)
        found.append((layer, gated_spec(spec) if _is_gated(layer) else spec))
    return found


def gated_spec(spec):
    """The spec of an LSTM or GRU given `activation=`: its output is a
    sigmoid gate times the activation (LSTM: o * act(c); GRU: a gated mix
    with the previous state), so only an output of exactly 0 is still
    flat, and no asymptote of the activation is visible in the output: such
    a layer has dead units (output 0 on every sample and step) but never
    counts as saturated."""
    return dataclasses.replace(
        spec,
        label=f"{spec.label} (gated)",
        flat_outputs=tuple(v for v in spec.flat_outputs if v == 0),
        lower_asymptote=None,
        upper_asymptote=None,
    )


def unit_axis(layer, ndim):
    """The axis of a layer's output that indexes its units (channels)."""
    if getattr(layer, "data_format", None) == "channels_first" and ndim > 2:
        return 1
    return ndim - 1


def dead_fraction(y, spec, axis=-1):
    """Fraction of units whose every output in `y` is flat; NaN when `y`
    holds NaN or inf (a diverged network: nothing can be said)."""
    y = np.asarray(y)
    if y.size and not np.all(np.isfinite(y)):
        return math.nan
    if not spec.can_die or y.size == 0:
        return 0.0
    flat = spec.flat_mask(y)
    axis = axis % y.ndim
    others = tuple(a for a in range(y.ndim) if a != axis)
    dead = np.all(flat, axis=others) if others else flat
    return float(np.mean(dead))


def saturated_fraction(y, spec, tolerance=DEFAULT_TOLERANCE):
    """Fraction of all outputs in `y` that are saturated; NaN when `y`
    holds NaN or inf."""
    y = np.asarray(y)
    if y.size and not np.all(np.isfinite(y)):
        return math.nan
    if not spec.can_saturate or y.size == 0:
        return 0.0
    return float(np.mean(spec.saturated_mask(y, tolerance)))
