import hashlib
import hmac

import pandas as pd
import pytest

from netwerkonderzoek.privacy import (
    PrivacyError,
    detect_identifiers,
    is_bsn,
    load_key,
    pseudonymise,
    safe_path,
    suppress_small_counts,
)


def test_pseudonyms_are_keyed_hmac_and_stable():
    key = b"0123456789abcdef-demo"
    ids = pd.Series(["r-1", "r-2", "r-1", None])
    out = pseudonymise(ids, key)
    # by hand: HMAC-SHA256(key, "r-1"), first 16 hex digits
    expected = "p-" + hmac.new(key, b"r-1", hashlib.sha256).hexdigest()[:16]
    assert out[0] == out[2] == expected
    assert out[1] != out[0]
    assert pd.isna(out[3])
    assert pseudonymise(ids, b"another-key-0123456")[0] != expected


def test_key_from_environment_or_file(tmp_path):
    assert (
        load_key(environ={"NETWERKONDERZOEK_KEY": " 0123456789abcdefX \n"}) == b"0123456789abcdefX"
    )
    keyfile = tmp_path / "key.txt"
    keyfile.write_text("file-key-0123456789\n")
    assert load_key(keyfile, environ={}) == b"file-key-0123456789"
    with pytest.raises(PrivacyError, match=r"no pseudonymisation key: .*NETWERKONDERZOEK_KEY"):
        load_key(environ={})
    with pytest.raises(PrivacyError, match="key file not found"):
        load_key(tmp_path / "nope", environ={})
    with pytest.raises(PrivacyError, match="too short"):
        load_key(environ={"NETWERKONDERZOEK_KEY": "kort"})


@pytest.mark.parametrize(
    ("value", "valid"),
    # 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6*11 (hand calculation)
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("11122233", False),
        ("1112.22.333", True),
        ("abc", False),
    ],
)
def test_bsn_eleven_test(value, valid):
    assert is_bsn(value) is valid


def test_detects_direct_identifiers():
    df = pd.DataFrame(
        {
            "Naam": ["Jan Jansen", "Fatima el Amrani", "Kees"],
            "mail": ["jan@voorbeeld.nl", "f.amrani@mail.com", ""],
            "telefoon": ["06-12345678", "010 1234567", "+31612345678"],
            "adres": ["Kerkstraat 12", "Dorpsweg 3a", "1234 AB"],
            "bsn": ["111222333", "123456782", "123456789"],
            "uren": ["12,5", "3", "8"],
            "organisatie": ["Gemeente Noordstad", "Woonstichting Thuis", "GGZ Regio"],
        }
    )
    found = detect_identifiers(df).set_index("column")
    assert found.loc["Naam", "kind"] == "name"
    assert found.loc["mail", "kind"] == "email" and found.loc["mail", "values"] == 2
    assert found.loc["telefoon", "kind"] == "phone" and found.loc["telefoon", "values"] == 3
    assert found.loc["adres", "kind"] == "address"
    assert found.loc["bsn", "kind"] == "bsn" and found.loc["bsn", "values"] == 2
    assert found.loc["Naam", "values"] == 3
    # hours and organisation names (partners, not persons) are not identifiers
    assert sorted(found.index) == ["Naam", "adres", "bsn", "mail", "telefoon"]
    orgs = pd.DataFrame({"Naam organisatie": ["Gemeente Noordstad", "GGZ Regio"]})
    assert detect_identifiers(orgs).empty


def test_small_counts_primary_and_secondary():
    # hand example: row totals and column totals are published
    t = pd.DataFrame(
        {"role": ["resident", "partner", "funder"], "pos": [10, 3, 7], "neg": [8, 6, 9]}
    )
    out = suppress_small_counts(t, ["pos", "neg"])
    # 3 (partner, pos) is primary; its row needs a second cell (6), its column too (7):
    # then column neg has one hidden cell (6) -> hide 8; row funder has one (7) -> hide 9;
    # row resident then has one (8) -> hide 10.
    assert out["suppressed"].tolist() == ["pos;neg", "pos;neg", "pos;neg"]
    single = pd.DataFrame({"code": ["a", "b", "c", "d"], "n": [0, 3, 20, 30]})
    out = suppress_small_counts(single, ["n"])
    assert out["n"].tolist() == [
        0,
        pd.NA,
        pd.NA,
        30,
    ]  # zero stays; 20 hidden so 3 can't be derived
    grouped = pd.DataFrame({"g": ["x", "x", "y", "y"], "n": [2, 50, 40, 60]})
    out = suppress_small_counts(grouped, ["n"], within=["g"])
    assert out["suppressed"].tolist() == ["n", "n", "", ""]
    nothing = suppress_small_counts(pd.DataFrame({"n": [5, 6]}), ["n"])
    assert nothing["n"].tolist() == [5, 6] and nothing["suppressed"].tolist() == ["", ""]


def test_safe_path(tmp_path):
    assert safe_path(tmp_path, "a", "b") == (tmp_path / "a" / "b").resolve()
    for bad in ["../x", "..", "a/b", "x\ny", "", "a\\b"]:
        with pytest.raises(PrivacyError):
            safe_path(tmp_path, bad)


def test_key_file_comment_lines_are_not_part_of_the_key(tmp_path):
    keyfile = tmp_path / "demo.key"
    keyfile.write_text("# public demo key\n  # another comment\nfile-key-0123456789\n")
    assert load_key(keyfile, environ={}) == b"file-key-0123456789"
    keyfile.write_text("# only a comment\n")
    with pytest.raises(PrivacyError, match="no pseudonymisation key"):
        load_key(keyfile, environ={})


def test_pseudonyms_of_many_ids_equal_the_one_by_one_hmac():
    from netwerkonderzoek.privacy import pseudonymise_value

    ids = pd.Series([f"CL-{i:06d}" for i in range(500)])
    # a key longer than the 64-byte block is hashed first (RFC 2104)
    for key in (b"0123456789abcdef", b"k" * 100):
        assert pseudonymise(ids, key).tolist() == [pseudonymise_value(v, key) for v in ids]


def test_dates_and_periods_are_not_identifiers():
    import datetime as dt

    df = pd.DataFrame(
        {
            "Maand": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)],  # 20240101 passes the 11-test
            "Datum": ["2024-01-01", "2024-02-01"],
            "Kwartaal": ["Q1 2024", "Q2 2024"],
            "Periode": ["Maart 2024", "april 2024"],
        }
    )
    assert detect_identifiers(df).empty


def test_a_key_file_that_is_not_utf8_is_a_named_fault(tmp_path):
    """Issue 16, point 8: a Latin-1 key file once raised a bare UnicodeDecodeError."""
    key_file = tmp_path / "netwerk.key"
    key_file.write_bytes("sleutel-met-een-é-en-genoeg-tekens".encode("latin-1"))
    with pytest.raises(
        PrivacyError,
        match=r"netwerk.key is not UTF-8 text \(invalid continuation byte at byte 16\)",
    ):
        load_key(key_file, environ={})
