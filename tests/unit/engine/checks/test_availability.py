"""availability.unreachable and the W-V2 ratio from stored probes (no sockets)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sitecheck_kit import HOME, FakeSite, context

from govinspect.engine.checks.availability.unreachable import Unreachable
from govinspect.engine.probe import JsonlProbeStore, ProbeRecord, availability
from govinspect.errors import Timeout

AS_OF = date(2025, 12, 15)


def history(failures_per_day: int, per_day: int = 20, days: int = 7, url: str = HOME) -> list[ProbeRecord]:
    out = []
    for d in range(days):
        day = datetime(2025, 12, 15, 2, 0, tzinfo=UTC) - timedelta(days=d)  # 10:00 CST
        for n in range(per_day):
            failed = n < failures_per_day
            out.append(
                ProbeRecord(
                    day + timedelta(minutes=n * 30),
                    url,
                    None if failed else 200,
                    None if failed else 0.2,
                    "timeout" if failed else "",
                )
            )
    return out


def test_ratio_over_the_trailing_window():
    a = availability(history(1), HOME, AS_OF)  # 7/140 = 5% → veto (超过（含）5%)
    assert (a.probes, a.failures, a.enough, a.veto) == (140, 7, True, True)
    a = availability(history(0) + history(20, days=1, url="http://other/"), HOME, AS_OF)
    assert (a.failures, a.veto) == (0, False)
    # probes outside the 7 days ending with as_of do not count
    old = [ProbeRecord(datetime(2025, 12, 1, tzinfo=UTC), HOME, None, None, "timeout")] * 50
    assert availability(old + history(0), HOME, AS_OF).failures == 0
    assert not availability(history(0, per_day=10), HOME, AS_OF).enough


def test_store_round_trip(tmp_path):
    store = JsonlProbeStore(tmp_path / "p.jsonl")
    assert store.append(history(2, days=1)) == 20
    back = list(store.read(HOME))
    assert len(back) == 20 and sum(not r.ok for r in back) == 2
    assert back[0].time.tzinfo is not None


async def test_history_gives_the_finding(tmp_path):
    path = tmp_path / "probes.jsonl"
    JsonlProbeStore(path).append(history(2))
    site = FakeSite({HOME: "<html><body>首页</body></html>"})
    check = Unreachable(context(site, AS_OF, {"availability.unreachable": {"probe_log": str(path)}}))
    check.observe(site.page(HOME))
    (finding,) = await check.finish()
    assert finding.detail == {"failures": 14, "probes": 140} and finding.url == HOME
    JsonlProbeStore(tmp_path / "ok.jsonl").append(history(0))
    clean = Unreachable(context(site, AS_OF, {"availability.unreachable": {"probe_log": str(tmp_path / "ok.jsonl")}}))
    assert list(await clean.finish()) == []


async def test_one_off_inspection_home_not_loaded():
    class Dead(FakeSite):
        async def fetch(self, url, method="GET"):
            self.fetched.append(url)
            raise Timeout(url, "read timeout", attempt=3)

    site = Dead({})
    check = Unreachable(context(site, AS_OF))
    (finding,) = await check.finish()
    assert finding.detail == {"failures": 3, "probes": 3} and site.fetched == [HOME]


async def test_loaded_home_is_clean_and_not_refetched():
    site = FakeSite({HOME: "<html><body>首页</body></html>"})
    check = Unreachable(context(site, AS_OF))
    check.observe(site.page(HOME))
    assert list(await check.finish()) == [] and site.fetched == []
