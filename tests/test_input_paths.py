"""Files stay inside the project: no input is read from outside its network's folders.

Issue 16, point 6: a symlink in data/raw/ to a file elsewhere was followed
(21 lines of /etc/passwd landed in contributions.csv), and ``theory:
/etc/passwd`` validated.
"""

from __future__ import annotations

import pytest

from netwerkonderzoek import load_config, validate_network
from netwerkonderzoek.exceptions import ConfigError
from netwerkonderzoek.harmonise import HarmoniseError, harmonise_network

from .test_harmonise import HEADER, PARTNERS, make_config, source


@pytest.fixture
def network(tmp_path):
    """A data folder with a partner list and an empty raw folder: (data_dir, raw_dir)."""
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "partners.csv").write_text(PARTNERS, encoding="utf-8")
    raw = tmp_path / "raw" / "tiny"
    raw.mkdir(parents=True)
    return tmp_path, raw


@pytest.fixture
def secret(tmp_path):
    outside = tmp_path / "elders"
    outside.mkdir()
    path = outside / "passwd"
    path.write_text(HEADER + "root;jan 2024;x;0:0;root\n", encoding="utf-8")
    return path


def test_a_raw_symlink_out_of_the_raw_folder_is_refused(network, secret):
    data_dir, raw = network
    (raw / "uren.csv").symlink_to(secret)
    with pytest.raises(HarmoniseError, match=r"leads outside the network's raw folder"):
        harmonise_network(make_config(source()), data_dir)
    assert not (data_dir / "tiny" / "contributions.csv").exists()


def test_a_raw_path_with_dotdot_is_refused_by_the_config(network, secret):
    _, raw = network
    relative = "../../elders/passwd"
    assert (raw / relative).resolve() == secret.resolve()
    with pytest.raises(ValueError, match=r"file must lie inside data/raw/<network_id>/"):
        make_config(source(file=relative))


@pytest.mark.parametrize("theory", ["/etc/passwd", "../../elders/passwd"])
def test_a_theory_outside_the_config_folder_is_refused(tiny, theory):
    config_dir, _ = tiny
    path = config_dir / "networks" / "tiny.yaml"
    path.write_text(path.read_text() + f"theory: {theory}\n")
    with pytest.raises(ConfigError, match=r"key 'theory': the theory file .* lies outside"):
        load_config("tiny", config_dir)


def test_a_canonical_table_symlinked_elsewhere_is_a_fault(tiny, secret):
    config_dir, data_dir = tiny
    events = data_dir / "tiny" / "events.csv"
    secret.write_text(events.read_text())  # even a valid table: it is not the network's
    events.unlink()
    events.symlink_to(secret)
    faults = validate_network(load_config("tiny", config_dir), data_dir)
    assert [f.message for f in faults if "events.csv" in f.file] == [
        f"the file leads outside the network's data folder (to {secret.resolve()}); "
        f"expected a file in {(data_dir / 'tiny').resolve()}"
    ]
