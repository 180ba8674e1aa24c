"""Attachment text extraction: every supported format, archives and their guards, and a clear
error (never a crash) on corrupt, encrypted or oversized files. Fixtures are made here."""

from __future__ import annotations

import pytest
from attachment_kit import compound_file, make_docx, make_pdf, make_xlsx, make_zip, set_encrypted_flag, word97

from govinspect.engine.extract import ExtractLimits, extract_text, sniff
from govinspect.errors import DecodingError, DecompressionBomb


def text_of(data: bytes, name: str, **kw) -> str:
    return "\n".join(c.text for c in extract_text(data, name=name, **kw))


def test_xlsx_rows_are_labelled_with_the_header_and_numbers_keep_their_digits():
    data = make_xlsx([["姓名", "联系电话", "金额"], ["张三", 13800000000, 12.5], ["李四", "02886123456", 3]])
    chunks = list(extract_text(data, name="/files/名单.xlsx"))
    assert len(chunks) == 1 and chunks[0].where == "名单 第1–3行"
    assert "姓名：张三\t联系电话：13800000000\t金额：12.5" in chunks[0].text


def test_wps_et_holding_xlsx_is_read_by_its_bytes():
    data = make_xlsx([["a", "b"], ["值", "x"]])
    assert sniff(data, "x.et") == "xlsx"
    assert "a：值" in text_of(data, "x.et")


def test_large_sheet_comes_in_several_chunks():
    rows = [["序号", "名称"]] + [[i, f"项目{i}"] for i in range(450)]
    chunks = list(extract_text(make_xlsx(rows), name="a.xlsx"))
    assert [c.where for c in chunks] == ["名单 第1–200行", "名单 第201–400行", "名单 第401–451行"]


def test_docx_paragraphs_and_labelled_table_rows():
    data = make_docx("关于公示的通知", [["姓名", "卡号"], ["王五", "6222"]])
    text = text_of(data, "a.docx")
    assert "关于公示的通知" in text
    assert "姓名：王五\t卡号：6222" in text


def test_pdf_text_per_page():
    data = make_pdf(["第一页 公示内容", "第二页 联系人"])
    chunks = list(extract_text(data, name="a.pdf"))
    assert [c.where for c in chunks] == ["第1页", "第2页"]
    assert "公示内容" in chunks[0].text and "联系人" in chunks[1].text


def test_encrypted_pdf_is_a_clear_error():
    data = make_pdf(["机密"], encrypt="secret")
    with pytest.raises(DecodingError, match="加密"):
        list(extract_text(data, name="a.pdf"))


def test_legacy_word_doc_and_wps():
    data = word97("第一段\n姓名 张三 备注")
    assert text_of(data, "a.doc") == "第一段\n姓名 张三 备注"
    assert text_of(data, "a.wps") == "第一段\n姓名 张三 备注"


def test_encrypted_doc_and_encrypted_ooxml_are_clear_errors():
    with pytest.raises(DecodingError, match="加密"):
        list(extract_text(word97("x", encrypted=True), name="a.doc"))
    ooxml = compound_file({"EncryptionInfo": b"\x00" * 4096, "EncryptedPackage": b"\x00" * 4096})
    with pytest.raises(DecodingError, match="加密"):
        list(extract_text(ooxml, name="a.xlsx"))


def test_rtf_and_html_saved_as_doc():
    rtf = rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}\f0 \'d5\'c5\'c8\'fd\par \u25163?\u26426?}"
    assert text_of(rtf, "a.doc") == "张三\n手机"
    html = "<html><head><meta charset='gb2312'></head><body><p>公示</p><table><tr><td>姓名</td><td>电话</td></tr>"
    html += "<tr><td>王五</td><td>123</td></tr></table></body></html>"
    text = text_of(html.encode("gbk"), "a.xls")
    assert "姓名：王五\t电话：123" in text and "公示" in text


def test_csv_in_gbk_and_text_in_utf16():
    csv_bytes = "姓名,电话\n张三,123\n".encode("gbk")
    assert "姓名：张三\t电话：123" in text_of(csv_bytes, "a.csv")
    assert text_of("\ufeff第一行\n第二行".encode("utf-16-le"), "a.txt") == "第一行\n第二行"


def test_undecodable_text_is_a_clear_error():
    with pytest.raises(DecodingError):
        list(extract_text(b"\x00\x01\x02\x03" * 100, name="a.txt"))


def test_zip_members_with_gbk_names_and_a_nested_zip():
    inner = make_zip({"内层.txt": "内层文字".encode()})
    data = make_zip(
        {"名单.xlsx": make_xlsx([["a", "b"], ["值", "x"]]), "说明.txt": "说明文字".encode("gbk"), "inner.zip": inner},
        utf8_names=False,
    )
    chunks = list(extract_text(data, name="a.zip"))
    wheres = {c.where for c in chunks}
    assert "名单.xlsx › 名单 第1–2行" in wheres
    assert "说明.txt › 第1段" in wheres
    assert any(c.text == "内层文字" and c.where.startswith("inner.zip › 内层.txt") for c in chunks)


