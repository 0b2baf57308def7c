import csv
import json
from pathlib import Path

import pytest

from cairn.synthesis.cli import main
from cairn.synthesis.types import Statement


def _write(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def input_csv(tmp_path: Path, voices: list[Statement]) -> Path:
    rows = [{"ref": s.id, "text": s.text, **s.attributes} for s in voices]
    return _write(tmp_path / "in.csv", rows)


def _run(*args: str) -> int:
    return main([*args, "--embedder", "tfidf", "-q"])


def test_json_output_uses_the_id_column(input_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    rc = _run(str(input_csv), "--text-column", "text", "--id-column", "ref",
              "--attributes", "channel,sector", "--out", str(out))  # fmt: skip
    assert rc == 0
    d = json.loads(out.read_text())
    assert set(d["assignments"]) == {f"s{i}" for i in range(1, 19)}
    assert "channel" in d["themes"][0]["counts"]


def test_row_numbers_are_ids_without_an_id_column(input_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert _run(str(input_csv), "--text-column", "text", "--out", str(out)) == 0
    assert set(json.loads(out.read_text())["assignments"]) == {str(i) for i in range(1, 19)}


@pytest.mark.parametrize("suffix", [".html", ".md", ".csv"])
def test_other_formats_are_written(input_csv: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"r{suffix}"
    assert _run(str(input_csv), "--text-column", "text", "--out", str(out)) == 0
    body = out.read_text()
    assert body.strip()
    if suffix == ".html":
        assert body.startswith("<!doctype html>") and 'lang="en"' in body


def test_a_missing_column_is_named_with_the_columns_there(
    input_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = _run(str(input_csv), "--text-column", "comment", "--out", str(tmp_path / "r.json"))
    assert rc == 2
    err = capsys.readouterr().err
    assert "no column 'comment'" in err and "ref, text, channel, sector" in err


def test_an_empty_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _run(str(empty), "--text-column", "text", "--out", str(tmp_path / "r.json")) == 2
    assert "is empty" in capsys.readouterr().err


def test_a_header_without_rows_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "header.csv"
    f.write_text("id,text\n")
    assert _run(str(f), "--text-column", "text", "--out", str(tmp_path / "r.json")) == 2
    assert "no rows" in capsys.readouterr().err


def test_a_windows_1252_file_is_detected_and_read(tmp_path: Path) -> None:
    rows = [{"text": t} for t in ["Café closed — très triste", "The café was warm", "Naïve plan"]]
    f = _write(tmp_path / "cp.csv", rows * 3, encoding="cp1252")
    out = tmp_path / "r.json"
    assert _run(str(f), "--text-column", "text", "--out", str(out)) == 0
    assert len(json.loads(out.read_text())["assignments"]) == 9


def test_a_wrong_encoding_named_by_the_user_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "latin.csv"
    f.write_bytes("text\nCaf\xe9\n".encode("latin-1"))
    rc = _run(str(f), "--text-column", "text", "--encoding", "utf-8",
              "--out", str(tmp_path / "r.json"))  # fmt: skip
    assert rc == 2
    assert "cannot be read as utf-8" in capsys.readouterr().err


def test_guided_themes_from_yaml(input_csv: Path, tmp_path: Path) -> None:
    themes = tmp_path / "themes.yaml"
    themes.write_text(
        "- label: Transport\n  description: buses, fares and getting to places\n"
        "- label: Food\n  description: food bank, parcels, community kitchen\n"
    )
    out = tmp_path / "r.json"
    rc = _run(str(input_csv), "--text-column", "text", "--themes", str(themes),
              "--out", str(out))  # fmt: skip
    assert rc == 0
    d = json.loads(out.read_text())
    assert [t["label"] for t in d["themes"][:2]] == ["Transport", "Food"]


def test_an_unknown_output_format_is_refused(input_csv: Path, tmp_path: Path) -> None:
    assert _run(str(input_csv), "--text-column", "text", "--out", str(tmp_path / "r.xlsx")) == 2


def test_quoted_cells_with_commas_quotes_and_newlines_are_read_whole(tmp_path: Path) -> None:
    rows = [
        {"id": f"r{i}", "text": f'She said "no, not again",\nthen left; line {i} | end'}
        for i in range(40)
    ]
    f = _write(tmp_path / "quoted.csv", rows)
    out = tmp_path / "r.json"
    assert _run(str(f), "--text-column", "text", "--id-column", "id", "--out", str(out)) == 0
    assert set(json.loads(out.read_text())["assignments"]) == {f"r{i}" for i in range(40)}
