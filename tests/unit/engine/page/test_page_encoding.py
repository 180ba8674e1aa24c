import codecs

import pytest

from govinspect.engine.page.encoding import canonical, decode, header_charset, meta_charset

# 镕 and 堃 are in GBK but not in GB2312: pages declaring gb2312 still use them.
TEXT = "<html><head>{meta}<title>朱镕基 堃 政务公开</title></head><body>关于印发通知</body></html>"


def test_gb2312_declared_page_using_gbk_characters_decodes():
    body = TEXT.format(meta='<meta charset="gb2312">').encode("gbk")
    d = decode(body)
    assert d.encoding == "gb18030"
    assert d.source == "meta"
    assert "朱镕基 堃" in d.text


def test_header_wins_over_meta_when_the_bytes_agree():
    body = TEXT.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=utf-8">').encode("gbk")
    d = decode(body, "text/html; charset=GBK")
    assert (d.encoding, d.source) == ("gb18030", "header")


def test_wrong_header_charset_falls_back_to_meta_then_detection():
    gbk = TEXT.format(meta="").encode("gbk")
    d = decode(gbk, "text/html; charset=utf-8")
    assert d.encoding == "gb18030" and "政务公开" in d.text
    utf8 = TEXT.format(meta='<meta charset="gbk">').encode("utf-8")
    # a GBK declaration on UTF-8 bytes: strict GB18030 fails on most UTF-8 Chinese
    d = decode(utf8 + "更多内容".encode() * 50)
    assert "政务公开" in d.text


def test_gb18030_four_byte_characters():
    body = TEXT.format(meta='<meta charset="gb18030">').replace("堃", "𠀀").encode("gb18030")
    d = decode(body)
    assert "𠀀" in d.text


def test_bom_beats_declarations():
    body = codecs.BOM_UTF8 + TEXT.format(meta='<meta charset="gbk">').encode("utf-8")
    d = decode(body, "text/html; charset=gbk")
    assert (d.encoding, d.source) == ("utf-8", "bom")
    assert "政务公开" in d.text


def test_latin1_default_header_does_not_garble_chinese():
    body = TEXT.format(meta="").encode("utf-8")
    d = decode(body, "text/html; charset=ISO-8859-1")
    assert d.encoding == "utf-8" and "政务公开" in d.text


def test_truncated_multibyte_tail_is_tolerated():
    body = TEXT.format(meta='<meta charset="utf-8">').encode("utf-8")[:-25]  # cut inside a character
    d = decode(body[:-1])
    assert d.encoding == "utf-8" and d.errors == 0


def test_garbage_never_raises():
    d = decode(bytes(range(256)) * 10)
    assert isinstance(d.text, str)


@pytest.mark.parametrize(
    ("name", "codec"),
    [("GB2312", "gb18030"), ("gbk", "gb18030"), ("UTF8", "utf-8"), ("latin1", "windows-1252"), ("nonsense", None)],
)
def test_canonical(name, codec):
    assert canonical(name) == codec


def test_charset_extraction():
    assert header_charset('text/html; charset="GBK"') == "GBK"
    assert header_charset("text/html") is None
    assert meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />') == "gb2312"
