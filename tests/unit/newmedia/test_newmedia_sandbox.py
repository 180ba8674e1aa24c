"""The new-media sandbox: deterministic, the notice's four veto accounts, truth in the findings contract."""

from __future__ import annotations

import json

import pytest

from govinspect.findings import FINGERPRINT_KEYS
from govinspect.newmedia.adapters import PostRecord, RowError, parse
from govinspect.newmedia.checks import account_uri
from govinspect.newmedia.sandbox import build, feed_files, read_truth
from govinspect.registry.sichuan import sichuan_register


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("nm")
    return out, build(out, seed=3, posts_per_account=6)


def test_every_account_has_a_feed_and_the_counts_add_up(built):
    out, manifest = built
    assert manifest["accounts"] == 3722
    assert manifest["posts"] == 6 * (3722 + manifest["closed_accounts"])
    posts, errors = 0, []
    for path in feed_files(out):
        for record in parse(path.read_bytes(), str(path)):
            posts += isinstance(record, PostRecord)
            if isinstance(record, RowError):
                errors.append(record)
    assert errors == [] and posts == manifest["posts"]


def test_four_veto_accounts_two_in_ganzi_two_provincial(built):
    out, manifest = built
    region = {account_uri(a.platform, a.platform_id): a.region_code for a in sichuan_register().accounts}
    vetoed = {f.site for f in read_truth(out) if f.severity == "veto"}
    assert vetoed == set(manifest["veto_accounts"]) and len(vetoed) == 4
    codes = sorted(region[uri] for uri in vetoed)
    assert [c[:4] for c in codes[2:]] == ["5133", "5133"] and codes[:2] == ["510000", "510000"]


def test_truth_and_negatives_follow_the_contract(built):
    out, _ = built
    truth, negatives = read_truth(out), read_truth(out, negatives=True)
    assert {f.check for f in truth} >= {
        "newmedia.low_frequency",
        "newmedia.duplicate_account",
        "newmedia.closed_but_active",
        "newmedia.unfiled",
        "text.typo",
        "privacy.leak",
    }
    assert all(f.check in FINGERPRINT_KEYS for f in truth + negatives)
    assert not {f.fingerprint for f in truth} & {n.fingerprint for n in negatives}
    text = (out / "truth.jsonl").read_text(encoding="utf-8")
    for f in truth:
        if f.check == "privacy.leak":
            assert "*" in f.detail["masked"]
    assert len({f.fingerprint for f in truth}) == len(truth)
    assert "newmedia.unfiled" in text


@pytest.mark.slow
def test_same_seed_same_sandbox_other_seed_other_defects(built, tmp_path):
    out, _ = built
    again = build(tmp_path / "a", seed=3, posts_per_account=6)
    assert (tmp_path / "a" / "truth.jsonl").read_bytes() == (out / "truth.jsonl").read_bytes()
    assert (tmp_path / "a" / "register.jsonl").read_bytes() == (out / "register.jsonl").read_bytes()
    assert again["veto_accounts"] == built[1]["veto_accounts"]
    other = build(tmp_path / "b", seed=4, posts_per_account=6)
    assert other["veto_accounts"] != again["veto_accounts"]


def test_vetoes_can_be_chosen(tmp_path):
    manifest = build(tmp_path, seed=1, posts_per_account=5, vetoes={"5101": 3})
    assert len(manifest["veto_accounts"]) == 3
    ops = [json.loads(line) for line in (tmp_path / "register.jsonl").read_text().splitlines()]
    assert {op["op"] for op in ops} == {"retarget", "add_closed"}
