"""ActivationHistogram: TensorBoard histograms of every activation's outputs.

Keras's TensorBoard callback draws histograms of weights only; histograms
of activations were documented once and never implemented
(tensorflow/tensorflow#39755, keras-team/keras#15972), and Keras declined to
add them to its own callback (keras-team/keras PR #17624), suggesting a
separate, cheap callback. This is that callback.

How it stays cheap:

- One probe model, built once per trained model, from the model's inputs
  to the output (and, optionally, the input) of every layer that applies an
  activation, the same layers `DeadUnitMonitor` watches
  (`keras_act.diagnostics._activations.activation_layers`), sharing the
  model's weights. One forward pass of the probe batch per logged epoch,
  through Keras's own compiled predict (XLA where the model uses it).
- The histograms are computed inside that pass, on the device, with
  `keras.ops`: each watched tensor gets fixed bin edges, held in a
  variable of the probe model; the first logged epoch sets them to its
  range, and a later epoch whose values leave them widens them to cover
  both. Only the bin counts, the edges (`bins + 1` numbers) and the number
  of non-finite values reach the host; the activations themselves never do.
"""

import math

import keras
import numpy as np
from keras import ops

from keras_act import _validation
from keras_act.diagnostics._activations import activation_layers
from keras_act.diagnostics.monitors import _Monitor, probe_model, summary_metadata


def _unset_edges(shape, dtype=None):
    # Lower edge +inf, upper edge -inf: any finite value widens them.
    edges = np.zeros(shape, "float32")
    edges[0], edges[-1] = np.inf, -np.inf
    return ops.convert_to_tensor(edges, "float32")


class _Histogram(keras.layers.Layer):
    """Bin counts of one tensor over edges it keeps and widens (not public)."""

    def __init__(self, bins, **kwargs):
        super().__init__(dtype="float32", **kwargs)
        self.bins = bins
        self.edges = self.add_weight(shape=(bins + 1,), initializer=_unset_edges, trainable=False, name="edges")

    def call(self, values):
        y = ops.reshape(ops.cast(values, "float32"), (-1,))
        finite = ops.isfinite(y)
        low = ops.min(ops.where(finite, y, math.inf))
        high = ops.max(ops.where(finite, y, -math.inf))
        edges = ops.convert_to_tensor(self.edges)
        new_low, new_high = ops.minimum(edges[0], low), ops.maximum(edges[-1], high)
        # A constant tensor (a dead layer's zeros) gets a bin around its value.
        flat = ops.equal(new_low, new_high)
        new_low, new_high = ops.where(flat, new_low - 0.5, new_low), ops.where(flat, new_high + 0.5, new_high)
        widen = ops.logical_or(ops.less(new_low, edges[0]), ops.greater(new_high, edges[-1]))
        widen = ops.logical_and(widen, ops.isfinite(new_low - new_high))  # all non-finite: keep the old edges
        edges = ops.where(widen, ops.linspace(new_low, new_high, self.bins + 1), edges)
        self.edges.assign(edges)
        # numpy.histogram's bins: [e0, e1), ..., [e(n-1), en], the last one closed.
        index = ops.clip(ops.searchsorted(edges, ops.where(finite, y, edges[0]), side="right") - 1, 0, self.bins - 1)
        counts = ops.segment_sum(ops.cast(finite, "int32"), index, num_segments=self.bins)
        nonfinite = ops.sum(ops.cast(ops.logical_not(finite), "int32"))
        return counts, edges, nonfinite

    def compute_output_spec(self, values):
        return (
            keras.KerasTensor((self.bins,), "int32"),
            keras.KerasTensor((self.bins + 1,), "float32"),
            keras.KerasTensor((), "int32"),
        )


