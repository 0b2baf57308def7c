"""A CSV's encoding is told from its first bytes (tabular.SAMPLE_BYTES), then its rows are
decoded a block at a time: a big file is never held as text. Bytes further down that
the first ones did not foretell still get the reading, or the clear refusal, that the
whole file would have had, and no row is lost or read twice."""

import pytest

from cairn.members.importer import run_import
from cairn.members.models import Person
from cairn.members.tabular import SAMPLE_BYTES, UnreadableFile, read_table

pytestmark = pytest.mark.django_db

HEADER = "First name,Surname,Email\n"


def _rows(count: int, start: int = 0, name: str = "Ann") -> str:
    return "".join(f"{name},Surname{i},p{i}@example.org\n" for i in range(start, start + count))


def _past_the_sample() -> int:
    """Rows of `_rows` enough to push what follows them past the sample."""
    return SAMPLE_BYTES // len(_rows(1)) + 10


def test_a_windows_1252_accent_after_the_sample_reads_the_file_as_windows_1252():
    plain = _rows(_past_the_sample())
    data = (HEADER + plain).encode() + "Zoë,Brontë,zoe@example.org\n".encode("cp1252")
    table = read_table(data)
    assert table.encoding == "utf-8"  # all the first bytes told
    rows = list(table.rows())
    assert table.encoding == "windows-1252"
    assert [number for number, _ in rows] == list(range(2, len(rows) + 2))  # none lost, none twice
    assert rows[-1][1] == ["Zoë", "Brontë", "zoe@example.org"]

    report = run_import(data, "members.csv", apply=True)
    assert not report.problems and report.encoding == "windows-1252"
    assert Person.objects.count() == len(rows)
    assert Person.objects.filter(first_name="Zoë").exists()


def test_utf8_names_then_a_windows_1252_one_after_the_sample_are_refused_naming_the_lines():
    head = HEADER + "José,Núñez,jose@example.org\n"
    data = (
        (head + _rows(_past_the_sample())).encode()
        + "Renée,Müller,renee@example.org\n".encode("cp1252")
        + _rows(5, 90_000).encode()
    )
    report = run_import(data, "members.csv", apply=True)
    (problem,) = report.problems
    bad_line = head.count("\n") + _past_the_sample() + 1
    assert f"line 2 is UTF-8, line {bad_line} is not" in problem
    assert not report.applied and Person.objects.count() == 0  # nothing half-imported


def test_windows_1252_names_then_utf8_ones_after_the_sample_are_refused_not_garbled():
    head = HEADER + "José,Núñez,jose@example.org\n"
    data = (head + _rows(_past_the_sample())).encode("cp1252") + (
        "Zoë,Brontë,zoe@example.org\n".encode()
    )
    with pytest.raises(UnreadableFile, match="mixes two text encodings"):
        read_table(data)


def test_a_byte_no_reading_of_the_lines_above_allows_is_named_by_its_line():
    head = HEADER + "José,Núñez,jose@example.org\n"
    rows = _past_the_sample()
    # 0x81 is no character in Windows-1252, which the accents above were read in.
    data = (head + _rows(rows)).encode("cp1252") + b"Odd,\x81,odd@example.org\n"
    report = run_import(data, "members.csv", apply=True)
    assert report.problems == [
        f"Line {rows + 3:,} cannot be read as Windows-1252, the encoding of the lines above "
        "it, so the file mixes two text encodings. Open it in an editor or a spreadsheet, "
        "check that line and save it again as UTF-8 (in Excel, “CSV UTF-8”)."
    ]
    assert Person.objects.count() == 0


def test_an_accent_split_by_the_end_of_the_sample_is_still_read_as_utf8():
    head = (HEADER + "Zoë,Brontë,zoe@example.org\n").encode()
    filler = b"x" * (SAMPLE_BYTES - 2 - len(head))  # one long cell
    data = head + filler + b"\n" + "ë,y,y@example.org\n".encode() + _rows(3).encode()
    assert data[SAMPLE_BYTES - 1 : SAMPLE_BYTES + 1] == "ë".encode()  # cut in two
    table = read_table(data)
    assert table.encoding == "utf-8"
    rows = [cells for _, cells in table.rows()]
    assert rows[0] == ["Zoë", "Brontë", "zoe@example.org"]
    assert rows[2] == ["ë", "y", "y@example.org"]


def test_a_mix_names_the_first_lines_of_each_kind_and_counts_the_rest():
    data = (
        HEADER + "José,Núñez,jose@example.org\n" * 10
    ).encode() + "Renée,Müller,renee@example.org\n".encode("cp1252") * 3
    with pytest.raises(UnreadableFile) as caught:
        read_table(data)
    assert "lines 2, 3, 4, 5, 6, 7, 8, 9 and 2 more are UTF-8, lines 12, 13, 14 are not" in str(
        caught.value
    )
