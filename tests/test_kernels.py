"""The dispatch (keras_act._kernels): its tables describe what runs, and it is
the one place that knows backends (issue 16).

Values, derivatives, kinks and dtypes of every variant are checked against the
references in tests/test_activations.py; these tests hold the tables to the
code and the boundaries of the design.
"""

import ast
import importlib
import pathlib

import keras
import numpy as np
import pytest

import keras_act
from keras_act import _kernels
from tests.conftest import BACKEND

ROOT = pathlib.Path(__file__).resolve().parents[1]
IDS = keras_act.list_activations()
# The functions without an id that the dispatch also serves.
FUNCTIONS = {"threshold", "prelu"}


def _module(backend):
    pytest.importorskip({"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}[backend])
    return importlib.import_module(f"keras_act._kernels._{backend}")


@pytest.mark.once
@pytest.mark.parametrize("backend", _kernels.BACKENDS)
def test_native_table_describes_exactly_the_kernels_of_its_module(backend):
    assert set(_module(backend).KERNELS) == set(_kernels.NATIVE[backend])
    assert set(_kernels.NATIVE[backend]) <= set(IDS) | FUNCTIONS


@pytest.mark.once
def test_export_table_describes_exactly_the_export_forms():
    from keras_act._kernels import _export

    assert {f: set(forms) for f, forms in _export.FORMS.items()} == {f: set(t) for f, t in _kernels.EXPORT.items()}
    for table in _kernels.EXPORT.values():
        assert set(table) <= set(IDS) | FUNCTIONS


@pytest.mark.once
@pytest.mark.parametrize("name", IDS)
def test_info_says_which_kernel_runs_where(name):
    kernels = keras_act.info(name)["kernels"]
    name = keras_act.record(name).name  # an alias's record
    assert set(kernels) == set(_kernels.BACKENDS) | {f"export:{f}" for f in _kernels.EXPORT_FORMATS}
    for backend in _kernels.BACKENDS:
        native = _kernels.kernel(name, backend)
        if native is None:
            assert kernels[backend] == "keras.ops composition"
        else:
            assert kernels[backend].startswith(native.name)


@pytest.mark.once
def test_no_activation_module_knows_the_backend():
    # The dispatch is the one place that chooses by backend or exporter.
    offenders = []
    for path in sorted((ROOT / "keras_act" / "activations").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "backend" and isinstance(node.value, ast.Attribute):
                if node.value.attr == "backend":  # keras.backend.backend
                    offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in ("tensorflow", "jax", "torch") for n in names):
                    offenders.append(f"{path.name}:{node.lineno} imports a backend")
    assert not offenders, offenders


def test_variant_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="variant expects one of"):
        with _kernels.variant("fast"):
            pass


def test_exporting_refuses_a_non_string():
    with pytest.raises(ValueError, match="Received: format=3"):
        with keras_act.exporting(3):
            pass


@pytest.mark.parametrize("name", [n for n in IDS if _kernels.kernel(n, BACKEND) is not None])
def test_the_native_kernel_is_what_runs(name, monkeypatch):
    # The dispatch really calls the table's kernel (a stand-in that records
    # its call), and the portable form where the kernel declines.
    module = importlib.import_module(f"keras_act._kernels._{BACKEND}")
    calls = []
    original = module.KERNELS[name]

    def spy(x, **hp):
        calls.append(hp)
        return original(x, **hp)

    monkeypatch.setitem(module.KERNELS, name, spy)
    monkeypatch.setattr(_kernels, "_tables", {})
    x = np.linspace(-3.0, 3.0, 16).reshape(2, 8).astype("float32")
    keras_act.get(name)(x)
    assert len(calls) == 1


def test_portable_variant_skips_native_kernels(monkeypatch):
    module = importlib.import_module(f"keras_act._kernels._{BACKEND}")
    monkeypatch.setitem(module.KERNELS, "relu_custom", lambda x: pytest.fail("native kernel called"))
    monkeypatch.setattr(_kernels, "_tables", {})
    with _kernels.variant("portable"):
        y = keras_act.activations.relu_custom(np.array([-1.0, 2.0], "float32"))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(y), [0.0, 2.0])


@pytest.mark.skipif(BACKEND != "torch", reason="torch.compile's graph capture (dynamo) is PyTorch's")
@pytest.mark.parametrize("name", [n for n in IDS if keras_act.record(n).elementwise or n == "softmax_custom"])
def test_torch_compile_captures_every_id_in_one_graph(name):
    # A graph break splits a compiled model around the activation (the
    # dispatch's own state once broke every call); Keras's built-ins have none.
    import torch
    import torch._dynamo as dynamo

    dynamo.reset()
    explanation = dynamo.explain(keras_act.get(name))(torch.linspace(-3.0, 3.0, 64).reshape(8, 8))
    # (The identity, linear_custom, captures no graph at all: -1 breaks.)
    assert explanation.graph_break_count <= 0 and not explanation.break_reasons, [
        str(b.reason) for b in explanation.break_reasons
    ]
