"""The documentation site (issue 17): it builds strictly, every id and layer has its page
and picture, no internal link or anchor is broken, every code example in the guides runs on
TensorFlow, and the generated pages come from the records and results files of this checkout.

The site is built once per session (`mkdocs build --strict`, about a minute) into a temporary
folder. These tests do not depend on the backend under test (the build and the examples run
in their own processes on TensorFlow), so `make test` runs them once.
"""

import html.parser
import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

import keras_act
from keras_act import _docs
from keras_act.compat import tfa

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent


def _env(**extra):
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3", NO_MKDOCS_2_WARNING="1")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # keras-act from this environment
    env.pop("KERAS_ACT_ONCE_TESTS", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(site folder, build output) of a strict build of this checkout."""
    site = tmp_path_factory.mktemp("docs") / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=900,
    )
    return site, proc


def _page(site, path):
    return (site / path).read_text(encoding="utf-8")


# --- HTML: what a page links to and which anchors it has ------------------------------------


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets, self.anchors, self.images, self.h1 = [], set(), [], []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.anchors.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.anchors.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.targets.append(attrs[key])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site):
    """Every relative link, image or script of every HTML page under `site` whose file is
    missing, or whose #fragment is no id or name in that file: ["page -> target (why)"]."""
    site = Path(site)
    parsed = {p: _parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, links in parsed.items():
        for target in links.targets:
            url = urllib.parse.urlsplit(target)
            if url.scheme or target.startswith("//"):
                continue  # outside the site: papers, keras.io, GitHub issues
            # 404.html links from the site's root, wherever it is shown.
            base = site if url.path.startswith("/") else page.parent
            path = (base / urllib.parse.unquote(url.path).lstrip("/")).resolve() if url.path else page
            if not path.is_file():
                broken.append(f"{page.relative_to(site)} -> {target} (no such file)")
                continue
            if url.fragment and path.suffix == ".html":
                anchors = (parsed.get(path) or _parse(path)).anchors
                if urllib.parse.unquote(url.fragment) not in anchors:
                    broken.append(f"{page.relative_to(site)} -> {target} (no such anchor)")
    return broken


def test_the_link_checker_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<h2 id="here">x</h2><a href="b.html#there">b</a><a href="#here">me</a>'
                                     '<img src="img/missing.png">', encoding="utf-8")
    (tmp_path / "b.html").write_text('<a href="a.html#here">a</a><a href="gone.html">c</a>', encoding="utf-8")
    assert sorted(broken_links(tmp_path)) == [
        "a.html -> b.html#there (no such anchor)",
        "a.html -> img/missing.png (no such file)",
        "b.html -> gone.html (no such file)",
    ]


# --- The build -----------------------------------------------------------------------------


@pytest.mark.slow
def test_strict_build_passes(built):
    site, proc = built
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    # MkDocs's own warnings ("WARNING -  ..."), not TensorFlow's start-up lines.
    assert not re.search(r"^WARNING\s+-", proc.stderr, re.M), proc.stderr[-6000:]
    pages = len(keras_act.list_activations()) + len(keras_act.layers.__all__) + 2  # + catalog, gallery
    assert f"keras_act: generated {pages} pages" in proc.stdout + proc.stderr
    assert (site / "index.html").is_file() and (site / "search" / "search_index.json").is_file()


@pytest.mark.slow
def test_every_id_and_layer_has_its_page_and_picture(built):
    site, proc = built
    assert proc.returncode == 0, proc.stderr[-6000:]
    pages = [(f"activations/{name}.html", name) for name in keras_act.list_activations()]
    pages += [(f"layers/{name}.html", name) for name in keras_act.layers.__all__]
    for path, name in pages:
        assert (site / path).is_file(), f"{path} is missing"
        parsed = _parse(site / path)
        assert any(name in h for h in parsed.h1), f"{path}: no <h1> naming {name}"
        pictures = [src for src in parsed.images if src.endswith(".png") and "/img/" in f"/{src}"]
        assert pictures, f"{path} shows no picture"
        png = (site / path).parent / pictures[0]
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, f"{png} is not a drawn PNG"
    catalog = _parse(site / "activations" / "index.html").targets
    gallery = _parse(site / "activations" / "gallery.html").images
    for path, name in pages:
        assert os.path.relpath(path, "activations").replace(os.sep, "/") in catalog, f"the catalog lacks {name}"
    assert len({src for src in gallery if src.endswith(".png")}) >= len(keras_act.list_activations()) - len(
        keras_act._ALIASES
    ), "the gallery lacks pictures"


@pytest.mark.slow
def test_no_broken_internal_link_or_anchor(built):
    site, proc = built
    assert proc.returncode == 0, proc.stderr[-6000:]
    assert broken_links(site) == []


@pytest.mark.slow
def test_the_built_pages_are_the_records_and_results_of_this_checkout(built):
    site, proc = built
    assert proc.returncode == 0, proc.stderr[-6000:]
    for name in keras_act.list_activations():
        rec = keras_act.record(name)
        page = _page(site, f"activations/{rec.name}.html")
        for text in (rec.formula, rec.derivative_formula, _docs.format_range(rec.output_range),
                     rec.recommended_initializer):
            assert html_escape(text) in page, f"{rec.name}'s page does not show {text!r}"
    # The speed table is read from the results file present now.
    results = _docs.benchmark_results()
    if "tensorflow" in results:
        row = next(r for r in results["tensorflow"]["elementwise"]
                   if r["row"] == "relu_custom" and r["mode"] == "eager" and r["pass"] == "forward")
        expected = _docs._ratio_text(row["ratios"]["builtin"])
        assert expected in _page(site, "activations/relu_custom.html")
        assert results["tensorflow"]["machine"]["date"] in _page(site, "activations/relu_custom.html")
    # Generated content of the hand-written guides: every marker replaced.
    migrating = _page(site, "guides/migrating-from-tfa.html")
    for m in (*tfa.MAPPINGS, *tfa.KERAS2_REWRITES):
        assert html_escape(m.old) in migrating
    for page in (site / "guides").glob("*.html"):
        assert "<!-- keras_act:" not in page.read_text(encoding="utf-8"), f"{page.name} kept a marker"
    for id_, title, kernel, _ in _docs.kink_exceptions():
        assert html_escape(kernel) in _page(site, "guides/backends.html")
        assert html_escape(kernel) in _page(site, f"activations/{id_}.html")


def html_escape(text):
    import html

    return html.escape(text, quote=False)


def test_no_generated_page_is_committed_or_written_into_docs():
    # docs/activations/ and docs/layers/ exist only in the built site.
    tracked = subprocess.run(["git", "ls-files", *_docs.GENERATED_FOLDERS], cwd=DOCS, capture_output=True,
                             text=True, check=True)
    assert tracked.stdout == ""
    assert not any((DOCS / folder).exists() for folder in _docs.GENERATED_FOLDERS)
    paths = {path.split("/")[0] for path in _docs.site_paths()}
    assert paths == set(_docs.GENERATED_FOLDERS)


# --- The generator reads what is there, and says so when nothing is -------------------------


def test_speed_and_export_read_the_files_present(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    assert _docs.speed_lines(["relu_custom"], _docs.benchmark_results(tmp_path)) == [
        "Speed: not measured yet (no benchmark results file has a row for it)."
    ]
    assert "not measured yet" in _docs.export_lines(["relu_custom"], _docs.export_results(tmp_path))[0]
    results = {
        "machine": {"date": "2030-01-02 03:04 UTC", "cpu": "Test CPU", "cores": 4},
        "elementwise": [
            {"row": "relu_custom", "mode": "jit", "pass": "forward", "reference": "keras.activations.relu",
             "ratios": {"builtin": {"median": 0.875, "q1": 0.8, "q3": 0.95}}},
            {"row": "relu_custom", "mode": "eager", "pass": "forward+backward", "reference": "keras.activations.relu",
             "elements": 65536, "ratios": {"kin": {"median": 1.5, "q1": 1.25, "q3": 2.0}}},
        ],
    }
    (tmp_path / "benchmarks" / "results_jax.json").write_text(json.dumps(results))
    export = {"date": "2030-01-03", "machine": {"cpu": "Export CPU", "cores": 2, "date": "2030-01-03"},
              "ids": {"relu_custom": {"onnx": True, "litert_ops": 1, "litert_op_names": ["FULLY_CONNECTED"],
                                      "litert_builtin": True, "keras_litert_ops": None}}}
    (tmp_path / "benchmarks" / "export.json").write_text(json.dumps(export))
    speed = "\n".join(_docs.speed_lines(["relu_custom"], _docs.benchmark_results(tmp_path)))
    assert "`relu_custom` against `keras.activations.relu`:" in speed
    assert "| JAX | jax.jit | | 0.88 (0.80-0.95) | - |" in speed
    assert "| JAX | eager | 64K | - | 1.50 (1.25-2.00) |" in speed
    assert "| TensorFlow | | | not measured yet | |" in speed
    assert "Test CPU, 4 cores, 2030-01-02 03:04 UTC" in speed
    exported = "\n".join(_docs.export_lines(["relu_custom"], _docs.export_results(tmp_path)))
    assert "| LiteRT ops of the model | 1 (FULLY_CONNECTED) |" in exported
    assert "| LiteRT ops with Keras's built-in instead | not measured yet |" in exported
    assert "Export CPU, 2 cores, 2030-01-03" in exported


def test_performance_summary_counts_the_goals_of_each_mode(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    assert "not measured yet" in _docs.performance_summary(tmp_path)

    def row(name, mode, verdict, median, elements=None):
        return {"row": name, "mode": mode, "pass": "forward", "elements": elements,
                "ratios": {"builtin": {"median": median, "q1": median, "q3": median}},
                "goals": [{"reference": "builtin", "verdict": verdict}]}

    results = {"machine": {"cpu": "Test CPU", "cores": 2, "date": "2030-01-02"}, "config": {"shapes": [[256, 256]]},
               "elementwise": [row("relu_custom", "eager", "pass", 0.9, 65536),
                               row("gelu_custom", "eager", "miss", 1.7, 65536),
                               row("gelu_custom", "compile", "noise", 1.1, 65536)]}
    (tmp_path / "benchmarks" / "results_torch.json").write_text(json.dumps(results))
    summary = _docs.performance_summary(tmp_path)
    assert "Measured on Test CPU, 2 cores, 2030-01-02, on float32 tensors of shape (256, 256)" in summary
    assert "| eager, 64K | 1 | 0 | 1 |" in summary and "| torch.compile, 64K | 0 | 1 | 0 |" in summary
    assert "Largest ratios against the built-in: `gelu_custom` eager, 64K forward 1.70." in summary
    assert summary.index("### TensorFlow") < summary.index("### PyTorch")


def test_kernels_row_only_when_info_has_it():
    assert _docs.kernel_lines({"name": "relu_custom"}) == []
    lines = _docs.kernel_lines({"kernels": {"export:onnx": "Relu", "torch": "F.relu", "tensorflow": "tf.nn.relu"}})
    assert lines[2:5] == ["| TensorFlow | tf.nn.relu |", "| PyTorch | F.relu |", "| ONNX export | Relu |"]


def test_kinks_are_where_the_derivative_jumps():
    # TensorFlow's values at the kinks, the limits on either side.
    assert _docs.id_kinks("relu6_custom") == [(0.0, 0.0, 0.0, 1.0), (6.0, 0.0, 1.0, 0.0)]
    (x, at, left, right), = _docs.id_kinks("selu_custom")
    assert (x, round(at, 6), round(left, 6), round(right, 6)) == (0.0, 1.050701, 1.758098, 1.050701)  # left: 2**-20 before 0
    assert _docs.id_kinks("elu_custom") == []  # C1 with alpha = 1
    assert _docs.kinks(lambda x: (x > 2.5).astype("float64") * 3.0) == [(2.5, 0.0, 0.0, 3.0)]


def test_griffe_extension_shows_formulas_and_flush_examples_as_code():
    sys.path.insert(0, str(DOCS))
    try:
        from griffe_examples import rewrite
    finally:
        sys.path.remove(str(DOCS))
    text = "Summary.\n\nFormula:\n    f(x) = 0   if x < 0,\n           x   else\n\nExample:\n\n>>> 1 + 1\n2\n\nMore.\n"
    assert rewrite(text) == (
        "Summary.\n\nFormula:\n    ```text\n    f(x) = 0   if x < 0,\n           x   else\n    ```\n\n"
        "Examples:\n    >>> 1 + 1\n    2\n\nMore.\n"
    )


# --- Every code example in the guides runs ---------------------------------------------------

# One process runs every page (TensorFlow is imported once): each page in a fresh namespace and
# an empty folder of its own where saved_models/ (the fixtures the migration guide reads) points
# into the clone, every ```python block in order, and every `keras-act ...` line of a ```console
# block as a command. Other console lines (pip, make) are set-up, not examples. A page that
# fails is reported with its traceback and the next page runs.
RUNNER = r"""
import json, os, shlex, subprocess, sys, traceback
pages, root, out = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
results = {}
for page, steps in pages.items():
    work = os.path.join(os.path.dirname(out), "work", str(len(results)))
    os.makedirs(work)
    os.symlink(os.path.join(root, "saved_models"), os.path.join(work, "saved_models"))
    os.chdir(work)
    namespace, ran, error = {"__name__": "__main__"}, 0, None
    try:
        for kind, text, line in steps:
            print(f"--- {page}, {kind} at line {line}", flush=True)
            if kind == "python":
                exec(compile(text, f"<{page}, block at line {line}>", "exec"), namespace)
            else:
                subprocess.run(shlex.split(text), check=True)
            ran += 1
    except BaseException:
        error = traceback.format_exc()
    results[page] = {"ran": ran, "error": error}
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()
    json.dump(results, open(out, "w"))
"""

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)


def examples(path):
    """[(kind, text, line)] of a Markdown page: python blocks, and keras-act commands."""
    text = Path(path).read_text(encoding="utf-8")
    steps = []
    for m in _FENCE.finditer(text):
        language, body = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if language == "python":
            steps.append(("python", body, line))
        elif language == "console":
            for command in body.splitlines():
                command = command.split("  #")[0].strip()
                if command.startswith("keras-act "):
                    steps.append(("command", command, line))
    return steps


PAGES = sorted([DOCS / "index.md", *(DOCS / "guides").glob("*.md"), ROOT / "README.md"])
WITH_EXAMPLES = [p for p in PAGES if examples(p)]


def _name(page):
    return str(page.relative_to(ROOT))


def test_examples_are_found():
    found = {p.name: examples(p) for p in PAGES}
    assert sum(kind == "python" for steps in found.values() for kind, _, _ in steps) >= 20
    assert any(kind == "command" for steps in found.values() for kind, _, _ in steps)
    assert found["README.md"], "the README's example is not a ```python block"
    # Pages without an example are pages of prose and results, not guides to a task.
    assert {p.name for p in PAGES} - {p.name for p in WITH_EXAMPLES} <= {"performance.md"}


@pytest.fixture(scope="module")
def example_runs(tmp_path_factory):
    """{page: {"ran": steps run, "error": traceback or None}} of one process running them all."""
    folder = tmp_path_factory.mktemp("examples")
    (folder / "pages.json").write_text(json.dumps({_name(p): examples(p) for p in WITH_EXAMPLES}))
    (folder / "run.py").write_text(RUNNER)
    proc = subprocess.run(
        [sys.executable, str(folder / "run.py"), str(folder / "pages.json"), str(ROOT), str(folder / "out.json")],
        cwd=folder, env=_env(), capture_output=True, text=True, timeout=1800,
    )
    results = json.loads((folder / "out.json").read_text()) if (folder / "out.json").exists() else {}
    return results, proc


@pytest.mark.slow
@pytest.mark.parametrize("page", WITH_EXAMPLES, ids=[_name(p) for p in WITH_EXAMPLES])
def test_guide_examples_run_on_tensorflow(page, example_runs):
    results, proc = example_runs
    assert _name(page) in results, f"the runner died before {page.name}:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    result = results[_name(page)]
    assert result["error"] is None, f"{page.name}:\n{result['error']}"
    assert result["ran"] == len(examples(page))
