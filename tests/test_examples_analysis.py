"""Exact silo figures of the telecom examples: the three-dimensional enterprise in numbers.

The invoice question of the current organization, computed by hand from
examples/telecom/current.json (silos are the departments below the board):

    step unit             silo                touch  wait   work
     1   hotline          customer-service    yes    20m    10m
     2   hotline          customer-service           0      5m
     3   billing          finance                    3d     20m   handoff, crossing
     4   pricing-tariffs  product-management         2d     20m   handoff, crossing
     5   hotline          customer-service    yes    1d     10m   handoff, crossing, re-entry
     6   complaints       customer-service    yes    2d     15m   handoff, passed on
     7   accounting       finance                    5d     10m   handoff, crossing, re-entry
     8   accounting       finance             yes    1d     5m    passed on
     9   billing          finance             yes    10d    10m   handoff, passed on

6 handoffs, 4 crossings (no owner: all uncovered), passed on 3 times, 2 re-entries,
work 1h45m = 6300 s, wait 24d20m = 2074800 s, waiting at handoffs 3+2+1+2+5+10 = 23d.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgmodel.analysis import analyze
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# journey: (steps, handoffs, crossings, uncovered, passed on, ping-pong, max height,
#           waiting at handoffs [s], lead time [s])
CURRENT = {
    "invoice-question": (9, 6, 4, 4, 3, 2, 2, 1987200, 2081100),
    "prospect-inquiry": (10, 8, 7, 7, 3, 2, 2, 1555200, 1746300),
    "spare-part-order": (9, 8, 6, 6, 3, 2, 2, 892800, 905700),
    "usage-question": (9, 6, 5, 5, 3, 1, 2, 778500, 961800),
}
PROPOSED = {
    "invoice-question": (6, 4, 3, 0, 1, 2, 3, 190800, 195000),
    "prospect-inquiry": (7, 4, 4, 0, 3, 1, 3, 518400, 555600),
    "spare-part-order": (6, 5, 4, 0, 3, 1, 3, 75600, 83400),
    "usage-question": (4, 2, 2, 0, 0, 1, 3, 10800, 16500),
}


def silos_of(name: str):
    return analyze(build_enterprise(load_document(EXAMPLES / "telecom" / name))).section("silos")


@pytest.fixture(scope="module")
def current():
    return silos_of("current.json")


@pytest.fixture(scope="module")
def proposed():
    return silos_of("proposed.json")


def figures(section) -> dict[str, tuple]:
    return {
        j.journey: (
            j.steps,
            j.handoffs,
            j.crossings,
            j.uncovered_crossings,
            j.customer_handoffs,
            j.ping_pong,
            j.max_height,
            j.waiting_at_handoffs,
            j.lead_time,
        )
        for j in section.journeys
    }


def test_current_figures(current) -> None:
    assert figures(current) == CURRENT
    invoice = next(j for j in current.journeys if j.journey == "invoice-question")
    assert (invoice.work, invoice.wait) == (6300, 2074800)
    assert invoice.passed_on_steps == [6, 8, 9] and invoice.reentry_steps == [5, 7]


def test_proposed_figures(proposed) -> None:
    assert figures(proposed) == PROPOSED


def test_the_proposal_is_better_for_the_customer(current, proposed) -> None:
    c, p = current.totals, proposed.totals
    assert (c.uncovered_crossings, p.uncovered_crossings) == (22, 0)
    assert (c.customer_handoffs, p.customer_handoffs) == (12, 7)
    assert (c.waiting_at_handoffs, p.waiting_at_handoffs) == (5213700, 795600)
    assert (c.weighted.uncovered_crossings, p.weighted.uncovered_crossings) == (67200, 0)
    for jid in CURRENT:
        before, after = CURRENT[jid], PROPOSED[jid]
        assert after[3] < before[3] or before[3] == 0  # uncovered crossings
        assert after[7] < before[7]  # waiting at handoffs
