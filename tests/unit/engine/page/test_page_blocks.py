from govinspect.engine.page.blocks import RepeatedBlocks
from govinspect.engine.page.parse import parse_html

HOME = "http://127.0.0.1:8101/"
FRAME = """<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
<div class="main"><p>{body} <a href="{link}">详情</a></p></div>
<div class="footer">主办单位：某某市人民政府办公室</div>"""


def page(n: int, body: str, link: str):
    return parse_html(f"{HOME}p{n}.html", FRAME.format(body=body, link=link))


def test_blocks_repeat_from_the_second_page_on():
    tracker = RepeatedBlocks()
    first = tracker.mark(page(1, "第一篇", "/a.html"))
    assert not any(b.repeated for b in first.text_blocks)
    assert not any(link.in_repeated_block for link in first.links)
    second = tracker.mark(page(2, "第二篇", "/b.html"))
    repeated = {b.text for b in second.text_blocks if b.repeated}
    assert repeated == {"首页信息公开", "主办单位：某某市人民政府办公室"}
    links = {link.url: link.in_repeated_block for link in second.links}
    assert links == {HOME: True, HOME + "xxgk/": True, HOME + "b.html": False}


def test_same_text_with_another_link_is_not_repeated():
    tracker = RepeatedBlocks()
    tracker.mark(page(1, "附件下载", "/a.pdf"))
    second = tracker.mark(page(2, "附件下载", "/b.pdf"))
    link = next(link for link in second.links if link.url.endswith("b.pdf"))
    assert not link.in_repeated_block


def test_a_block_twice_on_one_page_is_not_repeated_on_that_page():
    tracker = RepeatedBlocks()
    marked = tracker.mark(parse_html(HOME, "<p>更多</p><p>更多</p>"))
    assert [b.repeated for b in marked.text_blocks] == [False, False]


def test_memory_is_bounded_and_recurring_blocks_survive_eviction():
    tracker = RepeatedBlocks(capacity=50)
    for n in range(200):
        tracker.mark(page(n, f"正文{n}", f"/a{n}.html"))
        assert len(tracker) <= 50
    last = tracker.mark(page(999, "新正文", "/new.html"))
    assert any(b.repeated for b in last.text_blocks if b.region == "footer")


def test_dom_survives_marking():
    tracker = RepeatedBlocks()
    tracker.mark(page(1, "a", "/a"))
    p2 = page(2, "b", "/b")
    tree = p2.dom
    assert tracker.mark(p2).dom is tree


def test_a_footer_link_carrying_the_page_url_does_not_break_repetition():
    tracker = RepeatedBlocks()
    footer = '<div class="footer"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1&url={u}">我要找错</a></div>'
    tracker.mark(parse_html(HOME + "a.html", footer.format(u=HOME + "a.html")))
    second = tracker.mark(parse_html(HOME + "b.html", footer.format(u="http%3A%2F%2F127.0.0.1%3A8101%2Fb.html")))
    assert all(link.in_repeated_block for link in second.links)
