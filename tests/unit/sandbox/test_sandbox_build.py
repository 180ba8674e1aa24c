"""Sandbox generator and scorer without sockets: determinism, coverage, truth consistency, scoring."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc

from govinspect.findings import FINGERPRINT_KEYS, Finding, mask, read_jsonl
from govinspect.sandbox import build, load_truth
from govinspect.sandbox import content as C
from govinspect.sandbox.defects import CONTENT_KINDS
from govinspect.sandbox.score import score
from govinspect.sandbox.server import _near
from govinspect.sandbox.sites import SiteSpec, register_sites, spread_sample

SCORED = {c for c in FINGERPRINT_KEYS if not c.startswith(("newmedia.", "crawl."))}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sbx")
    build(out, seed=11, sites=9, pages_per_site=30)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "sites.json"
    }


def test_same_seed_same_bytes(small, tmp_path):
    again = tmp_path / "again"
    build(again, seed=11, sites=9, pages_per_site=30)
    assert _files(small) == _files(again)
    m1 = json.loads((small / "sites.json").read_text(encoding="utf-8"))
    m2 = json.loads((again / "sites.json").read_text(encoding="utf-8"))
    m1.pop("build_seconds"), m2.pop("build_seconds")
    assert m1 == m2


def test_other_seed_other_province(small, tmp_path):
    build(tmp_path / "b", seed=12, sites=9, pages_per_site=30)
    assert (small / "truth.jsonl").read_bytes() != (tmp_path / "b" / "truth.jsonl").read_bytes()


def test_every_check_and_kind_is_seeded(small):
    manifest = json.loads((small / "sites.json").read_text(encoding="utf-8"))
    assert manifest["unplaced_defects"] == []
    truth = list(read_jsonl(small / "truth.jsonl"))
    assert {t.check for t in truth} >= SCORED
    assert manifest["as_of"] == "2025-12-15"
    assert len(CONTENT_KINDS) > 20


def test_truth_records_follow_the_contract(small):
    truth = list(read_jsonl(small / "truth.jsonl"))
    negatives = list(read_jsonl(small / "negatives.jsonl"))
    assert len({t.fingerprint for t in truth}) == len(truth), "one record per fingerprint"
    assert not {t.fingerprint for t in truth} & {n.fingerprint for n in negatives}
    for t in truth:
        assert t.url.startswith(t.site) and t.site.endswith("/")
        key = FINGERPRINT_KEYS[t.check]
        if key == "target":
            assert t.target and t.target.startswith("http://")
        elif key:
            assert t.detail.get(key), t
        raw = json.dumps(t.to_dict(), ensure_ascii=False)
        assert mask(raw) == raw, f"an unmasked personal number in the truth: {t.check}"


def test_negatives_cover_the_lookalikes(small):
    negatives = list(read_jsonl(small / "negatives.jsonl"))
    kinds = Counter(n.check for n in negatives)
    for check in (
        "privacy.leak",
        "text.typo",
        "security.sensitive",
        "update.column_stale",
        "interaction.unanswered",
        "interaction.perfunctory",
        "links.broken",
    ):
        assert kinds[check] > 0, check
    notes = {n.detail.get("note") for n in negatives if n.check == "privacy.leak"}
    assert {"unified social credit code", "landline"} <= notes


def test_gbk_and_utf8_sites_decode_strictly(small):
    manifest = json.loads((small / "sites.json").read_text(encoding="utf-8"))
    encodings = set()
    for s in manifest["sites"]:
        if s.get("availability"):
            continue
        encodings.add(s["encoding"])
        for page in (small / "sites" / s["site_code"]).rglob("*.html"):
            page.read_bytes().decode("gbk" if s["encoding"] == "gbk" else "utf-8")
    assert encodings == {"gbk", "utf-8"}


def test_templates_vary(small):
    manifest = json.loads((small / "sites.json").read_text(encoding="utf-8"))
    assert {s["template"] for s in manifest["sites"]} == {"trs", "hanweb", "table"}


def test_score_truth_against_itself(small):
    truth = list(read_jsonl(small / "truth.jsonl"))
    negatives = list(read_jsonl(small / "negatives.jsonl"))
    result = score(truth, truth, negatives)
    for check, row in result["checks"].items():
        assert row["precision"] == 1.0 and row["recall"] == 1.0, check
    assert result["total"]["fp"] == 0 and result["missed"] == []


def test_score_empty_and_false_positives(small):
    truth = list(read_jsonl(small / "truth.jsonl"))
    negatives = list(read_jsonl(small / "negatives.jsonl"))
    empty = score([], truth, negatives)
    assert empty["total"]["recall"] == 0.0 and empty["total"]["precision"] is None
    assert all(r["recall"] == 0.0 for r in empty["checks"].values() if r["expected"])
    wrong = [
        negatives[0],
        Finding(
            site=truth[0].site, check="text.typo", severity="deduct", url=truth[0].url, detail={"wrong": "不存在的词"}
        ),
    ]
    result = score([truth[0], *wrong], truth, negatives)
    assert result["total"]["tp"] == 1 and result["total"]["fp"] == 2
    assert result["total"]["negatives_hit"] == 1
    assert len(result["missed"]) == len(truth) - 1


def test_truth_rewritten_for_served_ports(small):
    manifest = json.loads((small / "sites.json").read_text(encoding="utf-8"))
    moved = load_truth(small, base_port=20000)
    orig = load_truth(small)
    assert len(moved) == len(orig)
    for a, b in zip(orig, moved, strict=True):
        index = int(a.site.rsplit(":", 1)[1].strip("/")) - manifest["base_port"]
        assert b.site == f"http://127.0.0.1:{20000 + index}/"
        assert b.url.replace(b.site, "") == a.url.replace(a.site, "")


def test_fake_numbers_are_valid():
    rng = random.Random(5)
    for _ in range(300):
        assert ric.is_valid(C.fake_id_card(rng))
        assert luhn.is_valid(C.fake_bank_card(rng))
        code = C.fake_uscc(rng)
        assert uscc.is_valid(code) and code.isdigit()
        mobile = C.fake_mobile(rng)
        assert phonenumbers.is_valid_number(phonenumbers.parse(mobile, "CN")), mobile


def test_word_banks_are_gbk_and_errors_differ():
    for wrong, right, sentence in C.TYPOS + C.SEVERE_TERMS:
        assert wrong != right and "{w}" in sentence
        sentence.format(w=wrong).encode("gbk")
        for s in C.SENTENCES:  # the clean prose never contains a seeded error
            assert wrong not in s
    for _, word, _ in C.SENSITIVE:
        assert all(word not in s for s in C.SENTENCES)


def test_search_typo_window():
    assert _near("四川某人民", "四川省人民政府关于…")
    assert not _near("四川某某民", "四川省人民政府")
    assert not _near("四川", "四川省")  # too short to be fuzzy


def test_register_sites_and_spread():
    from govinspect.registry.sichuan import sichuan_register

    specs = register_sites()
    assert len(specs) == len(sichuan_register().sites) == 664
    sample = spread_sample(specs, 9)
    assert len(sample) == 9 and sample[0].category == "provincial_portal"
    assert len({s.region_code[:4] for s in sample}) >= 6


def test_explicit_site_specs(tmp_path):
    specs = [
        SiteSpec(f"51010400{i:02d}", f"测试网站{i}", "测试办公室", "510104", "锦江区", "county_portal")
        for i in range(3)
    ]
    m = build(tmp_path, seed=1, sites=specs, pages_per_site=20)
    assert [s["site_code"] for s in m["sites"]] == [s.site_code for s in specs]


def test_refuses_a_foreign_directory(tmp_path):
    from govinspect.errors import ConfigError

    (tmp_path / "precious.txt").write_text("x")
    with pytest.raises(ConfigError):
        build(tmp_path, sites=2)


@pytest.mark.slow
def test_full_province_counts_match_the_register(tmp_path):
    from govinspect.registry.sichuan import sichuan_register

    m = build(tmp_path, seed=1, pages_per_site=14)
    sites = sichuan_register().sites
    assert len(m["sites"]) == 664
    built = Counter((s["region_code"][:4], s["category"]) for s in m["sites"])
    assert built == Counter((s.region_code[:4], s.category) for s in sites)


def test_crawl_findings_are_not_scored(small):
    truth = list(read_jsonl(small / "truth.jsonl"))
    trap = Finding(
        site=truth[0].site,
        check="crawl.trap",
        severity="notice",
        url=truth[0].site,
        target=truth[0].site + "bmrl/index.html?ym=2020-01",
    )
    result = score([*truth, trap], truth)
    assert result["total"]["fp"] == 0 and result["unscored"] == {"crawl.trap": 1}


def test_optional_corpus_sentences_are_filtered(shared_data, tmp_path):
    from govinspect.sandbox.generate import _SEEDED_WORDS, _load_corpus

    folder = shared_data / "csc" / "ecspell" / "gov_doc_plaintext_web_data"
    if not folder.is_dir():
        pytest.skip("no clean official documents in the shared data")
    sentences = _load_corpus(folder)
    assert len(sentences) > 500
    assert all(not any(w in s for w in _SEEDED_WORDS) for s in sentences)
    m = build(tmp_path / "c", seed=1, sites=3, pages_per_site=15, corpus=folder)
    assert m["truth"] > 0


def test_score_restricted_to_sites(small):
    truth = list(read_jsonl(small / "truth.jsonl"))
    one = truth[0].site
    mine = [t for t in truth if t.site == one]
    result = score(mine, truth, sites=[one])
    assert result["total"]["expected"] == len(mine) and result["total"]["recall"] == 1.0
    partial = score(mine, truth, only_sites_in_findings=True)
    assert partial["total"]["expected"] == len(mine)
