"""Scope is enforced through one module: a province admin sees all, a city admin its
region and below, an organizer its own sites, a user without a role (or anonymous) nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from govinspect.accounts import audit, scope
from govinspect.accounts.models import AuditEntry, Profile, Role
from govinspect.registry.models import Account, Region, Site
from govinspect.registry.services import load_sichuan

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def sichuan(db):
    load_sichuan()


def make_user(name: str, role: str | None = None, **kw) -> User:
    user = User.objects.create_user(name, password="pw")
    if role:
        Profile.objects.create(user=user, role=role, **kw)
    return user


def test_province_admin_sees_everything(sichuan):
    admin = make_user("prov", Role.PROVINCE_ADMIN)
    assert scope.visible_sites(admin).count() == 664
    assert scope.visible_accounts(admin).count() == 3722


def test_city_admin_sees_its_region_and_below_including_zones(sichuan):
    chengdu = Region.objects.get(code="510100")
    user = make_user("cd", Role.CITY_ADMIN, region=chengdu)
    sites = scope.visible_sites(user)
    assert sites.count() == 63  # the notice's 成都 row
    assert scope.visible_accounts(user).count() == 622
    assert not sites.exclude(region__code__startswith="5101").exists()
    assert scope.visible_regions(user).filter(code="510171").exists()  # 成都高新区
    assert not scope.visible_regions(user).filter(code="510300").exists()


def test_organizer_sees_only_its_own(sichuan):
    site = Site.objects.filter(region__code__startswith="5103").first()
    user = make_user("org", Role.ORGANIZER, organizer=site.organizer)
    visible = scope.visible_sites(user)
    assert site in visible
    assert set(visible.values_list("organizer_id", flat=True)) == {site.organizer_id}
    assert not scope.can_review(user)


def test_no_role_and_anonymous_see_nothing(sichuan):
    assert scope.visible_sites(make_user("nobody")).count() == 0
    assert scope.visible_sites(AnonymousUser()).count() == 0
    assert scope.visible_regions(AnonymousUser()).count() == 0


def test_restrict_follows_a_foreign_key(sichuan):
    deyang = Region.objects.get(code="510600")
    user = make_user("dy", Role.CITY_ADMIN, region=deyang)
    # Accounts are reached directly; a model with a site FK would use via="site".
    assert scope.restrict(Account.objects.all(), user).count() == 89


def test_audit_entry_keeps_who_before_after_and_masks(sichuan):
    user = make_user("prov", Role.PROVINCE_ADMIN)
    site = Site.objects.first()
    before = audit.snapshot(site, ["name", "status"])
    site.name = "联系13812345678的网站"
    after = audit.snapshot(site, ["name", "status"])
    entry = audit.record(user, "registry.site.edit", site, before, after)
    assert AuditEntry.objects.get(pk=entry.pk).username == "prov"
    assert entry.after["name"] == "联系138****5678的网站"
    assert entry.object_type == "registry.site"


def test_profile_validation_requires_scope():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Profile(role=Role.ORGANIZER).clean()
    with pytest.raises(ValidationError):
        Profile(role=Role.CITY_ADMIN).clean()
