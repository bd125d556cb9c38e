import re
import stat

import pytest
import yaml

from netwerkonderzoek import config as config_module
from netwerkonderzoek.cli import main
from netwerkonderzoek.cmo import load_theory
from netwerkonderzoek.config import NetworkConfig, load_config
from netwerkonderzoek.exceptions import ConfigError
from netwerkonderzoek.privacy import PrivacyError, load_key
from netwerkonderzoek.scaffold import (
    COMMENTS,
    init_network,
    network_template,
    new_key,
    protected_root,
)

MODELS = [
    getattr(config_module, name)
    for name in config_module.__all__
    if isinstance(getattr(config_module, name), type)
    and issubclass(getattr(config_module, name), config_module.BaseModel)
]


def test_every_key_of_every_config_model_has_a_dutch_and_english_comment():
    missing = [
        f"{model.__name__}.{name}"
        for model in MODELS
        for name, info in model.model_fields.items()
        if not info.exclude and f"{model.__name__}.{name}" not in COMMENTS
    ]
    assert missing == [], f"add these keys to scaffold.COMMENTS: {missing}"
    assert all(nl and en and nl != en for nl, en in COMMENTS.values())


def test_every_key_appears_in_the_template_with_its_comment():
    text = network_template("wijk-zuid")
    for model in MODELS:
        for name, info in model.model_fields.items():
            if info.exclude:
                continue
            # 'yes' and 'no' are quoted: YAML would read them as booleans
            assert re.search(rf"^[ #-]*'?{name}'?:", text, re.M), f"{model.__name__}.{name}"
            nl, en = COMMENTS[f"{model.__name__}.{name}"]
            # the first words of both explanations, as written (wrapped) in the file
            assert " ".join(nl.split()[:4]) in text
            assert " ".join(en.split()[:4]) in text


def test_the_template_validates_as_written_and_with_its_examples():
    plain = NetworkConfig.model_validate(yaml.safe_load(network_template("wijk-zuid")))
    assert plain.network_id == "wijk-zuid"
    assert plain.theory == "theories/wijk-zuid.yaml"
    assert plain.indicators == [] and plain.sources == [] and plain.monetisation is None
    assert plain.harmonisation.max_quarantine_share == 0.5
    full = NetworkConfig.model_validate(
        yaml.safe_load(network_template("wijk-zuid", examples=True))
    )
    assert [i.id for i in full.indicators] == ["overlastmeldingen"]
    assert full.indicators[0].proxy.value_eur == 600.0
    assert full.sources[0].file == "urenregistratie.csv"
    assert full.sources[0].person_id is None  # a contributions source has none
    assert full.monetisation.deadweight == 0.25
    assert full.privacy.key_file == "~/.config/netwerkonderzoek/pseudonymisation.key"


def test_uncommenting_the_examples_by_hand_gives_the_example_config():
    # what a user does: remove '# ' before every commented key, and replace []
    text = network_template("wijk-zuid")
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^(\s*)# ((?: {2})*(?:- )?[a-z_]+:.*)$", r"\1\2", line)
        lines.append(re.sub(r"^(\s*)(indicators|sources|phases|studies): \[\]$", r"\1\2:", line))
    by_hand = NetworkConfig.model_validate(yaml.safe_load("\n".join(lines)))
    examples = NetworkConfig.model_validate(
        yaml.safe_load(network_template("wijk-zuid", examples=True))
    )
    assert by_hand == examples


def test_init_writes_config_theory_and_readme_that_load(tmp_path):
    config_dir, data_dir = tmp_path / "config", tmp_path / "data"
    written = init_network("wijk-zuid", config_dir, data_dir)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "config/networks/wijk-zuid.yaml",
        "config/theories/wijk-zuid.yaml",
        "data/raw/wijk-zuid/README.md",
        "data/raw/wijk-zuid/.gitignore",
    ]
    config = load_config("wijk-zuid", config_dir)
    assert config.theory_path == (config_dir / "theories" / "wijk-zuid.yaml").resolve()
    theory = load_theory(config.theory_path)
    assert theory.network_id == "wijk-zuid" and theory.ids == ["cmo-01"]
    assert theory["cmo-01"].context.expression == "age >= 65"
    readme = written[2].read_text(encoding="utf-8")
    for words in ("onbewerkt", "unedited", "drop:", "person_id", "key new", "partners.csv"):
        assert words in readme
    # git leaves every raw export out, but keeps the README and the ignore file
    ignore = [line for line in written[3].read_text().splitlines() if not line.startswith("#")]
    assert ignore == ["*", "!README.md", "!.gitignore"]


