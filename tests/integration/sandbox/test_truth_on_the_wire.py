"""The truth cannot drift from the pages: a small sandbox is served and crawled with urllib, and every
truth record and negative is checked against what a plain HTTP client really gets."""

from __future__ import annotations

import html
import io
import json
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from govinspect.findings import FINGERPRINT_KEYS, Finding, mask_bank_card, mask_id_card, mask_mobile
from govinspect.sandbox import SandboxServer, build

pytestmark = pytest.mark.network

AS_OF = date(2025, 12, 15)
NATIONAL = ("conac.cn", "gov.cn/", "beian.miit.gov.cn", "www.beian.gov.cn", "zfwzgl.www.gov.cn")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # follow manually, counting hops
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes, int]:
    """(final status, headers, body, redirects followed)."""
    hops = 0
    while True:
        try:
            with _opener.open(url, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read(), hops
        except urllib.error.HTTPError as e:
            if e.code in (301, 302) and hops < 5:
                url = urllib.parse.urljoin(url, e.headers["Location"])
                hops += 1
                continue
            return e.code, dict(e.headers), e.read(), hops


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    out = tmp_path_factory.mktemp("sandbox")
    build(out, seed=3, sites=9, pages_per_site=40)
    with SandboxServer(out, base_port=0) as server:
        yield server, json.loads((out / "sites.json").read_text(encoding="utf-8"))


class Pages:
    """Fetched pages, decoded in the site's encoding, cached."""

    def __init__(self, manifest: dict, server: SandboxServer) -> None:
        self.cache: dict[str, tuple[int, str, bytes, int]] = {}
        self.enc = {
            server.url_for(s["site_code"]): ("gbk" if s.get("encoding") == "gbk" else "utf-8")
            for s in manifest["sites"]
        }

    def get(self, url: str) -> tuple[int, str, bytes, int]:
        if url not in self.cache:
            status, _, body, hops = fetch(url)
            origin = re.match(r"http://[^/]+/", url)[0]
            self.cache[url] = (status, body.decode(self.enc.get(origin, "utf-8"), errors="replace"), body, hops)
        return self.cache[url]

    def text(self, url: str) -> str:
        status, text, _, _ = self.get(url)
        assert status == 200, (url, status)
        return text


def _href_in(page: str, target: str) -> bool:
    path = urllib.parse.urlsplit(target).path
    full = target.replace("&", "&amp;")
    return f'"{path}"' in page or f'"{target}"' in page or f'"{full}"' in page


def _dates(text: str, as_of: date) -> list[date]:
    out = [date(int(y), int(m), int(d)) for y, m, d in re.findall(r"<span>(\d{4})-(\d\d)-(\d\d)</span>", text)]
    out += [date(int(y), int(m), int(d)) for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日</", text)]
    out += [date(int(y), int(m), int(d)) for y, m, d in re.findall(r'align="right">(\d{4})-(\d\d)-(\d\d)<', text)]
    for m, d in re.findall(r"\[(\d\d)-(\d\d)\]", text):
        guess = date(as_of.year, int(m), int(d))
        out.append(guess if guess <= as_of else date(as_of.year - 1, int(m), int(d)))
    return out


def _attachment_text(body: bytes, url: str) -> str:
    ext = url.rsplit(".", 1)[-1]
    if ext in ("xlsx", "xls"):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(body))
        return "\n".join(" ".join(str(c) for c in row) for row in wb.get_sheet_by_index(0).to_python())
    if ext == "docx":
        import docx

        d = docx.Document(io.BytesIO(body))
        return "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    if ext == "pdf":
        import pypdfium2

        with _PDFIUM:  # pdfium is not thread-safe: one document at a time
            pdf = pypdfium2.PdfDocument(body)
            try:
                return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
            finally:
                pdf.close()
    assert body.startswith(b"{\\rtf1"), "a .doc of the sandbox is RTF"
    raw = body.decode("ascii")
    return re.sub(r"\\u(-?\d+)\?", lambda m: chr(int(m[1]) % 65536), raw)


_PDFIUM = threading.Lock()
_MASKERS = {"id_card": mask_id_card, "mobile": mask_mobile, "bank_card": mask_bank_card}


def _masked_numbers(text: str, kind: str) -> set[str]:
    pattern = {"id_card": r"\d{17}[\dX]", "mobile": r"(?<!\d)1\d{10}(?!\d)", "bank_card": r"(?<!\d)\d{16,19}(?!\d)"}
    return {_MASKERS[kind](n) for n in re.findall(pattern[kind], text)}


def _search(pages: Pages, entry: dict, home: str, query: str) -> str:
    url = home.rstrip("/") + entry["search_path"] + "?q=" + urllib.parse.quote(query)
    return pages.text(url)


def verify(f: Finding, pages: Pages, entry: dict, positive: bool) -> None:
    d, check, url = f.detail, f.check, f.url
    if check == "availability.unreachable":
        if positive:
            with pytest.raises((OSError, socket.timeout)):
                urllib.request.urlopen(url, timeout=1.5).read()
        else:
            assert pages.get(url)[0] == 200
        return
    if check == "update.homepage_stale" or check == "update.column_stale":
        text = pages.text(url)
        latest = max(_dates(text, AS_OF), default=None)
        assert latest is not None and latest.isoformat() == d["latest"], (url, latest, d)
        window = d.get("window_days", 14)
        assert ((AS_OF - latest).days > window) == positive
        if check == "update.column_stale":
            assert d["column"] in text
        return
    if check == "update.column_blank":
        text = pages.text(url)
        assert "暂无信息" in text and d["column"] in text
        return
    if check == "links.broken":
        page = pages.text(url)
        assert _href_in(page, f.target), (url, f.target)
        if any(h in f.target for h in NATIONAL):
            return
        status, text, _, hops = pages.get(f.target)
        if positive:
            if d.get("error") == "soft_404":
                assert status == 200 and "页面不存在" in text
            else:
                assert status == d["status"] == 404
            assert hops == d.get("redirects", 0)
        else:
            assert status == 200 and "页面不存在" not in text
        return
    if check in ("text.typo", "text.severe_error", "security.sensitive"):
        word = d.get("wrong") or d.get("word")
        text = pages.text(url)
        assert word in text, (url, word)
        if positive and check == "text.severe_error" and "suggestion" in d and len(word) <= 4:
            leaders = pages.text(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/")  # home, for nav
            assert leaders
        return
    if check == "security.hidden_link" and not positive:
        text = pages.text(url)
        assert _href_in(text, f.target) and f.target.startswith(f.site)
        assert re.search(
            r'<div class="tab-con" style="display:none">.*?' + re.escape(urllib.parse.urlsplit(f.target).path),
            text,
            re.S,
        )
        assert pages.get(f.target)[0] == 200
        return
    if check == "security.hidden_link":
        text = pages.text(url)
        m = re.search(r'<div style="([^"]+)"><a href="' + re.escape(f.target) + r'">([^<]+)</a></div>', text)
        assert m and m[2] == d["anchor"]
        assert any(s in m[1] for s in ("display:none", "display: none", "visibility:hidden", "-9999px"))
        return
    if check == "privacy.leak":
        status, text, body, _ = pages.get(url)
        assert status == 200
        if not url.endswith(".html") and url != f.site:
            text = _attachment_text(body, url)
        if positive:
            assert d["masked"] in _masked_numbers(text, d["kind"]), (url, d)
        else:
            digits = re.sub(r"\D", "", text)
            assert (
                d["masked"] in text or d["masked"] in _masked_numbers(text, d["kind"]) or (d["masked"][:3] in digits)
            ), (url, d)
        return
    if check in ("policy.missing_elements", "service.guide_incomplete"):
        text = pages.text(url)
        labels = (
            ("索引号", "发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "有效性")
            if check.startswith("policy")
            else (
                "事项名称",
                "设定依据",
                "申请条件",
                "办理材料",
                "办理地点",
                "办理机构",
                "收费标准",
                "办理时间",
                "联系电话",
                "办理流程",
            )
        )
        absent = [x for x in labels if f"<th>{x}</th>" not in text]
        assert absent == (d["missing"] if positive else []), (url, absent)
        return
    if check == "policy.interpretation_unlinked":
        interp, doc = pages.text(d["interpretation"]), pages.text(d["document"])
        interp_links = _href_in(interp, d["document"])
        doc_links = _href_in(doc, d["interpretation"])
        if d["direction"] == "document_to_interpretation":
            assert interp_links and not doc_links
        else:
            assert doc_links and not interp_links
        return
    if check == "interaction.no_channel":
        assert ("我要留言" in pages.text(url)) != positive
        return
    if check == "interaction.unanswered":
        text = pages.text(url)
        assert f"<th>留言时间</th><td>{d['asked']}</td>" in text
        asked = date.fromisoformat(d["asked"])
        if positive:
            assert "<th>回复时间</th><td></td>" in text and (AS_OF - asked).days > 90
        else:
            assert "<th>回复时间</th><td></td>" not in text or (AS_OF - asked).days <= 3
        return
    if check == "interaction.perfunctory":
        text = pages.text(url)
        assert f.target == url
        replies = ("已收悉。", "请咨询相关部门。", "感谢您的留言，我们会认真研究。")
        m = re.search(r"<th>答复内容</th><td>([^<]*)</td>", text)
        assert m and any(r in m[1] for r in replies) == positive, (url, m and m[1])
        return
    if check.startswith("search."):
        home = pages.text(url)
        if check == "search.missing":
            has_form = 'class="search"' in home
            assert has_form != positive
            if positive:
                status = pages.get(url.rstrip("/") + entry["search_path"] + "?q=x")[0]
                assert status == 404
            return
        result = _search(pages, entry, url, d["query"])
        if check == "search.title_not_found":
            found = re.search(r'target="_blank">' + re.escape(d["query"].replace("&", "&amp;")) + "</a>", result)
            assert bool(found) != positive, (url, d)
        else:
            assert ("未找到相关结果" in result) == positive, (check, url, d)
        return
    if check == "identity.missing":
        markers = {
            "party_government_mark": "bszs.conac.cn",
            "site_code": "网站标识码",
            "icp": "ICP备",
            "police_filing": "公网安备",
            "organizer": "主办单位：",
            "contact": "联系电话：",
            "error_report_entry": "zfwzgl.www.gov.cn/exposure/jiucuo.html",
        }
        assert (markers[d["item"]] in pages.text(url)) != positive
        return
    if check == "meta.missing_tags":
        text = pages.text(url)
        for tag in ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource"):
            present = f'<meta name="{tag}"' in text
            assert present != (positive and tag in d["missing"]), (url, tag)
        return
    raise AssertionError(f"no verification for {check}")


def _entry_for(manifest: dict, server: SandboxServer, site: str) -> dict:
    return next(s for s in manifest["sites"] if server.url_for(s["site_code"]) == site)


def test_every_check_is_seeded(sandbox):
    server, _ = sandbox
    checks = {t.check for t in server.truth()}
    expected = {c for c in FINGERPRINT_KEYS if not c.startswith(("newmedia.", "crawl."))}
    assert expected <= checks, expected - checks


def test_truth_is_on_the_wire(sandbox):
    server, manifest = sandbox
    pages = Pages(manifest, server)
    truth = server.truth()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda f: verify(f, pages, _entry_for(manifest, server, f.site), True), truth))


def test_negatives_are_on_the_wire(sandbox):
    server, manifest = sandbox
    pages = Pages(manifest, server)
    negatives = server.negatives()
    assert len({n.check for n in negatives}) >= 15
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda f: verify(f, pages, _entry_for(manifest, server, f.site), False), negatives))


