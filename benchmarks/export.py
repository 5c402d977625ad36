"""ONNX and LiteRT export of every id and layer, beside Keras's built-in (TensorFlow).

    python -m benchmarks.export                  # every id and layer (several minutes)
    python -m benchmarks.export --rows gelu_custom,PReLU --out-dir /tmp/export

`python -m benchmarks.run` runs it on TensorFlow. Each string id that keeps
its input's shape becomes `Input(16) -> Dense(16, activation=id)`; the
GLU-family ids, which halve their axis, are exported through their layers;
each layer of `keras_act.layers.__all__` becomes `Input(16) -> Dense(16) ->
layer`. Every model is exported twice:

- `model.export(path, format="onnx")` and run in onnxruntime against
  Keras's own prediction: "onnx" is true when the file runs and the largest
  absolute difference ("onnx_error") is below ONNX_ATOL.
- `model.export(path, format="litert")` with builtin ops only
  (`tf.lite.OpsSet.TFLITE_BUILTINS`: any Flex op fails the conversion),
  its ops counted with ai_edge_litert's Interpreter ("litert_ops",
  "litert_op_names"; the Dense is one FULLY_CONNECTED, into which LiteRT
  may fuse a relu-like activation).

The same LiteRT count is taken for Keras's built-in where the record names
one (`keras_act.record(id).keras_builtin`), and for a layer where Keras has
an equivalent (its layer class, or `keras.layers.Activation` of the
built-in); the goal is no more ops than Keras's. It writes export.json (read
by the docs generator: its keys onnx, litert_ops, litert_builtin and
keras_litert_ops) and renders RESULTS.md again with its Export section.
"""

import argparse
import functools
import json
import os
import sys
import tempfile
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_act.layers as L  # noqa: E402  (importing keras_act registers every id)
from keras_act._record import RECORDS  # noqa: E402

from benchmarks import layer_cases, machine, report  # noqa: E402
from benchmarks.training import AsLayer  # noqa: E402

FEATURES = 16
# onnxruntime's float32 kernels are not TensorFlow's: a few ulp apart
# (tests/test_saving.py measured 4.8e-7); 1e-5 still catches a wrong op.
ONNX_ATOL = 1e-5
# Arguments a layer cannot do without (16 features: 4 units of 4 pieces).
LAYER_ARGS = {"Maxout": {"num_units": 4}, "Threshold": {"threshold": 0.5, "value": 0.0}}
# What --quick exports: a fused kernel, a composed one, an export form, a layer with a weight.
QUICK = ("relu_custom", "gelu_custom", "hard_swish_custom", "PReLU")


def _builtin(name, kwargs):
    fn = getattr(keras.activations, name)
    return functools.partial(fn, **kwargs) if kwargs else fn


def _builtin_label(name, kwargs):
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"keras.activations.{name}({args})" if args else f"keras.activations.{name}"


def keeps_shape(name):
    return tuple(keras.ops.shape(RECORDS[name].fn(keras.ops.ones((2, 4))))) == (2, 4)


def _keras_prelu():
    return keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))


def entries():
    """key -> (keras_act's activation, Keras's or None, Keras's label or None).

    An activation is what Dense(activation=...) takes, or an AsLayer whose
    layer follows a Dense(16).
    """
    found = {}
    for name in sorted(RECORDS):
        if not keeps_shape(name):
            continue  # the GLU family: exported through their layers
        builtin = RECORDS[name].keras_builtin
        found[name] = (name, _builtin(*builtin) if builtin else None,
                       _builtin_label(*builtin) if builtin else None)
    table = layer_cases._layers_table()
    for name in L.__all__:
        spec = table.get(name)
        reference = None
        if name == "PReLU":
            reference = AsLayer(_keras_prelu)
        elif spec is not None and spec["kind"] == "builtin":
            reference = AsLayer(spec["reference"])
        ours = AsLayer(functools.partial(getattr(L, name), **LAYER_ARGS.get(name, {})))
        found[name] = (ours, reference, _layer_label(name, spec))
    return found


def _layer_label(name, spec):
    if name == "PReLU":
        return "keras.layers.PReLU"
    return spec["label"] if spec is not None and spec["kind"] == "builtin" else None


def model_for(activation):
    """Input(16) -> Dense(16, activation) or Input(16) -> Dense(16) -> layer, seeded."""
    keras.utils.set_random_seed(0)
    if isinstance(activation, AsLayer):
        layers = [keras.layers.Dense(FEATURES), activation.factory()]
    else:
        layers = [keras.layers.Dense(FEATURES, activation=activation)]
    return keras.Sequential([keras.Input((FEATURES,))] + layers)


def _inputs():
    # Standard normal, as tests/test_saving.py: after the Dense the values
    # span about [-4, 4], every branch of every function, and outputs stay
    # where float32 resolves 1e-5 (exp(10) = 22026 has an ulp of 0.002).
    return np.random.default_rng(0).standard_normal((256, FEATURES)).astype("float32")


