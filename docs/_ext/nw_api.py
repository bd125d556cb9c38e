"""Sphinx extension: the API reference follows the package as it is.

``.. submodules:: netwerkonderzoek.cmo``
    One ``automodule`` (with ``:members:``, which follows each module's
    ``__all__``) per public module of the subpackage, found on disk with
    :mod:`pkgutil`: a module added to a subpackage is in the reference
    without editing the docs. Modules whose name starts with ``_`` are
    private and left out.

Resolving re-exported names
    The package re-exports its public API at subpackage level
    (``netwerkonderzoek.stats.test_configuration`` is defined in
    ``netwerkonderzoek.stats.configuration``), and docstrings link to either
    name. Each object is documented once, where it is defined; a link to
    another name of the same object is resolved to that place
    (``missing-reference``).
"""

from __future__ import annotations

import importlib
import pkgutil
import types

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def public_submodules(package: str) -> list[str]:
    """Dotted names of the public modules of ``package`` (recursively), sorted."""
    module = importlib.import_module(package)
    names = []
    for info in pkgutil.iter_modules(module.__path__):
        if info.name.startswith("_"):
            continue
        name = f"{package}.{info.name}"
        names.append(name)
        if info.ispkg:
            names += public_submodules(name)
    return sorted(names)


class Submodules(SphinxDirective):
    """``.. submodules:: PACKAGE``: an ``automodule`` section per public module."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        lines: list[str] = []
        for name in public_submodules(self.arguments[0]):
            title = f"``{name}``"
            lines += [title, "-" * len(title), "", f".. automodule:: {name}", "   :members:", ""]
            path = getattr(importlib.import_module(name), "__file__", None)
            if path:
                self.env.note_dependency(path)
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(lines, source=self.get_source_info()[0]), node
        )
        return node.children


def _find(target: str):
    """The object a dotted name stands for, or None."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _canonical(obj) -> str | None:
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname:
        return f"{module}.{qualname}"
    return None


def resolve_reexport(app, env, node, contnode):
    """Resolve a link to a re-exported name to the object's own documented name."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    candidates = [target]
    if node.get("py:module") and not target.startswith("netwerkonderzoek"):
        candidates.insert(0, f"{node['py:module']}.{target}")
    for candidate in candidates:
        if not candidate.startswith("netwerkonderzoek"):
            continue
        canonical = _canonical(_find(candidate))
        if canonical is None or canonical == candidate:
            continue
        domain = env.get_domain("py")
        new = node.deepcopy()
        new["reftarget"] = canonical
        new["refspecific"] = False
        resolved = domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], canonical, new, contnode
        )
        if resolved is not None:
            return resolved
    return None


def setup(app):
    app.add_directive("submodules", Submodules)
    app.connect("missing-reference", resolve_reexport)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
