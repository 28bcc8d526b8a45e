"""Comparing a current and a proposed organization, and judging a proposal against a policy.

- :mod:`orgmodel.compare.diff`: structural changes, figure deltas, findings introduced and
  resolved (``orgmodel diff``);
- :mod:`orgmodel.compare.policy`: the verdict of ``orgmodel check``: ratchet, waivers, fail-on.

The figures it compares are those of :mod:`orgmodel.analysis.figures`.
"""