def onnx_check(model, x, path, log=None):
    """(exported, runs and matches, max abs error or None)."""
    import onnx
    import onnxruntime as ort

    expected = model.predict(x, verbose=0)  # also builds the model: export needs a called model
    try:
        with warnings.catch_warnings():
            # Keras 3.15's numpy 2 patch of tf2onnx probes `np.object`, which warns.
            warnings.filterwarnings("ignore", "In the future `np.object`", FutureWarning)
            model.export(path, format="onnx", verbose=False)
        # tf2onnx writes an op it cannot convert (Expm1, Erfc) as an unknown
        # node, and onnxruntime then refuses the whole file.
        unknown = {n.op_type for n in onnx.load(path).graph.node if not onnx.defs.has(n.op_type, n.domain)}
        if unknown:
            raise RuntimeError(f"ops unknown to ONNX: {sorted(unknown)}")
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        (got,) = session.run(None, {session.get_inputs()[0].name: x})
    except Exception as e:  # noqa: BLE001  (a failed export is a result, not a crash)
        if log:
            log(f"  onnx failed: {type(e).__name__}: {str(e)[:300]}")
        return False, None
    error = float(np.max(np.abs(got - expected)))
    return bool(np.isfinite(error) and error < ONNX_ATOL), error


def litert_ops(model, path, log=None):
    """The op names of the LiteRT file (builtin ops only), or None if it does not convert."""
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter

    try:
        model.export(path, format="litert", verbose=False,
                     target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]})
        return [op["op_name"] for op in Interpreter(model_path=path)._get_ops_details()]
    except Exception as e:  # noqa: BLE001
        if log:
            log(f"  litert failed: {type(e).__name__}: {str(e)[:300]}")
        return None


def _is_builtin(names):
    return names is not None and not any(n.startswith("Flex") or n == "CUSTOM" for n in names)


def run(rows=None, out_dir=None, log=print):
    """Export every entry (or those named in `rows`); return the export.json dict."""
    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            "benchmarks.export measures model.export on TensorFlow (tf2onnx and the LiteRT converter). "
            f"Received: KERAS_BACKEND={keras.backend.backend()}. Run it with KERAS_BACKEND=tensorflow.")
    found = entries()
    if rows is not None:
        found = {k: v for k, v in found.items() if k in rows or f"layers.{k}" in rows}
    info = machine.machine_info()
    x = _inputs()
    ids = {}
    with tempfile.TemporaryDirectory(prefix="keras_act_export_") as tmp:
        for i, (key, (ours, theirs, label)) in enumerate(found.items()):
            model = model_for(ours)
            onnx_ok, error = onnx_check(model, x, os.path.join(tmp, f"{i}.onnx"), log)
            names = litert_ops(model, os.path.join(tmp, f"{i}.tflite"), log)
            keras_names = None
            if theirs is not None:
                keras_names = litert_ops(model_for(theirs), os.path.join(tmp, f"{i}_keras.tflite"), log)
            ids[key] = {
                "onnx": onnx_ok,
                "onnx_error": error,
                "litert_ops": len(names) if names is not None else None,
                "litert_op_names": names or [],
                "litert_builtin": _is_builtin(names),
                "keras_litert_ops": len(keras_names) if keras_names is not None else None,
                "keras_litert_op_names": keras_names,
            }
            theirs_text = f"Keras's {ids[key]['keras_litert_ops']}" + (f" {label}" if label else "")
            log(f"[{i + 1}/{len(found)}] {key}: onnx {onnx_ok} ({error if error is None else f'{error:.1e}'}), "
                f"litert {ids[key]['litert_ops']} ops ({theirs_text})")
            keras.backend.clear_session()
    info["load_end"] = machine.load()
    result = {"date": info["date"], "machine": info, "ids": ids}
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, report.EXPORT_FILE), "w") as f:
            json.dump(result, f, indent=1)
    return result


def reference_labels():
    """key -> the label of Keras's counterpart (None where Keras has none); for the report."""
    labels = {}
    for name in sorted(RECORDS):
        builtin = RECORDS[name].keras_builtin
        labels[name] = _builtin_label(*builtin) if builtin else None
    table = layer_cases._layers_table()
    for name in L.__all__:
        labels[name] = _layer_label(name, table.get(name))
    return labels


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", help="comma-separated ids or layer names (default: all)")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    parser.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args(argv)
    rows = set(args.rows.split(",")) if args.rows else (set(QUICK) if args.quick else None)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    run(rows=rows, out_dir=args.out_dir, log=log)
    report.rerender(args.out_dir, export_labels=reference_labels())
    print(f"wrote {os.path.join(args.out_dir, report.EXPORT_FILE)} and {os.path.join(args.out_dir, 'RESULTS.md')}")


if __name__ == "__main__":
    main()
