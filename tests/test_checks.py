"""Tests for netwerkonderzoek.checks: the theory, appreciation and membership at validate."""

from __future__ import annotations

import pytest

from netwerkonderzoek.checks import validate_study
from netwerkonderzoek.cli import main
from netwerkonderzoek.config import load_config

THEORY = """\
network_id: tiny
name: Theorie
version: 1
label: initial
date: '2023-01-15'
configurations:
- id: cmo-01
  statement: In Noord verhoogt een buurtcoach het welzijn.
  perspective: societal
  form: direct
  context: {{description: Noord, expression: "{expression}"}}
  mechanism: {{resource: Buurtcoach, reasoning: Gehoord, exposure: {exposure}}}
  outcome: {{description: Welzijn, measure: wellbeing, direction: increase, scale: continuous}}
"""


def with_theory(tiny, expression="area == 'noord'", exposure="buurtcoach", network="tiny"):
    config_dir, data_dir = tiny
    (config_dir / "theories").mkdir(exist_ok=True)
    text = THEORY.format(expression=expression, exposure=exposure).replace(
        "network_id: tiny", f"network_id: {network}"
    )
    (config_dir / "theories" / "tiny.yaml").write_text(text, encoding="utf-8")
    networks = config_dir / "networks" / "tiny.yaml"
    if "theory:" not in networks.read_text():
        networks.write_text(networks.read_text() + "theory: theories/tiny.yaml\n")
    return load_config("tiny", config_dir), data_dir


def messages(tiny, **kw) -> list[str]:
    config, data_dir = with_theory(tiny, **kw)
    return [str(f) for f in validate_study(config, data_dir)]


def test_a_sound_theory_gives_no_fault(tiny):
    assert messages(tiny) == []


def test_a_category_no_row_has_is_a_fault(tiny):
    config_dir, data_dir = tiny
    (found,) = messages(tiny, expression="area == 'Noord'")
    theory = config_dir / "theories" / "tiny.yaml"
    assert found == (
        f"{theory}: configuration 'cmo-01', field 'context.expression': expression "
        "\"area == 'Noord'\" compares column 'area' with 'Noord', which no row of "
        f"{data_dir / 'tiny' / 'units.csv'} has; values found: 'noord'"
    )


def test_values_in_a_list_and_numbers_are_checked_too(tiny):
    found = messages(tiny, expression="area in ['noord', 'zuid'] and buurtcoach != 2")
    assert len(found) == 2
    assert "compares column 'area' with 'zuid', which no row of" in found[0]
    assert "compares column 'buurtcoach' with 2, which no row of" in found[1]
    assert found[1].endswith("values found: 0, 1")


def test_a_missing_column_and_an_empty_context_are_faults(tiny):
    (found,) = messages(tiny, expression="age >= 65")
    assert found.endswith(
        "configuration 'cmo-01', field 'context.expression': column 'age' is not in "
        f"{tiny[1] / 'tiny' / 'units.csv'}"
    )
    (found,) = messages(tiny, exposure="coach")
    assert "field 'mechanism.exposure': column 'coach' is not in" in found
    (found,) = messages(tiny, expression="wellbeing > 100")
    assert found.endswith(
        "field 'context.expression': the context 'wellbeing > 100' holds for none of the "
        f"2 rows of {tiny[1] / 'tiny' / 'units.csv'}; expected a context some units are in"
    )


def test_a_theory_that_does_not_load_or_names_another_network(tiny):
    (found,) = messages(tiny, expression="area = 'noord'")
    assert "configuration 'cmo-01', field 'context.expression': expression" in found
    assert "does not parse" in found
    (found,) = messages(tiny, network="andere")
    assert found.endswith(
        "field 'network_id': got 'andere'; expected 'tiny', the network whose configuration "
        "names this theory"
    )


def test_ties_outside_a_partners_membership(tiny):
    config, data_dir = with_theory(tiny)
    ties = data_dir / "tiny" / "ties.csv"
    # wave 1 is 2023-03-01; the residents' council joined on 2023-06-01
    ties.write_text(ties.read_text() + "tiny,1,bewoners,gemeente,information,1,,,,,,\n")
    partners = data_dir / "tiny" / "partners.csv"
    partners.write_text(
        partners.read_text().replace("welfare,2020-01-01,", "welfare,2020-01-01,2023-05-31")
    )
    found = [str(f) for f in validate_study(config, data_dir)]
    member = "expected a partner that is a member on the wave's date"
    assert found == [
        # welzijn left on 2023-05-31: its wave-2 ties (rows 6 and 7) are outside
        f"{ties}, row 6, column 'target': partner 'welzijn' is a member from 2020-01-01 "
        f"to 2023-05-31 (partners.csv), but this tie is in wave 2, dated 2023-09-01; {member}",
        f"{ties}, row 7, column 'source': partner 'welzijn' is a member from 2020-01-01 "
        f"to 2023-05-31 (partners.csv), but this tie is in wave 2, dated 2023-09-01; {member}",
        f"{ties}, row 8, column 'source': partner 'bewoners' is a member from 2023-06-01 "
        f"to now (partners.csv), but this tie is in wave 1, dated 2023-03-01; {member}",
    ]


