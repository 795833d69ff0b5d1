"""The start-up loaders build what their plain definitions build.

Every analysis process reads the entity and POS models and the actor files once (see
core.analysis.pipeline.warm_up); those readers take short cuts for speed (bisected runs of sorted
features, one decode of a model's text, fewer string operations per actor line). Each test here
builds the same structure the straightforward way and holds the fast one equal to it, on the shipped
files and on generated ones, so the speed work cannot change what the analysis sees.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.countries.gazetteer import SurfaceMatcher, _is_word, _words_regex, gazetteer
from core.entities.features import FeatureRows, feature_runs
from core.entities.model import (
    FORMAT,
    TAGS,
    TaggerModel,
    load_model,
    read_model,
    read_model_parts,
    save_model,
)
from core.paths import data_dir
from core.relations.actors import _CODE, ACTOR_FILES, Actor, normalise, parse_actor_file
from core.text.pos import load_pos_model

ALPHA3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}


# --- the plain definitions -------------------------------------------------------------------


def plain_templates(index: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each template's {value: row}, split at the first "=" feature by feature."""
    templates: dict[str, dict[str, int]] = {}
    for feature, row in index.items():
        template, sep, value = feature.partition("=")
        if sep:
            templates.setdefault(template, {})[value] = row
    return templates


def assert_rows_plain(table: FeatureRows, index: dict[str, int]) -> None:
    templates = plain_templates(index)
    assert table.prev == templates.get("pw", {})
    assert table.next == templates.get("nw", {})
    assert table.prev2 == templates.get("pw2", {})
    assert table.next2 == templates.get("nw2", {})
    assert table.prev_word == templates.get("pw|w", {})
    assert table.word_next == templates.get("w|nw", {})
    assert table.first_word == templates.get("first|w", {})
    # article_rows looks a word pair up joined ("a|b"); the tables used to be nested by pair,
    # split at every "|" (pairs[a][b]). Both give the same row for every pair of words.
    for name, joined in (("pw|w", table.prev_word), ("w|nw", table.word_next)):
        nested = plain_pairs(templates.get(name, {}))
        for head, tails in nested.items():
            for tail, row in tails.items():
                assert joined.get(head + "|" + tail, 0) == row
        for value, row in joined.items():
            at = value.find("|")
            while at >= 0:
                assert nested[value[:at]][value[at + 1 :]] == row
                at = value.find("|", at + 1)


def plain_pairs(rows: dict[str, int]) -> dict[str, dict[str, int]]:
    """{"a|b": row} nested as {"a": {"b": row}}, split at every "|"."""
    pairs: dict[str, dict[str, int]] = {}
    for value, row in rows.items():
        at = value.find("|")
        while at >= 0:
            pairs.setdefault(value[:at], {})[value[at + 1 :]] = row
            at = value.find("|", at + 1)
    return pairs


def plain_model_parts(path: Path) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray, frozenset[str]]:
    """A model file read line by line: the header, count + common lines, then the weights."""
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    head, _, rest = data.partition(b"\n")
    header = json.loads(head)
    tags = tuple(header["tags"])
    count, common = int(header["features"]), int(header["common"])
    parts = rest.split(b"\n", count + common)
    assert len(parts) == count + common + 1
    text = [part.decode("utf-8") for part in parts[:-1]]
    weights = np.frombuffer(parts[-1], dtype="<f4")
    assert weights.size == count * len(tags)
    matrix = np.vstack([np.zeros((1, len(tags)), dtype=np.float32), weights.reshape(count, len(tags))])
    return tags, tuple(text[:count]), matrix, frozenset(text[count:])


