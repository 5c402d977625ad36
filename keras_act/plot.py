"""plot: activation curves and their derivatives, from the records.

matplotlib is an optional extra (`pip install keras_act[plot]`). The figure
is drawn on the Agg canvas, so no display and no global pyplot state are
involved; save it with `fig.savefig("curves.png")`.
"""

import numpy as np

from keras_act.registry import derivative as _derivative
from keras_act.registry import record as _record

_MISSING = "keras_act.plot needs matplotlib, an optional extra: pip install keras_act[plot]"


def _figure_class():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f"{_MISSING} ({e})") from e
    return Figure, FigureCanvasAgg


def plot(ids, derivative=True, x_range=(-6, 6), num=601):
    """Draw activations (and their derivatives) side by side.

    Args:
        ids: one keras_act string id or a list of them (elementwise ones:
            softmax and GLU have Jacobians, not curves).
        derivative: also draw f'(x), from the record's analytic derivative,
            in a second panel. Defaults to `True`.
        x_range: `(low, high)` of the inputs. Defaults to `(-6, 6)`.
        num: number of points. Defaults to `601`.

    Returns:
        A `matplotlib.figure.Figure` (Agg canvas).

    Raises:
        ImportError: if matplotlib is not installed.
        ValueError: for an unknown or non-elementwise id, or a bad range.

    Example:

    >>> fig = keras_act.plot.plot(["sigmoid_custom", "relu_custom", "elu_custom"])
    >>> fig.savefig("activations.png")
    """
    Figure, FigureCanvasAgg = _figure_class()
    ids = [ids] if isinstance(ids, str) else list(ids)
    if not ids:
        raise ValueError("plot needs at least one activation id. Received: ids=[].")
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError) as e:
        raise ValueError(f"x_range is (low, high). Received: x_range={x_range!r}.") from e
    if not low < high:
        raise ValueError(f"x_range needs low < high. Received: x_range={x_range!r}.")
    records = [_record(i) for i in ids]
    for rec in records:
        if not rec.elementwise:
            raise ValueError(
                f"{rec.name!r} is not elementwise, so it has no curve to draw "
                f"({rec.formula}). Received: ids={ids!r}."
            )

    x = np.linspace(low, high, num, dtype="float32")
    fig = Figure(figsize=(10 if derivative else 5.5, 4), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2 if derivative else 1, squeeze=False)[0]
    for name, rec in zip(ids, records):
        y = np.asarray(rec.fn(x), dtype="float64")
        (line,) = axes[0].plot(x, y, label=name)
        if derivative:
            dy = np.asarray(_derivative(name)(x), dtype="float64")
            axes[1].plot(x, dy, label=name, color=line.get_color())
    titles = ["f(x)", "f'(x)"]
    for ax, title in zip(axes, titles):
        ax.axhline(0, color="0.7", linewidth=0.8)
        ax.axvline(0, color="0.7", linewidth=0.8)
        ax.set_xlim(low, high)
        ax.set_xlabel("x")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig
