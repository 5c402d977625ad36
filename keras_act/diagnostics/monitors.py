"""Keras callbacks that watch activations and gradients during `model.fit`.

Each monitor measures at the end of every epoch (outside the compiled
training step, so `jit_compile` stays as it is), writes its numbers into
the epoch's logs (so they land in the `History` that `fit` returns, under
keys such as `dead_fraction/dense_1`), keeps them in its own `history`
dict, and, given `log_dir`, writes them as TensorBoard scalars.

"Dead" and "saturated" are defined per activation from its record; see
`keras_act.diagnostics._activations`.
"""

import keras
import numpy as np

from keras_act._backend import gradients
from keras_act.diagnostics._activations import (
    DEFAULT_TOLERANCE,
    activation_layers,
    dead_fraction,
    saturated_fraction,
    unit_axis,
)

_PROBE_BATCH = 1024


def probe_model(model, layers):
    """A model from `model`'s inputs to the outputs of `layers` (top-level
    layers of `model`), sharing its weights."""
    try:
        inputs = model.inputs
        outputs = [layer.output for layer in layers]
    except (AttributeError, ValueError) as e:
        raise ValueError(
            "keras_act.diagnostics reads the outputs of a model's layers, so it needs a "
            "Sequential or functional model that has been built (call it once or give it "
            f"an Input). Received: model={model.name!r} ({type(model).__name__}): {e}"
        ) from e
    return keras.Model(inputs[0] if len(inputs) == 1 else inputs, outputs)


def layer_outputs(model, layers, x, batch_size=_PROBE_BATCH, probe=None):
    """The outputs of `layers` (top-level layers of `model`) for inputs `x`,
    as numpy arrays, computed in inference mode."""
    if not layers:
        return []
    probe = probe_model(model, layers) if probe is None else probe
    n = len(keras.tree.flatten(x)[0])
    chunks = [[] for _ in layers]
    for start in range(0, n, batch_size):
        batch = keras.tree.map_structure(lambda a: a[start : start + batch_size], x)
        result = probe(batch, training=False)
        if len(layers) == 1:
            result = [result]
        for chunk, value in zip(chunks, result):
            chunk.append(keras.ops.convert_to_numpy(value))
    return [np.concatenate(c, axis=0) for c in chunks]


class _Monitor(keras.callbacks.Callback):
    prefix = ""

    def __init__(self, log_dir=None):
        super().__init__()
        if log_dir is not None:
            # TensorBoard event files are written with tf.summary (as
            # keras.callbacks.TensorBoard does) on any Keras backend.
            try:
                import tensorflow  # noqa: F401
            except ImportError:
                raise ImportError(
                    "log_dir writes TensorBoard event files with TensorFlow's tf.summary, and TensorFlow "
                    f"is not installed. Received: log_dir={log_dir!r}. Install it "
                    '(pip install "keras_act[tensorflow]") or pass log_dir=None.'
                ) from None
        self.log_dir = log_dir
        self.history = {}
        self._writer = None
        self._probe = None

    def _activation_outputs(self, model, x):
        # The probe model and the layer specs are made once per model.
        if self._probe is None or self._probe[0] is not model:
            found = activation_layers(model)
            probe = probe_model(model, [layer for layer, _ in found]) if found else None
            self._probe = (model, found, probe)
        _, found, probe = self._probe
        return found, layer_outputs(model, [layer for layer, _ in found], x, probe=probe)

    def measure(self, model=None):
        """The monitor's numbers for `model` (default: the model being
        trained) right now, as `{log key: float}`."""
        raise NotImplementedError

    def _target_model(self, model):
        model = self.model if model is None else model
        if model is None:
            raise ValueError(
                f"{type(self).__name__}.measure needs a model: pass measure(model) or use the "
                "monitor as a callback of model.fit."
            )
        return model

    def on_epoch_end(self, epoch, logs=None):
        values = self.measure(self.model)
        for key, value in values.items():
            self.history.setdefault(key, []).append(value)
            if logs is not None:
                logs[key] = value
        if self.log_dir is not None:
            self._write(values, epoch)

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.flush()

    def _summary_writer(self):
        """(tensorflow, the run's summary writer): TensorBoard's event files
        are written with TensorFlow, on every backend."""
        import tensorflow as tf

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(str(self.log_dir))
        return tf, self._writer

    def _write(self, values, step):
        tf, writer = self._summary_writer()
        metadata = summary_metadata("scalars")
        with writer.as_default():
            for key, value in values.items():
                tf.summary.write(key, tf.constant(value, tf.float32), step=step, metadata=metadata)


def summary_metadata(plugin):
    """What tensorboard's `tf.summary.scalar` ("scalars") and
    `tf.summary.histogram` ("histograms", a [k, 3] tensor of left edge, right
    edge, count) tag their values with, without needing the tensorboard
    package (TensorFlow no longer installs it)."""
    from tensorflow.core.framework import summary_pb2

    data_class = {"scalars": summary_pb2.DATA_CLASS_SCALAR, "histograms": summary_pb2.DATA_CLASS_TENSOR}[plugin]
    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin), data_class=data_class
    ).SerializeToString()