def plain_actor_file(text: str, source: str, alpha3: dict[str, str]) -> dict[str, Actor]:
    """PETRARCH's actor format read line by line, every line cut and stripped alike."""
    found: dict[str, Actor] = {}
    spellings: list[str] = []
    codes: set[str] = set()
    first_line = 0

    def close() -> None:
        if not spellings:
            return
        if len(codes) != 1:
            what = "no known country code" if not codes else f"several countries {sorted(codes)}"
            raise ValueError(f"{source}, line {first_line}: actor {spellings[0]!r} has {what}")
        for spelling in spellings:
            found.setdefault(spelling, Actor(next(iter(codes)), spellings[0].title()))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if raw[:1] in {"\t", " "}:
            codes.update(alpha3[c] for c in _CODE.findall(line) if c in alpha3)
            continue
        if line.startswith("+"):
            spellings.append(normalise(line[1:]))
            continue
        close()
        name, _, inline = line.partition("[")
        spellings, codes, first_line = [normalise(name)], set(), number
        if inline:
            codes.update(alpha3[c] for c in _CODE.findall("[" + inline) if c in alpha3)
    close()
    return {spelling: actor for spelling, actor in found.items() if spelling}


# --- feature tables --------------------------------------------------------------------------


def test_shipped_model_tables_equal_the_plain_ones() -> None:
    model = load_model()
    assert list(model.features) == sorted(model.features)  # the bisected path is the one taken
    assert_rows_plain(model.table, model.index)
    history = {f: tuple(model.matrix[row].tolist()) for f, row in model.index.items() if f[:3] == "pt="}
    assert model.history == history and len(history) > 1000


def test_shuffled_index_gives_the_same_tables() -> None:
    model = load_model()
    items = list(model.index.items())
    random.Random(7).shuffle(items)
    shuffled = dict(items)
    assert_rows_plain(FeatureRows(shuffled), shuffled)


def test_pos_model_reads_its_file_once_and_alike() -> None:
    model = load_pos_model()
    tags, features, matrix, _ = plain_model_parts(data_dir() / "pos_model.gz")
    assert model.tags == tags and model.features == features
    np.testing.assert_array_equal(model.matrix, matrix)
    history = {f: tuple(model.matrix[row].tolist()) for f, row in model.index.items() if f[:3] == "pt="}
    assert model.history == history and history


FEATURE = st.builds(
    lambda template, value: f"{template}={value}" if template else value,
    st.sampled_from(["", "pw", "nw", "pw2", "nw2", "pw|w", "w|nw", "first|w", "pt", "p", "pw|", "first"]),
    st.text(alphabet="ab|=>< é\u00ff", max_size=6),
)


@given(st.lists(FEATURE, max_size=60, unique=True), st.booleans())
@settings(max_examples=300, deadline=None)
def test_generated_feature_tables_equal_the_plain_ones(features: list[str], ordered: bool) -> None:
    if ordered:
        features = sorted(features)
    index = dict(zip(features, range(1, len(features) + 1), strict=True))
    assert_rows_plain(FeatureRows(index), index)
    prefixes = ["pt=", "pw=", "pw|w=", "=", "first|w=", "a"]
    for prefix, (keys, rows) in feature_runs(index, prefixes).items():
        plain = [(key, row) for key, row in index.items() if key.startswith(prefix)]
        assert sorted(zip(keys, rows, strict=True)) == sorted(plain)


# --- model files -----------------------------------------------------------------------------


def test_shipped_model_files_read_alike() -> None:
    for name in ("entity_model.gz", "pos_model.gz", "parse_model.gz"):
        fast = read_model_parts(data_dir() / name)
        plain = plain_model_parts(data_dir() / name)
        assert fast[0] == plain[0] and fast[1] == plain[1] and fast[3] == plain[3]
        np.testing.assert_array_equal(fast[2], plain[2])


@given(
    st.lists(st.text(alphabet="ab=|é\u2019 \t\r", min_size=1, max_size=5), max_size=8, unique=True),
    st.lists(st.text(alphabet="abé", min_size=1, max_size=4), max_size=4, unique=True),
)
@settings(max_examples=100, deadline=None)
def test_saved_models_read_alike(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], common: list[str]
) -> None:
    rng = np.random.default_rng(len(names))
    # Weights whose bytes include line breaks: the reader must not take them for text.
    newlines = float(np.frombuffer(b"\n\n\n\n", "<f4")[0])
    weights = {name: tuple(rng.choice([0.5, -1.25, newlines], len(TAGS)).tolist()) for name in names}
    path = tmp_path_factory.mktemp("model") / "model.gz"
    save_model(TaggerModel.from_weights(TAGS, weights, frozenset(common)), path)
    fast = read_model(path)
    tags, features, matrix, words = plain_model_parts(path)
    assert (fast.tags, fast.features, fast.common) == (tags, features, words)
    np.testing.assert_array_equal(fast.matrix, matrix)


