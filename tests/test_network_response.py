"""Tests for netwerkonderzoek.network.response: non-response travels with the measures."""

from __future__ import annotations

import pandas as pd

from netwerkonderzoek.network import (
    flag_nonresponse,
    network_measures,
    partner_measures,
    read_survey_response,
    response_rates,
)

RESPONSE = pd.DataFrame(
    {
        "network_id": "tiny",
        "wave": [1, 1, 1, 1],
        "partner_id": ["a", "b", "c", "d"],
        "member": [True, True, True, False],  # d answered before it joined
        "responses": [1, 2, 0, 1],
        "responded": [True, True, False, True],
    }
)
PARTNERS = pd.DataFrame({"partner_id": list("abc"), "kind": ["care", "housing", "welfare"]})
TIES = pd.DataFrame(
    {
        "wave": [1, 1, 1],
        "source": ["a", "b", "a"],
        "target": ["b", "a", "c"],
        "tie_type": ["information"] * 3,
        "weight": [1.0] * 3,
    }
)


def test_response_rates_per_wave():
    rates = response_rates(RESPONSE)
    # hand count: members a, b, c; a and b responded; d is no member at the wave date
    assert rates.to_dict("records") == [
        {
            "wave": 1,
            "members": 3,
            "responded": 2,
            "response_rate": 2 / 3,
            "non_respondents": "c",
            "outside_members": 1,
        }
    ]
    assert response_rates(None).empty


def test_measures_say_which_values_miss_reports(tmp_path):
    RESPONSE.to_csv(tmp_path / "survey_response.csv", index=False)
    response = read_survey_response(tmp_path)
    assert response["responded"].tolist() == [True, True, False, True]
    flagged = flag_nonresponse(network_measures(TIES, PARTNERS), response)
    assert flagged["response_rate"].tolist() == [2 / 3] * len(flagged)
    assert flagged["nonresponse_note"].iloc[0] == (
        "1 of 3 partners did not respond (c): their outgoing ties are unknown, so measures "
        "of outgoing reports are lower bounds"
    )
    partners = flag_nonresponse(partner_measures(TIES, PARTNERS), response).set_index("partner_id")
    assert partners["responded"].to_dict() == {"a": True, "b": True, "c": False}
    assert partners.loc["c", "nonresponse_note"] == (
        "did not respond in wave 1: out_degree, degree, out_strength, constraint, trust_given "
        "unknown (lower bounds)"
    )
    assert partners.loc["a", "nonresponse_note"] == ""
    assert read_survey_response(tmp_path / "nowhere") is None
    assert flag_nonresponse(TIES, None) is TIES
