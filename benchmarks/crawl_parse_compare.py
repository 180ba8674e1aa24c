"""selectolax (lexbor) vs lxml for the page model: tree building, a full walk of the tree
from Python (what ``engine.page.parse`` does), and govinspect's whole ``parse_html``.

The page is a typical government list page (~32 KB: navigation, 150 list items with dates,
paragraphs, a metadata table, a footer). Run: python benchmarks/crawl_parse_compare.py [N]
"""

from __future__ import annotations

import sys
import time

import lxml.etree
import lxml.html
from selectolax.lexbor import LexborHTMLParser

from govinspect.engine.page.parse import parse_html

NAV = "".join(f'<li><a href="/col{i}/index.html">栏目{i}</a></li>' for i in range(20))
ITEMS = "".join(
    f'<li><a href="/art/2025/{i}.html" title="关于印发第{i}号文件的通知">关于印发第{i}号文件的通知</a>'
    f'<span class="date">2025-01-{i % 28 + 1:02d}</span></li>'
    for i in range(150)
)
ART = "<p>" + "根据国务院办公厅有关要求，现将有关事项通知如下。" * 20 + "</p>"
HTML = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某市人民政府</title>
<meta name="SiteName" content="x"><link rel=stylesheet href="/css/a.css"><script src="/js/a.js"></script></head>
<body><div class="header"><div class="top">欢迎访问 <a href="/">首页</a></div></div>
<div class="nav"><ul>{NAV}</ul></div>
<div class="main"><div class="content">{ART * 5}<ul class="list">{ITEMS}</ul>
<table><tr><td>索引号</td><td>123</td></tr><tr><td>发文机关</td><td>市政府</td></tr></table></div></div>
<div class="footer"><p>主办单位：某某市人民政府办公室 网站标识码：5101000001
<a href="https://beian.miit.gov.cn">蜀ICP备1234号</a></p><img src="/images/dzjg.png"></div></body></html>"""


def lexbor_parse() -> None:
    LexborHTMLParser(HTML)


def lxml_parse() -> None:
    lxml.html.document_fromstring(HTML)


def lexbor_walk() -> int:
    tree = LexborHTMLParser(HTML)
    n = 0
    stack = [tree.body]
    while stack:
        node = stack.pop()
        if node.tag == "-text":
            n += len(node.text_content or "")
            continue
        _ = node.attributes
        child = node.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
    return n


def lxml_walk() -> int:
    root = lxml.html.document_fromstring(HTML)
    n = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            _ = el.attrib
            if el.text:
                n += len(el.text)
        elif el.tail:
            n += len(el.tail)
    return n


def govinspect_parse() -> None:
    parse_html("http://127.0.0.1:8101/a/b.html", HTML)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"page: {len(HTML.encode())} bytes, {n} rounds")
    for fn in (lexbor_parse, lxml_parse, lexbor_walk, lxml_walk, govinspect_parse):
        fn()
        t = time.perf_counter()
        for _ in range(n):
            fn()
        print(f"{fn.__name__:18s} {(time.perf_counter() - t) / n * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
