"""Event logs: read CSV, XES and Parquet logs, find their variants, waits and handovers, and
calibrate a model's journeys against them. Conventions: docs/eventlogs.md."""

from orgmodel.eventlog.handover import Handover, handover
from orgmodel.eventlog.log import EventLog, Instance, build_log
from orgmodel.eventlog.reader import Columns, LogInvalid, read_rows
from orgmodel.eventlog.variants import Variant, variants

__all__ = [
    "Columns",
    "EventLog",
    "Handover",
    "Instance",
    "LogInvalid",
    "Variant",
    "build_log",
    "handover",
    "read_rows",
    "variants",
]
