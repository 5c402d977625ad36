"""keras_act.plot: curves from the records, checked against numpy."""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from keras_act.plot import plot  # noqa: E402


def _labelled(ax):
    return {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}


def test_plot_draws_functions_and_derivatives():
    fig = plot(["sigmoid_custom", "relu_custom"], x_range=(-5, 4))
    assert isinstance(fig, Figure) and isinstance(fig.canvas, FigureCanvasAgg)
    f_ax, d_ax = fig.axes
    assert set(_labelled(f_ax)) == set(_labelled(d_ax)) == {"sigmoid_custom", "relu_custom"}
    sig = _labelled(f_ax)["sigmoid_custom"]
    x = np.asarray(sig.get_xdata(), dtype="float64")
    assert x.min() == pytest.approx(-5) and x.max() == pytest.approx(4)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(sig.get_ydata(), s, atol=1e-6)
    np.testing.assert_allclose(_labelled(d_ax)["sigmoid_custom"].get_ydata(), s * (1 - s), atol=1e-6)
    np.testing.assert_allclose(_labelled(f_ax)["relu_custom"].get_ydata(), np.maximum(x, 0), atol=1e-6)
    np.testing.assert_allclose(_labelled(d_ax)["relu_custom"].get_ydata(), (x > 0).astype(float))
    # Same colour for a function and its derivative.
    assert _labelled(f_ax)["relu_custom"].get_color() == _labelled(d_ax)["relu_custom"].get_color()


def test_plot_without_derivative_and_save(tmp_path):
    fig = plot("tanh_custom", derivative=False)
    assert len(fig.axes) == 1
    path = tmp_path / "tanh.png"
    fig.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "ids, kwargs, match",
    [
        (["relu_custm"], {}, "Did you mean 'relu_custom'"),
        (["softmax_custom"], {}, "not elementwise"),
        ([], {}, "at least one"),
        (["relu_custom"], {"x_range": (3, -3)}, "low < high"),
        (["relu_custom"], {"x_range": "wide"}, "x_range"),
    ],
)
def test_plot_rejects_bad_input(ids, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot(ids, **kwargs)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r"pip install keras_act\[plot\]"):
        plot("relu_custom")
