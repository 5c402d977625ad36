"""A griffe extension: keras_act's docstring sections as mkdocstrings should show them.

keras_act's docstrings follow Keras's layout (STYLE.md): `Formula:` holds a plain-text
formula laid out over several lines, and `Example:` a doctest, sometimes written flush
with the text (valid for doctest, not for the Google style). mkdocstrings reads any
unknown `Name:` section as an admonition of Markdown text, so the formula would lose its
lines and the doctest would become nested quotes. For the API reference only, this
extension puts each formula in a text code block and each example in an `Examples:`
section (indented where it was flush), which mkdocstrings shows as code. The docstrings
themselves are left as they are.
"""

import re

import griffe


def _block(lines, start):
    """The end of the indented block that starts at `start` (blank lines inside kept)."""
    end = start
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "\t"))):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _flush_doctest_end(lines, start):
    """The end of a doctest written flush: up to a blank line followed by prose."""
    end = start
    while end < len(lines):
        if not lines[end].strip() and not (end + 1 < len(lines) and lines[end + 1].startswith(">>>")):
            break
        end += 1
    return end


def rewrite(text):
    """`text` with its Formula in a code block and its Example as an indented Examples section."""
    lines = text.splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line == "Formula:":
            end = _block(lines, i + 1)
            out += ["Formula:", "    ```text", *lines[i + 1 : end], "    ```"]
            i = end
            continue
        if re.fullmatch(r"Examples?:", line):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].startswith(">>>"):
                end = _flush_doctest_end(lines, j)
                body = ["    " + s if s.strip() else "" for s in lines[j:end]]
            else:
                end = _block(lines, j)
                body = lines[j:end]
            out += ["Examples:", *body]
            i = end
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


class KerasActSections(griffe.Extension):
    def on_object(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)
