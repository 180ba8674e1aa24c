import io
import json

import pytest

from govinspect.findings import (
    CHECK_IDS,
    Finding,
    excerpt,
    fingerprint,
    mask,
    mask_bank_card,
    mask_id_card,
    mask_mobile,
    normalize_url,
    read_jsonl,
    write_jsonl,
)


def test_masks_keep_only_the_allowed_digits():
    assert mask_id_card("51010419900101123X") == "510104********123X"
    assert mask_mobile("138 1234 5678") == "138****5678"
    assert mask_bank_card("6222021234567890123") == "622202*********0123"


def test_mask_free_text_hides_every_personal_number():
    text = "身份证51010419900101123X，电话13812345678，卡号6222021234567890123。"
    out = mask(text)
    assert "19900101" not in out and "12345678" not in out and "1234567890" not in out
    assert "510104********123X" in out and "138****5678" in out


def test_mask_leaves_landlines_and_short_numbers():
    assert mask("咨询电话028-12345678，12345热线") == "咨询电话028-12345678，12345热线"


def test_excerpt_is_masked_and_bounded():
    text = "x" * 100 + "13812345678" + "y" * 100
    out = excerpt(text, 100, 111, width=5)
    assert out == "…xxxxx138****5678yyyyy…"


def test_normalize_url_identity():
    assert normalize_url("HTTP://Example.gov.cn:80/a?b=2&a=1#top") == "http://example.gov.cn/a?a=1&b=2"
    assert normalize_url("http://127.0.0.1:8101") == "http://127.0.0.1:8101/"


def test_fingerprint_ignores_evidence_but_not_target():
    a = Finding("http://s/", "links.broken", "deduct", "http://s/p", target="http://s/x", evidence="e1")
    b = Finding("http://s/", "links.broken", "deduct", "http://s/p#f", target="http://s/x", evidence="e2")
    c = Finding("http://s/", "links.broken", "deduct", "http://s/p", target="http://s/y")
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert fingerprint("http://s", "x", "http://s") == fingerprint("http://s/", "x", "http://s/")


def test_jsonl_round_trip(tmp_path):
    f = Finding("http://s/", "text.typo", "notice", "http://s/a", detail={"wrong": "既使", "suggestion": "即使"})
    buf = io.StringIO()
    assert write_jsonl([f], buf) == 1
    line = json.loads(buf.getvalue())
    assert line["detail"]["wrong"] == "既使" and line["check"] == "text.typo"
    path = tmp_path / "f.jsonl"
    path.write_text(buf.getvalue() + "\n", encoding="utf-8")
    assert list(read_jsonl(path)) == [f]


def test_bad_lines_are_reported_with_their_number(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"site": "a", "check": "b", "severity": "veto", "url": "u"}\n{"site": "a"}\n')
    with pytest.raises(ValueError, match=":2:"):
        list(read_jsonl(path))


def test_severity_is_validated():
    with pytest.raises(ValueError):
        Finding("http://s/", "links.broken", "fatal", "http://s/")  # type: ignore[arg-type]


def test_contract_check_ids_are_named_like_the_design():
    assert all("." in c for c in CHECK_IDS)
