"""Save and export one keras_act model four ways: .keras, SavedModel, LiteRT, ONNX.

- `.keras`: the native format. Reload with `keras.saving.load_model` after
  `import keras_act` (safe_mode stays on); optimizer state comes back too.
- SavedModel (`model.export(path)`): a TensorFlow graph for TF Serving. The
  serving process needs TensorFlow only, not keras_act.
- LiteRT (`model.export(path, format="litert")`): a .tflite flatbuffer. Here
  the converter is limited to built-in ops, so any op that would need the
  Flex delegate fails the export instead of slipping in.
- ONNX (`model.export(path, format="onnx")`, TensorFlow backend): converted
  by tf2onnx and run here in onnxruntime. Needs `pip install "keras_act[onnx]"`;
  skipped with a note when those packages are missing.

Needs keras_act itself; the LiteRT check needs the `litert` extra
(`pip install "keras_act[litert]"`, part of `make test`'s install): without
it the .tflite file is still written and the check is skipped with a note.

Run with `.venv/bin/python examples/save_and_export.py`; the files go under
saved_models/export_example/ in the repository (next to examples/; git-ignored),
and each line printed names its path.
"""

import json
import os
import subprocess
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf

import keras_act  # noqa: F401  (registers the ids and layers)
from keras_act import layers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "saved_models", "export_example")

SERVE = """
import json, sys
import numpy as np, tensorflow as tf
served = tf.saved_model.load(sys.argv[1])
x = np.load(sys.argv[2])["x"]
print(json.dumps(served.serve(tf.constant(x)).numpy().tolist()))
print("keras_act imported:", any(m.startswith("keras_act") for m in sys.modules))
"""


def build_model():
    return keras.Sequential(
        [
            keras.Input((16,)),
            keras.layers.Dense(32, activation="gelu_custom"),
            layers.PReLU(),
            keras.layers.Dense(32),
            layers.Maxout(num_units=16),
            keras.layers.Dense(16, activation=layers.LeakyReLU(negative_slope=0.2)),
            layers.Swish(beta=1.5, trainable_beta=True),
            keras.layers.Dense(3, activation="softmax_custom"),
        ]
    )


def main():
    keras.utils.set_random_seed(0)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(0)
    x, y = rng.normal(size=(256, 16)).astype("float32"), rng.randint(0, 3, size=256)
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, verbose=0)
    sample = x[:4]
    expected = model.predict(sample, verbose=0)

    # 1. The native .keras file.
    keras_path = os.path.join(OUT, "model.keras")
    model.save(keras_path)
    reloaded = keras.saving.load_model(keras_path)
    print(f".keras      {os.path.relpath(keras_path, ROOT)}: max difference {np.abs(reloaded.predict(sample, verbose=0) - expected).max():.1e}")

    # 2. SavedModel for TF Serving, served by a process that never imports keras_act.
    saved_model_path = os.path.join(OUT, "saved_model")
    model.export(saved_model_path, verbose=False)
    np.savez(os.path.join(OUT, "sample.npz"), x=sample)
    served = subprocess.run(
        [sys.executable, "-c", SERVE, saved_model_path, os.path.join(OUT, "sample.npz")],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    difference = np.abs(np.array(json.loads(served[-2])) - expected).max()
    print(f"SavedModel  {os.path.relpath(saved_model_path, ROOT)}: max difference {difference:.1e} ({served[-1]})")

    # 3. LiteRT, built-in ops only.
    tflite_path = os.path.join(OUT, "model.tflite")
    model.export(
        tflite_path,
        format="litert",
        verbose=False,
        target_spec={"supported_ops": [tf.lite.OpsSet.TFLITE_BUILTINS]},
    )
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        print(
            f"LiteRT      {os.path.relpath(tflite_path, ROOT)}: written; not checked, the interpreter is in "
            'the litert extra: pip install "keras_act[litert]"'
        )
    else:
        runner = Interpreter(model_path=tflite_path).get_signature_runner()
        (input_name,) = runner.get_input_details()
        (got,) = runner(**{input_name: sample}).values()
        print(f"LiteRT      {os.path.relpath(tflite_path, ROOT)}: max difference {np.abs(got - expected).max():.1e}")

    # 4. ONNX, run in onnxruntime.
    try:
        import onnxruntime
        import tf2onnx  # noqa: F401  (what Keras converts with)
    except ImportError:
        print('ONNX        skipped: the converter and runtime are in the onnx extra: pip install "keras_act[onnx]"')
        return
    onnx_path = os.path.join(OUT, "model.onnx")
    with warnings.catch_warnings():
        # Keras 3.15's numpy 2 patch of tf2onnx probes `np.object`, which warns.
        warnings.filterwarnings("ignore", "In the future `np.object`", FutureWarning)
        model.export(onnx_path, format="onnx", verbose=False)
    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {session.get_inputs()[0].name: sample})
    print(f"ONNX        {os.path.relpath(onnx_path, ROOT)}: max difference {np.abs(got - expected).max():.1e}")


if __name__ == "__main__":
    main()
