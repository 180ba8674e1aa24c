"""Fake personal numbers with valid check digits, made at test time (never committed)."""

from __future__ import annotations

import random

import phonenumbers
from stdnum import luhn
from stdnum.cn import ric

_RNG = random.Random(20261126)


def id_card(region: str = "510104", birth: str = "19900101", x_allowed: bool = True) -> str:
    """A valid 18-character ID-card number (region and birth date must be valid together)."""
    while True:
        first17 = region + birth + f"{_RNG.randrange(1000):03d}"
        number = first17 + ric.calc_check_digit(first17 + "0")  # it expects a check-digit place
        if ric.is_valid(number) and (x_allowed or number[-1] != "X"):
            return number


def id_card_legacy(region: str = "510104", birth: str = "650312") -> str:
    return region + birth + f"{_RNG.randrange(1000):03d}"


def mobile(prefix: str = "138") -> str:
    while True:
        number = prefix + f"{_RNG.randrange(10**8):08d}"
        parsed = phonenumbers.parse(number, "CN")
        if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE:
            return number


def bank_card(prefix: str = "622202", length: int = 19) -> str:
    body = prefix + "".join(str(_RNG.randrange(10)) for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def not_luhn(card: str) -> str:
    """The same card with a wrong check digit."""
    return card[:-1] + str((int(card[-1]) + 1) % 10)
