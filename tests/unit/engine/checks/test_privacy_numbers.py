"""The personal-number detectors (engine.pii): validated hits, and the numbers that must not count."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from fake_pii import bank_card, id_card, id_card_legacy, mobile, not_luhn

from govinspect.engine.pii import find_personal_numbers, masked_excerpt, masked_text
from govinspect.findings import mask_value


def kinds(text: str) -> list[tuple[str, str]]:
    return [(n.kind, n.masked) for n in find_personal_numbers(text, as_of=date(2026, 11, 26))]


def test_id_card_in_prose_is_found_and_masked():
    number = id_card()
    found = kinds(f"经审核，张三（身份证号：{number}）符合条件。")
    assert found == [("id_card", mask_value("id_card", number))]
    assert found[0][1].count("*") == 8


def test_id_card_ending_in_x_is_found():
    number = next(n for n in (id_card() for _ in range(200)) if n.endswith("X"))
    assert kinds(f"身份证{number.lower()}")[0][0] == "id_card"


def test_id_card_with_a_wrong_check_digit_or_date_is_not_found():
    number = id_card()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert kinds(f"身份证号 {wrong}") == []
    assert kinds("身份证号 510104199013010011") == []


def test_id_card_born_after_the_inspection_is_not_found():
    future = id_card(birth="20270101")
    assert find_personal_numbers(f"证件号{future}", as_of=date(2026, 11, 26)) == []


def test_reference_id_numbers(shared_data):
    data = json.loads((shared_data / "ids" / "cn_id_numbers.json").read_text(encoding="utf-8"))
    ric = data["cn_ric_resident_identity_card"]
    for number in ric["valid"]:
        assert kinds(f"身份证号：{number}") == [("id_card", mask_value("id_card", number))], mask_value(
            "id_card", number
        )
    for number in ric["invalid"]:
        assert kinds(f"身份证号：{number}") == []


def test_unified_social_credit_codes_are_not_flagged(shared_data):
    data = json.loads((shared_data / "ids" / "cn_id_numbers.json").read_text(encoding="utf-8"))
    codes = data["cn_uscc_unified_social_credit_code"]["valid_found_online"]
    text = "\n".join(f"统一社会信用代码：{c}；账号 {c}" for c in codes)
    assert kinds(text) == []
    naive = data["cn_uscc_unified_social_credit_code"]["valid_that_match_naive_id_regex_\\d{17}[\\dX]"]
    assert naive and kinds(" ".join(naive)) == []


def test_generated_uscc_is_not_flagged():
    from stdnum.cn import uscc

    for body in ("91510100MA61R5XK2", "12510000450717305"):
        code = body + uscc.calc_check_digit(body)
        assert uscc.is_valid(code)
        assert kinds(f"统一社会信用代码{code}") == []


def test_legacy_15_digit_id_needs_its_label():
    number = id_card_legacy()
    assert kinds(f"身份证号码：{number}") == [("id_card", mask_value("id_card", number))]
    assert kinds(f"订单号：{number}") == []
    assert kinds(f"身份证号码：{number[:6]}651399{number[-3:]}") == []  # month 13


def test_mobile_found_plain_grouped_and_with_country_code():
    number = mobile()
    masked = mask_value("mobile", number)
    assert kinds(f"联系人张三，电话{number}。") == [("mobile", masked)]
    assert kinds(f"手机：{number[:3]}-{number[3:7]}-{number[7:]}") == [("mobile", masked)]
    assert kinds(f"手机 +86{number}") == [("mobile", masked)]


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：028-86123456",
        "请拨打12345政务服务便民热线",
        "服务热线：4008123456，传真 02886123456",
        "已脱敏：138****5678 与 510104********1234",
        "订单号 2024112613812345678",
        "编号 A13812345678",
        "版本 13812345678.5",
        "见 http://www.example.gov.cn/art/13812345678.html",
        "邮箱 13812345678@139.com",
        "批次号 12345678901",
    ],
)
def test_things_that_are_not_personal_numbers(text):
    assert kinds(text) == []


def test_mobile_labelled_as_a_public_hotline_or_a_code_is_not_flagged():
    assert kinds(f"举报电话：{mobile()}") == []
    assert kinds(f"项目编号：{mobile()}") == []
    number = mobile()
    assert kinds(f"编号：12，手机：{number}") == [("mobile", mask_value("mobile", number))]


def test_bank_card_needs_luhn_prefix_and_label():
    card = bank_card()
    masked = mask_value("bank_card", card)
    assert kinds(f"开户行：农业银行，卡号：{card}") == [("bank_card", masked)]
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert kinds(f"银行卡号 {grouped}") == [("bank_card", masked)]
    assert kinds(f"卡号：{not_luhn(card)}") == []
    assert kinds(f"流水号：{card}") == []  # no card word near it
    assert kinds(f"卡号：{bank_card(prefix='100000')}") == []  # no issuer starts so
    assert kinds(f"财政专户 账号：{card}") == []  # an organisation's account


def test_label_of_the_previous_line_does_not_count():
    card = bank_card()
    assert kinds(f"卡号\n{card}") == []


def test_masked_output_never_contains_the_number():
    numbers = [id_card(), mobile(), bank_card()]
    text = f"身份证{numbers[0]} 手机{numbers[1]} 银行卡 {numbers[2]} 末尾"
    found = find_personal_numbers(text)
    assert len(found) == 3
    for hit in found:
        out = masked_excerpt(text, hit, found, width=80)
        assert not any(n in out for n in numbers)
        assert hit.masked in out
    whole = masked_text(text, found)
    assert not any(n in whole for n in numbers)
    assert not re.search(r"\d{11}", whole)


def test_full_width_digits_and_a_sentence_ending_in_a_period():
    number = mobile()
    wide = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert kinds(f"手机：{wide}。") == [("mobile", mask_value("mobile", number))]
    assert kinds(f"手机：{number}.联系人王五") == [("mobile", mask_value("mobile", number))]


def test_region_codes_that_make_stdnum_raise_are_not_id_cards():
    from stdnum.cn import ric

    for region in ("710100", "819000", "119000"):
        first17 = region + "19900101001"
        number = first17 + ric.calc_check_digit(first17 + "0")
        assert kinds(f"身份证号：{number}") == []