def test_init_refuses_existing_files_unless_forced(tmp_path):
    config_dir, data_dir = tmp_path / "config", tmp_path / "data"
    theory = config_dir / "theories" / "wijk-zuid.yaml"
    theory.parent.mkdir(parents=True)
    theory.write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        init_network("wijk-zuid", config_dir, data_dir)
    assert str(info.value) == (
        f"network 'wijk-zuid' exists: {theory} already there; expected a new network id "
        "(or --force to overwrite)"
    )
    assert not (config_dir / "networks").exists()  # nothing written
    assert theory.read_text(encoding="utf-8") == "mine"
    init_network("wijk-zuid", config_dir, data_dir, force=True)
    assert theory.read_text(encoding="utf-8").startswith("# Programmatheorie van wijk-zuid")


def test_cli_init(tmp_path, capsys):
    config_dir, data_dir = tmp_path / "c", tmp_path / "d"
    args = ["init", "wijk-zuid", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "created network wijk-zuid:" in out
    assert (
        f"netwerkonderzoek validate wijk-zuid --config-dir {config_dir} --data-dir {data_dir}"
        in out
    )
    assert "netwerkonderzoek harmonise wijk-zuid" in out
    assert "netwerkonderzoek run wijk-zuid" in out
    assert "netwerkonderzoek key new" in out
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "error: network 'wijk-zuid' exists: " in err
    assert f"{config_dir / 'networks' / 'wijk-zuid.yaml'}, " in err
    assert main([*args, "--force"]) == 0
    capsys.readouterr()
    assert main(["init", "Wijk_Zuid", "--config-dir", str(config_dir)]) == 2
    assert "network id 'Wijk_Zuid' is not a slug" in capsys.readouterr().err
    # the new network is listed and validates up to its missing tables
    assert main(["list", "--config-dir", str(config_dir)]) == 0
    assert "wijk-zuid" in capsys.readouterr().out


def test_new_key_is_random_private_and_read_by_load_key(tmp_path):
    first = new_key(tmp_path / "keys" / "a.key")
    second = new_key(tmp_path / "keys" / "b.key")
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    key = load_key(first, environ={})
    assert len(key) >= 43  # 32 random bytes, URL-safe base64
    assert key != load_key(second, environ={})
    with pytest.raises(PrivacyError, match="refusing to overwrite the pseudonymisation key"):
        new_key(first)
    assert load_key(first, environ={}) == key


@pytest.mark.parametrize("marker", ["git-dir", "git-file", "project"])
def test_new_key_refuses_a_repository_or_project_folder(tmp_path, marker):
    project = tmp_path / "study"
    project.mkdir()
    if marker == "git-dir":
        (project / ".git").mkdir()
    elif marker == "git-file":  # a linked work tree
        (project / ".git").write_text("gitdir: /elsewhere\n")
    else:
        (project / "config" / "networks").mkdir(parents=True)
    target = project / "secrets" / "x.key"
    kind = "project folder" if marker == "project" else "git work tree"
    assert protected_root(target) == (project.resolve(), kind)
    with pytest.raises(PrivacyError) as info:
        new_key(target)
    assert str(info.value).startswith(
        f"refusing to write a pseudonymisation key to {target}: it lies inside the {kind} "
        f"{project.resolve()}, where it would be committed or shared"
    )
    assert not target.parent.exists()


def test_new_key_refuses_this_repository():
    from netwerkonderzoek import scaffold

    root = scaffold.Path(scaffold.__file__).resolve().parent.parent
    assert protected_root(root / "config" / "new.key") is not None


def test_cli_key_new(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home-config"))
    assert main(["key", "new"]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "home-config" / "netwerkonderzoek" / "pseudonymisation.key"
    assert path.is_file()
    assert f"created pseudonymisation key {path}" in out
    assert "waves harmonised with different keys no longer link up" in out
    assert f"key_file: {path}" in out
    assert "NETWERKONDERZOEK_KEY" in out
    assert main(["key", "new"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert main(["key", "new", "--output", str(tmp_path / "repo" / "k.key")]) == 2
    assert "inside the git work tree" in capsys.readouterr().err


def test_lists_of_several_kinds_and_mappings_of_blocks_get_an_example_each():
    # what config.py may grow: a source of another kind, a code book of blocks
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    from netwerkonderzoek import scaffold

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")

    class Hours(Strict):
        kind: Literal["hours"] = "hours"
        file: str

    class Survey(Strict):
        kind: Literal["survey"] = "survey"
        tool: Literal["limesurvey", "qualtrics"]

    class Code(Strict):
        cmo_id: str
        direction: Literal["supports", "contradicts", "refines"] = "supports"

    class Config(Strict):
        sources: list[Hours | Survey] = Field(default_factory=list)
        codes: dict[str, Code] = Field(default_factory=dict)

    for examples in (False, True):
        writer = scaffold._Writer({}, examples)
        writer.model(Config, "", None)
        text = "\n".join(writer.lines)
        config = Config.model_validate(yaml.safe_load(text))
        if not examples:
            assert config == Config()
            assert "  # - kind: survey\n" in text and "  # example-1:\n" in text
        else:
            assert [type(s).__name__ for s in config.sources] == ["Hours", "Survey"]
            assert list(config.codes) == ["example-1"]
