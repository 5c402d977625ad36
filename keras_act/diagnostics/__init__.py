"""See vanishing gradients, saturation and dying units.

- `DeadUnitMonitor(x_probe)`, `SaturationMonitor(x_probe)` and
  `GradientFlowMonitor(x, y)`: Keras callbacks for `model.fit` that write
  `dead_fraction/<layer>`, `saturated_fraction/<layer>`, `grad_norm/<layer>`
  and `grad_ratio` into the History logs (and TensorBoard, given `log_dir`).
- `activation_stats(model, x)`: per-layer mean, std and fraction of zeros.
- `ActivationHistogram(x_probe, log_dir)`: a Keras callback that writes
  TensorBoard histograms of every activation layer's outputs per epoch.

They work for keras_act's string ids, its layers and Keras's built-in
activations alike; what "dead" and "saturated" mean for each activation
comes from its record (see `keras_act.diagnostics._activations`).
"""

from keras_act.diagnostics._activations import ActivationSpec, activation_layers, layer_activation
from keras_act.diagnostics.histogram import ActivationHistogram
from keras_act.diagnostics.monitors import DeadUnitMonitor, GradientFlowMonitor, SaturationMonitor, gradient_norms
from keras_act.diagnostics.stats import LayerStats, StatsTable, activation_stats

__all__ = [
    "ActivationHistogram",
    "ActivationSpec",
    "DeadUnitMonitor",
    "GradientFlowMonitor",
    "LayerStats",
    "SaturationMonitor",
    "StatsTable",
    "activation_layers",
    "activation_stats",
    "gradient_norms",
    "layer_activation",
]
