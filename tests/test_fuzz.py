"""The mutation fuzzer (tests/fuzz.py) in every test run: a few hundred seeded cases."""

from __future__ import annotations

import os

from tests.fuzz import MUTATIONS, run


def test_mutations_never_break_orgmodel() -> None:
    seed = int(os.environ.get("ORGMODEL_FUZZ_SEED", "20261201"))
    outcome = run(int(os.environ.get("ORGMODEL_FUZZ_CASES", "220")), seed, cli_every=20, quiet=True)
    assert set(outcome.cases) == set(MUTATIONS)
    assert not outcome.defects, f"seed {seed} (rerun: ORGMODEL_FUZZ_SEED={seed}):\n" + "\n".join(
        outcome.defects[:20]
    )
