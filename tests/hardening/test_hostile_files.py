"""Hostile spreadsheets are refused with a reason, fast, before they are unpacked.

The hostile files are made here, not downloaded. How long they take and how much
memory is measured in bench/hostile_files.py, not in these tests.
"""

import contextlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.members import tabular
from cairn.members.tabular import UnreadableFile, _clean_headers, read_table


def workbook(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(item, content)
    return out.getvalue()


def read_all(data: bytes) -> list:
    table = read_table(data, "x.xlsx")
    return [table.headers, *[cells for _n, cells in table.rows()]]


def test_a_declared_dimension_of_the_whole_sheet_is_not_believed():
    data = with_sheet(
        workbook([["First name", "Email"], ["Ada", "ada@example.org"]]),
        lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert read_all(data) == [["First name", "Email"], ["Ada", "ada@example.org"]]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    padding = b"<!--" + b" " * (250 * 1024 * 1024) + b"-->"
    data = with_sheet(workbook([["Name"], ["Ada"]]), lambda xml: xml + padding)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(UnreadableFile, match="unpack"):
        read_all(data)


def test_a_small_but_very_compressible_workbook_is_refused(monkeypatch):
    padding = b"<!--" + b" " * (5 * 1024 * 1024) + b"-->"
    data = with_sheet(workbook([["Name"], ["Ada"]]), lambda xml: xml + padding)
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_all(data)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row></sheetData></worksheet>"""


def test_a_billion_laughs_sheet_is_refused():
    data = with_sheet(workbook([["Name"]]), lambda xml: BILLION_LAUGHS)
    with pytest.raises(UnreadableFile):
        read_all(data)


def test_malformed_sheet_xml_is_unreadable_not_a_traceback():
    data = with_sheet(workbook([["Name"], ["Ada"]]), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(UnreadableFile):
        read_all(data)


def test_a_csv_with_200000_columns_is_refused_with_the_limit():
    data = ",".join(f"c{i}" for i in range(200_000)).encode() + b"\n1,2\n"
    with pytest.raises(UnreadableFile, match="200,000 columns; at most 1,000"):
        read_table(data, "wide.csv")


def test_header_cleaning_keeps_names_unique_without_quadratic_search():
    headers = _clean_headers(["Name"] * 1000)
    assert len(set(headers)) == 1000
    assert headers[:3] == ["Name", "Name (2)", "Name (3)"]
    assert _clean_headers(["a", "a (2)", "a"]) == ["a", "a (2)", "a (3)"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_are_read_or_refused_with_a_reason(data):
    with contextlib.suppress(UnreadableFile):
        table = read_table(data, "random.csv")
        list(table.rows())


_SAMPLE = workbook([["First name", "Email"], ["Ada", "ada@example.org"], ["Bo", "bo@x.org"]])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(_SAMPLE) - 1), st.binary(max_size=64))
def test_a_cut_short_or_damaged_workbook_is_refused_with_a_reason(cut, noise):
    with contextlib.suppress(UnreadableFile):
        read_all(_SAMPLE[:cut] + noise)


def test_the_limits_are_named_in_one_place():
    assert tabular.MAX_COLUMNS == 1000 and tabular.MAX_XLSX_UNPACKED_BYTES >= 100 * 2**20
