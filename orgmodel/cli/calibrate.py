"""``orgmodel calibrate``: a model's journeys against the measured ones of an event log."""

from __future__ import annotations

import click

command = click.Command("calibrate", help="(not yet)")
