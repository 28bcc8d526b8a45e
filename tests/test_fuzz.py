"""The mutation fuzzer (tests/fuzz.py) in every test run: a few hundred seeded cases."""

from __future__ import annotations

import os

from tests import fuzz_import
from tests.fuzz import MUTATIONS, run


def test_mutations_never_break_orgmodel() -> None:
    seed = int(os.environ.get("ORGMODEL_FUZZ_SEED", "20261201"))
    outcome = run(int(os.environ.get("ORGMODEL_FUZZ_CASES", "220")), seed, cli_every=20, quiet=True)
    assert set(outcome.cases) == set(MUTATIONS)
    assert not outcome.defects, f"seed {seed} (rerun: ORGMODEL_FUZZ_SEED={seed}):\n" + "\n".join(
        outcome.defects[:20]
    )


def test_mutated_imports_never_break_orgmodel() -> None:
    """HR exports, ArchiMate files and event logs (tests/fuzz_import.py), in this process."""
    seed = int(os.environ.get("ORGMODEL_FUZZ_SEED", "20261201"))
    count = int(os.environ.get("ORGMODEL_FUZZ_IMPORT_CASES", "250"))
    outcome = fuzz_import.run(count, seed, quiet=True)
    assert set(outcome.cases) == set(fuzz_import.MUTATIONS)
    assert outcome.exits[0] and outcome.exits[2]  # the mutations make good and bad inputs
    assert not outcome.defects, f"seed {seed} (rerun: ORGMODEL_FUZZ_SEED={seed}):\n" + "\n".join(
        outcome.defects[:20]
    )
