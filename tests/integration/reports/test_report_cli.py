"""`govinspect report notice|annual` and `govinspect run` argument handling, on the test database."""

from __future__ import annotations

from datetime import date

from govinspect.cli.main import main
from govinspect.inspections import services
from govinspect.inspections.models import InspectionTarget
from govinspect.registry.models import Organizer, Region, Site


def test_report_commands(db, tmp_path, capsys):
    province = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="四川省人民政府办公厅", region=province)
    Site.objects.create(
        site_code="5100000001",
        name="四川省人民政府",
        home_url="http://www.sc.gov.cn/",
        organizer=org,
        category="provincial_portal",
    )
    inspection = services.create_inspection("2025Q4", as_of=date(2025, 12, 15))
    services.persist_batch(inspection, [services.Outcome(t) for t in InspectionTarget.objects.all()])
    services.finish(inspection)
    assert main(["report", "notice", "--period", "2025Q4", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "通报-2025Q4-附件.xlsx").is_file() and (tmp_path / "通报-2025Q4.docx").is_file()
    assert main(["report", "annual", "--year", "2025", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "政府网站监管年度报表-2025.xlsx").is_file()
    assert main(["report", "notice", "--period", "2024Q1", "--out", str(tmp_path)]) == 2
    assert "没有 2024Q1 的检查" in capsys.readouterr().err
    assert main(["run"]) == 2  # neither --period nor --resume
