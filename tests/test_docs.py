"""The documentation in docs/: it builds without a warning, and its references are complete.

The slow test builds the site as ``make docs`` does (``-W --keep-going``: a
warning, in a page or in a docstring, fails it) and reads the HTML: every key
of the network configuration and every subcommand of the command line must
be there. The fast tests check that the API reference names every public
module of the package and nothing that does not exist, and follow the
tutorial's steps 1-9 with its files: they must give a valid network and
the output the tutorial shows.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
import typing

import pytest

import netwerkonderzoek

from .conftest import ROOT

DOCS = ROOT / "docs"
API = DOCS / "api"

_DIRECTIVE = re.compile(r"^\.\. (automodule|submodules):: (\S+)", re.M)


def _api_directives() -> dict[str, list[tuple[str, str]]]:
    """Per API page: the (directive, module) pairs it holds."""
    return {
        page.stem: _DIRECTIVE.findall(page.read_text(encoding="utf-8"))
        for page in sorted(API.glob("*.rst"))
    }


def _public_modules() -> list[tuple[str, bool]]:
    """The package's public top-level modules and subpackages: (name, is_package)."""
    return [
        (info.name, info.ispkg)
        for info in pkgutil.iter_modules(netwerkonderzoek.__path__)
        if not info.name.startswith("_")
    ]


def test_api_reference_names_every_public_module():
    documented = {module for pairs in _api_directives().values() for _, module in pairs}
    missing = [
        f"netwerkonderzoek.{name}"
        for name, _ in _public_modules()
        if f"netwerkonderzoek.{name}" not in documented
    ]
    assert not missing, f"no page in docs/api/ documents {missing}"
    # every lazily loaded submodule of `import netwerkonderzoek as nw` is among them
    assert set(netwerkonderzoek.SUBMODULES) <= {name for name, _ in _public_modules()}


def test_api_reference_lists_all_modules_of_each_subpackage():
    # a subpackage page documents its modules with `.. submodules::`, which finds
    # them on disk, so a module added to a subpackage is in the reference by itself
    pages = _api_directives()
    for name, is_package in _public_modules():
        if is_package:
            assert ("submodules", f"netwerkonderzoek.{name}") in pages.get(name, []), (
                f"docs/api/{name}.rst does not list its modules (.. submodules:: "
                f"netwerkonderzoek.{name})"
            )


def test_every_module_in_the_api_reference_exists():
    for page, pairs in _api_directives().items():
        for _, module in pairs:
            try:
                importlib.import_module(module)
            except ImportError as exc:  # pragma: no cover - the failure message
                pytest.fail(f"docs/api/{page}.rst names {module}, which does not import: {exc}")