def _write(path: Path, header: dict[str, object], body: bytes) -> Path:
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))
    return path


def test_damaged_model_files_are_refused(tmp_path: Path) -> None:
    tags = ["O", "B-PER"]
    good = b"b\nw=x\ncommon\n" + np.arange(4, dtype="<f4").tobytes()
    header = {"format": FORMAT, "tags": tags, "features": 2, "common": 1}
    assert read_model(_write(tmp_path / "good.gz", header, good)).features == ("b", "w=x")
    for number, (head, body) in enumerate(
        [
            (header, good[:-1]),  # a weight cut short
            (header, good + b"\0\0\0\0"),  # a weight too many
            (header, b"b\nw=x\n" + np.arange(4, dtype="<f4").tobytes()),  # a text line missing
            (header, b"b\nw=x\nextra\ncommon\n" + np.arange(4, dtype="<f4").tobytes()),  # one too many
            ({**header, "features": 3}, good),
            ({**header, "features": -1}, good),
            ({**header, "features": 0, "common": 0}, b"x"),
            (header, b"b\nw=\xff\ncommon\n" + np.arange(4, dtype="<f4").tobytes()),  # not UTF-8
        ]
    ):
        path = _write(tmp_path / f"bad{number}.gz", head, body)
        with pytest.raises(ValueError, match=f"bad{number}"):
            read_model(path)
    empty = _write(tmp_path / "empty.gz", {**header, "features": 0, "common": 0}, b"")
    assert read_model(empty).features == ()


# --- actor files -----------------------------------------------------------------------------


def test_shipped_actor_files_read_alike() -> None:
    for name in ACTOR_FILES:
        text = (data_dir() / name).read_text(encoding="utf-8")
        assert parse_actor_file(text, name, ALPHA3) == plain_actor_file(text, name, ALPHA3)


ACTOR_LINE = st.one_of(
    st.sampled_from(["", "   ", "\t", "# note", "\t# [USAGOV]", "+", "+ #", "[RUS]"]),
    st.builds(lambda s: s, st.text(alphabet="AB_ .-#[]", min_size=1, max_size=8)),
    st.builds(lambda s: "+" + s, st.text(alphabet="CD_ .-#", max_size=6)),
    st.builds(
        lambda lead, code, tail: f"{lead}[{code}{tail}",
        st.sampled_from(["\t", " ", "\t\t", "NAME_ ", ""]),
        st.sampled_from(["USA", "RUS", "USAGOV", "XXX", "US", "FRAMIL 990101-000101"]),
        st.sampled_from(["]", "] # x", "", " ]", "]\t"]),
    ),
)


@given(st.lists(ACTOR_LINE, max_size=14))
@settings(max_examples=400, deadline=None)
def test_generated_actor_files_read_alike(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        plain = plain_actor_file(text, "t", ALPHA3)
    except ValueError as error:
        with pytest.raises(ValueError) as raised:
            parse_actor_file(text, "t", ALPHA3)
        assert str(raised.value) == str(error)
        return
    assert parse_actor_file(text, "t", ALPHA3) == plain


# --- the gazetteer's capitals matcher --------------------------------------------------------


@cache
def caps_regex() -> re.Pattern[str]:
    """The regex the capitals matcher stands in for (as the gazetteer compiled it before)."""
    return _words_regex(gazetteer().caps_entries)


@cache
def plain_case_regex() -> re.Pattern[str]:
    return _words_regex(gazetteer().entries)


@cache
def plain_case_matcher() -> SurfaceMatcher:
    return SurfaceMatcher(gazetteer().entries)


def found(matches: object) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]  # type: ignore[attr-defined]


def test_word_characters_are_the_regex_ones() -> None:
    word = re.compile(r"\w")
    assert all(_is_word(chr(c)) == bool(word.match(chr(c))) for c in range(sys.maxunicode + 1))


