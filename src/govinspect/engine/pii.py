"""Detectors of personal numbers in free text: ID-card, mobile and bank-card numbers.

Every candidate is validated by a well-kept validator before it counts:

- ID card (居民身份证号码), 18 characters: ``stdnum.cn.ric`` (region code valid in the birth
  year, birth date, GB 11643 check digit). 15-digit legacy numbers have no check digit, so
  they count only with a valid region and 19yy birth date *and* an ID-card word nearby.
- Mobile: ``phonenumbers`` with the Chinese metadata, number type MOBILE.
- Bank card: ``stdnum.luhn``, length 16–19, a plausible issuer prefix (BIN) and a card or
  account word nearby; a company or treasury account context vetoes it.

What is never reported: unified social credit codes (``stdnum.cn.uscc``) labelled as such,
numbers that are part of a longer code (letters or digits glued on either side, a dash or a
dot joining another number), masked values (``*`` next to the digits), numbers inside URLs
or e-mail addresses, landlines and short hotlines (not mobile type), and mobiles labelled as
a public service line (举报电话, 服务热线 …).

The raw number never leaves this module: a match carries its kind, its span and the masked
value (``findings.mask_value``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import phonenumbers
from stdnum import luhn
from stdnum.cn import ric, uscc

from govinspect.findings import mask, mask_value

Kind = Literal["id_card", "mobile", "bank_card"]
KINDS: tuple[Kind, ...] = ("id_card", "mobile", "bank_card")

# How far (characters) before a number its label is looked for.
CONTEXT_BEFORE = 24
CONTEXT_AFTER = 6

ID_WORDS = ("身份证", "证件号", "身份号码", "公民身份", "证件号码", "身份证号")
CARD_WORDS = (
    "银行卡",
    "卡号",
    "账号",
    "帐号",
    "账户",
    "帐户",
    "开户",
    "银行",
    "储蓄卡",
    "借记卡",
    "信用卡",
    "社保卡",
    "工资卡",
    "一卡通",
    "存折",
)
# Accounts of organisations, published on purpose (收款账户 of a bureau, 财政专户 …).
COMPANY_ACCOUNT_WORDS = ("对公", "基本户", "单位账户", "单位帐户", "收款单位", "财政专户", "非税", "汇缴", "专户")
USCC_WORDS = ("信用代码", "社会信用", "组织机构代码", "注册号", "纳税人识别号", "税号")
# Public service lines: a mobile labelled so is published on purpose.
HOTLINE_WORDS = ("热线", "举报电话", "监督电话", "投诉电话", "咨询电话", "服务电话", "值班电话", "客服", "举报邮箱")

# Labels of codes that happen to look like mobiles ("项目编号：15012345678").
CODE_WORDS = (
    "编号", "编码", "代码", "序列号", "订单号", "流水号", "单号", "批次号", "条码", "证书号", "许可证号", "文号",
    "批准号", "登记号", "准考证号", "学号", "工号", "档案号", "案号",
)  # fmt: skip
PHONE_WORDS = ("手机", "电话", "联系方式", "tel", "Tel", "TEL", "联系人", "微信")

# A run of digits (an ID card may end in X) not glued to letters, digits, masks or "_".
_RUN_RE = re.compile(r"(?<![0-9A-Za-z*＊_])(\d{11,19}[Xx]?)(?![0-9A-Za-z*＊_])")
# Numbers written in groups: bank cards 4-4-4-4(-1..3), mobiles 3-4-4.
_GROUPED_CARD_RE = re.compile(r"(?<![0-9A-Za-z*＊_\-])(\d{4}(?:([ \-])\d{4}){3}(?:[ \-]\d{1,3})?)(?![0-9A-Za-z*＊_\-])")
_GROUPED_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z*＊_\-])(1[3-9]\d([ \-])\d{4}\2\d{4})(?![0-9A-Za-z*＊_\-])")
_URLISH_RE = re.compile(
    r"(?:https?://|www\.)[^\s\"'<>，。；、）)]+|[0-9A-Za-z._%+\-]+@[0-9A-Za-z.\-]+\.[A-Za-z]{2,}", re.I
)

# Issuer prefixes seen on cards issued in China: UnionPay 62, Visa 4, Mastercard 51–55 and
# 2221–2720, JCB 35, and the legacy domestic 9-series (ICBC 9558, ABC 95599 …).
_BIN_RE = re.compile(r"^(?:62|4|5[1-5]|22[2-9]|2[3-6]|27[01]|2720|35|9[0-9])")


# Full-width digits and X (１３８…, Ｘ) as typed with a Chinese input method.
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


@dataclass(frozen=True, slots=True)
class PersonalNumber:
    """One validated personal number: where it is in the text and its masked form."""

    kind: Kind
    start: int
    end: int
    masked: str


def find_personal_numbers(text: str, *, as_of: date | None = None) -> list[PersonalNumber]:
    """Every validated personal number in ``text``, in order of appearance.

    ``as_of`` (the inspection date) rejects ID cards whose birth date lies after it.
    """
    if not text or not any(ch.isdigit() for ch in text):
        return []
    text = text.translate(_ASCII_DIGITS)  # same length: offsets stay valid for the caller
    blocked = _blocked_spans(text)
    found: list[PersonalNumber] = []
    taken: list[tuple[int, int]] = []
    for m in _RUN_RE.finditer(text):
        start, end = m.span(1)
        if _inside(blocked, start, end) or _glued(text, start, end):
            continue
        hit = _classify_run(text, m[1], start, end, as_of)
        if hit:
            found.append(hit)
            taken.append((start, end))
    for regex, kind in ((_GROUPED_CARD_RE, "bank_card"), (_GROUPED_MOBILE_RE, "mobile")):
        for m in regex.finditer(text):
            start, end = m.span(1)
            if _inside(blocked, start, end) or _inside(taken, start, end) or _glued(text, start, end):
                continue
            digits = re.sub(r"\D", "", m[1])
            hit = (
                _as_bank_card(text, digits, start, end) if kind == "bank_card" else _as_mobile(text, digits, start, end)
            )
            if hit:
                found.append(hit)
                taken.append((start, end))
    found.sort(key=lambda p: p.start)
    return found


def masked_text(text: str, numbers: list[PersonalNumber] | None = None) -> str:
    """``text`` with every detected number replaced by its masked form, then ``mask()`` as the
    last line of defence (it hides unvalidated number shapes too)."""
    if numbers is None:
        numbers = find_personal_numbers(text)
    out: list[str] = []
    pos = 0
    for n in numbers:
        out.append(text[pos : n.start])
        out.append(n.masked)
        pos = n.end
    out.append(text[pos:])
    return mask("".join(out))


def masked_excerpt(text: str, number: PersonalNumber, numbers: list[PersonalNumber], width: int = 30) -> str:
    """A short excerpt around ``number`` in which every personal number is masked."""
    lo = max(0, number.start - width)
    hi = min(len(text), number.end + width)
    # Widen to whole numbers so no half-number is cut out of the masking.
    for n in numbers:
        if n.start < lo < n.end:
            lo = n.start
        if n.start < hi < n.end:
            hi = n.end
    inside = [
        PersonalNumber(n.kind, n.start - lo, n.end - lo, n.masked) for n in numbers if lo <= n.start and n.end <= hi
    ]
    body = masked_text(text[lo:hi], inside).replace("\n", " ")
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


# --- classification ---------------------------------------------------------------------


def _classify_run(text: str, run: str, start: int, end: int, as_of: date | None) -> PersonalNumber | None:
    n = len(run)
    if n == 18:
        hit = _as_id_card(text, run, start, end, as_of)
        if hit or not run.isdigit():
            return hit
    if not run.isdigit():
        return None
    if n == 15:
        return _as_legacy_id_card(text, run, start, end)
    if n == 11:
        return _as_mobile(text, run, start, end)
    if n == 13 and run.startswith("86"):
        return _as_mobile(text, run[2:], start, end)
    if 16 <= n <= 19:
        return _as_bank_card(text, run, start, end)
    return None


def _as_id_card(text: str, run: str, start: int, end: int, as_of: date | None) -> PersonalNumber | None:
    number = run.upper()
    if not _ric_valid(number):
        return None
    if as_of is not None and ric.get_birth_date(number) > as_of:
        return None
    if _uscc_valid(number) and _has_word(_context(text, start, end), USCC_WORDS):
        return None
    return PersonalNumber("id_card", start, end, mask_value("id_card", number))


def _as_legacy_id_card(text: str, run: str, start: int, end: int) -> PersonalNumber | None:
    if not _has_word(_context(text, start, end), ID_WORDS):
        return None
    try:
        date(1900 + int(run[6:8]), int(run[8:10]), int(run[10:12]))
    except ValueError:
        return None
    if not _region_known(run[:6]):
        return None
    return PersonalNumber("id_card", start, end, mask_value("id_card", run))


def _as_mobile(text: str, digits: str, start: int, end: int) -> PersonalNumber | None:
    if len(digits) != 11 or not digits.startswith("1"):
        return None
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE:
        return None
    label = text[max(0, start - 12) : start].rsplit("\n", 1)[-1]
    if _has_word(label, HOTLINE_WORDS) or _last_label_is_code(label):
        return None
    return PersonalNumber("mobile", start, end, mask_value("mobile", digits))


def _as_bank_card(text: str, digits: str, start: int, end: int) -> PersonalNumber | None:
    if not 16 <= len(digits) <= 19 or not _BIN_RE.match(digits) or not luhn.is_valid(digits):
        return None
    context = _context(text, start, end)
    if not _has_word(context, CARD_WORDS) or _has_word(context, COMPANY_ACCOUNT_WORDS):
        return None
    if len(digits) == 18 and _uscc_valid(digits) and _has_word(context, USCC_WORDS):
        return None
    return PersonalNumber("bank_card", start, end, mask_value("bank_card", digits))


# --- helpers ----------------------------------------------------------------------------


def _ric_valid(number: str) -> bool:
    # stdnum raises KeyError (not a ValidationError) for region codes its table knows only at
    # province level (e.g. 710100, 819000): such a number is not a valid ID card
    try:
        return ric.is_valid(number)
    except (KeyError, ValueError, IndexError):
        return False


def _uscc_valid(number: str) -> bool:
    try:
        return uscc.is_valid(number)
    except (KeyError, ValueError, IndexError):
        return False


@lru_cache(maxsize=4096)
def _region_known(code: str) -> bool:
    from stdnum import numdb

    info = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in info)


def _context(text: str, start: int, end: int) -> str:
    # The label of a value is before it on the same line or cell ("身份证号：…"); stop at a
    # line break so a label of the previous row does not leak into this one.
    before = text[max(0, start - CONTEXT_BEFORE) : start]
    before = before.rsplit("\n", 1)[-1]
    after = text[end : end + CONTEXT_AFTER].split("\n", 1)[0]
    return before + after


def _last_label_is_code(label: str) -> bool:
    code_at = max((label.rfind(w) for w in CODE_WORDS), default=-1)
    phone_at = max((label.rfind(w) for w in PHONE_WORDS), default=-1)
    return code_at > phone_at


def _has_word(context: str, words: tuple[str, ...]) -> bool:
    return any(w in context for w in words)


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a longer code: "2024-13812345678", "12.13812345678", "13812345678-2"."""
    if start >= 2 and text[start - 1] in "-./" and text[start - 2].isdigit():
        return True
    return end + 1 < len(text) and text[end] in "-./@" and text[end + 1].isascii() and text[end + 1].isalnum()


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URLISH_RE.finditer(text)] if ("/" in text or "@" in text or "www." in text) else []


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
