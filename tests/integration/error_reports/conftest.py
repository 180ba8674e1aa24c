"""A small province for the error-report tests: two cities, an organizer each, users of every role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from govinspect.accounts.models import Profile, Role
from govinspect.registry.models import Organizer, Region, Site


def _user(name: str, role: str | None = None, **profile) -> User:
    user = User.objects.create_user(name, password="pw-" + name)
    if role:
        Profile.objects.create(user=user, role=role, **profile)
    return user


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins
    cache.clear()
    province = Region.objects.create(code="510000", name="四川省", level="province")
    chengdu = Region.objects.create(code="510100", name="成都市", level="city", parent=province)
    jinjiang = Region.objects.create(code="510104", name="锦江区", level="county", parent=chengdu)
    zigong = Region.objects.create(code="510300", name="自贡市", level="city", parent=province)
    org_jj = Organizer.objects.create(name="锦江区人民政府办公室", region=jinjiang)
    org_zg = Organizer.objects.create(name="自贡市人民政府办公室", region=zigong)
    site_jj = Site.objects.create(
        site_code="5101040001",
        name="锦江区人民政府",
        home_url="http://jj.example.gov.cn/",
        organizer=org_jj,
        category="county_portal",
    )
    site_zg = Site.objects.create(
        site_code="5103000001",
        name="自贡市人民政府",
        home_url="http://zg.example.gov.cn/",
        organizer=org_zg,
        category="city_portal",
    )
    return SimpleNamespace(
        chengdu=chengdu,
        zigong=zigong,
        site_jj=site_jj,
        site_zg=site_zg,
        org_jj=org_jj,
        org_zg=org_zg,
        province_admin=_user("prov", Role.PROVINCE_ADMIN),
        chengdu_admin=_user("cd", Role.CITY_ADMIN, region=chengdu),
        zigong_admin=_user("zg", Role.CITY_ADMIN, region=zigong),
        organizer_jj=_user("org-jj", Role.ORGANIZER, organizer=org_jj),
        organizer_zg=_user("org-zg", Role.ORGANIZER, organizer=org_zg),
        nobody=_user("nobody"),
    )
