"""`sandbox point-register`: the Django register's home URLs move to the sandbox addresses and back."""

from __future__ import annotations

import pytest

from govinspect.sandbox import build
from govinspect.sandbox.register import point_register, restore_register, sandbox_addresses


@pytest.fixture
def small_sandbox(tmp_path):
    build(tmp_path, seed=2, sites=5, pages_per_site=15)
    return tmp_path


def test_point_and_restore(db, small_sandbox):
    from govinspect.registry.models import Site
    from govinspect.registry.services import load_sichuan

    load_sichuan()
    original = dict(Site.objects.values_list("site_code", "home_url"))
    changed, missing = point_register(small_sandbox)
    assert (changed, missing) == (5, 0)
    addresses = sandbox_addresses(small_sandbox)
    now = dict(Site.objects.values_list("site_code", "home_url"))
    for code, url in addresses.items():
        assert now[code] == url and url.startswith("http://127.0.0.1:81")
    assert sum(1 for code in now if now[code] != original[code]) == 5
    # a second sandbox with another base port: addresses swap without unique collisions
    changed, _ = point_register(small_sandbox, base_port=8102)
    assert changed == 5
    restore_register()
    assert dict(Site.objects.values_list("site_code", "home_url")) == original
