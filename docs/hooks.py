"""MkDocs hooks: the generated part of the site (`mkdocs.yml` names this file).

Every page and picture of an activation id or layer, the catalog and the gallery are
made from the records by `keras_act._docs.site_files()` while the site builds, and the
markers in the hand-written guides (`<!-- keras_act: tfa-table -->`, ...) are filled in
by `keras_act._docs.fill_markers()`. Nothing generated is written into docs/.
"""

import os
import time

from mkdocs.structure.files import File

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from keras_act import _docs  # noqa: E402  (after the log level)

_NAV_TITLE = "Activations"
_GUIDES_TITLE = "Guides"


def _root(config):
    return os.path.dirname(os.path.abspath(config.config_file_path))


def _section(config, title):
    for entry in config.nav or []:
        if isinstance(entry, dict) and title in entry:
            return entry
    raise ValueError(f"mkdocs.yml's nav needs a section {title!r}.")


def _listed(items):
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _listed(value)
        else:
            yield value


def on_config(config):
    # The generated pages go under "Activations"; every guide is under "Guides", those
    # mkdocs.yml does not list (yet) after the listed ones.
    activations = _section(config, _NAV_TITLE)
    activations[_NAV_TITLE] = [*(activations[_NAV_TITLE] or []), *_docs.site_nav()]
    guides = _section(config, _GUIDES_TITLE)
    listed = set(_listed(guides[_GUIDES_TITLE]))
    folder = os.path.join(config.docs_dir, "guides")
    guides[_GUIDES_TITLE] += [f"guides/{name}" for name in sorted(os.listdir(folder))
                              if name.endswith(".md") and f"guides/{name}" not in listed]
    return config


def on_files(files, config):
    start = time.perf_counter()
    written = [f.src_uri for f in files if f.src_uri.split("/")[0] in _docs.GENERATED_FOLDERS]
    if written:
        raise ValueError(f"docs/{written[0]} is in a folder the build generates; remove it "
                         f"(docs/{'/, docs/'.join(_docs.GENERATED_FOLDERS)}/ exist only in the built site).")
    generated = _docs.site_files(_root(config))
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    pages = sum(path.endswith(".md") for path in generated)
    print(f"INFO    -  keras_act: generated {pages} pages and {len(generated) - pages} pictures "
          f"in {time.perf_counter() - start:.1f} s")
    return files


def on_page_markdown(markdown, page, config, files):
    return _docs.fill_markers(markdown, _root(config))