def test_no_undeclared_broken_links(sandbox):
    """Crawl every reachable site: every link that fails is in the truth (page × target)."""
    server, manifest = sandbox
    pages = Pages(manifest, server)
    declared = {(t.url, t.target) for t in server.truth() if t.check == "links.broken"}
    failures = []
    for entry in manifest["sites"]:
        if entry.get("availability"):
            continue
        home = server.url_for(entry["site_code"])
        seen, queue = {home}, [home]
        while queue:
            url = queue.pop()
            status, text, _, _ = pages.get(url)
            if not url.endswith(".html") and url != home:
                continue
            # a regex, not an HTML parser: Hanweb list links sit in <script type="text/xml"> CDATA
            for link in (html.unescape(x) for x in re.findall(r'(?:href|src)="([^"]+)"', text)):
                target = urllib.parse.urljoin(url, link)
                if any(h in target for h in NATIONAL) or "/bmrl/" in target or "jsessionid" in target:
                    continue
                status, body, _, hops = pages.get(target)
                broken = status != 200 or "页面不存在" in body
                if broken and (url, target) not in declared:
                    failures.append((url, target, status))
                # a redirect's page is crawled under its final URL, reached by its canonical link
                if not broken and not hops and target.startswith(home) and target not in seen:
                    seen.add(target)
                    queue.append(target)
        assert len(seen) > 15, (home, len(seen))
    assert not failures, failures[:10]


