"""Pure helpers: image sniffing, rate-limit parsing, client address, contact masking, periods."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory, override_settings

from govinspect.error_reports.ratelimit import Limit, client_ip
from govinspect.error_reports.services import lookup_code_for, lookup_hash, quarter_bounds, sniff_image
from govinspect.error_reports.views import mask_contact

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
GIF = b"GIF89a" + b"\x00" * 20
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20


@pytest.mark.parametrize(
    ("data", "mime"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")]
)
def test_images_are_recognised_by_their_bytes(data: bytes, mime: str) -> None:
    assert sniff_image(data)[0] == mime


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"<html><script>",
        b"%PDF-1.7",
        b"RIFF\x00\x00\x00\x00WAVE",
        b"",
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    assert sniff_image(data) is None


def test_limit_parsing() -> None:
    assert Limit.parse("20/3600") == Limit(20, 3600)
    for bad in ("20", "a/b", "0/60", "5/0"):
        with pytest.raises(ValueError):
            Limit.parse(bad)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    rf = RequestFactory()
    spoofed = rf.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_ip(spoofed) == "203.0.113.9"
    proxied = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.2, 127.0.0.1")
    with override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.2"]):
        assert client_ip(proxied) == "198.51.100.1"


def test_contacts_are_masked() -> None:
    assert mask_contact("13812345678") == "138****5678"
    assert mask_contact("zhang.san@example.com") == "z***@example.com"
    assert mask_contact("QQ 12345") == "QQ****45"


def test_lookup_code_is_reproducible_from_the_form_token_only() -> None:
    import uuid

    key = uuid.uuid4()
    code = lookup_code_for("JC251009ABCDEFGH", key)
    assert code == lookup_code_for("JC251009ABCDEFGH", key) and len(code) == 8
    assert code != lookup_code_for("JC251009ABCDEFGH", uuid.uuid4())
    assert lookup_hash("JC251009ABCDEFGH", code.lower()) == lookup_hash("JC251009ABCDEFGH", code)


def test_periods() -> None:
    assert quarter_bounds("2025Q4") == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert quarter_bounds("2025q1") == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert quarter_bounds("2025H2") == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert quarter_bounds("2025") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds("2025Q5")
