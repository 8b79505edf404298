"""Structured logs of workshop writes: one JSON line per write on the ``papi.workshop`` logger.

No personal data: never a name, a note or an address; the workshop appears as a short hash of its code
(the code itself is the key to the workshop), with the scenario id, the action and the new version.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sys

LOGGER = logging.getLogger("papi.workshop")


def _setup() -> None:
    """A stderr handler of its own (Streamlit configures only its loggers), added once per process."""
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False


def workshop_hash(code: str) -> str:
    """A stable, short stand-in for a workshop code in the logs (12 hex digits of its SHA-256)."""
    return hashlib.sha256(code.encode()).hexdigest()[:12]


def wrote(action: str, backend: str, code: str, scenario: int | None = None, version: int | None = None,
          count: int | None = None) -> None:
    """Log one committed write."""
    _setup()
    record = {"event": "workshop.write", "action": action, "backend": backend, "workshop": workshop_hash(code)}
    for key, value in (("scenario", scenario), ("version", version), ("count", count)):
        if value is not None:
            record[key] = value
    LOGGER.info(json.dumps(record, sort_keys=True))
