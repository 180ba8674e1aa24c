"""Scoring per indicators.md §1.1: every veto rule at and around its threshold, the 60/80 bounds,
the 75 × 4/3 rule for departments without services, bonus, manual entries, province overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govinspect.findings import Finding
from govinspect.indicators.load import DEFAULT_PATH, catalogue, load_catalogue, province_catalogue
from govinspect.indicators.scoring import Subject, finding_points, score

AS_OF = date(2025, 12, 15)
HOME = "http://127.0.0.1:8101/"


def f(check: str, severity: str = "deduct", url: str = HOME + "p.html", target: str | None = None, **detail) -> Finding:
    return Finding(site=HOME, check=check, severity=severity, url=url, target=target, detail=detail)


def site(**kw) -> Subject:
    return Subject(home_url=HOME, **{"offers_services": True, "portal": True, **kw})


def run(findings, subject=None, **kw):
    return score(findings, subject or site(), AS_OF, kw.pop("cat", catalogue()), **kw)


def veto_ids(result) -> list[str]:
    return [v.item for v in result.vetoes]


def ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def test_clean_site_scores_100_and_passes():
    r = run([])
    assert r.passed and r.score == 100 and r.final == 100 and not r.vetoes and not r.deductions


# --- W-V1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("check", ["text.severe_error", "security.sensitive", "security.hidden_link"])
def test_v1_any_veto_finding(check):
    assert veto_ids(run([f(check, "veto", wrong="x", word="x")])) == ["W-V1"]


def test_v1_deduct_severity_hidden_link_is_no_veto():
    r = run([f("security.hidden_link", "deduct", target="http://x/")])
    assert r.passed and not r.vetoes


# --- W-V2 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("failures", "vetoed"), [(6, False), (7, True), (8, True)])
def test_v2_failure_ratio_at_five_percent(failures, vetoed):
    # 140 probes: 7 failures = exactly 5% (超过（含）5%), 6 = 4.3%
    r = run([f("availability.unreachable", "veto", url=HOME, failures=failures, probes=140)])
    assert ("W-V2" in veto_ids(r)) is vetoed


# --- W-V3 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("age", "vetoed"), [(13, False), (14, False), (15, True)])
def test_v3_home_page_window(age, vetoed):
    r = run([f("update.homepage_stale", "veto", url=HOME, latest=ago(age))])
    assert ("W-V3" in veto_ids(r)) is vetoed


def test_v3_home_page_without_any_date_is_stale():
    assert veto_ids(run([f("update.homepage_stale", "veto", url=HOME, latest=None)])) == ["W-V3"]


# --- W-V4 ---------------------------------------------------------------------------------------
def stale(n: int, kind: str, age: int = 400) -> list[Finding]:
    return [
        f("update.column_stale", url=f"{HOME}{kind}{i}/", column=f"{kind}{i}", type=kind, latest=ago(age))
        for i in range(n)
    ]


@pytest.mark.parametrize(("n", "vetoed"), [(4, False), (5, True), (6, True)])
def test_v4_stale_key_columns(n, vetoed):
    kinds = ["news", "notice", "policy"]
    findings = [
        f("update.column_stale", url=f"{HOME}c{i}/", column=f"c{i}", type=kinds[i % 3], latest=ago(400))
        for i in range(n)
    ]
    assert ("W-V4" in veto_ids(run(findings))) is vetoed


@pytest.mark.parametrize(("n", "vetoed"), [(9, False), (10, True)])
def test_v4_stale_columns_of_any_type(n, vetoed):
    # 4 key columns (below their own threshold) + other types up to n
    findings = stale(4, "news", 30) + stale(n - 4, "personnel")
    assert ("W-V4" in veto_ids(run(findings))) is vetoed


@pytest.mark.parametrize(("n", "vetoed"), [(4, False), (5, True)])
def test_v4_blank_columns(n, vetoed):
    findings = [f("update.column_blank", url=f"{HOME}b{i}/", column=f"b{i}") for i in range(n)]
    assert ("W-V4" in veto_ids(run(findings))) is vetoed


def test_v4_window_is_rejudged_from_latest():
    # a news column 14 days old is within the window: not stale for the veto count
    findings = stale(5, "news", 14)
    assert "W-V4" not in veto_ids(run(findings))
    assert "W-V4" in veto_ids(run(stale(5, "news", 15)))


# --- W-V5 ---------------------------------------------------------------------------------------
def test_v5_no_channel():
    assert veto_ids(run([f("interaction.no_channel", "veto", url=HOME)])) == ["W-V5"]


@pytest.mark.parametrize(("age", "vetoed"), [(90, False), (91, True), (365, True), (366, False)])
def test_v5_unanswered_over_three_months_within_a_year(age, vetoed):
    r = run([f("interaction.unanswered", "veto", asked=ago(age), column="咨询")])
    assert ("W-V5" in veto_ids(r)) is vetoed


# --- W-V6 ---------------------------------------------------------------------------------------
MISSING4 = ["设定依据", "申请条件", "收费标准", "办理时间"]


def guides(n: int, missing: list[str] = MISSING4) -> list[Finding]:
    return [f("service.guide_incomplete", url=f"{HOME}bs/{i}.html", missing=list(missing)) for i in range(n)]


@pytest.mark.parametrize(("n", "vetoed"), [(4, False), (5, True)])
def test_v6_five_guides_missing_four_elements(n, vetoed):
    assert ("W-V6" in veto_ids(run(guides(n), site(guides=40)))) is vetoed


def test_v6_three_missing_elements_do_not_count():
    assert "W-V6" not in veto_ids(run(guides(6, MISSING4[:3]), site(guides=40)))


@pytest.mark.parametrize(("total", "bad", "vetoed"), [(3, 3, True), (3, 2, False), (4, 4, True), (5, 4, False)])
def test_v6_fewer_than_five_items_all_incomplete(total, bad, vetoed):
    assert ("W-V6" in veto_ids(run(guides(bad), site(guides=total)))) is vetoed


def test_v6_not_checked_without_services():
    assert "W-V6" not in veto_ids(run(guides(8), site(offers_services=False, guides=8)))


# --- deductions, the 60/80 bounds, services, bonus ----------------------------------------------
def test_deductions_are_capped_per_item():
    links = [f("links.broken", target=f"{HOME}x{i}", where="page", status=404) for i in range(30)]
    home_links = [f("links.broken", url=HOME, target=f"{HOME}h{i}", where="homepage") for i in range(2)]
    r = run(links[:3] + home_links)
    assert r.deductions == {"W-D7": 0.7}  # 3 × 0.1 + 2 × 0.2
    assert run(links).deductions == {"W-D7": 1}  # cap 1
    assert run(links).score == 99


def test_rules_route_findings_to_their_items():
    cat = catalogue()
    r = run(
        stale(1, "news", 20)
        + stale(1, "policy", 200)
        + stale(2, "personnel")
        + [f("update.column_blank", column="b")]
        + [f("identity.missing", url=HOME, item="icp"), f("identity.missing", url=HOME, item="error_report_entry")]
        + [f("identity.missing", url=HOME + "a.html", item="error_report_entry")]
        + [f("search.missing", url=HOME), f("search.no_pinyin", url=HOME, query="q")]
        + guides(1, ["设定依据", "申请条件"])
    )
    assert r.deductions == {
        "W-D18": 5,
        "W-D19": 5,
        "W-D22": 4,  # 2 stale (1 each) + 1 blank (2) = 4, cap 4
        "W-D4": 0.5,
        "W-D5": 1,  # home −1 + page −0.2, cap 1
        "W-D8": 4,
        "W-D13": 1,
    }
    assert r.score == 100 - 20.5
    assert finding_points(cat, cat["W-D2"], stale(1, "news")[0]) == 0


def test_bounds_60_and_80():
    # 40 points lost exactly → 60: passes (no bonus); 40.1 → 59.9: fails
    manual = {"W-D28": 7, "W-D24": 5, "W-D18": 5, "W-D19": 5, "W-D20": 5, "W-D13": 8, "W-D26": 5}
    r = run([], manual=manual)
    assert r.score == 60 and r.passed and not r.bonus
    r = run([f("meta.missing_tags", url=HOME + "t.html", missing=["PubDate"])], manual=manual)
    assert r.score == 59.9 and not r.passed
    assert r.reasons[0].startswith("评分59.9分")
    # the quarterly full coverage judges vetoes only
    assert run([f("meta.missing_tags", missing=["x"])], manual=manual, assess="veto").passed


def test_bonus_only_above_80_and_for_portals():
    bonus = {"W-B1": 3, "W-B10": 3}
    at_80 = {"W-D28": 7, "W-D24": 5, "W-D18": 5, "W-D19": 3}  # 20 lost → 80
    assert run([], manual={**at_80, **bonus}).bonus == {}
    r = run([f("meta.missing_tags", missing=["x"])], manual={"W-D28": 7, "W-D24": 5, "W-D18": 5, "W-D19": 2, **bonus})
    assert r.score == 80.9 and r.bonus == {"W-B1": 3, "W-B10": 3} and r.final == 86.9
    assert run([], site(portal=False), manual=bonus).bonus == {}
    capped = run([], manual={"W-B1": 9})
    assert capped.bonus == {"W-B1": 4}


def test_bonus_total_never_exceeds_30():
    cat = catalogue()
    everything = {i.id: i.cap + 5 for i in cat.of_kind("bonus")}
    r = run([], manual=everything)
    assert r.bonus_total == 30 and r.final == 130


def test_without_services_scored_out_of_75_times_four_thirds():
    manual = {"W-D24": 5, "W-D13": 8, "W-D18": 5, "W-D28": 7}
    r = run([], site(offers_services=False), manual=manual)
    assert "W-D24" not in r.deductions and "W-D13" not in r.deductions
    assert r.score == round((75 - 12) * 4 / 3, 2)  # 84.0
    # 30 of 75 lost → exactly 60 (passes); 30.1 lost → 59.87 (fails)
    heavy = {"W-D28": 7, "W-D18": 5, "W-D19": 5, "W-D20": 5, "W-D30": 6, "W-D10": 2}
    r = run([], site(offers_services=False), manual=heavy)
    assert r.score == 60 and r.passed
    r = run([f("links.broken", target=HOME + "z", where="page")], site(offers_services=False), manual=heavy)
    assert r.score == round((75 - 30.1) * 4 / 3, 2) == 59.87 and not r.passed


def test_veto_fails_whatever_the_score():
    r = run([f("interaction.no_channel", "veto", url=HOME)], manual={"W-B1": 4})
    assert not r.passed and r.score == 100 and not r.bonus
    assert r.reasons[0].startswith("单项否决：互动回应差")


def test_manual_veto_entry():
    r = run([], manual={"W-V6": 1})
    assert veto_ids(r) == ["W-V6"] and r.vetoes[0].reason == "检查人员认定"


def test_accounts_judged_on_new_media_vetoes_only():
    account = Subject(account=True)
    r = score([f("newmedia.stale", "veto", latest=ago(30))], account, AS_OF, catalogue())
    assert not r.passed and veto_ids(r) == ["NM-V1"] and r.score is None
    assert score([f("newmedia.unfiled", "deduct", target="x")], account, AS_OF, catalogue()).passed
    assert veto_ids(score([f("privacy.leak", "veto", masked="510104********1234")], account, AS_OF, catalogue())) == [
        "NM-V3"
    ]
    assert score([f("privacy.leak", "deduct", masked="138****5678")], account, AS_OF, catalogue()).passed
    # website vetoes never apply to accounts
    assert score([f("update.homepage_stale", "veto", latest=None)], account, AS_OF, catalogue()).passed


def test_catalogue_parts_sum_to_the_2019_totals():
    cat = catalogue()
    parts: dict[str, float] = {}
    for item in cat.of_kind("deduct"):
        # W-D2 only carries the windows the checks read: its rules score nothing
        if item.id.startswith("W-") and item.id != "W-D2":
            parts[cat.part_of(item.id)] = parts.get(cat.part_of(item.id), 0) + item.cap
    assert parts == {"发布解读": 31, "办事服务": 25, "互动交流": 23, "功能设计": 21}
    bonus = {}
    for item in cat.of_kind("bonus"):
        bonus[cat.part_of(item.id)] = bonus.get(cat.part_of(item.id), 0) + item.cap
    assert bonus == {"信息发布": 7, "办事服务": 6, "互动交流": 8, "功能设计": 6, "创新发展": 3}
    assert not [i.id for i in cat.items.values() if i.id.startswith("NM-") and i.verified]


def test_province_file_overrides_thresholds_and_bounds(tmp_path):
    override = tmp_path / "51.toml"
    override.write_text(
        '[[item]]\nid = "W-V4"\n[item.thresholds]\nblank_columns = 3\n\n[scoring]\npass_score = 70\n',
        encoding="utf-8",
    )
    cat = load_catalogue(DEFAULT_PATH, overrides=[override])
    blanks = [f("update.column_blank", column=f"b{i}") for i in range(3)]
    assert "W-V4" in veto_ids(run(blanks, cat=cat))
    assert "W-V4" not in veto_ids(run(blanks))
    manual = {"W-D28": 7, "W-D24": 5, "W-D18": 5, "W-D19": 5, "W-D20": 5, "W-D29": 3, "W-D31": 1}  # 31 lost → 69
    assert run([], manual=manual).passed and not run([], manual=manual, cat=cat).passed
    # the shipped Sichuan file loads and changes nothing yet
    assert province_catalogue("510000")["W-V4"].thresholds == catalogue()["W-V4"].thresholds


def test_rule_naming_a_check_that_does_not_feed_the_item_fails(tmp_path):
    from govinspect.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text(
        '[[item]]\nid = "W-D7"\nname = "可用性"\nkind = "deduct"\npoints = 0.1\ncap = 1\nchecks = ["links.broken"]\n'
        '[[rule]]\nitem = "W-D7"\ncheck = "search.missing"\npoints = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="does not feed"):
        load_catalogue(path)
