import pytest

from govinspect.engine.page.parse import absolute, page_kind, parse_html, parse_page

HOME = "http://127.0.0.1:8101/"

PAGE = """<!DOCTYPE html><html><head><title> 某某市 人民政府 </title>
<meta name="SiteName" content="某某市人民政府"><meta name="ColumnName" content="通知公告">
<link rel="stylesheet" href="/css/main.css"><script src="js/app.js"></script></head>
<body>
<div class="header"><a href="/"><img src="/img/logo.png" alt="网站标志"></a> 欢迎访问</div>
<div id="nav"><ul><li><a href="/col/tzgg/index.html#top">通知公告</a></li></ul></div>
<div class="content">
 <p>正文第一段，详见<a href="../files/a.pdf" class="att" style="color:red">附件一</a>说明。<br>第二行</p>
 <span style="display:none"><a href="http://spam.example/">博彩网站</a></span>
 <script type="text/xml"><datastore><nextgroup><![CDATA[<a href="x">下一页</a>]]></nextgroup><recordset>
 <record><![CDATA[<li><a href="/art/2025/1/2/art_1_1.html" title="关于印发通知">关于印发通知</a>
 <span>2025-01-02</span></li>]]></record>
 <record><![CDATA[<li><a href="/art/2025/1/3/art_1_2.html">关于开展检查</a><span>2025-01-03</span></li>]]></record>
 </recordset></datastore></script>
 <table><tr><th>索引号</th><td>11510000/2025-00001</td></tr><tr><th>发文机关</th><td>市政府办公室</td></tr></table>
 <form action="/search/" method="post"><label>关键词</label><input name="q"><input type="submit" value="搜索"></form>
 <iframe src="https://video.example/embed"></iframe>
 <a href="javascript:void(0)">打印</a><a href="#">顶部</a><a href="mailto:zfb@example.gov.cn">来信</a>
</div>
<div class="footer"><p>主办单位：某某市人民政府办公室</p><p>网站标识码：5101000001 <a href="https://beian.miit.gov.cn/">蜀ICP备05003329号</a></p></div>
</body></html>"""

URL = HOME + "col/tzgg/art.html"


@pytest.fixture(scope="module")
def page():
    return parse_html(URL, PAGE)


def test_title_and_meta(page):
    assert page.kind == "html"
    assert page.title == "某某市 人民政府"
    assert page.meta["sitename"] == "某某市人民政府"
    assert page.meta_value("ColumnName") == "通知公告"


def test_links_are_absolute_fragment_free_and_typed(page):
    by_url = {link.url: link for link in page.links}
    assert by_url[HOME + "col/tzgg/index.html"].text == "通知公告"
    assert by_url[HOME + "css/main.css"].tag == "link"
    assert by_url[HOME + "col/tzgg/js/app.js"].tag == "script"
    assert by_url[HOME + "img/logo.png"].tag == "img"
    assert by_url[HOME + "img/logo.png"].text == "网站标志"
    assert by_url[HOME].text == "网站标志"  # an image link's text is the image's alt
    assert by_url[HOME + "col/files/a.pdf"].text == "附件一"
    assert ("style", "color:red") in by_url[HOME + "col/files/a.pdf"].attrs
    assert "正文第一段" in by_url[HOME + "col/files/a.pdf"].context
    assert by_url[HOME + "search/"].tag == "form"
    assert by_url["https://video.example/embed"].tag == "iframe"
    assert by_url["mailto:zfb@example.gov.cn"].tag == "a"
    assert not any(link.raw.startswith(("javascript", "#")) for link in page.links)


def test_hanweb_datastore_links_are_links(page):
    store = [link for link in page.links if link.tag == "datastore"]
    assert [link.url for link in store] == [
        HOME + "art/2025/1/2/art_1_1.html",
        HOME + "art/2025/1/3/art_1_2.html",
    ]
    assert store[0].text == "关于印发通知"
    assert "2025-01-02" in store[0].context
    assert any("关于开展检查" in b.text for b in page.text_blocks)


def test_hidden_link_is_kept_and_marked_but_its_text_is_not_visible(page):
    spam = next(link for link in page.links if link.url == "http://spam.example/")
    assert spam.text == "博彩网站"
    assert "display:none" in spam.hidden_by
    assert "博彩" not in page.text
    assert all(not link.hidden_by for link in page.links if link is not spam)


