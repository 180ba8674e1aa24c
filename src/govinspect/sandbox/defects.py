"""Seeded defects and negatives. Each placement records its truth record at once, with the URL
the page will have, so the truth cannot drift from the pages.

Two stages:
- ``SITE_BEHAVIOURS`` decides site-level behaviour before planning (unreachable/hanging home,
  stale home page, stale and blank columns, no message board, search quality, soft 404s, traps,
  missing footer marks). Every behaviour appears at least once when the sandbox has room.
- ``apply_defects`` places content defects in a planned site. Every kind in ``CONTENT_KINDS`` is
  placed at least once in the sandbox (``generate._forced_kinds``); a kind that does not fit a
  site (no message board, no services…) is carried to the next site.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from govinspect.findings import mask_bank_card, mask_id_card, mask_mobile
from govinspect.sandbox import content as C
from govinspect.sandbox import layout as L
from govinspect.sandbox.model import Attachment, Item

if TYPE_CHECKING:
    from govinspect.sandbox.builder import SiteBuilder
    from govinspect.sandbox.sites import SiteSpec

# probability per site that a kind is placed (content kinds: one placement, sometimes two)
DEFAULT_RATES: dict[str, float] = {
    # site-level behaviours
    "unreachable": 0.004,
    "hang": 0.003,
    "homepage_stale": 0.02,
    "column_stale": 0.05,
    "column_blank": 0.03,
    "no_channel": 0.02,
    "soft404": 0.08,
    "trap_calendar": 0.05,
    "trap_session": 0.03,
    "identity_missing": 0.02,
    "search_missing": 0.03,
    "search_no_pinyin": 0.15,
    "search_no_typo": 0.12,
    "search_exact": 0.06,
    "search_stale_index": 0.05,
    # content defects
    "typo": 0.30,
    "severe_term": 0.04,
    "severe_name": 0.03,
    "sensitive": 0.015,
    "hidden_link": 0.015,
    "privacy_id_card": 0.04,
    "privacy_mobile": 0.05,
    "privacy_bank_card": 0.02,
    "privacy_xlsx": 0.02,
    "privacy_xls": 0.01,
    "privacy_docx": 0.015,
    "privacy_doc": 0.01,
    "privacy_pdf": 0.015,
    "broken_internal": 0.25,
    "broken_redirect": 0.06,
    "broken_image": 0.10,
    "broken_attachment": 0.08,
    "broken_external": 0.10,
    "broken_home": 0.05,
    "policy_missing": 0.15,
    "interp_unlinked": 0.12,
    "unanswered": 0.05,
    "perfunctory": 0.08,
    "guide_incomplete": 0.10,
    "meta_missing": 0.10,
    # negatives (always safe to place)
    "neg_text": 0.6,
    "neg_numbers": 0.6,
}

SEARCH_MODES = ("full", "no_pinyin", "no_typo", "exact", "missing", "stale_index")
_STALE_CHOICES = ("zwdt", "tzgg", "zcwj", "rsxx", "ghjh")
_BLANK_CHOICES = ("rsxx", "ghjh", "zcjd")


def SITE_BEHAVIOURS(specs: Sequence[SiteSpec], seed: int, rates: dict[str, float]) -> dict[int, dict[str, Any]]:
    rng = random.Random(f"{seed}:behaviours")
    out: dict[int, dict[str, Any]] = {}
    portal = next((i for i, s in enumerate(specs) if s.category == "provincial_portal"), 0)
    for i, spec in enumerate(specs):
        b: dict[str, Any] = {}
        roll = rng.random()
        if i != portal and roll < rates["unreachable"]:
            b["availability"] = rng.choice(["refused", "reset"])
        elif i != portal and roll < rates["unreachable"] + rates["hang"]:
            b["availability"] = "hang"
        if rng.random() < rates["homepage_stale"]:
            b["homepage_stale"] = True
        stale = [k for k in _STALE_CHOICES if rng.random() < rates["column_stale"]]
        blank = [k for k in _BLANK_CHOICES if rng.random() < rates["column_blank"] and k not in stale]
        if stale:
            b["stale_columns"] = stale
        if blank:
            b["blank_columns"] = blank
        if not spec.is_portal and rng.random() < rates["no_channel"]:
            b["no_channel"] = True
        weights = [1.0 - sum(rates[f"search_{m}"] for m in SEARCH_MODES[1:])] + [
            rates[f"search_{m}"] for m in SEARCH_MODES[1:]
        ]
        b["search"] = rng.choices(SEARCH_MODES, weights=weights)[0]
        for flag in ("soft404", "trap_calendar", "trap_session"):
            if rng.random() < rates[flag]:
                b[flag] = True
        missing = [item for item in L.IDENTITY_ITEMS if rng.random() < rates["identity_missing"]]
        if missing:
            b["identity_missing"] = missing
        out[i] = b
    _force_behaviours(out, specs, portal)
    return out


def _force_behaviours(out: dict[int, dict[str, Any]], specs: Sequence[SiteSpec], portal: int) -> None:
    """Each behaviour at least once: small sandboxes (tests) still exercise every check."""
    n = len(specs)
    # unreachable flavours, from the end of the list: refused and hang from 4 sites, reset from 9
    wanted = ["refused", "hang"] if n >= 4 else []
    if n >= 9:
        wanted.append("reset")
    candidates = [i for i in range(n - 1, -1, -1) if i != portal]
    for flavour in wanted:
        if not any(b.get("availability") == flavour for b in out.values()):
            i = next(i for i in candidates if not out[i].get("availability"))
            out[i]["availability"] = flavour
    reachable = [i for i in range(n) if not out[i].get("availability")]
    if not reachable:
        return
    modes_present = {out[i]["search"] for i in reachable}
    cursor = 0
    for mode in ("missing", "no_pinyin", "no_typo", "stale_index"):
        if mode in modes_present:
            continue
        free = [i for i in reachable if out[i]["search"] == "full"] or reachable
        out[free[cursor % len(free)]]["search"] = mode
        cursor += 1
    checks: list[tuple[str, Callable[[dict[str, Any]], bool], Callable[[dict[str, Any]], None]]] = [
        ("homepage_stale", lambda b: bool(b.get("homepage_stale")), lambda b: b.update(homepage_stale=True)),
        ("column_stale", lambda b: bool(b.get("stale_columns")), lambda b: b.update(stale_columns=["tzgg"])),
        ("column_blank", lambda b: bool(b.get("blank_columns")), lambda b: b.update(blank_columns=["ghjh"])),
        ("soft404", lambda b: bool(b.get("soft404")), lambda b: b.update(soft404=True)),
        ("trap_calendar", lambda b: bool(b.get("trap_calendar")), lambda b: b.update(trap_calendar=True)),
        ("trap_session", lambda b: bool(b.get("trap_session")), lambda b: b.update(trap_session=True)),
        (
            "identity_missing",
            lambda b: bool(b.get("identity_missing")),
            lambda b: b.update(identity_missing=["police_filing", "error_report_entry"]),
        ),
    ]
    for k, (_, present, setter) in enumerate(checks):
        if not any(present(out[i]) for i in reachable):
            setter(out[reachable[(k + 1) % len(reachable)]])
    non_portals = [i for i in reachable if not specs[i].is_portal] or reachable
    if not any(out[i].get("no_channel") for i in reachable) and len(reachable) > 1:
        out[non_portals[-1]]["no_channel"] = True


# --- content defects ----------------------------------------------------------------------


def _pick(b: SiteBuilder, kinds: Sequence[str] = ("article",), columns: Sequence[str] | None = None) -> Item | None:
    items = [i for i in b.content_items(kinds) if columns is None or i.column.key in columns]
    return b.rng.choice(items) if items else None


def _text(b: SiteBuilder, bank: list[tuple[str, str, str]], check: str) -> bool:
    item = _pick(b, ("article", "interpretation"))
    if item is None:
        return False
    wrong, right, sentence = b.rng.choice(bank)
    text = sentence.format(w=wrong)
    item.body.insert(b.rng.randrange(len(item.body) + 1), text)
    b.record(check, b.url(item.path), evidence=text, wrong=wrong, suggestion=right)
    return True


def typo(b: SiteBuilder) -> bool:
    return _text(b, C.TYPOS, "text.typo")


def severe_term(b: SiteBuilder) -> bool:
    return _text(b, C.SEVERE_TERMS, "text.severe_error")


def severe_name(b: SiteBuilder) -> bool:
    item = _pick(b, columns=("zwdt",))
    if item is None or not b.leaders:
        return False
    name, post = b.rng.choice(b.leaders)
    wrong = C.near_miss_name(name)
    if wrong in {n for n, _ in b.leaders}:
        return False  # the near miss is another leader's real name: not an error
    text = f"{post}{wrong}出席会议并讲话。"
    item.body.insert(0, text)
    b.record("text.severe_error", b.url(item.path), evidence=text, wrong=wrong, suggestion=name)
    return True


def sensitive(b: SiteBuilder) -> bool:
    item = _pick(b, ("article",))
    if item is None:
        return False
    category, word, sentence = b.rng.choice(C.SENSITIVE)
    text = sentence.format(w=word)
    item.extra_html.append(f'<div class="comment"><p>{text}</p></div>')
    b.record("security.sensitive", b.url(item.path), evidence=text, word=word, category=category)
    return True


def hidden_link(b: SiteBuilder) -> bool:
    item = _pick(b, ("article", "policy"))
    if item is None:
        return False
    anchor = b.rng.choice(C.HIDDEN_ANCHORS)
    target = f"{b.ctx.external_origin}/pj/{b.new_id()}.html"
    style = b.rng.choice(["display:none", "display: none;", "position:absolute;left:-9999px", "visibility:hidden"])
    item.extra_html.append(f'<div style="{style}"><a href="{target}">{anchor}</a></div>')
    b.record("security.hidden_link", b.url(item.path), target=target, anchor=anchor, style=style)
    return True


_NUMBER = {
    "id_card": (C.fake_id_card, mask_id_card, "身份证号"),
    "mobile": (C.fake_mobile, mask_mobile, "联系电话"),
    "bank_card": (C.fake_bank_card, mask_bank_card, "银行账号"),
}


def _privacy_page(b: SiteBuilder, kind: str) -> bool:
    item = _pick(b, ("article",), ("tzgg", "rsxx", "zwdt"))
    if item is None:
        return False
    make, masker, label = _NUMBER[kind]
    number = make(b.rng)
    person = C.leader_name(b.rng)
    text = f"经审核，{person}（{label}：{number}）符合条件，现予以公示。"
    item.body.append(text)
    b.record("privacy.leak", b.url(item.path), evidence=text, kind=kind, masked=masker(number))
    return True


def _privacy_attachment(b: SiteBuilder, ext: str) -> bool:
    item = _pick(b, ("article", "policy"), ("tzgg", "rsxx", "zcwj"))
    if item is None:
        return False
    kind = b.rng.choice(list(_NUMBER))
    make, masker, label = _NUMBER[kind]
    rows = [["序号", "姓名", "单位", label]]
    numbers = [make(b.rng) for _ in range(2)]
    for n, number in enumerate(numbers, start=1):
        rows.append([str(n), C.leader_name(b.rng), C.rng_org(b.rng), number])
    path = b.asset_path(item.column, item.published, item.id, len(item.attachments) + 1, ext)
    item.attachments.append(Attachment(path, f"附件{len(item.attachments) + 1}：人员名单", ext, rows))
    for number in numbers:
        b.record(
            "privacy.leak", b.url(path), evidence=f"{label} {number}", kind=kind, masked=masker(number), attachment=ext
        )
    return True


def _broken(b: SiteBuilder, item: Item, target: str, kind: str, html: str, **extra: Any) -> None:
    item.extra_html.append(html)
    external = kind == "external"
    detail: dict[str, Any] = {"where": "page", "kind": kind, **extra}
    if b.behaviour.get("soft404") and not external:
        detail.update(status=200, error="soft_404")
    else:
        detail.setdefault("status", 404)
    b.record("links.broken", b.url(item.path), target=target, **detail)


def broken_internal(b: SiteBuilder) -> bool:
    item = _pick(b, ("article", "policy", "interpretation"))
    if item is None:
        return False
    path = b.item_path(item.column, item.published - timedelta(days=b.rng.randint(30, 400)), b.new_id())
    _broken(
        b, item, b.url(path), "a", f'<p class="xglj">相关链接：<a href="{path}">{L.esc(item.title[:8])}（往期）</a></p>'
    )
    return True


def broken_redirect(b: SiteBuilder) -> bool:
    item = _pick(b, ("article",))
    if item is None:
        return False
    ident = b.new_id()
    first, second, last = f"/old/{ident}.html", f"/old/redirect/{ident}.html", f"/old/deleted/{ident}.html"
    b.redirects[first] = second
    b.redirects[second] = last
    _broken(
        b, item, b.url(first), "a", f'<p class="xglj">原文链接：<a href="{first}">点击查看原文</a></p>', redirects=2
    )
    # a working redirect next to it: must not be flagged
    good = f"/old/{b.new_id()}.html"
    target_item = b.rng.choice(b.content_items(("article",)))
    b.redirects[good] = target_item.path
    item.extra_html.append(f'<p class="xglj">延伸阅读：<a href="{good}">{L.esc(target_item.title)}</a></p>')
    b.negative("links.broken", b.url(item.path), target=b.url(good), kind="a", where="page", redirects=1)
    return True


def broken_image(b: SiteBuilder) -> bool:
    item = _pick(b, ("article",))
    if item is None:
        return False
    path = b.asset_path(item.column, item.published, b.new_id(), 1, "png")
    _broken(b, item, b.url(path), "img", f'<p style="text-align:center"><img src="{path}" alt="现场图片"></p>')
    return True


def broken_attachment(b: SiteBuilder) -> bool:
    item = _pick(b, ("article", "policy"), ("tzgg", "zcwj", "rsxx"))
    if item is None:
        return False
    ext = b.rng.choice(["pdf", "docx", "xlsx", "doc", "xls"])
    path = b.asset_path(item.column, item.published, b.new_id(), 9, ext)
    _broken(b, item, b.url(path), "attachment", f'<p>附件下载：<a href="{path}">申报表.{ext}</a></p>')
    return True


def broken_external(b: SiteBuilder) -> bool:
    item = _pick(b, ("article", "interpretation"))
    if item is None:
        return False
    target = f"{b.ctx.external_origin}/gone/{b.new_id()}.html"
    _broken(b, item, target, "external", f'<p>转载自：<a href="{target}" target="_blank">中国政府网</a></p>')
    good = f"{b.ctx.external_origin}/news/{b.new_id()}.html"
    item.extra_html.append(f'<p>参考：<a href="{good}" target="_blank">国务院政策文件库</a></p>')
    b.negative("links.broken", b.url(item.path), target=good, kind="external", where="page")
    return True


def broken_home(b: SiteBuilder) -> bool:
    ident = b.new_id()
    path = f"/images/zt/banner_{ident}.jpg"
    b.home_extra.append(f'<a href="/zt/{ident}/index.html"><img src="{path}" alt="专题"></a>')
    base: dict[str, Any] = {"where": "homepage"}
    if b.behaviour.get("soft404"):
        base.update(status=200, error="soft_404")
    else:
        base["status"] = 404
    b.record("links.broken", b.home, target=b.url(path), kind="img", **base)
    b.record("links.broken", b.home, target=b.url(f"/zt/{ident}/index.html"), kind="a", **base)
    return True


def policy_missing(b: SiteBuilder) -> bool:
    docs = [i for i in b.content_items(("policy",)) if len(i.fields) == len(C.POLICY_FIELDS)]
    if not docs:
        return False
    doc = b.rng.choice(docs)
    drop = set(b.rng.sample(C.POLICY_FIELDS, k=b.rng.randint(2, 4)))
    doc.fields = {k: v for k, v in doc.fields.items() if k not in drop}
    b.record("policy.missing_elements", b.url(doc.path), missing=[f for f in C.POLICY_FIELDS if f in drop])
    return True


def interp_unlinked(b: SiteBuilder) -> bool:
    interps = [
        i
        for i in b.content_items(("interpretation",))
        if i.related is not None and not i.hide_related and not i.related.hide_related
    ]
    if not interps:
        return False
    interp = b.rng.choice(interps)
    doc = interp.related
    assert doc is not None
    if b.rng.random() < 0.5:
        doc.hide_related, direction = True, "document_to_interpretation"
    else:
        interp.hide_related, direction = True, "interpretation_to_document"
    b.record(
        "policy.interpretation_unlinked",
        b.url(interp.path),
        document=b.url(doc.path),
        interpretation=b.url(interp.path),
        direction=direction,
    )
    return True


def _new_message(b: SiteBuilder, days_ago: int) -> Item | None:
    col = b.columns.get("hdjl")
    if col is None:
        return None
    asked = b.ctx.as_of - timedelta(days=days_ago)
    item = Item(
        id=b.new_id(), column=col, title=C.fill(b.rng.choice(C.MESSAGE_TITLES), b.rng), published=asked, kind="message"
    )
    col.items.append(item)
    col.items.sort(key=lambda i: (i.published, i.id), reverse=True)
    b._assign_paths(col)
    return item


def unanswered(b: SiteBuilder) -> bool:
    item = _new_message(b, b.rng.randint(100, 330))
    if item is None:
        return False
    b._message_fields(item, answered=False)
    b.record("interaction.unanswered", b.url(item.path), asked=item.published.isoformat(), column=item.column.name)
    return True


def perfunctory(b: SiteBuilder) -> bool:
    item = _new_message(b, b.rng.randint(5, 60))
    if item is None:
        return False
    reason, reply = b.rng.choice(C.PERFUNCTORY_REPLIES)
    b._message_fields(item, answered=True, reply=reply)
    url = b.url(item.path)
    b.record("interaction.perfunctory", url, target=url, evidence=reply, reason=reason)
    return True


def guide_incomplete(b: SiteBuilder) -> bool:
    guides = [i for i in b.content_items(("guide",)) if len(i.fields) == len(C.GUIDE_ELEMENTS)]
    if not guides:
        return False
    guide = b.rng.choice(guides)
    drop = set(b.rng.sample(C.GUIDE_ELEMENTS[1:], k=b.rng.randint(4, 6)))
    guide.fields = {k: v for k, v in guide.fields.items() if k not in drop}
    b.record("service.guide_incomplete", b.url(guide.path), missing=[e for e in C.GUIDE_ELEMENTS if e in drop])
    return True


_DROPPABLE = ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")


def meta_missing(b: SiteBuilder) -> bool:
    items = [i for i in b.content_items(("article", "policy", "interpretation")) if not i.meta_drop]
    if not items:
        return False
    item = b.rng.choice(items)
    item.meta_drop = sorted(b.rng.sample(_DROPPABLE, k=b.rng.randint(1, 3)), key=_DROPPABLE.index)
    b.record("meta.missing_tags", b.url(item.path), missing=list(item.meta_drop))
    return True


# --- negatives ----------------------------------------------------------------------------


def neg_text(b: SiteBuilder) -> bool:
    item = _pick(b, ("article",))
    if item is None:
        return False
    url = b.url(item.path)
    _, right, sentence = b.rng.choice(C.TYPOS)
    item.body.append(sentence.format(w=right))
    b.negative("text.typo", url, wrong=right)
    word, legit = b.rng.choice(C.SENSITIVE_LEGIT)
    item.body.append(legit)
    b.negative("security.sensitive", url, word=word)
    _, term, sentence = b.rng.choice(C.SEVERE_TERMS)
    item.body.append(sentence.format(w=term))
    b.negative("text.severe_error", url, wrong=term)
    return True


def neg_numbers(b: SiteBuilder) -> bool:
    item = _pick(b, ("article",), ("tzgg", "rsxx", "zwdt"))
    if item is None:
        return False
    url = b.url(item.path)
    masked_id = mask_id_card(C.fake_id_card(b.rng))
    masked_mobile = mask_mobile(C.fake_mobile(b.rng))
    code = C.fake_uscc(b.rng)
    while C.ric_valid(code):
        code = C.fake_uscc(b.rng)
    landline = C.fake_landline(b.rng)
    item.body.append(f"公示对象：{C.leader_name(b.rng)}，身份证号：{masked_id}，联系电话：{masked_mobile}。")
    item.body.append(f"承办单位统一社会信用代码：{code}。监督电话：{landline}，也可拨打12345政务服务便民热线反映。")
    b.negative("privacy.leak", url, kind="id_card", masked=masked_id)
    b.negative("privacy.leak", url, kind="mobile", masked=masked_mobile)
    b.negative("privacy.leak", url, kind="id_card", masked=mask_id_card(code), note="unified social credit code")
    b.negative("privacy.leak", url, kind="mobile", masked=mask_mobile(landline), note="landline")
    return True


def _standing_negatives(b: SiteBuilder) -> None:
    """Healthy things every site has: answered messages, good replies, complete documents and guides."""
    for item in b.content_items(("message",)):
        url = b.url(item.path)
        if item.fields.get("回复时间"):
            b.negative("interaction.unanswered", url, asked=item.published.isoformat(), column=item.column.name)
            if item.fields["答复内容"] not in {r for _, r in C.PERFUNCTORY_REPLIES}:
                b.negative("interaction.perfunctory", url, target=url)
    for doc in b.content_items(("policy",)):
        if len(doc.fields) == len(C.POLICY_FIELDS):
            b.negative("policy.missing_elements", b.url(doc.path))
    for guide in b.content_items(("guide",)):
        if len(guide.fields) == len(C.GUIDE_ELEMENTS):
            b.negative("service.guide_incomplete", b.url(guide.path))


def _recent_unanswered(b: SiteBuilder) -> None:
    """A message asked yesterday and not yet answered: not a finding."""
    item = _new_message(b, 1)
    if item is not None:
        b._message_fields(item, answered=False)
        b.negative(
            "interaction.unanswered", b.url(item.path), asked=item.published.isoformat(), column=item.column.name
        )


def _privacy(kind: str) -> Callable[[SiteBuilder], bool]:
    return lambda b: _privacy_page(b, kind)


def _privacy_att(ext: str) -> Callable[[SiteBuilder], bool]:
    return lambda b: _privacy_attachment(b, ext)


PLACERS: dict[str, Callable[[SiteBuilder], bool]] = {
    "typo": typo,
    "severe_term": severe_term,
    "severe_name": severe_name,
    "sensitive": sensitive,
    "hidden_link": hidden_link,
    "privacy_id_card": _privacy("id_card"),
    "privacy_mobile": _privacy("mobile"),
    "privacy_bank_card": _privacy("bank_card"),
    "privacy_xlsx": _privacy_att("xlsx"),
    "privacy_xls": _privacy_att("xls"),
    "privacy_docx": _privacy_att("docx"),
    "privacy_doc": _privacy_att("doc"),
    "privacy_pdf": _privacy_att("pdf"),
    "broken_internal": broken_internal,
    "broken_redirect": broken_redirect,
    "broken_image": broken_image,
    "broken_attachment": broken_attachment,
    "broken_external": broken_external,
    "broken_home": broken_home,
    "policy_missing": policy_missing,
    "interp_unlinked": interp_unlinked,
    "unanswered": unanswered,
    "perfunctory": perfunctory,
    "guide_incomplete": guide_incomplete,
    "meta_missing": meta_missing,
    "neg_text": neg_text,
    "neg_numbers": neg_numbers,
}
CONTENT_KINDS: tuple[str, ...] = tuple(PLACERS)


def apply_defects(b: SiteBuilder, forced: list[str]) -> list[str]:
    """Place this site's defects; returns forced kinds that did not fit here (for the next site)."""
    rates = b.ctx.rates
    carry = []
    for kind in CONTENT_KINDS:
        n = 0
        if b.rng.random() < rates[kind]:
            n = 2 if b.rng.random() < 0.2 else 1
        if kind in forced:
            n = max(n, 1)
        placed = sum(PLACERS[kind](b) for _ in range(n))
        if kind in forced and not placed:
            carry.append(kind)
    _recent_unanswered(b)
    _standing_negatives(b)
    _search_truth(b)
    return carry


