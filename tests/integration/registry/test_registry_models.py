"""Model validation and constraints of the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from govinspect.registry.models import Account, Filing, Organizer, Region, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def chengdu() -> dict:
    province = Region.objects.create(code="510000", name="四川省", level="province")
    city = Region.objects.create(code="510100", name="成都市", level="city", parent=province)
    county = Region.objects.create(code="510104", name="锦江区", level="county", parent=city)
    organizer = Organizer.objects.create(name="锦江区人民政府办公室", region=county)
    return {"province": province, "city": city, "county": county, "organizer": organizer}


def _site(organizer: Organizer, **kw) -> Site:
    values = {
        "site_code": "5101040001",
        "name": "锦江区人民政府",
        "home_url": "http://www.jinjiang.gov.cn/",
        "organizer": organizer,
        "category": "county_portal",
    }
    return Site(**{**values, **kw})


@pytest.mark.parametrize("code", ["5101040001", "bm12345678"])
def test_valid_site_codes(chengdu, code) -> None:
    site = _site(chengdu["organizer"], site_code=code)
    site.region = chengdu["county"]
    site.full_clean()


@pytest.mark.parametrize("code", ["510104001", "51010400011", "BM12345678", "bm1234567", "51010400a1"])
def test_invalid_site_codes(chengdu, code) -> None:
    site = _site(chengdu["organizer"], site_code=code)
    site.region = chengdu["county"]
    with pytest.raises(ValidationError) as exc:
        site.full_clean()
    assert "site_code" in exc.value.message_dict


def test_site_region_follows_its_organizer(chengdu) -> None:
    site = _site(chengdu["organizer"])
    site.save()
    assert site.region == chengdu["county"]
    site.organizer = Organizer.objects.create(name="成都市人民政府办公室", region=chengdu["city"])
    site.save()
    assert Site.objects.get(pk=site.pk).region == chengdu["city"]


def test_site_url_and_hosts_are_stored_normalised(chengdu) -> None:
    site = _site(chengdu["organizer"], home_url="HTTP://WWW.JinJiang.gov.cn:80", extra_hosts=[" JinJiang.gov.cn"])
    site.save()
    site.refresh_from_db()
    assert (site.home_url, site.extra_hosts) == ("http://www.jinjiang.gov.cn/", ["jinjiang.gov.cn"])


def test_site_rejects_bad_url_category_and_hosts(chengdu) -> None:
    site = _site(chengdu["organizer"], home_url="ftp://x", category="town", extra_hosts="x.gov.cn")
    site.region = chengdu["county"]
    with pytest.raises(ValidationError) as exc:
        site.full_clean()
    assert {"home_url", "category", "extra_hosts"} <= set(exc.value.message_dict)


def test_unique_site_code_url_and_organizer(chengdu) -> None:
    _site(chengdu["organizer"]).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _site(chengdu["organizer"], home_url="http://other.gov.cn/").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _site(chengdu["organizer"], site_code="5101040002").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organizer.objects.create(name="锦江区人民政府办公室", region=chengdu["county"])
    Organizer.objects.create(name="锦江区人民政府办公室", region=chengdu["city"])  # same name, other region: fine


def test_region_hierarchy_rules(chengdu) -> None:
    with pytest.raises(ValidationError):
        Region(code="510105", name="青羊区", level="county").full_clean()  # no parent
    with pytest.raises(ValidationError):
        Region(code="510105", name="青羊区", level="province", parent=chengdu["province"]).full_clean()
    with pytest.raises(ValidationError):
        Region(code="51010", name="x", level="county", parent=chengdu["city"]).full_clean()  # 5 digits
    Region(code="510105", name="青羊区", level="county", parent=chengdu["city"]).full_clean()
    # 省直辖县级行政区划: a county-level unit may sit directly under its province.
    Region(code="519001", name="某市", level="county", parent=chengdu["province"]).full_clean()
    with pytest.raises(ValidationError):
        Region(code="510199", name="x", level="city", parent=chengdu["city"]).full_clean()


def test_account_unique_per_platform_id(chengdu) -> None:
    Account.objects.create(platform="wechat", name="锦江发布", platform_id="gh_1", organizer=chengdu["organizer"])
    Account.objects.create(platform="weibo", name="锦江发布", platform_id="gh_1", organizer=chengdu["organizer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(platform="wechat", name="另一个", platform_id="gh_1", organizer=chengdu["organizer"])
    assert Account.objects.first().region == chengdu["county"]


def test_filing_is_for_exactly_one_site_or_account(chengdu) -> None:
    site = _site(chengdu["organizer"])
    site.save()
    account = Account.objects.create(
        platform="wechat", name="锦江发布", platform_id="gh_1", organizer=chengdu["organizer"]
    )
    Filing.objects.create(date=dt.date(2025, 3, 1), kind="open", site=site)
    Filing.objects.create(date=dt.date(2025, 3, 1), kind="close", account=account)
    with pytest.raises(ValidationError):
        Filing(date=dt.date(2025, 3, 1), kind="open").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.create(date=dt.date(2025, 3, 1), kind="open", site=site, account=account)
    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.create(date=dt.date(2025, 3, 1), kind="open")
    assert [str(f.get_kind_display()) for f in site.filings.all()] == ["开设"]


def test_admin_pages_render(chengdu, admin_client) -> None:
    site = _site(chengdu["organizer"])
    site.save()
    for url in ("region", "organizer", "site", "account", "filing"):
        assert admin_client.get(f"/admin/registry/{url}/").status_code == 200
    response = admin_client.get(f"/admin/registry/site/{site.pk}/change/")
    assert response.status_code == 200
    assert "网站标识码" in response.content.decode()
    assert admin_client.get("/admin/registry/site/?q=锦江").status_code == 200