def test_text_blocks_regions_and_paths(page):
    regions = {b.text: b.region for b in page.text_blocks}
    assert regions["欢迎访问"] == "header"
    assert regions["通知公告"] == "nav"
    assert regions["主办单位：某某市人民政府办公室"] == "footer"
    para = next(b for b in page.text_blocks if b.text.startswith("正文第一段"))
    assert para.region == "main"
    assert para.path == "body>div.content>p"
    assert para.text == "正文第一段，详见附件一说明。 第二行"
    assert len(para.block_hash) == 16
    assert "下一页" not in page.text  # only <record> CDATA is content


def test_tables_forms_footer(page):
    assert page.tables[0] == (("索引号", "11510000/2025-00001"), ("发文机关", "市政府办公室"))
    form = page.forms[0]
    assert form.action == HOME + "search/" and form.method == "post"
    assert ("q", "text") in form.inputs and "搜索" in form.text and "关键词" in form.text
    assert "网站标识码：5101000001" in page.footer_text
    assert page.footer_html.startswith('<div class="footer">')
    assert "蜀ICP备" in page.footer_html


def test_footer_fallback_without_a_footer_element():
    page = parse_html(HOME, "<body><div class=x>正文</div><div>版权所有 某某市人民政府</div></body>")
    assert "版权所有" in page.footer_text


def test_dom_is_the_parsed_tree(page):
    assert page.dom.css_first("title").text() == " 某某市 人民政府 "


def test_parse_page_decodes_gbk_and_keeps_bytes():
    body = (
        PAGE.replace("人民政府 </title>", "人民政府 </title><meta charset='gb2312'>")
        .replace("欢迎", "朱镕基")
        .encode("gbk")
    )
    page = parse_page(URL, body, headers={"Content-Type": "text/html"}, depth=2, is_homepage=False)
    assert page.encoding == "gb18030"
    assert any(b.text == "朱镕基访问" for b in page.text_blocks)
    assert page.body == body and page.depth == 2 and page.headers["content-type"] == "text/html"


@pytest.mark.parametrize(
    ("url", "ctype", "kind"),
    [
        (HOME + "a.pdf", "application/pdf", "attachment"),
        (HOME + "a.docx", "application/octet-stream", "attachment"),
        (HOME + "a.et", "", "attachment"),
        (HOME + "download?id=3", "application/vnd.ms-excel", "attachment"),
        (HOME + "a.txt", "text/plain", "attachment"),
        (HOME + "a.png", "image/png", "other"),
        (HOME + "a.html", "text/html; charset=utf-8", "html"),
        (HOME + "a", "", "html"),
    ],
)
def test_page_kind(url, ctype, kind):
    body = b"<html><body>x</body></html>" if kind == "html" else b"%PDF-1.4 binary"
    assert page_kind(url, ctype, body) == kind


def test_attachment_is_not_parsed():
    page = parse_page(HOME + "files/a.xlsx", b"PK\x03\x04data", headers={"content-type": "application/octet-stream"})
    assert page.kind == "attachment" and page.body == b"PK\x03\x04data" and page.links == ()


def test_soft_404_html_behind_a_pdf_url_is_html():
    page = parse_page(HOME + "a.pdf", b"<html><title>404</title></html>", headers={"content-type": "text/html"})
    assert page.kind == "html" and page.title == "404"


def test_malformed_and_deeply_nested_html_does_not_crash():
    html = "<div>" * 20000 + "<a href=/deep>深</a>" + "<p><table><td>x" * 50
    page = parse_html(HOME, html)
    assert any(link.url == HOME + "deep" for link in page.links)


def test_base_href_is_honoured():
    page = parse_html(HOME + "a/b.html", '<head><base href="http://other.example/x/"></head><a href="y.html">y</a>')
    assert page.links[0].url == "http://other.example/x/y.html"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://e.com", "http://e.com/"),
        ("http://e.com?a=1", "http://e.com/?a=1"),
        ("http://e.com?next=/x", "http://e.com/?next=/x"),
        ("/a/b.html#f", "http://h/a/b.html"),
        ("../z.html", "http://h/z.html"),
        ("//cdn.example/a.js", "http://cdn.example/a.js"),
        ("?p=2", "http://h/x/y.html?p=2"),
        (" JavaScript:void(0)", None),
        ("http://", None),
        ("", None),
        ("#top", None),
        ("\\art\\1.html", "http://h/art/1.html"),
    ],
)
def test_absolute(raw, expected):
    assert absolute("http://h/x/y.html", raw) == expected
