"""Comparing a current and a proposed organization, and judging a proposal against a policy.

- :mod:`orgmodel.compare.figures`: the journey figures a comparison reports and a ratchet holds;
- :mod:`orgmodel.compare.diff`: structural changes, figure deltas, findings introduced and
  resolved (``orgmodel diff``);
- :mod:`orgmodel.compare.policy`: the verdict of ``orgmodel check``: ratchet, waivers, fail-on.

This package imports nothing at load time, so :mod:`orgmodel.config` can use its figures.
"""