def test_every_api_page_is_in_the_api_index():
    index = (API / "index.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"^   ([a-z_]+)$", index, re.M))
    pages = {page.stem for page in API.glob("*.rst")} - {"index"}
    assert pages == listed


def _models(model, seen=None) -> list:
    """``model`` and every pydantic model nested in its fields."""
    from pydantic import BaseModel

    seen = [] if seen is None else seen
    if model in seen:
        return seen
    seen.append(model)
    stack = [info.annotation for info in model.model_fields.values() if not info.exclude]
    while stack:
        annotation = stack.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _models(annotation, seen)
        else:  # list[...], dict[..., ...], X | None, Annotated[...]: look inside
            stack.extend(typing.get_args(annotation))
    return seen


@pytest.mark.slow
def test_docs_build_without_warnings_and_references_are_complete(tmp_path):
    from sphinx.cmd.build import build_main

    from netwerkonderzoek.cli import build_parser
    from netwerkonderzoek.cmo.model import ProgrammeTheory
    from netwerkonderzoek.config import NetworkConfig

    out = tmp_path / "html"
    status = build_main(["-W", "--keep-going", "-b", "html", "-q", str(DOCS), str(out)])
    assert status == 0, "sphinx-build reported warnings or errors (see the captured output)"

    config_page = (out / "reference" / "config.html").read_text(encoding="utf-8")
    for name, info in NetworkConfig.model_fields.items():
        if not info.exclude:
            assert f'id="nwkey-{name}"' in config_page, f"config key {name} is not documented"
    # every key of every nested model, under its key path (study.waves, sources[].survey.tool)
    shown = {
        html.unescape(text)
        for text in re.findall(
            r'<span class="sig-name descname"><span class="pre">([^<]*)</span>', config_page
        )
    }
    for model in _models(NetworkConfig):
        for name, info in model.model_fields.items():
            if info.exclude:
                continue
            assert any(key == name or key.endswith(f".{name}") for key in shown), (
                f"{model.__name__}.{name} is not in the configuration reference"
            )

    theory_page = (out / "reference" / "theory.html").read_text(encoding="utf-8")
    for field in ("network_id", "name", "version", "label", "date", "configurations"):
        assert field in ProgrammeTheory.__dataclass_fields__
        assert f'id="nwtheory-{field}"' in theory_page, f"theory key {field} is not documented"

    cli_page = (out / "reference" / "cli.html").read_text(encoding="utf-8")
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    for command, sub in commands.choices.items():
        assert f'id="netwerkonderzoek-{command}"' in cli_page, f"subcommand {command} is missing"
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in cli_page, f"{command} {option} is missing"
    assert 'id="netwerkonderzoek-key-new"' in cli_page

    api_index = (out / "api" / "index.html").read_text(encoding="utf-8")
    for name, _ in _public_modules():
        assert f"netwerkonderzoek.{name}" in api_index


def _replace_block(lines: list[str], key: str, new: str) -> list[str]:
    """``lines`` with the top-level YAML block ``key:`` (and its indented lines) replaced."""
    start = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and (lines[end] == "" or lines[end][0] in " \t"):
        end += 1
    return lines[:start] + new.rstrip("\n").splitlines() + lines[end:]


def test_the_tutorial_works_as_written(tmp_path, monkeypatch, capsys):
    """Steps 1-9 of docs/tutorial.rst, with the files it shows, give a valid network."""
    import shutil

    from netwerkonderzoek.cli import main

    snippets = DOCS / "tutorial"
    home = tmp_path / "home"
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("NETWERKONDERZOEK_KEY", raising=False)
    monkeypatch.chdir(project)

    assert main(["init", "wijk-zuid"]) == 0  # 1. start the network
    raw_noord, raw_zuid = (
        ROOT / "data" / "raw" / "wijk-noord",
        project / "data" / "raw" / "wijk-zuid",
    )
    exports = ["urenregistratie.csv", "inzet-partners.xlsx", "fte-buurtbemiddeling-noord.csv"]
    exports += ["monitor.xlsx", "bewonersmonitor.csv"]
    exports += [p.name for p in sorted(raw_noord.glob("netwerkenquete-meting-*.csv"))]
    for name in exports:  # 2. the raw exports
        shutil.copy(raw_noord / name, raw_zuid / name)
    for name in ("segmenten.csv", "documenten.csv", "tijdlijn.csv"):
        shutil.copy(snippets / name, raw_zuid / name)
    partners = (ROOT / "data" / "wijk-noord" / "partners.csv").read_text(encoding="utf-8")
    (project / "data" / "wijk-zuid").mkdir()
    (project / "data" / "wijk-zuid" / "partners.csv").write_text(  # 3. the partner list
        re.sub(r"(?m)^wijk-noord,", "wijk-zuid,", partners), encoding="utf-8"
    )
    assert main(["key", "new"]) == 0  # 4. the key, outside the project
    assert (home / ".config" / "netwerkonderzoek" / "pseudonymisation.key").is_file()
    capsys.readouterr()
    assert main(["validate", "wijk-zuid"]) == 1  # 5. what validate says now
    assert "wijk-zuid: INVALID (9 faults)" in capsys.readouterr().out

    config = project / "config" / "networks" / "wijk-zuid.yaml"  # 6. the configuration
    lines = config.read_text(encoding="utf-8").splitlines()
    for line in (snippets / "network.yaml").read_text(encoding="utf-8").splitlines():
        lines = _replace_block(lines, line.split(":")[0], line)
    for block in ("study", "indicators", "sources", "privacy"):
        lines = _replace_block(lines, block, (snippets / f"{block}.yaml").read_text("utf-8"))
    lines += (snippets / "codebook.yaml").read_text(encoding="utf-8").rstrip("\n").splitlines()
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(snippets / "theory.yaml", project / "config" / "theories" / "wijk-zuid.yaml")

    assert main(["harmonise", "wijk-zuid"]) == 0  # 8. harmonise
    out = capsys.readouterr().out
    assert "harmonised wijk-zuid: 11 sources, 5425 rows read" in out
    assert main(["validate", "wijk-zuid"]) == 0  # 9. validate
    assert capsys.readouterr().out.startswith("wijk-zuid: valid")
    tutorial = (DOCS / "tutorial.rst").read_text(encoding="utf-8")
    for line in out.splitlines()[:4]:  # the output the tutorial shows is what harmonise prints
        assert line in tutorial, line
