"""Every discovered check honours the contract: a unique id from the findings table,
a valid severity and scope, and the right base class for its scope."""

import pytest

from govinspect.engine.checks import base
from govinspect.engine.checks.registry import all_checks, enabled_checks
from govinspect.findings import CHECK_IDS, SEVERITIES


def test_every_check_id_is_in_the_contract():
    checks = all_checks()
    unknown = sorted(set(checks) - CHECK_IDS)
    assert not unknown, f"check ids missing from findings.FINGERPRINT_KEYS: {unknown}"


@pytest.mark.parametrize("check_id", sorted(all_checks()))
def test_check_class_is_well_formed(check_id):
    cls = all_checks()[check_id]
    assert cls.severity in SEVERITIES
    if cls.scope == "site":
        assert issubclass(cls, base.SiteCheck)
    else:
        assert issubclass(cls, base.PageCheck)


def test_unknown_ids_are_a_config_error():
    from govinspect.errors import ConfigError

    with pytest.raises(ConfigError, match=r"no\.such"):
        enabled_checks(frozenset({"no.such"}))