def test_unreachable_flavours(sandbox):
    server, manifest = sandbox
    flavours = {s["availability"]: server.url_for(s["site_code"]) for s in manifest["sites"] if s.get("availability")}
    assert set(flavours) == {"refused", "reset", "hang"}

    def exchange(url: str) -> bytes:
        port = urllib.parse.urlsplit(url).port
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            return sock.recv(100)

    with pytest.raises(ConnectionRefusedError):
        exchange(flavours["refused"])
    with pytest.raises((ConnectionResetError, BrokenPipeError)):
        exchange(flavours["reset"])
    with pytest.raises(TimeoutError):
        exchange(flavours["hang"])
    assert exchange(server.url_for(manifest["sites"][0]["site_code"])).startswith(b"HTTP/1.1 200")


def test_traps_are_endless(sandbox):
    server, manifest = sandbox
    cal = next(s for s in manifest["sites"] if s.get("trap_calendar") and not s.get("availability"))
    url = server.url_for(cal["site_code"]) + "bmrl/index.html?ym=2025-12"
    for _ in range(30):
        status, _, body, _ = fetch(url)
        assert status == 200
        prev = re.search(rb'href="(/bmrl/index.html\?ym=[\d-]+)">', body)[1].decode()
        url = urllib.parse.urljoin(url, prev)
    assert "2023-06" in url
    sess = next(s for s in manifest["sites"] if s.get("trap_session") and not s.get("availability"))
    home = server.url_for(sess["site_code"])
    link = re.search(r'href="(/wsdc/index.jsp;jsessionid=\w+)"', Pages(manifest, server).text(home))[1]
    ids = set()
    for _ in range(5):
        status, _, body, _ = fetch(urllib.parse.urljoin(home, link))
        assert status == 200
        link = re.search(rb'href="(/wsdc/index.jsp;jsessionid=\w+)"', body)[1].decode()
        ids.add(link)
    assert len(ids) == 5