def test_capitals_matcher_finds_what_the_regex_finds_in_the_sample_articles() -> None:
    matcher = gazetteer().caps_pattern
    lower_case = plain_case_matcher()
    texts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted((data_dir() / "corpus").rglob("*"))
        if path.is_file()
    ]
    assert texts
    for text in texts:
        for variant in (text.upper(), text):
            assert found(matcher.finditer(variant)) == found(caps_regex().finditer(variant))
            for pos, endpos in ((5, len(variant) // 2), (len(variant) // 3, len(variant) + 5)):
                assert found(matcher.finditer(variant, pos, endpos)) == found(
                    caps_regex().finditer(variant, pos, endpos)
                )
        assert found(lower_case.finditer(text)) == found(plain_case_regex().finditer(text))
        assert found(gazetteer().pattern.finditer(text)) == found(plain_case_regex().finditer(text))


def _pieces(keys: list[str]) -> st.SearchStrategy[str]:
    key = st.builds(
        lambda k, space, quote, cut: k.replace(" ", space).replace("'", quote)[:cut],
        st.sampled_from(keys),
        st.sampled_from([" ", "  ", "\t", " \n ", "\n\n", "\n \t", " \r\n", "\n"]),
        st.sampled_from(["'", "\u2019"]),
        st.one_of(st.none(), st.none(), st.integers(0, 12)),
    )
    noise = st.text(alphabet=" \t\n\r'\u2019_-.,xXé1AÅS", max_size=4)
    return st.lists(st.one_of(key, noise), max_size=8).map("".join)


def test_capitals_matcher_on_written_cases() -> None:
    gaz = gazetteer()
    texts = [
        "TALKS IN UNITED \n STATES, UNITED\tSTATES AND UNITED \n\n STATES; UNITED  STATES-LED",
        "UNITED STATESMAN, NEW YORK'S MAYOR, NEW YORK\u2019S, COTE D'IVOIRE, CÔTE D\u2019IVOIRE",
        "XFRANCE, FRANCE_, FRANCE1, _FRANCE, 1FRANCE, FRANCE. GUINEA-BISSAU GUINEA-X SOUTH KOREA\r\nN",
    ]
    for text in texts:
        assert found(gaz.caps_pattern.finditer(text)) == found(caps_regex().finditer(text))
        for pos in range(0, len(text), 3):
            for endpos in (pos, pos + 7, len(text) - 1):
                assert found(gaz.caps_pattern.finditer(text, pos, endpos)) == found(
                    caps_regex().finditer(text, pos, endpos)
                )
    assert len(found(gaz.caps_pattern.finditer(texts[0]))) == 3
    for text in [*texts, *(t.title() for t in texts), "New \n\n York, New\n \nYork and Guinea \n\nBissau"]:
        for pos in range(0, len(text), 5):
            for endpos in (pos + 9, len(text)):
                assert found(gaz.pattern.finditer(text, pos, endpos)) == found(
                    plain_case_regex().finditer(text, pos, endpos)
                )


@given(st.data())
@settings(max_examples=400, deadline=None)
def test_capitals_matcher_finds_what_the_regex_finds_in_generated_text(data: st.DataObject) -> None:
    gaz = gazetteer()
    for keys, matcher, regex in (
        (sorted(gaz.caps_entries), gaz.caps_pattern, caps_regex()),
        (sorted(gaz.entries), plain_case_matcher(), plain_case_regex()),
        (sorted(gaz.entries), gaz.pattern, plain_case_regex()),
    ):
        text = data.draw(_pieces(keys))
        pos = data.draw(st.integers(0, len(text) + 1))
        endpos = data.draw(st.integers(0, len(text) + 2))
        assert found(matcher.finditer(text)) == found(regex.finditer(text))
        assert found(matcher.finditer(text, pos, endpos)) == found(regex.finditer(text, pos, endpos))


# --- warm_up ---------------------------------------------------------------------------------


def test_warm_up_gives_the_collector_back_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from core.analysis import pipeline

    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            pipeline.warm_up("polars")
            assert gc.isenabled() is enabled
        gc.enable()

        def failing(batch: object, engine: str) -> None:
            assert not gc.isenabled()  # paused while the tables load
            raise RuntimeError("damaged model")

        monkeypatch.setattr(pipeline, "analyse_batch", failing)
        with pytest.raises(RuntimeError):
            pipeline.warm_up("polars")
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
