"""Fixtures shared by every client compatibility module in tests/compat."""

from __future__ import annotations

import pytest

from tessera_server import Server, run_server


@pytest.fixture(scope="module")
def server(tmp_path_factory, request) -> Server:
    """One real `tessera serve` per test module: a fresh data directory, a free loopback
    port and a random admin password (see tessera_server.py)."""
    yield from run_server(tmp_path_factory, request)
