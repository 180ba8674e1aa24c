"""The archived page behind a finding: read back from its WARC record, shown as masked text and
in a sandboxed frame whose response forbids scripts (CSP sandbox)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govinspect.web.evidence import read_archived
from web_world import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = (
    "<html><head><script>alert(1)</script></head><body><p>关于既使的通知</p><p>联系电话 13812345678</p></body></html>"
).encode()


def write_warc(path, url: str, body: bytes) -> dict:  # type: ignore[type-arg]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        other = writer.create_warc_record(
            "http://127.0.0.1:9/other.html",
            "response",
            payload=io.BytesIO(b"x"),
            length=1,
            http_headers=StatusAndHeaders("200 OK", [], protocol="HTTP/1.1"),
        )
        writer.write_record(other)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
        )
        offset = fh.tell()
        writer.write_record(record)
    return {"warc": str(path), "record_id": record.rec_headers.get_header("WARC-Record-ID"), "offset": offset}


def test_read_archived_by_offset_and_id(tmp_path):
    ref = write_warc(tmp_path / "site.warc.gz", "http://127.0.0.1:9/cd/art/1.html", PAGE)
    archived = read_archived(ref)
    assert archived is not None and archived.body == PAGE
    text = archived.text()
    assert "关于既使的通知" in text and "alert" not in text
    assert "13812345678" not in text and "138****5678" in text
    assert read_archived({**ref, "record_id": "<urn:uuid:other>"}) is None
    assert read_archived({"warc": str(tmp_path / "missing.warc.gz"), "offset": 0}) is None
    assert read_archived({"warc": "/etc/passwd", "offset": 0}) is None


def test_finding_page_shows_the_archive_safely(client, world, tmp_path):
    finding = world.findings["cd:text.typo"]
    finding.evidence_ref = write_warc(tmp_path / "cd.warc.gz", finding.url, PAGE)
    finding.save()
    assert client.login(username="cd_inspector", password=PASSWORD)
    body = client.get(reverse("web:finding", args=[finding.pk])).content.decode()
    assert "关于既使的通知" in body and 'sandbox=""' in body
    frame = client.get(reverse("web:finding_archive", args=[finding.pk]))
    assert frame.status_code == 200
    assert frame["Content-Security-Policy"].startswith("sandbox")
    assert "script-src" not in frame["Content-Security-Policy"]  # default-src 'none' covers scripts
    client.logout()
    assert client.login(username="zg_org", password=PASSWORD)
    assert client.get(reverse("web:finding_archive", args=[finding.pk])).status_code == 404


@pytest.mark.browser
@pytest.mark.slow
def test_screenshot_of_the_archived_page(client, world, tmp_path, settings, monkeypatch):
    from govinspect.web import screenshot

    if screenshot.chromium_path() is None:
        pytest.skip("Chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MEDIA_ROOT = tmp_path / "media"
    finding = world.findings["cd:text.typo"]
    finding.evidence_ref = write_warc(tmp_path / "cd.warc.gz", finding.url, PAGE)
    finding.save()
    assert client.login(username="cd_inspector", password=PASSWORD)
    assert client.get(reverse("web:finding_screenshot", args=[finding.pk])).status_code == 404
    client.post(reverse("web:finding_screenshot_take", args=[finding.pk]))
    response = client.get(reverse("web:finding_screenshot", args=[finding.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'id="screenshot"' in client.get(reverse("web:finding", args=[finding.pk])).content.decode()