def test_zip_depth_limit_and_bad_members_do_not_stop_the_rest():
    nested = make_zip({"c.zip": make_zip({"d.txt": b"deep"})})
    data = make_zip({"b.zip": nested, "bad.pdf": b"%PDF-1.4 broken", "ok.txt": b"fine"})
    chunks = list(extract_text(data, name="a.zip", limits=ExtractLimits(max_archive_depth=2)))
    assert any(c.text == "fine" for c in chunks)
    errors = {c.where: c.error for c in chunks if c.error}
    assert any("PDF" in e for e in errors.values())
    assert any("嵌套" in e for e in errors.values())
    assert not any(c.text == "deep" for c in chunks)


def test_encrypted_zip_member_is_reported_not_read():
    data = set_encrypted_flag(make_zip({"secret.txt": b"not really encrypted", "open.txt": b"open"}), "secret.txt")
    chunks = list(extract_text(data, name="a.zip"))
    assert [c.error for c in chunks if c.where.startswith("secret")] == ["压缩包成员已加密，无法读取"]
    assert any(c.text == "open" for c in chunks)


def test_zip_bomb_is_refused():
    data = make_zip({"zeros.txt": b"0" * (20 * 1024 * 1024)})
    with pytest.raises(DecompressionBomb, match="压缩"):
        list(extract_text(data, name="a.zip"))


def test_limits_on_size_and_text():
    with pytest.raises(DecodingError, match="上限"):
        list(extract_text(b"x" * 2000, name="a.txt", limits=ExtractLimits(max_bytes=1000)))
    lines = "\n".join(f"第{i}行内容" for i in range(1000)).encode()
    chunks = list(extract_text(lines, name="a.txt", limits=ExtractLimits(max_chars=3000)))
    assert chunks[-1].error and "截断" in chunks[-1].error
    assert all(c.error is None for c in chunks[:-1])


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"PK\x03\x04 not a zip", "a.xlsx"),
        (b"PK\x03\x04 not a zip", "a.docx"),
        (b"%PDF-1.7 junk", "a.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated ole", "a.doc"),
        (b"\x01\x02\x03\x00\x00garbage", "a.xls"),
    ],
)
def test_corrupt_files_raise_decoding_error(data, name):
    with pytest.raises(DecodingError):
        list(extract_text(data, name=name))


def test_tables_written_as_text_are_labelled():
    text = "附件：名单\n序号  姓名  卡号\n1  张三  6222\n2 李四 6223\n说明：以上"
    assert text_of(text.encode(), "a.txt").splitlines() == [
        "附件：名单",
        "序号  姓名  卡号",
        "序号：1\t姓名：张三\t卡号：6222",
        "序号：2\t姓名：李四\t卡号：6223",
        "说明：以上",
    ]


def test_pdf_table_rows_are_labelled():
    data = make_pdf(["序号    姓名    卡号\n1    张三    6222"])
    assert "序号：1\t姓名：张三\t卡号：6222" in text_of(data, "a.pdf")


def test_xls_biff8():
    xlwt = pytest.importorskip("xlwt")
    import io

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("名单")
    for r, row in enumerate([["姓名", "电话"], ["张三", "123"]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    assert sniff(out.getvalue(), "a.xls") == "ole"
    assert "姓名：张三\t电话：123" in text_of(out.getvalue(), "a.xls")


def test_a_pdf_table_goes_on_over_pages_and_docx_paragraph_tables_are_labelled():
    data = make_pdf(
        ["序号  姓名  卡号\n1  张三  6222", "第2页\n2  李四  6223", "说明文字比较长的一段正文内容\n3  王五  6224"]
    )
    text = text_of(data, "a.pdf")
    assert "序号：2\t姓名：李四\t卡号：6223" in text
    assert "王五" in text and "卡号：6224" not in text  # prose ended the table
    document = make_docx(["序号    姓名    卡号", "1    张三    6222"], [["x", "y"]])
    assert text_of(document, "a.docx").splitlines()[:2] == ["序号    姓名    卡号", "序号：1\t姓名：张三\t卡号：6222"]


def test_pdf_extraction_from_several_threads_is_serialised():
    from concurrent.futures import ThreadPoolExecutor

    documents = [make_pdf([f"第{i}号文件", "第二页"]) for i in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(lambda d: text_of(d, "a.pdf"), documents))
    assert [t.splitlines()[0] for t in texts] == [f"第{i}号文件" for i in range(8)]
