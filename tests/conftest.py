"""Shared fixtures: a tiny, valid network built inline (no dependence on data/)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent

TINY_CONFIG = """\
network_id: tiny
name: Klein netwerk
mission: Samen de wijk leefbaarder maken.
task: leefbaarheid
study:
  start: "2023-01"
  end: "2023-12"
  waves:
    - {wave: 1, date: 2023-03-01}
    - {wave: 2, date: 2023-09-01}
  language: nl
  seed: 7
indicators:
  - id: overlast
    label_nl: Meldingen van overlast
    label_en: Nuisance reports
    unit: meldingen
    perspective: societal
    form: direct
    direction: decrease
"""

TINY_TABLES = {
    "partners": """\
network_id,partner_id,name,kind,sector,joined,left
tiny,gemeente,Gemeente Klein,municipality,public,2020-01-01,
tiny,corporatie,Woonstichting Klein,housing,housing,2020-01-01,
tiny,welzijn,Welzijn Klein,welfare,welfare,2020-01-01,
tiny,bewoners,Bewonersraad,residents,civil society,2023-06-01,
""",
    "ties": """\
network_id,wave,source,target,tie_type,weight,power_influence,involvement,resource_contribution,reliability,mission_support,open_discussion
tiny,1,gemeente,corporatie,information,2,3,3,2,3,4,3
tiny,1,corporatie,gemeente,information,1,3,2,2,3,3,3
tiny,1,welzijn,gemeente,joint_delivery,1.5,2,3,2,4,4,4
tiny,2,gemeente,corporatie,information,2,3,3,3,3,4,3
tiny,2,bewoners,welzijn,information,1,2,2,1,3,3,2
tiny,2,welzijn,bewoners,joint_delivery,1,,,,,,
""",
    "contributions": """\
network_id,partner_id,period,activity,hours,costs_eur,value_type
tiny,gemeente,2023-01,overleg,12,0,network
tiny,corporatie,2023-01,huisbezoeken,30.5,1200,societal
""",
    "indicators": """\
network_id,indicator_id,period,area,value,unit
tiny,overlast,2023-01,noord,14,meldingen
tiny,overlast,2023-02,noord,11,meldingen
""",
    "units": """\
network_id,unit_id,wave,area,wellbeing,buurtcoach
tiny,r-1,1,noord,6.5,1
tiny,r-2,1,noord,5.0,0
""",
    "observations": """\
network_id,observation_id,date,source_role,partner_id,text,codes,sentiment
tiny,obs-1,2023-04-02,partner,corporatie,"We weten elkaar nu sneller te vinden.",cmo-01;network,0.6
""",
    "events": """\
network_id,date,title,kind,description,partner_id
tiny,2023-06-01,Bewonersraad sluit aan,partner_joins,,bewoners
""",
    "appreciation": """\
network_id,period,stakeholder_group,respondent_id,partner_id,perspective,form,indicator_id,rating
tiny,2023-06,residents,res-1,,societal,direct,overlast,7
tiny,2023-06,partners,par-1,gemeente,network,indirect,,8
""",
}


def make_tiny_network(root: Path) -> tuple[Path, Path]:
    """Write the tiny network under ``root``; return (config_dir, data_dir)."""
    config_dir, data_dir = root / "config", root / "data"
    (config_dir / "networks").mkdir(parents=True)
    (config_dir / "networks" / "tiny.yaml").write_text(TINY_CONFIG, encoding="utf-8")
    (data_dir / "tiny").mkdir(parents=True)
    for name, text in TINY_TABLES.items():
        (data_dir / "tiny" / f"{name}.csv").write_text(text, encoding="utf-8")
    return config_dir, data_dir


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny valid network ``tiny`` in a temporary project; (config_dir, data_dir)."""
    return make_tiny_network(tmp_path)


@pytest.fixture
def notebook_dir(tmp_path: Path) -> Path:
    """A copy of the project's study notebooks."""
    target = tmp_path / "notebooks"
    shutil.copytree(
        ROOT / "notebooks", target, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    return target


EXAMPLE_RUNS = ("wijk-noord", "ggz-netwerk", "energie-regio")


@pytest.fixture(scope="session")
def example_runs(tmp_path_factory) -> dict[str, Path]:
    """Full study runs of two example networks, once per session: ``{network_id: run folder}``."""
    from netwerkonderzoek.runner import run_network

    output = tmp_path_factory.mktemp("example-output")
    done = {}
    for network_id in EXAMPLE_RUNS:
        result = run_network(
            network_id,
            config_dir=ROOT / "config",
            data_dir=ROOT / "data",
            output_dir=output,
            notebook_dir=ROOT / "notebooks",
            force=True,
        )
        assert result.status == "complete", result
        done[network_id] = result.path
    return done
