"""engine.newmedia_matrix: 新媒体矩阵 pages recognised and read in the layouts sites use; news
articles and ordinary pages mentioning 微博 or 公众号 are not matrix pages."""

from govinspect.engine import newmedia_matrix as M
from govinspect.engine.page.parse import parse_html

URL = "http://www.example.gov.cn/xmtjz/index.html"
FOOTER = (
    '<div class="footer"><a href="https://weibo.com/u/100">官方微博</a>'
    '<img src="/qr.png" alt="网站微信公众号二维码">主办单位：某某市人民政府办公室</div>'
)


def _page(body: str, title: str = "新媒体矩阵_某某市人民政府", meta: str = "", url: str = URL):
    html = (
        f'<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>'
        f'<div class="header">某某市人民政府</div><div class="main">{body}</div>{FOOTER}</body></html>'
    )
    return parse_html(url, html)


def _listings(page):
    found = M.read(page)
    assert found is not None
    return {(x.platform, x.name, x.platform_id) for x in found.listings}


def test_table_with_header_and_links():
    body = (
        "<h2>政务新媒体矩阵</h2><table><tr><th>平台</th><th>账号名称</th><th>主页</th></tr>"
        '<tr><td>新浪微博</td><td>成都发布</td><td><a href="https://weibo.com/u/2413">https://weibo.com/u/2413</a></td></tr>'
        '<tr><td>抖音</td><td>成都应急</td><td><a href="https://www.douyin.com/user/MS4wLjABAAAAx1">进入</a></td></tr>'
        "<tr><td>微信公众号</td><td>成都人社</td><td>微信号：gh_0a1b2c3d4e5f</td></tr></table>"
    )
    assert _listings(_page(body)) == {
        ("weibo", "成都发布", "https://weibo.com/u/2413"),
        ("douyin", "成都应急", "https://www.douyin.com/user/MS4wLjABAAAAx1"),
        ("wechat", "成都人社", "gh_0a1b2c3d4e5f"),
    }


def test_list_of_label_name_pairs_with_anchor_names():
    body = (
        '<div class="position">当前位置：首页 &gt; 政务新媒体</div><ul class="xmt">'
        '<li><span>今日头条：</span><a href="https://www.toutiao.com/c/user/6733/">绵阳发布</a></li>'
        '<li><span>哔哩哔哩</span><a href="https://space.bilibili.com/1105">绵阳文旅</a></li>'
        "<li>视频号：绵阳交通</li><li>移动客户端：绵阳市民通APP</li></ul>"
    )
    page = _page(body, title="某某市人民政府")
    assert _listings(page) == {
        ("toutiao", "绵阳发布", "https://www.toutiao.com/c/user/6733/"),
        ("bilibili", "绵阳文旅", "https://space.bilibili.com/1105"),
        ("channels", "绵阳交通", ""),
        ("app", "绵阳市民通APP", ""),
    }


def test_cards_with_qr_images_and_alt_text():
    card = (
        '<div class="card"><img src="/qr/{n}.png" alt="{name}{label}二维码"><p class="pt">{label}</p>'
        '<p class="name">{name}</p>{extra}</div>'
    )
    body = (
        '<div class="cards">'
        + "".join(
            card.format(n=n, name=name, label=label, extra=extra)
            for n, (name, label, extra) in enumerate(
                [
                    ("泸州发布", "微信公众号", "<p>微信号：gh_aa11bb22cc33</p>"),
                    ("泸州快报", "快手", '<a href="https://www.kuaishou.com/profile/3xabc">访问主页</a>'),
                    ("泸州普法", "小红书", ""),
                ]
            )
        )
        + "</div>"
    )
    page = _page(body, title="泸州市人民政府", meta='<meta name="ColumnName" content="新媒体矩阵">')
    assert _listings(page) == {
        ("wechat", "泸州发布", "gh_aa11bb22cc33"),
        ("kuaishou", "泸州快报", "https://www.kuaishou.com/profile/3xabc"),
        ("xiaohongshu", "泸州普法", ""),
    }


def test_qr_only_cards_take_the_name_from_the_alt_text():
    body = '<h1>政务微博微信</h1><div><img src="/a.png" alt="德阳发布微信公众号二维码"></div>'
    body += '<div><img src="/b.png" alt="新浪微博：德阳司法"></div>'
    assert _listings(_page(body, title="德阳市")) == {("wechat", "德阳发布", ""), ("weibo", "德阳司法", "")}


def test_footer_and_header_accounts_are_not_entries():
    body = "<h2>新媒体矩阵</h2><ul><li>新浪微博：某某发布</li></ul>"
    assert _listings(_page(body)) == {("weibo", "某某发布", "")}


def test_news_article_mentioning_weibo_is_not_a_matrix_page():
    body = (
        '<div class="position">当前位置：首页 &gt; 政务动态</div><h1>我市召开政务新媒体工作推进会</h1>'
        "<p>12月10日，我市召开政务新媒体工作推进会，“成都发布”微信公众号、新浪微博作交流发言。</p>"
        "<p>会议要求，各单位要加强政务新媒体管理，做好微博、抖音等平台的内容审核。</p>"
    )
    page = _page(body, title="我市召开政务新媒体工作推进会_某某市人民政府")
    assert M.looks_like_matrix(page)  # the gate passes on the title...
    assert M.read(page) is None  # ...but prose holds no entry


def test_ordinary_page_with_platform_links_is_not_a_matrix_page():
    body = '<h2>通知公告</h2><ul><li><a href="https://weibo.com/u/1">新浪微博：关注我们</a></li></ul>'
    assert M.read(_page(body, title="通知公告_某某市")) is None


def test_error_page_and_attachment_are_not_read():
    page = parse_html(URL, "<html><head><title>新媒体矩阵</title></head><body><li>微博：某某</li></body></html>")
    from dataclasses import replace

    assert M.read(replace(page, status=404)) is None
    assert M.read(replace(page, kind="attachment")) is None


def test_read_once_is_memoised_on_the_page():
    page = _page("<h2>新媒体矩阵</h2><ul><li>抖音：某某发布</li></ul>")
    first = M.read_once(page)
    assert first is not None and M.read_once(page) is first
    assert page.extra[M.MEMO_KEY] is first


def test_labels_and_hosts():
    assert M.label_platform("微信公众号：") == "wechat"
    assert M.label_platform("视频号") == "channels"
    assert M.label_platform("B站") == "bilibili"
    assert M.label_platform("成都发布") is None
    assert M.host_platform("https://m.weibo.cn/u/1") == "weibo"
    assert M.host_platform("https://www.example.gov.cn/") is None


def test_a_heading_alone_is_not_a_declared_matrix_page():
    sidebar = '<div class="side"><h3>政务新媒体</h3><ul><li>新浪微博：某某发布</li></ul></div>'
    found = M.read(_page("<h1>关于开展安全检查的通知</h1>" + sidebar, title="关于开展安全检查的通知_某某市"))
    assert found is not None and not found.declared
    assert M.read(_page(sidebar)).declared  # the title says 新媒体矩阵