class _PreActivation(keras.layers.Layer):
    """A Keras layer's output without its activation (not public): the layer
    called with `activation` set to linear, sharing its weights."""

    def __init__(self, layer, **kwargs):
        super().__init__(dtype=layer.dtype_policy, **kwargs)
        self.layer = layer

    def call(self, inputs):
        activation = self.layer.activation
        self.layer.activation = keras.activations.linear
        try:
            return self.layer(inputs)
        finally:
            self.layer.activation = activation

    def compute_output_spec(self, inputs):
        return self.layer.compute_output_spec(inputs)


def _applies_activation_last(layer):
    """Whether `activation=` is the last thing the layer does (Dense, Conv):
    Keras's own layers, not its recurrent ones (there it acts at every step)."""
    module = type(layer).__module__ or ""
    return module.startswith("keras.src.layers.") and not isinstance(layer, keras.layers.RNN)


def _pre_activation(layer):
    """The tensor a watched layer applies its activation to, or None."""
    if hasattr(layer, "activation_id") or isinstance(layer, keras.layers.Activation) or (
        (type(layer).__module__ or "").startswith("keras.src.layers.activations")
    ):
        return layer.input
    if _applies_activation_last(layer) and callable(getattr(layer, "activation", None)):
        return _PreActivation(layer, name=f"{layer.name}_pre_activation")(layer.input)
    return None


def _check_probe(probe_x):
    arrays = [np.asarray(keras.ops.convert_to_numpy(a)) for a in keras.tree.flatten(probe_x)]
    if not arrays or any(a.ndim == 0 or a.shape[0] == 0 for a in arrays):
        shapes = [a.shape for a in arrays]
        raise ValueError(
            "ActivationHistogram expected a probe batch with at least one sample. "
            f"Received: probe_x with shapes {shapes}. Pass a few hundred training samples, e.g. x_train[:256]."
        )
    for a in arrays:
        if np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.complexfloating):
            bad = ~np.isfinite(a)
            if bad.any():
                raise ValueError(
                    "ActivationHistogram expected a finite probe batch: a histogram of what a NaN or inf "
                    f"input produces says nothing about the network. Received: probe_x with {int(bad.sum())} "
                    f"non-finite value(s) of {a.size} (shape {a.shape}). Drop or fill those samples."
                )


