"""The notice's 找错 sentence comes from the error-report desk, over the whole quarter:
173 messages of which 2 answered late → 按时办结率 98.8%, as the 2025H2 notice says."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from govinspect.error_reports import services as desk
from govinspect.inspections import services
from govinspect.registry.models import Organizer, Region, Site
from govinspect.reports.notice import write_notice

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def site(db) -> Site:
    province = Region.objects.create(code="510000", name="四川省", level="province")
    city = Region.objects.create(code="510300", name="自贡市", level="city", parent=province)
    organizer = Organizer.objects.create(name="自贡市人民政府办公室", region=city)
    return Site.objects.create(
        site_code="5103000001", name="自贡市人民政府", home_url="http://zg.example.gov.cn/",
        organizer=organizer, category="city_portal",
    )


def file_and_answer(site: Site, received: dt.datetime, late: bool) -> None:
    report = desk.submit(desk.Submission(site=site, category="typo", description="错别字"), received).report
    answered = received + dt.timedelta(hours=5)
    if late:
        answered = dt.datetime.combine(report.deadline + dt.timedelta(days=3), dt.time(10), tzinfo=TZ)
    desk.answer(report, None, "已更正。", at=answered)


def test_notice_quotes_received_and_on_time_rate_for_the_whole_quarter(site, tmp_path):
    start = dt.datetime(2025, 10, 9, 9, tzinfo=TZ)
    for i in range(173):  # Oct 9 … Dec 27: the last ones after the inspection's as_of
        file_and_answer(site, start + dt.timedelta(hours=11 * i), late=i in (5, 150))
    file_and_answer(site, dt.datetime(2025, 9, 29, 9, tzinfo=TZ), late=False)  # Q3: not counted
    inspection = services.create_inspection("2025Q4", as_of=dt.date(2025, 12, 15), accounts=False)
    services.finish(inspection)

    docx = write_notice(inspection, tmp_path, today=dt.date(2025, 12, 29)).docx
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs).replace(" ", "")
    assert "收到“我为政府网站找错”网民留言173条，按时办结率98.8%" in text
