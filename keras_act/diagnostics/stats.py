"""activation_stats: how the output distribution holds up, layer by layer."""

import dataclasses

import numpy as np

from keras_act.diagnostics._activations import activation_layers
from keras_act.diagnostics.monitors import layer_outputs


@dataclasses.dataclass(frozen=True)
class LayerStats:
    """Output statistics of one layer on a batch."""

    layer: str
    activation: str
    mean: float
    std: float
    zero_fraction: float


class StatsTable(list):
    """A list of `LayerStats` that prints as a table."""

    def column(self, name):
        """One column as a list, e.g. `table.column("std")`."""
        return [getattr(row, name) for row in self]

    def __str__(self):
        header = ("layer", "activation", "mean", "std", "zeros")
        rows = [(r.layer, r.activation, f"{r.mean:.4f}", f"{r.std:.4f}", f"{r.zero_fraction:.3f}") for r in self]
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
        return "\n".join(lines)


def activation_stats(model, x):
    """Mean, std and fraction of exact zeros of each activation layer's outputs.

    The experiment of the notes: feed standard-normal data through a deep
    network and watch whether the output distribution keeps its spread
    (tanh with Xavier, ReLU with He, SELU with LeCun) or collapses towards
    zero (ReLU with Xavier, small random weights).

    Args:
        model: a built Sequential or functional model.
        x: the inputs.

    Returns:
        A `StatsTable`: one `LayerStats(layer, activation, mean, std,
        zero_fraction)` per layer that applies an activation, in order;
        `print(table)` shows it.
    """
    found = activation_layers(model)
    outputs = layer_outputs(model, [layer for layer, _ in found], x)
    table = StatsTable()
    for (layer, spec), y in zip(found, outputs):
        y = y.astype("float64")
        table.append(
            LayerStats(
                layer=layer.name,
                activation=spec.label,
                mean=float(np.mean(y)),
                std=float(np.std(y)),
                zero_fraction=float(np.mean(y == 0)),
            )
        )
    return table
