"""Sphinx configuration of the netwerkonderzoek documentation.

Built offline with ``make docs`` (``sphinx-build -W --keep-going -b html docs
docs/_build/html``): warnings are errors, and nothing is fetched (no
intersphinx). The references are generated from the code: the configuration
and theory keys by ``_ext/nw_reference.py``, the command line by
sphinx-argparse, the API by autodoc with numpydoc (``_ext/nw_api.py`` lists
the modules).
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))  # the package, when it is not installed

import netwerkonderzoek  # noqa: E402

project = "netwerkonderzoek"
author = "netwerkonderzoek developers"
copyright = "netwerkonderzoek developers"
release = version = netwerkonderzoek.__version__
language = "en"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinxarg.ext",
    "nw_reference",
    "nw_api",
]

exclude_patterns = ["_build"]

# autodoc: members follow each module's __all__; in source order, as the modules read
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # the numpydoc Parameters sections give the types

# numpydoc: no member tables under every class (autodoc documents the members)
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# HTML: Furo (a theme that ships its assets: the pages work without a network)
html_theme = "furo"
html_title = f"netwerkonderzoek {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_theme_options = {"navigation_with_keys": True}