class DeadUnitMonitor(_Monitor):
    """Fraction of dead units per activation layer, measured on a probe batch.

    A unit (channel) is dead when its output is one of its activation's flat
    outputs (values that only occur where f' = 0: 0 for relu) for every
    sample of `x_probe`; it gets no gradient from that batch. Activations
    with no flat outputs (leaky_relu, elu, sigmoid, ...) never have dead
    units. Layers: those with `activation=`, Activation layers, Keras's and
    keras_act's activation layers.

    Logs `dead_fraction/<layer name>` per layer and `dead_fraction`, the
    fraction over all units of the layers whose activation can die (0 when
    none can).

    Args:
        x_probe: inputs of the probe batch (a few hundred samples).
        log_dir: directory for TensorBoard scalars, or `None`. Defaults to
            `None`.

    Example:

    >>> monitor = DeadUnitMonitor(x_train[:256])
    >>> history = model.fit(x_train, y_train, epochs=5, callbacks=[monitor])
    >>> history.history["dead_fraction/dense"]
    """

    prefix = "dead_fraction"

    def __init__(self, x_probe, log_dir=None):
        super().__init__(log_dir=log_dir)
        self.x_probe = x_probe

    def measure(self, model=None):
        model = self._target_model(model)
        found, outputs = self._activation_outputs(model, self.x_probe)
        values, dead_units, units = {}, 0.0, 0
        for (layer, spec), y in zip(found, outputs):
            axis = unit_axis(layer, y.ndim)
            fraction = dead_fraction(y, spec, axis=axis)
            values[f"{self.prefix}/{layer.name}"] = fraction
            if spec.can_die:
                dead_units += fraction * y.shape[axis]
                units += y.shape[axis]
        values[self.prefix] = dead_units / units if units else 0.0
        return values


class SaturationMonitor(_Monitor):
    """Fraction of saturated outputs per activation layer, on a probe batch.

    An output is saturated when it lies in a flat region of its activation
    (a flat output of the record: hard_sigmoid's 0 and 1, relu's 0) or
    within `tolerance` of an asymptote the record says it saturates towards
    (sigmoid below 0.01 or above 0.99, tanh within 0.02 of +-1 with the
    default tolerance). See `keras_act.diagnostics._activations`.

    Logs `saturated_fraction/<layer name>` per layer.

    Args:
        x_probe: inputs of the probe batch.
        tolerance: margin around an asymptote, as a fraction of the output
            range's width (or of the asymptote's size, at least 1, for
            half-bounded ranges). Defaults to `0.01`.
        log_dir: directory for TensorBoard scalars, or `None`. Defaults to
            `None`.
    """

    prefix = "saturated_fraction"

    def __init__(self, x_probe, tolerance=DEFAULT_TOLERANCE, log_dir=None):
        super().__init__(log_dir=log_dir)
        if not 0 <= tolerance < 0.5:
            raise ValueError(
                f"tolerance is a fraction of the output range, in [0, 0.5). Received: tolerance={tolerance!r}."
            )
        self.x_probe = x_probe
        self.tolerance = tolerance

    def measure(self, model=None):
        model = self._target_model(model)
        found, outputs = self._activation_outputs(model, self.x_probe)
        return {
            f"{self.prefix}/{layer.name}": saturated_fraction(y, spec, self.tolerance)
            for (layer, spec), y in zip(found, outputs)
        }


def gradient_norms(model, x, y, loss=None):
    """`{layer name: L2 norm of the loss gradient w.r.t. the layer's weights}`
    for every top-level layer with trainable weights, in order.

    The loss is `loss(y, model(x))` if given, else the model's compiled loss
    (`model.compute_loss`, regularization included).
    """
    layers = [layer for layer in model.layers if layer.trainable_weights]
    if not layers:
        raise ValueError(f"The model has no trainable weights. Received: model={model.name!r}.")
    x = keras.tree.map_structure(keras.ops.convert_to_tensor, x)
    y = keras.ops.convert_to_tensor(y)
    if loss is None and getattr(model, "_compile_loss", None) is None and not model.losses:
        raise ValueError(
            "GradientFlowMonitor needs a compiled model or a `loss`. "
            "Call model.compile(loss=...) or pass loss=..."
        )

    def value():
        y_pred = model(x, training=False)
        if loss is not None:
            return keras.ops.mean(keras.losses.get(loss)(y, y_pred))
        return model.compute_loss(x=x, y=y, y_pred=y_pred, training=False)

    weights = [layer.trainable_weights for layer in layers]
    # tf.GradientTape, jax.value_and_grad or torch.autograd (keras_act._backend).
    _, grads = gradients(value, [w for ws in weights for w in ws])
    norms, i = {}, 0
    for layer, ws in zip(layers, weights):
        squares = 0.0
        for g in grads[i : i + len(ws)]:
            if g is not None:
                squares += float(np.sum(np.square(keras.ops.convert_to_numpy(g).astype("float64"))))
        i += len(ws)
        norms[layer.name] = float(np.sqrt(squares))
    return norms


class GradientFlowMonitor(_Monitor):
    """Gradient norm of each layer's weights, and the first/last layer ratio.

    The norm is the L2 norm of the loss gradient over all of a layer's
    trainable weights (kernel and bias), on the batch `(x, y)` in inference
    mode.

    A ratio far below 1 means the gradient vanishes on its way back to the
    first layer (a deep sigmoid network); far above 1, that it explodes.

    Logs `grad_norm/<layer name>` per layer with trainable weights and
    `grad_ratio` (first layer's norm over last layer's).

    Args:
        x: inputs of the batch the gradient is taken on.
        y: its targets.
        loss: a loss (name or callable) to use instead of the compiled one.
            Defaults to `None`.
        log_dir: directory for TensorBoard scalars, or `None`. Defaults to
            `None`.
    """

    prefix = "grad_norm"

    def __init__(self, x, y, loss=None, log_dir=None):
        super().__init__(log_dir=log_dir)
        self.x = x
        self.y = y
        self.loss = loss

    def measure(self, model=None):
        model = self._target_model(model)
        norms = gradient_norms(model, self.x, self.y, loss=self.loss)
        values = {f"{self.prefix}/{name}": value for name, value in norms.items()}
        first, last = list(norms.values())[0], list(norms.values())[-1]
        values["grad_ratio"] = first / last if last > 0 else float("inf") if first > 0 else float("nan")
        return values
