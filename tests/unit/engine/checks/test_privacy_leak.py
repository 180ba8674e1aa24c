"""privacy.leak on pages (parsed with the real parser) and on attachments of every format."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from fake_pii import bank_card, id_card, mobile

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.privacy.leak import PrivacyLeak
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.model import Page
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import DecodingError
from govinspect.findings import mask_value

HOME = "http://127.0.0.1:8101/"
_EXTRACT_TESTS = Path(__file__).resolve().parents[1] / "extract"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_privacy_{name}", _EXTRACT_TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


formats = _load("attachment_kit")
word97 = formats.word97


def check() -> PrivacyLeak:
    return PrivacyLeak(CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2026, 11, 26), config=EngineConfig()))


def html_page(body: str, url: str = HOME + "art/2026/11/1/a.html", encoding: str = "utf-8") -> Page:
    raw = f"<html><head><title>公示</title></head><body>{body}</body></html>".encode(encoding)
    return parse_page(url, raw, headers={"content-type": f"text/html; charset={encoding}"})


def attachment(data: bytes, name: str, content_type: str = "application/octet-stream") -> Page:
    url = HOME + "files/" + name
    return Page(
        url=url, requested_url=url, status=200, headers={}, kind="attachment", content_type=content_type, body=data
    )


def run(page: Page) -> list:
    found = list(check().check_page(page))
    serialised = json.dumps([f.to_dict() for f in found], ensure_ascii=False)
    return found, serialised


def assert_no_raw(serialised: str, *numbers: str) -> None:
    for n in numbers:
        assert n not in serialised and n.lower() not in serialised


def test_page_with_id_mobile_and_card_gives_one_masked_finding_each():
    person, phone, card = id_card(), mobile(), bank_card()
    page = html_page(f"<p>张三，身份证号{person}，手机{phone}，再次确认{phone}。</p><p>收款卡号：{card}</p>")
    found, serialised = run(page)
    got = {(f.detail["kind"], f.detail["masked"], f.severity) for f in found}
    assert got == {
        ("id_card", mask_value("id_card", person), "deduct"),
        ("mobile", mask_value("mobile", phone), "deduct"),
        ("bank_card", mask_value("bank_card", card), "deduct"),
    }
    assert all(f.url == page.url and f.check == "privacy.leak" and f.indicator is None for f in found)
    assert all(f.detail["masked"] in f.evidence for f in found)
    assert_no_raw(serialised, person, phone, card)


def test_html_table_header_labels_a_bank_card():
    card = bank_card()
    page = html_page(f"<table><tr><th>姓名</th><th>银行卡号</th></tr><tr><td>李四</td><td>{card}</td></tr></table>")
    found, serialised = run(page)
    assert [(f.detail["kind"], f.detail["masked"]) for f in found] == [("bank_card", mask_value("bank_card", card))]
    assert_no_raw(serialised, card)


def test_clean_page_gives_nothing(shared_data):
    codes = json.loads((shared_data / "ids" / "cn_id_numbers.json").read_text(encoding="utf-8"))
    uscc = codes["cn_uscc_unified_social_credit_code"]["valid_found_online"][:20]
    rows = "".join(f"<tr><td>某公司</td><td>{c}</td></tr>" for c in uscc)
    page = html_page(
        "<p>咨询电话：028-86123456，12345热线，举报电话：13800000000。</p>"
        "<p>张三 身份证号 510104********1234 手机 138****5678</p>"
        f"<table><tr><th>名称</th><th>统一社会信用代码</th></tr>{rows}</table>"
        '<p><a href="http://www.example.com/13812345678.html">链接</a> 文号 川府发〔2026〕12号</p>'
    )
    assert run(page)[0] == []


def test_gbk_page():
    person = id_card()
    page = html_page(f"<p>公示名单：王五 身份证 {person}</p>", encoding="gbk")
    found, serialised = run(page)
    assert [f.detail["masked"] for f in found] == [mask_value("id_card", person)]
    assert_no_raw(serialised, person)


def test_repeated_blocks_are_not_read_again():
    phone = mobile()
    page = html_page(f"<p>值班手机{phone}</p>")
    blocks = tuple(b.__class__(b.text, b.path, b.block_hash, repeated=True, region=b.region) for b in page.text_blocks)
    repeated = Page(url=page.url, requested_url=page.url, status=200, headers={}, kind="html", text_blocks=blocks)
    assert run(repeated)[0] == []


@pytest.mark.parametrize("fmt", ["xlsx", "et", "docx", "doc", "wps", "pdf", "csv", "txt", "zip"])
def test_attachments_of_every_format(fmt):
    person, phone, card = id_card(), mobile(), bank_card()
    rows = [["姓名", "身份证号", "联系电话", "银行卡号"], ["张三", person, phone, card]]
    lines = [f"姓名 张三 身份证号 {person}", f"手机 {phone}", f"银行卡号 {card}"]
    if fmt in ("xlsx", "et"):
        data = formats.make_xlsx(rows)
    elif fmt == "docx":
        data = formats.make_docx("公示名单", rows)
    elif fmt in ("doc", "wps"):
        data = word97("\n".join(lines))
    elif fmt == "pdf":
        data = formats.make_pdf(["\n".join(lines)])
    elif fmt == "csv":
        data = "\n".join(",".join(r) for r in rows).encode("gbk")
    elif fmt == "txt":
        data = "\n".join(lines).encode("utf-8")
    else:
        data = formats.make_zip({"名单.xlsx": formats.make_xlsx(rows)}, utf8_names=False)
    found, serialised = run(attachment(data, f"名单.{fmt}"))
    kinds = {f.detail["kind"]: f.detail["masked"] for f in found}
    expected = {
        "id_card": mask_value("id_card", person),
        "mobile": mask_value("mobile", phone),
        "bank_card": mask_value("bank_card", card),
    }
    assert kinds == expected
    assert all(f.url.endswith(f"名单.{fmt}") and f.detail.get("where") for f in found)
    assert_no_raw(serialised, person, phone, card)


def test_pdf_pages_each_checked():
    person, phone = id_card(), mobile()
    data = formats.make_pdf([f"身份证号 {person}", f"手机 {phone}"])
    found, _ = run(attachment(data, "a.pdf"))
    assert {f.detail["where"] for f in found} == {"第1页", "第2页"}


def test_corrupt_attachment_is_a_clear_error_not_a_crash():
    with pytest.raises(DecodingError, match="损坏"):
        run(attachment(b"PK\x03\x04 broken", "a.xlsx"))


def test_zip_with_a_bad_member_still_reports_the_good_one():
    person = id_card()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("bad.pdf", b"%PDF-1.4 broken")
        zf.writestr("ok.txt", f"身份证号：{person}".encode())
    found, serialised = run(attachment(out.getvalue(), "a.zip"))
    assert [f.detail["masked"] for f in found] == [mask_value("id_card", person)]
    assert_no_raw(serialised, person)


def test_applies_to_pages_and_attachments_only():
    c = check()
    assert c.applies_to(html_page("<p>x</p>"))
    assert c.applies_to(attachment(b"x", "a.txt"))
    other = Page(url=HOME, requested_url=HOME, status=200, headers={}, kind="other")
    assert not c.applies_to(other)


async def test_inside_the_event_loop_an_attachment_is_read_in_the_extraction_thread():
    person = id_card()
    out = check().check_page(attachment(f"身份证号：{person}".encode(), "a.txt"))
    assert asyncio.isfuture(out)
    found = await out
    assert [f.detail["masked"] for f in found] == [mask_value("id_card", person)]
    with pytest.raises(DecodingError):
        await check().check_page(attachment(b"PK\x03\x04 broken", "a.xlsx"))
    page = html_page(f"<p>身份证号：{person}</p>")
    assert isinstance(check().check_page(page), list)  # pages stay synchronous


def test_severity_per_kind_is_an_option():
    from govinspect.errors import ConfigError

    config = EngineConfig(check_options={"privacy.leak": {"severity": {"id_card": "veto"}}})
    leak = PrivacyLeak(CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2026, 11, 26), config=config))
    found = leak.check_page(html_page(f"<p>身份证号：{id_card()}</p>"))
    assert [f.severity for f in found] == ["veto"]
    bad = EngineConfig(check_options={"privacy.leak": {"severity": {"id_card": "fatal"}}})
    with pytest.raises(ConfigError):
        PrivacyLeak(CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2026, 11, 26), config=bad))


def test_a_number_in_a_zip_member_name_is_masked_in_where():
    person = id_card()
    data = formats.make_zip({f"{person}.txt": f"身份证号：{person}".encode()})
    found, serialised = run(attachment(data, "a.zip"))
    assert [f.detail["where"].split(" › ")[0] for f in found] == [mask_value("id_card", person) + ".txt"]
    assert_no_raw(serialised, person)
