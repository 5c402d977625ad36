"""Every public function and layer has the docstring shape of STYLE.md.

One-line summary; a paragraph on when to use it; `Formula:`, `Reference:`,
`Args:` (every argument, each with a default ending "Defaults to `x`."),
`Call arguments:` and the input and output shape for layers, then
`Example:`, in that order; no docstrings on `__init__`, `build` or `call`;
type hints on every public signature (layers: `__init__`). The Formula and
Reference of each activation are derived from its record, so they cannot
drift apart.
"""

import ast
import doctest
import math
import inspect
import re

import pytest

import keras_act
import keras_act.compat.tfa as tfa
from keras_act._record import RECORDS

pytestmark = pytest.mark.once  # text, not computation


def _public():
    found, seen = [], set()

    def add(kind, name, obj):
        if id(obj) not in seen:
            seen.add(id(obj))
            found.append((kind, name, obj))

    for name in keras_act.activations.__all__:
        add("activation", name, getattr(keras_act.activations, name))
    for name in keras_act.layers.__all__:
        add("layer", name, getattr(keras_act.layers, name))
    for name in keras_act.__all__:
        obj = getattr(keras_act, name)
        if inspect.isfunction(obj):
            add("function", name, obj)
    for name in tfa.__all__:
        obj = getattr(tfa, name)
        if inspect.isfunction(obj):
            add("activation" if obj.__module__.startswith("keras_act.activations") else "function", name, obj)
    return found


PUBLIC = _public()
IDS = [name for _, name, _ in PUBLIC]

ORDER = ("Formula", "Reference", "Args", "Returns", "Raises", "Call arguments", "Input shape", "Output shape", "Example")
_HEADER = re.compile(r"^(" + "|".join(ORDER) + r"):", re.M)


def _doc(obj):
    return inspect.cleandoc(obj.__doc__ or "")


def _sections(obj):
    found = [m.group(1) for m in _HEADER.finditer(_doc(obj))]
    # Keras's layers often write "Input shape: ... Output shape: ..." on one line.
    if "Input shape" in found and "Output shape" not in found and "Output shape:" in _doc(obj):
        found.insert(found.index("Input shape") + 1, "Output shape")
    return found


def _section(obj, name):
    """The text of a section, whitespace-normalized (None if absent)."""
    m = re.search(rf"^{name}:\n((?:[ \t]+.*\n?|\n)*)", _doc(obj) + "\n", re.M)
    return " ".join(m.group(1).split()) if m else None


def _parameters(obj):
    fn = obj.__init__ if inspect.isclass(obj) else obj
    return [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]


def _required(kind, obj):
    required = ["Example"]
    if _parameters(obj):
        required.append("Args")
    if kind in ("activation", "layer"):
        required += ["Formula", "Reference"]
    if kind == "layer":
        required += ["Call arguments", "Input shape", "Output shape"]
    return required


@pytest.mark.parametrize("kind, name, obj", PUBLIC, ids=IDS)
def test_docstring_has_the_sections_in_order(kind, name, obj):
    doc = _doc(obj)
    assert doc and doc.splitlines()[0].strip(), f"{name} has no one-line summary"
    before_sections = _HEADER.split(doc)[0]
    paragraphs = [p for p in before_sections.split("\n\n") if p.strip()]
    assert len(paragraphs) >= 2, f"{name}: no paragraph on when to use it after the summary"
    sections = _sections(obj)
    missing = [s for s in _required(kind, obj) if s not in sections]
    assert not missing, f"{name} lacks {missing}"
    assert sections == sorted(sections, key=ORDER.index), f"{name}: sections out of order: {sections}"


@pytest.mark.parametrize("kind, name, obj", PUBLIC, ids=IDS)
def test_args_name_every_argument_and_its_default(kind, name, obj):
    if not _parameters(obj):
        return
    args = re.search(r"^Args:\n((?:[ \t]+.*\n?|\n)*)", _doc(obj) + "\n", re.M).group(1)
    entries = {}
    for m in re.finditer(r"^    ([\w*][\w*, ]*):(.*(?:\n {8,}.*)*)", args, re.M):
        for arg in m.group(1).split(","):
            entries[arg.strip()] = " ".join(m.group(2).split())
    for p in _parameters(obj):
        assert p.name in entries, f"{name}: Args does not describe {p.name!r}"
        if p.default is not p.empty:
            said = re.search(r"Defaults to `([^`]+)`\.$", entries[p.name])
            assert said, f"{name}: the entry of {p.name!r} does not end in its default: {entries[p.name]!r}"
            # The docstring is a derived copy of the signature's default: it
            # must say the same value (written as Python, or as a fraction).
            if p.default is None and said.group(1) != "None":
                continue  # None stands for the default the text names (an initializer made in build)
            assert _value(said.group(1)) == pytest.approx(_value(repr(p.default))) if isinstance(
                _value(repr(p.default)), float) else _value(said.group(1)) == _value(repr(p.default)), (
                f"{name}: Args says {p.name} defaults to {said.group(1)}; the signature says {p.default!r}"
            )


def _value(text):
    """What a docstring's default means: a literal, or a/b for a fraction;
    other text (an object's name) stands for itself."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        # Arithmetic of numbers and square roots ("1 / 3", "1/sqrt(1.25)").
        if re.fullmatch(r"[\d\s.+\-*/()]*(sqrt\([\d.]+\)[\d\s.+\-*/()]*)*", text):
            return float(eval(text, {"__builtins__": {}}, {"sqrt": math.sqrt}))
        return text
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@pytest.mark.parametrize("kind, name, obj", PUBLIC, ids=IDS)
def test_example_is_a_doctest(kind, name, obj):
    tests = doctest.DocTestFinder(recurse=False).find(obj, name, globs={})
    assert tests and tests[0].examples, f"{name} has no doctest example"


@pytest.mark.parametrize("name", [n for _, n, o in PUBLIC if inspect.isclass(o)])
def test_layers_have_no_docstrings_on_init_build_call(name):
    cls = getattr(keras_act.layers, name)
    for method in ("__init__", "build", "call"):
        own = cls.__dict__.get(method)
        assert own is None or own.__doc__ is None, f"{name}.{method} has a docstring"


def _record_formula(rec):
    # The record's formula without its note on the defaults, e.g.
    # "   (threshold = 0.5)" or "   (over the last axis)".
    return " ".join(re.sub(r"\s{3,}\(.*\)$", "", rec.formula).split())


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_formula_and_reference_agree_with_the_record(name):
    rec = RECORDS[name]
    formula = _section(rec.fn, "Formula")
    assert formula is not None and _record_formula(rec) in formula, (
        f"{name}: the docstring's Formula {formula!r} does not state the record's {_record_formula(rec)!r}"
    )
    assert _section(rec.fn, "Reference") == " ".join(rec.reference.split()), (
        f"{name}: the docstring's Reference differs from the record's {rec.reference!r}"
    )


@pytest.mark.parametrize("kind, name, obj", PUBLIC, ids=IDS)
def test_public_signature_is_annotated(kind, name, obj):
    fn = obj.__init__ if inspect.isclass(obj) else obj
    signature = inspect.signature(fn)
    unannotated = [p.name for p in signature.parameters.values() if p.name != "self" and p.annotation is p.empty]
    assert not unannotated, f"{name}: no type hint on {unannotated}"
    assert signature.return_annotation is not signature.empty, f"{name}: no return type hint"


def test_public_list_covers_functions_layers_and_tools():
    names = set(IDS)
    assert {"gelu_custom", "maxout", "Softmax", "PReLU", "get", "compare", "inspect_model", "migrate"} <= names
