"""Fixtures for the register's database tests."""

from __future__ import annotations

import pytest

from govinspect.registry.services import load_sichuan, register_tables


@pytest.fixture
def sichuan_db(db):
    """The database with the shipped Sichuan register loaded."""
    load_sichuan()
    return db


@pytest.fixture
def snapshot():
    """The whole register as export rows: equal snapshots mean the same register."""
    return register_tables