def test_encodings_as_declared(sandbox):
    server, manifest = sandbox
    for entry in manifest["sites"]:
        if entry.get("availability"):
            continue
        _status, headers, body, _ = fetch(server.url_for(entry["site_code"]))
        ctype = headers.get("Content-Type", "")
        assert ("charset" in ctype) == entry["charset_in_header"]
        body.decode("gbk" if entry["encoding"] == "gbk" else "utf-8")  # strict: must not raise
        if not entry["charset_in_header"]:
            assert b"charset=" in body[:400]


def test_search_accepts_queries_in_the_page_charset(sandbox):
    """Browsers submit a GBK page's form in GBK; the sandbox search understands both GBK and UTF-8."""
    server, manifest = sandbox
    searchable = [s for s in manifest["sites"] if not s.get("availability") and s["search"] != "missing"]
    site = next(s for s in searchable if s["encoding"] == "gbk")  # the index holds only findable titles
    home = server.url_for(site["site_code"])
    index = json.loads((Path(server.dir) / "index" / f"{site['site_code']}.json").read_text(encoding="utf-8"))
    title = index["titles"][0][0]
    for encoding in ("utf-8", site["encoding"]):
        url = home.rstrip("/") + site["search_path"] + "?q=" + urllib.parse.quote(title, encoding=encoding)
        _, _, body, _ = fetch(url)
        text = body.decode("gbk" if site["encoding"] == "gbk" else "utf-8")
        assert "未找到相关结果" not in text and html.escape(title, quote=False) in text


def test_gzip_when_asked(sandbox):
    import gzip

    server, manifest = sandbox
    flags = {s["gzip"] for s in manifest["sites"] if not s.get("availability")}
    assert flags == {True, False}
    for entry in manifest["sites"]:
        if entry.get("availability"):
            continue
        url = server.url_for(entry["site_code"])
        plain = urllib.request.urlopen(url, timeout=5).read()
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=5) as r:
            body, encoding = r.read(), r.headers.get("Content-Encoding")
        if entry["gzip"]:
            assert encoding == "gzip" and gzip.decompress(body) == plain
        else:
            assert encoding is None and body == plain


def test_http_details(sandbox):
    """Keep-alive with pipelined requests, HEAD, 405, HTTP/1.0 close, oversized heads."""
    server, manifest = sandbox
    port = urllib.parse.urlsplit(server.url_for(manifest["sites"][0]["site_code"])).port

    def talk(raw: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as sock:
            sock.sendall(raw)
            sock.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)

    two = talk(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    first, _, rest = two.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", first)[1])
    second = rest[length:]
    assert first.startswith(b"HTTP/1.1 200") and second.startswith(b"HTTP/1.1 200")
    assert second.endswith(b"\r\n\r\n"), "HEAD has no body"
    assert talk(b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 405")
    assert b"Connection: close" in talk(b"GET / HTTP/1.0\r\n\r\n")
    assert talk(b"GET /" + b"x" * 20000 + b" HTTP/1.1\r\n").startswith(b"HTTP/1.1 400")
