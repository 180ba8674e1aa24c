"""A small register for the new-media database tests."""

from __future__ import annotations

import pytest

from govinspect.registry.models import Account, Organizer, Region


@pytest.fixture
def accounts(db):
    province = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="四川省某某厅", region=province)
    other = Organizer.objects.create(name="四川省另一厅", region=province)
    rows = {
        "weibo": Account.objects.create(
            platform="weibo", name="某某发布", platform_id="https://weibo.com/u/1", organizer=org
        ),
        "wechat": Account.objects.create(platform="wechat", name="某某厅", platform_id="gh_a", organizer=org),
        "wechat2": Account.objects.create(platform="wechat", name="某某厅服务号", platform_id="gh_b", organizer=org),
        "app": Account.objects.create(platform="app", name="某某App", platform_id="cn.gov.app", organizer=other),
        "closed": Account.objects.create(
            platform="douyin",
            name="旧号",
            platform_id="https://www.douyin.com/user/old",
            organizer=other,
            status="closed",
        ),
    }
    return rows
