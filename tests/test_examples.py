"""examples/save_and_export.py runs on a plain install (no litert extra) without a traceback."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

# ai_edge_litert made unimportable, as on `pip install keras_act` without the litert extra.
WITHOUT_LITERT = """
import runpy, sys
sys.modules["ai_edge_litert"] = None
sys.modules["ai_edge_litert.interpreter"] = None
runpy.run_path(sys.argv[1], run_name="__main__")
"""


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow",
    reason="save_and_export.py exports a SavedModel, LiteRT and ONNX, which need the TensorFlow backend",
)
def test_save_and_export_without_the_litert_extra():
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_LITERT, str(ROOT / "examples" / "save_and_export.py")],
        capture_output=True, text=True, env=env, timeout=600, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(".keras      saved_models/export_example/model.keras: max difference")
    (litert,) = [line for line in lines if line.startswith("LiteRT ")]
    assert litert.startswith("LiteRT      saved_models/export_example/model.tflite: written; not checked")
    assert 'pip install "keras_act[litert]"' in litert
    # The ONNX step still runs after it (or says which extra it needs).
    assert lines[-1].startswith("ONNX        "), lines[-1]
    assert (ROOT / "saved_models" / "export_example" / "model.tflite").is_file()
