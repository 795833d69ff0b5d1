"""The CLI: output formats round-trip, errors are one line, exit codes say whether anything loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tui.cli.main import main


@pytest.fixture
def corpus(tmp_path: Path, seed_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "seed.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "more.jsonl").write_text(
        json.dumps(
            {
                "id": "m1",
                "title": "Budget talks",
                "text": "Parliament debated the budget.",
                "date": "2020-03-01",
                "url": "http://example.org/1",
                "source": "wire",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    return folder


def _records_jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line]


def test_analyze_jsonl_to_stdout(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(corpus), "--top", "3"]) == 0
    records = _records_jsonl(capsys.readouterr().out)
    assert [r["id"] for r in records] == ["m1", records[1]["id"]]
    seed = records[1]
    assert set(seed) == {"id", "title", "date", "source", "url", "keywords", "countries", "entities"}
    assert len(seed["keywords"]) == 3
    assert all(set(k) == {"text", "score"} and isinstance(k["score"], float) for k in seed["keywords"])
    assert records[0]["date"] == "2020-03-01" and records[0]["source"] == "wire"


def test_formats_round_trip(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(corpus)]) == 0
    expected = _records_jsonl(capsys.readouterr().out)

    parquet = tmp_path / "out.parquet"
    assert main(["analyze", str(corpus), "--format", "parquet", "--output", str(parquet)]) == 0
    frame = pl.read_parquet(parquet)
    assert frame.height == len(expected)
    assert frame.get_column("id").to_list() == [r["id"] for r in expected]
    assert frame.get_column("keywords").to_list() == [r["keywords"] for r in expected]

    out_json = tmp_path / "out.json"
    assert main(["analyze", str(corpus), "-f", "json", "-o", str(out_json)]) == 0
    assert json.loads(out_json.read_text()) == expected

    out_csv = tmp_path / "out.csv"
    assert main(["analyze", str(corpus), "-f", "csv", "-o", str(out_csv)]) == 0
    rows = pl.read_csv(out_csv, infer_schema=False).to_dicts()
    assert [json.loads(r["keywords"]) for r in rows] == [r["keywords"] for r in expected]
    assert [r["title"] for r in rows] == [r["title"] for r in expected]


def test_partial_input_loads_and_warns(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    assert main(["analyze", str(corpus), str(tmp_path / "missing.txt")]) == 0
    captured = capsys.readouterr()
    assert len(_records_jsonl(captured.out)) == 2
    assert "broken.jsonl, line 1: malformed JSON" in captured.err
    assert "missing.txt: no such file or directory" in captured.err


def test_nothing_loaded_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert "error: no articles could be loaded" in err and "Traceback" not in err


def test_parquet_needs_an_output_file(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(corpus), "-f", "parquet"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_unwritable_output_is_one_line(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(corpus), "-o", str(tmp_path / "no" / "such" / "dir.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("newsdesk: error: cannot write") and "\n" not in err


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, options in (
        (["--help"], ["--cache-dir", "--no-cache", "--workers", "--quiet", "analyze"]),
        (["analyze", "--help"], ["--format", "--output", "--top", "--cache-dir", "--workers"]),
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert all(option in out for option in options)


def test_console_script_piped_is_quiet(corpus: Path, tmp_path: Path) -> None:
    """The real entry point, piped: records on stdout, nothing on stderr, no progress bar."""
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "analyze", str(corpus), "--cache-dir", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(_records_jsonl(result.stdout)) == 2


def test_summary_of_bundled_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "articles from" in out and "top keywords:" in out


def test_analyze_countries_and_entities(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(corpus)]) == 0
    seed = _records_jsonl(capsys.readouterr().out)[1]
    countries = seed["countries"]
    assert countries[0] == {"code": "IQ", "name": "Iraq", "mentions": countries[0]["mentions"]}
    assert [c["mentions"] for c in countries] == sorted((c["mentions"] for c in countries), reverse=True)
    assert {c["code"] for c in countries} == {"IQ", "US", "RU", "IR", "SY", "AF", "KR", "TR", "JP"}
    people = {e["text"] for e in seed["entities"] if e["kind"] == "person"}
    assert "Ibrahim Jaafari" in people


def test_explain_gives_the_headline_capitals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "headline.txt"
    path.write_text("Washington worried over Baghdad growing ties with Moscow\n", encoding="utf-8")
    assert main(["analyze", str(path), "--explain"]) == 0
    (record,) = _records_jsonl(capsys.readouterr().out)
    explained = [(m["surface"], m["code"], m["how"], m["start"], m["end"]) for m in record["mentions"]]
    assert explained == [
        ("Washington", "US", "capital", 0, 10),
        ("Baghdad", "IQ", "capital", 24, 31),
        ("Moscow", "RU", "capital", 50, 56),
    ]


def test_relations_command(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["relations", str(corpus), "--country", "Iraq", "--min-sentences", "2"]) == 0
    pairs = {(r["code_a"], r["code_b"]): r for r in _records_jsonl(capsys.readouterr().out)}
    assert {("IQ", "US"), ("IQ", "RU")} <= set(pairs)
    assert all("IQ" in key and pairs[key]["sentences"] >= 2 for key in pairs)
    assert pairs["IQ", "RU"]["net"] > 0 > pairs["IQ", "US"]["net"]
    evidence = pairs["IQ", "US"]["evidence"][0]
    assert {"article_id", "sentence", "text", "stance", "cues"} <= set(evidence) and evidence["cues"]
    out = tmp_path / "rel.parquet"
    assert main(["relations", str(corpus), "-f", "parquet", "-o", str(out)]) == 0
    assert pl.read_parquet(out).height >= len(pairs)


def test_relations_unknown_country_is_one_line(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["relations", str(corpus), "--country", "Atlantis"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Atlantis" in err and "\n" not in err


def test_both_keyword_engines_write_the_same_records(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs: list[list[dict[str, Any]]] = []
    for engine in ("yake", "polars"):
        assert main(["analyze", str(corpus), "--no-cache", "--engine", engine, "--quiet"]) == 0
        outputs.append(_records_jsonl(capsys.readouterr().out))
    yake_records, polars_records = outputs
    assert yake_records[0]["keywords"]
    for theirs, ours in zip(yake_records, polars_records, strict=True):
        # Scores agree to float rounding (the engines sum in different orders); all else exactly.
        their_keywords, our_keywords = theirs.pop("keywords"), ours.pop("keywords")
        assert theirs == ours
        assert [k["text"] for k in our_keywords] == [k["text"] for k in their_keywords]
        assert [k["score"] for k in our_keywords] == pytest.approx(
            [k["score"] for k in their_keywords], rel=1e-9
        )


def test_unknown_engine_is_refused(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(corpus), "--engine", "fast"]) == 2
    assert "invalid choice: 'fast'" in capsys.readouterr().err
