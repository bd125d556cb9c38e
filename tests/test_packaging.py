"""pyproject.toml, environment.yml and constraints.txt must agree on the packages."""

import re
import tomllib

import yaml

from .conftest import ROOT


def normalise(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = [
        d
        for d in env["dependencies"]
        if isinstance(d, str) and not d.startswith(("python=", "pip"))
    ]
    assert sorted(map(normalise, pip_side)) == sorted(map(normalise, conda_side))
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert pip_section == ["-e ."]


def test_constraints_pin_every_dependency_within_its_bounds():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for text in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        requirement = Requirement(text)
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pinned), f"{requirement.name}=={pinned} vs {text}"
    # make setup installs within them
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text()


def test_ci_calls_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
