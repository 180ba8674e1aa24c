"""Import and export of the register: round trips, refused imports, encodings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from govinspect.errors import ImportRejected
from govinspect.registry.models import Account, Filing, Organizer, Region, Site
from govinspect.registry.services import export_register, import_register
from govinspect.registry.tabular import SHEET_BY_KIND


def _clear_register() -> None:
    Filing.objects.all().delete()
    Account.objects.all().delete()
    Site.objects.all().delete()
    Organizer.objects.all().delete()
    Region.objects.filter(level="county").delete()
    Region.objects.filter(level="city").delete()
    Region.objects.all().delete()


def _add_filings() -> None:
    site = Site.objects.get(site_code="5101000002")
    account = Account.objects.filter(region__code="510104").first()
    Filing.objects.create(date=dt.date(2025, 3, 1), kind="open", site=site, note="新开设")
    Filing.objects.create(date=dt.date(2025, 9, 30), kind="close", account=account, note="")


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A workbook whose sheets are given by kind; the first row of each is written as the header."""
    wb = xlsxwriter.Workbook(str(path))
    for kind, rows in sheets.items():
        ws = wb.add_worksheet(SHEET_BY_KIND[kind].title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
    wb.close()
    return path


def _sites_sheet(*rows: list[str]) -> list[list[str]]:
    return [list(SHEET_BY_KIND["sites"].headers), *rows]


def _site(code: str, url: str, region: str = "510104", category: str = "县级门户网站") -> list[str]:
    return [code, f"测试网站{code}", url, "测试单位", region, category, "是", "", "", "运行", ""]


@pytest.mark.parametrize("target", ["register.xlsx", "csv/register.csv"])
def test_export_then_import_gives_the_same_register(sichuan_db, snapshot, tmp_path, target) -> None:
    _add_filings()
    before = snapshot()
    files = export_register(tmp_path / target)
    assert [f.name for f in files] == (
        ["register.xlsx"]
        if target.endswith("xlsx")
        else [f"register-{t}.csv" for t in ("区划", "主办单位", "网站", "政务新媒体", "备案记录")]
    )
    _clear_register()
    assert Site.objects.count() == 0
    source = files if target.endswith("xlsx") else [tmp_path / "csv"]  # a folder of CSV files
    summary = import_register(source)
    assert summary.created["sites"] == 664 and summary.created["accounts"] == 3722
    assert summary.created["filings"] == 2
    assert snapshot() == before
    # A second import of the same files changes nothing.
    assert str(import_register(source)) == "没有变化"
    assert snapshot() == before


def test_xlsx_with_three_bad_rows_is_refused_and_changes_nothing(sichuan_db, snapshot, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    before = snapshot()
    exported = CalamineWorkbook.from_path(str(export_register(tmp_path / "register.xlsx")[0]))
    grids = {kind: exported.get_sheet_by_name(SHEET_BY_KIND[kind].title).to_python() for kind in SHEET_BY_KIND}
    # Spreadsheet row N is grid[N - 1].
    grids["sites"][2][1] = "改了名字的网站"  # row 3: a valid change that must not be written either
    grids["sites"][4][0] = "51010000X1"  # row 5
    grids["sites"][8][2] = "htp//www.example.gov.cn"  # row 9
    grids["accounts"][11][0] = "推特"  # row 12
    path = _workbook(tmp_path / "edited.xlsx", grids)

    with pytest.raises(ImportRejected) as refused:
        import_register(path)
    messages = [str(e) for e in refused.value.errors]
    assert messages == [
        "「网站」表第5行「网站标识码」: 「51010000X1」格式错误（应为10位数字，或 bm 加8位数字）",
        "「网站」表第9行「首页地址」: 「htp//www.example.gov.cn」不是有效的网址（应以 http:// 或 https:// 开头）",
        "「政务新媒体」表第12行「平台」: 「推特」不是可用的取值（可选：微信、微博、抖音、今日头条、快手、微信视频号、"
        "哔哩哔哩、小红书、移动客户端、其他）",
    ]
    assert [(e.sheet, e.row, e.column) for e in refused.value.errors] == [
        ("网站", 5, "网站标识码"),
        ("网站", 9, "首页地址"),
        ("政务新媒体", 12, "平台"),
    ]
    assert "共3处错误" in str(refused.value)
    assert snapshot() == before


def test_every_kind_of_error_is_reported_with_its_row(sichuan_db, snapshot, tmp_path) -> None:
    before = snapshot()
    path = _workbook(
        tmp_path / "bad.xlsx",
        {
            "sites": _sites_sheet(
                _site("5101049901", "http://ok1.example.gov.cn/"),  # row 2: fine
                _site("5101049901", "http://ok2.example.gov.cn/"),  # row 3: duplicate code in the file
                _site("5101049903", "http://OK1.example.gov.cn"),  # row 4: duplicate URL in the file (normalised)
                _site("5101049904", "http://www.chengdu.gov.cn/"),  # row 5: URL of another site in the DB
                _site("5101049905", "http://ok5.example.gov.cn/", region="519999"),  # row 6: unknown region
                _site("5101049906", "http://ok6.example.gov.cn/", category="乡镇网站"),  # row 7: unknown category
                ["bm1234567", "x", "http://ok8.example.gov.cn/", "单位", "510104", "其他", "", "", "", "", ""],  # row 8
            ),
            "accounts": [
                list(SHEET_BY_KIND["accounts"].headers),
                ["微信", "测试号", "gh_test1", "测试单位", "510104", "运行"],  # row 2: fine
                ["微信", "测试号", "gh_test1", "测试单位", "510104", "运行"],  # row 3: duplicate account
                ["微信", "", "gh_test3", "测试单位", "510104", ""],  # row 4: empty name
            ],
            "filings": [
                list(SHEET_BY_KIND["filings"].headers),
                ["2025-02-30", "开设", "5101000002", "", "", ""],  # row 2: bad date
                ["2025-03-01", "开设", "5199999999", "", "", ""],  # row 3: unknown site
            ],
        },
    )
    with pytest.raises(ImportRejected) as refused:
        import_register(path)
    found = [(e.sheet, e.row, e.column) for e in refused.value.errors]
    assert found == [
        ("网站", 3, "网站标识码"),
        ("网站", 4, "首页地址"),
        ("网站", 5, "首页地址"),
        ("网站", 6, "行政区划代码"),
        ("网站", 7, "网站类别"),
        ("网站", 8, "网站标识码"),
        ("政务新媒体", 3, "账号ID或地址"),
        ("政务新媒体", 4, "账号名称"),
        ("备案记录", 2, "日期"),
        ("备案记录", 3, "网站标识码"),
    ]
    text = str(refused.value)
    assert "「5101049901」重复（与第2行相同）" in text
    assert "已被名录中的网站「5101000001」使用" in text
    assert "行政区划代码「519999」不存在" in text
    assert snapshot() == before


def test_missing_header_and_unknown_sheet_are_refused(db, tmp_path) -> None:
    path = _workbook(tmp_path / "bad.xlsx", {"sites": [["网站标识码", "网站名称"], ["5101040001", "x"]]})
    with pytest.raises(ImportRejected) as refused:
        import_register(path)
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (1, "首页地址"),
        (1, "主办单位"),
        (1, "行政区划代码"),
        (1, "网站类别"),
    }
    other = tmp_path / "other.xlsx"
    wb = xlsxwriter.Workbook(str(other))
    wb.add_worksheet("Sheet1").write_string(0, 0, "x")
    wb.close()
    with pytest.raises(ImportRejected, match="没有可导入的工作表"):
        import_register(other)


def test_gbk_csv_import_into_an_empty_register(db, tmp_path) -> None:
    regions = (
        "区划代码,名称,级别,上级区划代码\n510000,四川省,省级,\n510100,成都市,市级,510000\n510104,锦江区,县级,510100\n"
    )
    sites = (
        "网站标识码,网站名称,首页地址,主办单位,行政区划代码,网站类别,是否提供办事服务,ICP备案号,公安备案号,状态,其他域名\n"
        "5101040001,锦江区人民政府,http://www.jinjiang.gov.cn/,锦江区人民政府办公室,510104,县级门户网站,是,"
        "蜀ICP备05003300号,川公网安备 51010402000507号,运行,jinjiang.gov.cn；gov.jinjiang.cn\n"
    )
    accounts = (
        "平台,账号名称,账号ID或地址,主办单位,行政区划代码\n"
        "微信公众号,锦江发布,gh_0123456789ab,锦江区人民政府办公室,510104\n"
    )
    (tmp_path / "区划.csv").write_bytes(regions.encode("gbk"))
    (tmp_path / "sites.csv").write_bytes(sites.encode("gbk"))  # kind recognised from the headers
    (tmp_path / "新媒体.csv").write_bytes(accounts.encode("utf-8"))  # UTF-8 without BOM
    summary = import_register(tmp_path)
    assert summary.created == {"regions": 3, "organizers": 1, "sites": 1, "accounts": 1}
    site = Site.objects.get()
    assert (site.name, site.region.name, site.organizer.name) == ("锦江区人民政府", "锦江区", "锦江区人民政府办公室")
    assert site.extra_hosts == ["jinjiang.gov.cn", "gov.jinjiang.cn"]
    assert site.offers_services is True and site.status == "open"
    assert Account.objects.get().platform == "wechat"


def test_add_only_refuses_existing_codes_and_update_changes_them(sichuan_db, tmp_path) -> None:
    rows = _sites_sheet(
        ["5101000002", "成都市教育局（新）", "http://jyj.chengdu.gov.cn/", "成都市教育局", "510100", "市级部门网站",
         "是", "", "", "已整合迁移", ""],
    )  # fmt: skip
    path = _workbook(tmp_path / "update.xlsx", {"sites": rows})
    with pytest.raises(ImportRejected, match="「5101000002」已存在于名录中"):
        import_register(path, update_existing=False)
    summary = import_register(path)
    assert summary.updated["sites"] == 1 and summary.created["sites"] == 0
    site = Site.objects.get(site_code="5101000002")
    assert (site.name, site.status, site.icp) == ("成都市教育局（新）", "migrated", "")


def test_two_sites_may_swap_urls_in_one_import(sichuan_db, tmp_path) -> None:
    a, b = Site.objects.get(site_code="5101000002"), Site.objects.get(site_code="5101000003")
    rows = _sites_sheet(
        [a.site_code, a.name, b.home_url, a.organizer.name, "510100", "市级部门网站", "是", a.icp, "", "", ""],
        [b.site_code, b.name, a.home_url, b.organizer.name, "510100", "市级部门网站", "是", b.icp, "", "", ""],
    )
    import_register(_workbook(tmp_path / "swap.xlsx", {"sites": rows}))
    a2, b2 = Site.objects.get(pk=a.pk), Site.objects.get(pk=b.pk)
    assert (a2.home_url, b2.home_url) == (b.home_url, a.home_url)


def test_cli_import_refused_exits_2_with_the_row_list(sichuan_db, tmp_path, capsys) -> None:
    from govinspect.cli.main import main

    path = _workbook(tmp_path / "bad.xlsx", {"sites": _sites_sheet(_site("51010400", "http://x.example.gov.cn/"))})
    assert main(["registry", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "导入被拒绝，共1处错误" in err and "「网站」表第2行「网站标识码」" in err
    assert main(["registry", "stats"]) == 0
    out = capsys.readouterr().out
    assert "合计" in out and "3722" in out and "664" in out