class ActivationHistogram(_Monitor):
    """TensorBoard histograms of what every activation layer outputs, per epoch.

    Use it to watch the distribution of each layer's activations while a
    model trains: a ReLU layer whose mass piles up at 0 is dying, a tanh or
    sigmoid layer piled at its ends is saturated, a layer whose spread keeps
    growing is exploding. The layers are those the other monitors watch:
    every layer with a non-linear `activation=` (Dense, Conv, RNN),
    `Activation` layers, Keras's and keras_act's activation layers. Works on
    every backend, under XLA and mixed precision (writing the event file
    uses TensorFlow's `tf.summary`, as `keras.callbacks.TensorBoard` does).

    Each logged epoch runs one forward pass of `probe_x` through a probe
    model built once (sharing the model's weights) and computes the
    histograms on the device: each layer's bin edges are set from the first
    logged epoch's range and widened, never narrowed, when later values
    leave them; only the counts reach the host. Tags:
    `activation/<layer name>` and, with `pre_activations=True`,
    `pre_activation/<layer name>`: the input of a standalone activation
    layer, or the output before `activation=` of Keras's Dense, Conv and
    similar layers (none for RNN layers, whose activation acts at every
    step, or for other layers that hold an activation). Non-finite outputs
    (a diverged network) are left out of the histogram and counted in the
    scalar `activation_nonfinite/<layer name>`.

    Args:
        probe_x: the inputs of the probe batch (a few hundred samples, in
            the structure the model takes); must be non-empty and finite.
        log_dir: the TensorBoard log directory (the one given to
            `keras.callbacks.TensorBoard`, or any other).
        every_n_epochs: log at epochs 0, n, 2n, ... Defaults to `1`.
        bins: number of bins per histogram. Defaults to `30`.
        pre_activations: also log the tensors the activations are applied
            to. Defaults to `False`.

    Example:

    >>> callback = keras_act.diagnostics.ActivationHistogram(x_train[:256], "logs/run1")
    >>> model.fit(x_train, y_train, epochs=10, callbacks=[callback])  # then: tensorboard --logdir logs
    """

    def __init__(self, probe_x, log_dir, every_n_epochs=1, bins=30, pre_activations=False):
        if log_dir is None:
            raise ValueError(
                "ActivationHistogram writes TensorBoard event files, so it needs a directory. "
                "Received: log_dir=None. Pass log_dir='logs/run1' (and run `tensorboard --logdir logs`)."
            )
        super().__init__(log_dir=log_dir)
        every_n_epochs = _validation.integer("ActivationHistogram", "every_n_epochs", every_n_epochs, minimum=1)
        bins = _validation.integer("ActivationHistogram", "bins", bins, minimum=1)
        _check_probe(probe_x)
        self.probe_x = probe_x
        self.every_n_epochs = every_n_epochs
        self.bins = bins
        self.pre_activations = bool(pre_activations)
        self._histograms = None

    def _build(self, model):
        found = activation_layers(model)
        layers = [layer for layer, _ in found]
        if not layers:
            raise ValueError(
                "ActivationHistogram found no layer that applies an activation. "
                f"Received: model={model.name!r}. Give layers an activation= or use activation layers."
            )
        watched = probe_model(model, layers)  # checks that the layers' outputs can be read
        tags, tensors = [], []
        for layer, output in zip(layers, keras.tree.flatten(watched.outputs)):
            tags.append(f"activation/{layer.name}")
            tensors.append(output)
        if self.pre_activations:
            for layer in layers:
                pre = _pre_activation(layer)
                if pre is not None:
                    tags.append(f"pre_activation/{layer.name}")
                    tensors.append(pre)
        histograms = [_Histogram(self.bins, name=f"histogram_{i}") for i in range(len(tensors))]
        outputs = [histogram(tensor) for histogram, tensor in zip(histograms, tensors)]
        probe = keras.Model(watched.input, outputs, name=f"{model.name}_activation_histograms")
        # The same compilation as training, XLA where the model uses it; on
        # torch jit_compile means torch.compile, minutes for a probe batch.
        probe.jit_compile = False if keras.backend.backend() == "torch" else getattr(model, "jit_compile", "auto")
        self._histograms = (model, tags, probe)

    def histograms(self, model=None):
        """`{tag: (counts, edges, nonfinite)}` for `model` (default: the model
        being trained) on the probe batch, as numpy arrays, updating the edges."""
        model = self._target_model(model)
        if self._histograms is None or self._histograms[0] is not model:
            self._build(model)
        _, tags, probe = self._histograms
        results = probe.predict_on_batch(self.probe_x)
        results = [results] if len(tags) == 1 and not isinstance(results[0], (list, tuple)) else results
        return {
            tag: (np.asarray(counts, "int64"), np.asarray(edges, "float64"), int(nonfinite))
            for tag, (counts, edges, nonfinite) in zip(tags, results)
        }

    def on_epoch_end(self, epoch, logs=None):
        if epoch % self.every_n_epochs:
            return
        self._write_histograms(self.histograms(self.model), epoch)

    def _write_histograms(self, histograms, step):
        tf, writer = self._summary_writer()
        histogram, scalar = summary_metadata("histograms"), summary_metadata("scalars")
        with writer.as_default():
            for tag, (counts, edges, nonfinite) in histograms.items():
                if np.isfinite(edges[0]) and np.isfinite(edges[-1]):
                    buckets = np.stack([edges[:-1], edges[1:], counts.astype("float64")], axis=1)
                    tf.summary.write(tag, tf.constant(buckets, tf.float64), step=step, metadata=histogram)
                if nonfinite:
                    name = tag.replace("activation/", "activation_nonfinite/", 1)
                    tf.summary.write(name, tf.constant(float(nonfinite), tf.float32), step=step, metadata=scalar)
        writer.flush()