def _search_truth(b: SiteBuilder) -> None:
    from pypinyin import lazy_pinyin

    mode = b.behaviour.get("search", "full")
    items = sorted(
        b.content_items(("article", "policy", "interpretation", "guide")),
        key=lambda i: (i.published, i.id),
        reverse=True,
    )
    if not items:
        return
    # as many as the W-D rule samples (4 titles): the newest ones are missing from the index
    hidden_titles = {i.title for i in items[:4]} if mode == "stale_index" else set()
    # queries are built from an indexed title, as a contiguous run of Han characters of it
    title = next((i.title for i in items if i.title not in hidden_titles), items[-1].title)
    runs = sorted(re.findall("[\u4e00-\u9fff]+", title), key=len, reverse=True)
    han = runs[0] if runs else title
    pinyin_query = "".join(lazy_pinyin(han[:4]))
    typo_query = han[:2] + ("某" if han[2] != "某" else "甲") + han[3:6]
    b.behaviour["queries"] = {"pinyin": pinyin_query, "typo": typo_query}
    home = b.home
    if mode == "missing":
        b.record("search.missing", home)
        return
    b.negative("search.missing", home)
    (b.record if mode in ("no_pinyin", "exact") else b.negative)("search.no_pinyin", home, query=pinyin_query)
    (b.record if mode in ("no_typo", "exact") else b.negative)("search.no_typo_tolerance", home, query=typo_query)
    if hidden_titles:
        # every item carrying a hidden title is left out of the index
        b.behaviour["search_unindexed"] = [i.path for i in items if i.title in hidden_titles]
        for t in sorted(hidden_titles):
            b.record("search.title_not_found", home, query=t)
    else:
        b.negative("search.title_not_found", home, query=items[-1].title)