def test_the_appreciation_table_is_checked(tiny):
    config, data_dir = with_theory(tiny)
    table = data_dir / "tiny" / "appreciation.csv"
    table.write_text(
        table.read_text()
        .replace("direct,overlast,7", "direct,onbekend,7")
        .replace("par-1,gemeente", "par-1,provincie")
    )
    found = [str(f) for f in validate_study(config, data_dir)]
    assert found == [  # every fault at once: the reference and the value definition's
        f"{table}, row 3, column 'partner_id': partner 'provincie' is not in partners.csv",
        f"{table}, row 2, column 'indicator_id': indicator 'onbekend' is not in the value "
        "definition (indicators in the network config: overlast)",
    ]
    table.write_text(table.read_text().replace("par-1,provincie", "par-1,gemeente"))
    found = [str(f) for f in validate_study(config, data_dir)]
    assert found == [
        f"{table}, row 2, column 'indicator_id': indicator 'onbekend' is not in the value "
        "definition (indicators in the network config: overlast)"
    ]
    table.write_text(table.read_text().replace(",7\n", ",11\n"))
    found = [str(f) for f in validate_study(config, data_dir)]
    assert len(found) == 2 and "row 2, column 'rating'" in found[0]
    assert "indicator 'onbekend'" in found[1]


def test_cli_validate_reports_theory_faults(tiny, capsys):
    config_dir, data_dir = tiny
    with_theory(tiny, expression="area == 'Noord'")
    args = ["validate", "tiny", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "compares column 'area' with 'Noord', which no row of" in out
    assert "tiny: INVALID (1 fault" in out
    with_theory(tiny)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("tiny: valid (configuration, theory ")
    assert "appreciation.csv and " in out


@pytest.mark.parametrize("network_id", ["wijk-noord", "energie-regio", "ggz-netwerk"])
def test_the_example_networks_pass_every_check(network_id):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    config = load_config(network_id, root / "config")
    assert validate_study(config, root / "data") == []


def test_theory_template_from_init_checks_against_units(tiny):
    # the init template names columns (age, buurtcoach, wellbeing): against a units
    # table without 'age' validate says so, naming the configuration and field
    from netwerkonderzoek.scaffold import theory_template

    config_dir, data_dir = tiny
    (config_dir / "theories").mkdir()
    (config_dir / "theories" / "tiny.yaml").write_text(theory_template("tiny"), encoding="utf-8")
    config = load_config("tiny", config_dir)  # default theory file
    found = [str(f) for f in validate_study(config, data_dir)]
    assert found == [
        f"{(config_dir / 'theories' / 'tiny.yaml').resolve()}: configuration 'cmo-01', "
        "field 'context.expression': column 'age' is not in "
        f"{data_dir / 'tiny' / 'units.csv'}"
    ]


def test_placeholders_left_from_init_are_faults(tmp_path, capsys):
    from netwerkonderzoek.scaffold import init_network

    config_dir, data_dir = tmp_path / "config", tmp_path / "data"
    written = init_network("wijk-zuid", config_dir, data_dir)
    assert (
        main(
            ["validate", "wijk-zuid", "--config-dir", str(config_dir), "--data-dir", str(data_dir)]
        )
        == 1
    )
    out = capsys.readouterr().out
    for key in ("name", "mission", "task"):
        assert (
            f"{written[0].resolve()}: key '{key}': still the placeholder of "
            "'netwerkonderzoek init' ('VUL IN / FILL IN: "
        ) in out
    assert f"{data_dir / 'wijk-zuid' / 'partners.csv'}: file not found" in out
    assert "wijk-zuid: INVALID (10 faults)" in out


def test_the_appreciation_table_loads_and_validates_with_the_others(tiny):
    """An optional table goes through tables.py like the required ones."""
    from netwerkonderzoek.tables import load_network, load_table, validate_network

    config, data_dir = with_theory(tiny)
    table = data_dir / "tiny" / "appreciation.csv"
    data = load_network(config, data_dir)
    assert data.appreciation.equals(load_table(config, "appreciation", data_dir))
    assert len(data.appreciation) == len(table.read_text().splitlines()) - 1
    table.write_text(table.read_text().replace("par-1,gemeente", "par-1,provincie"))
    assert [str(f) for f in validate_network(config, data_dir)] == [
        f"{table}, row 3, column 'partner_id': partner 'provincie' is not in partners.csv"
    ]
    table.unlink()  # optional: without the file the table is empty, and nothing is wrong
    assert validate_network(config, data_dir) == []
    empty = load_network(config, data_dir).appreciation
    assert empty.empty and "rating" in empty.columns


def test_the_subgroups_of_the_config_are_0_1_columns_of_the_units(tiny):
    import yaml

    from netwerkonderzoek.config import load_config

    config, data_dir = with_theory(tiny)
    config_dir = data_dir.parent / "config"
    yaml_path = config_dir / "networks" / "tiny.yaml"
    raw = yaml.safe_load(yaml_path.read_text())
    raw["study"]["subgroups"] = ["vrouw", "area"]
    yaml_path.write_text(yaml.safe_dump(raw, sort_keys=False))
    config = load_config("tiny", config_dir=config_dir)
    units = data_dir / "tiny" / "units.csv"
    found = [str(f) for f in validate_study(config, data_dir) if "subgroup" in str(f)]
    assert found[0].startswith(
        f"{units}, column 'vrouw': subgroup column 'vrouw' (study.subgroups in the network "
        "config) is not a column of the units table; its columns are "
    )
    assert found[1].startswith(
        f"{units}, column 'area': subgroup column 'area' (study.subgroups) must hold 0 and 1; got "
    )
