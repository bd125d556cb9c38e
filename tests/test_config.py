from pathlib import Path

import pytest

from netwerkonderzoek.config import check_network_id, list_networks, load_config
from netwerkonderzoek.exceptions import ConfigError

from .conftest import TINY_CONFIG


def write(config_dir: Path, text: str, name: str = "tiny") -> None:
    (config_dir / "networks" / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_loads_typed_config(tiny):
    config_dir, _ = tiny
    config = load_config("tiny", config_dir)
    assert config.network_id == "tiny"
    assert config.study.seed == 7
    assert [w.wave for w in config.study.waves] == [1, 2]
    assert str(config.wave_dates[2]) == "2023-09-01"
    assert config.indicator("overlast").perspective == "societal"
    assert list_networks(config_dir) == ["tiny"]


@pytest.mark.parametrize(
    "bad", ["../x", "Wijk", "a b", "x/y", "", "wijk\nnoord", "'x'", ".hidden"]
)
def test_rejects_ids_that_are_not_slugs(bad, tiny):
    config_dir, _ = tiny
    with pytest.raises(ConfigError, match="is not a slug"):
        load_config(bad, config_dir)
    with pytest.raises(ConfigError):
        check_network_id(bad)


def test_unknown_key_names_file_and_key_path(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG.replace("  seed: 7", "  seed: 7\n  sead: 8"))
    with pytest.raises(ConfigError) as info:
        load_config("tiny", config_dir)
    assert info.value.key == "study.sead"
    assert "tiny.yaml" in str(info.value)
    assert "unknown key" in str(info.value)


def test_wrong_type_names_key_and_value(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG.replace("seed: 7", "seed: zeven"))
    with pytest.raises(ConfigError) as info:
        load_config("tiny", config_dir)
    assert info.value.key == "study.seed"
    assert "'zeven'" in str(info.value)


def test_wrong_type_in_list_names_index(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG.replace("perspective: societal", "perspective: sociaal"))
    with pytest.raises(ConfigError) as info:
        load_config("tiny", config_dir)
    assert info.value.key == "indicators.0.perspective"
    assert "'societal', 'network' or 'partner'" in str(info.value)


def test_missing_key(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG.replace("mission: Samen de wijk leefbaarder maken.\n", ""))
    with pytest.raises(ConfigError) as info:
        load_config("tiny", config_dir)
    assert info.value.key == "mission"
    assert "required key is missing" in str(info.value)


def test_missing_file(tiny):
    config_dir, _ = tiny
    with pytest.raises(ConfigError, match=r"nergens\.yaml: file not found"):
        load_config("nergens", config_dir)


def test_missing_theory_file(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG + "theory: theories/tiny.yaml\n")
    with pytest.raises(ConfigError) as info:
        load_config("tiny", config_dir)
    assert info.value.key == "theory"
    assert "theory file not found" in str(info.value)


def test_id_must_match_file_name(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG.replace("network_id: tiny", "network_id: other"))
    with pytest.raises(ConfigError, match="does not match the file name"):
        load_config("tiny", config_dir)


def test_invalid_yaml_names_line(tiny):
    config_dir, _ = tiny
    write(config_dir, "network_id: tiny\nname: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML at line"):
        load_config("tiny", config_dir)


def test_yaml_tags_are_not_constructed(tiny):
    config_dir, _ = tiny
    write(config_dir, "network_id: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config("tiny", config_dir)


def test_waves_must_increase_and_period_order(tiny):
    config_dir, _ = tiny
    write(config_dir, TINY_CONFIG.replace('start: "2023-01"', 'start: "2024-01"'))
    with pytest.raises(ConfigError, match="start 2024-01 is after end 2023-12"):
        load_config("tiny", config_dir)
