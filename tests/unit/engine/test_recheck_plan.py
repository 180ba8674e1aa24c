"""Which URLs a rectification recheck fetches, per check family (engine.recheck.plan_for)."""

from __future__ import annotations

import pytest

from govinspect.engine.checks.registry import all_checks
from govinspect.engine.config import EngineConfig
from govinspect.engine.recheck import RecheckPlan, _config_for, plan_for
from govinspect.engine.target import SiteTarget

SITE = SiteTarget(home_url="http://www.example.gov.cn/")
HOME = SITE.home_url
PAGE = "http://www.example.gov.cn/zwgk/2025/t1.html"
COLUMN = "http://www.example.gov.cn/xxgk/tzgg/index.html"


@pytest.mark.parametrize(
    "check",
    [
        "text.typo",
        "security.sensitive",
        "security.hidden_link",
        "privacy.leak",
        "meta.missing_tags",
        "policy.missing_elements",
        "service.guide_incomplete",
    ],
)
def test_page_content_checks_fetch_the_page_only(check):
    plan = plan_for(SITE, check, PAGE)
    assert plan.scope == "urls"
    assert plan.urls == [PAGE]
    assert plan.visits[0].referrer == HOME and not plan.visits[0].is_homepage
    assert plan.only_targets is None


def test_a_finding_on_the_home_page_is_visited_as_the_home_page():
    (visit,) = plan_for(SITE, "text.typo", "http://WWW.example.gov.cn:80/").visits
    assert visit.is_homepage and visit.depth == 0 and visit.url == HOME


def test_broken_link_fetches_the_page_and_cuts_its_links_to_the_target():
    target = "http://www.example.gov.cn/missing.html"
    plan = plan_for(SITE, "links.broken", PAGE, target, {"status": 404})
    assert plan.scope == "urls" and plan.urls == [PAGE]
    assert plan.only_targets == frozenset({target})


def test_broken_link_without_a_target_cannot_be_rechecked_on_urls():
    assert plan_for(SITE, "links.broken", PAGE).scope == "site"


@pytest.mark.parametrize("check", ["update.column_stale", "update.column_blank"])
def test_column_checks_read_the_named_column_page_and_no_other(check):
    plan = plan_for(SITE, check, COLUMN, None, {"column": "通知公告"})
    assert plan.scope == "urls" and plan.urls == [COLUMN]
    assert plan.columns == ((COLUMN, "通知公告"),)
    assert plan.options == {"update.column_stale": {"max_extra_fetches": 0}}


def test_column_without_its_name_falls_back_to_the_site():
    assert plan_for(SITE, "update.column_stale", COLUMN, None, {}).scope == "site"


def test_home_page_checks():
    for check in ("availability.unreachable", "update.homepage_stale", "identity.missing"):
        plan = plan_for(SITE, check, HOME, None, {"item": "icp"})
        assert plan.scope == "urls" and plan.urls == [HOME], check
        assert plan.visits[0].is_homepage
    assert plan_for(SITE, "update.homepage_stale", HOME).expand_navigation_home
    assert not plan_for(SITE, "availability.unreachable", HOME).expand_navigation_home


def test_identity_on_sampled_pages_visits_those_pages():
    pages = ["http://www.example.gov.cn/a.html", "http://www.example.gov.cn/b.html"]
    plan = plan_for(SITE, "identity.missing", HOME, None, {"item": "icp", "where": "pages", "pages": pages})
    assert plan.urls == [HOME, *pages]
    assert plan.options == {"identity.missing": {"sample_pages": 2}}
    entry = plan_for(SITE, "identity.missing", PAGE, None, {"item": "error_report_entry", "where": "page"})
    assert entry.urls == [HOME, PAGE]
    assert entry.options == {"identity.missing": {"sample_pages": 1}}


def test_absence_checks_start_at_home_and_escalate():
    for check in ("search.missing", "interaction.no_channel"):
        plan = plan_for(SITE, check, HOME)
        assert plan.scope == "urls" and plan.urls == [HOME] and plan.escalate, check


def test_interpretation_and_its_document():
    doc = "http://www.example.gov.cn/xxgk/zcwj/d1.html"
    plan = plan_for(SITE, "policy.interpretation_unlinked", PAGE, None, {"document": doc})
    assert plan.urls == [PAGE, doc]
    assert plan_for(SITE, "policy.interpretation_unlinked", PAGE, None, {}).scope == "site"


def test_messages_are_read_from_their_detail_page():
    for check in ("interaction.unanswered", "interaction.perfunctory"):
        plan = plan_for(SITE, check, PAGE, None, {"reason": "template"})
        assert plan.urls == [PAGE] and plan.verify_message, check
    assert plan_for(SITE, "interaction.perfunctory", PAGE, None, {"reason": "repeated"}).scope == "site"


def test_severe_errors_need_the_site_only_for_learnt_leader_names():
    assert plan_for(SITE, "text.severe_error", PAGE, None, {"kind": "homophone"}).urls == [PAGE]
    plan = plan_for(SITE, "text.severe_error", PAGE, None, {"kind": "leader_name"})
    assert plan.scope == "site" and "领导" in plan.reason


@pytest.mark.parametrize(
    "check", ["search.title_not_found", "search.no_pinyin", "search.no_typo_tolerance", "crawl.trap"]
)
def test_site_wide_checks_say_why_they_crawl_the_site(check):
    plan = plan_for(SITE, check, HOME)
    assert plan.scope == "site" and plan.visits == () and plan.reason


def test_crawl_error_asks_the_target_again_from_its_page():
    target = "http://www.example.gov.cn/down.html"
    (visit,) = plan_for(SITE, "crawl.error", PAGE, target).visits
    assert visit.url == target and visit.referrer == PAGE


def test_every_registered_check_has_a_plan():
    for check in all_checks():
        plan = plan_for(SITE, check, PAGE, "http://www.example.gov.cn/x.html", {"column": "c", "document": PAGE})
        assert plan.scope in ("urls", "site"), check
        assert plan.scope == "site" or plan.urls, check


def test_the_recheck_runs_the_one_check_with_the_plans_options():
    config = EngineConfig(
        disabled_checks=frozenset({"text.typo"}), check_options={"update.column_stale": {"other": 1}}
    )
    one = _config_for(RecheckPlan("update.column_stale", "urls", options={"update.column_stale": {"x": 0}}), config)
    assert one.enabled_checks == frozenset({"update.column_stale"})
    assert one.check_options["update.column_stale"] == {"other": 1, "x": 0}
    assert _config_for(RecheckPlan("crawl.error", "urls"), config).enabled_checks == frozenset()
