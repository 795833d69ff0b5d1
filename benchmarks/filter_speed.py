"""Filter speed: how long the dashboard's filter takes per keystroke on 10,000 articles.

The BBC corpus (about 2,200 articles) is repeated with distinct ids to 10,000 articles, given dates
(some missing) and several sources; keywords, mentions and country pairs are synthesised from the
text (frequent words, capitalised names, a few dozen country names) because the real analysis
would take minutes. Scripted filters are then typed one character at a time, and each keystroke is
timed as the dashboard runs it: parse, `matching_ids`, then `relevance` on the result (skipped
when the text does not parse yet, as the dashboard keeps the last good result then).
Printed: FilterIndex build time, and per-keystroke median / p95 with the index's term cache
(what typing sees) and with it cleared before each keystroke (worst case: pasting a query).
Run: uv run python benchmarks/filter_speed.py
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._shared import corpus_dir
from core.analysis.frames import Analysis
from core.corpus.query import FilterIndex, QueryError, parse_query
from core.ingest.load import load_articles

TARGET = 10_000
COUNTRIES = {
    "Iraq": "IQ", "Iraqi": "IQ", "Baghdad": "IQ", "US": "US", "America": "US", "American": "US",
    "Washington": "US", "UK": "GB", "Britain": "GB", "British": "GB", "London": "GB", "France": "FR",
    "French": "FR", "Paris": "FR", "Germany": "DE", "German": "DE", "Russia": "RU", "Russian": "RU",
    "Moscow": "RU", "China": "CN", "Chinese": "CN", "Beijing": "CN", "Japan": "JP", "Japanese": "JP",
    "India": "IN", "Indian": "IN", "Iran": "IR", "Iranian": "IR", "Israel": "IL", "Spain": "ES",
    "Italy": "IT", "Ireland": "IE", "Irish": "IE", "Australia": "AU", "Australian": "AU",
    "Brazil": "BR", "Canada": "CA", "Europe": "EU", "South Africa": "ZA", "Scotland": "GB",
    "Wales": "GB", "Welsh": "GB", "Scottish": "GB",
}  # fmt: skip
CANONICAL = {"IQ": "Iraq", "US": "United States", "GB": "United Kingdom", "FR": "France", "DE": "Germany",
             "RU": "Russia", "CN": "China", "JP": "Japan", "IN": "India", "IR": "Iran", "IL": "Israel",
             "ES": "Spain", "IT": "Italy", "IE": "Ireland", "AU": "Australia", "BR": "Brazil",
             "CA": "Canada", "EU": "European Union", "ZA": "South Africa"}  # fmt: skip
SCRIPT = [
    "iraq country:US -source:bbc",
    'blair "prime minister" after:2005-01-01',
    "keyword:election -country:IQ",
    "entity:Blair pair:GB-US",
    "before:2005-03 music -after:2004-06",
    'country:France keyword:"film"',
    "pair:Russia-United States",
    "mobile phone -entity:microsoft source:reut",
]


def synthetic_analysis(base: pl.DataFrame) -> Analysis:
    """10,000 articles from `base` with synthesised keywords, mentions and pairs."""
    originals = base.with_row_index("n")
    words = (
        originals.select("n", word=pl.col("text").str.to_lowercase().str.extract_all(r"[a-z]{5,}"))
        .explode("word")
        .group_by("n", "word")
        .agg(uses=pl.len())
        .sort(["n", "uses", "word"], descending=[False, True, False])
        .group_by("n", maintain_order=True)
        .head(12)
        .select("n", rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("n"), phrase="word")
        .with_columns(score=pl.col("rank").cast(pl.Float64) / 100)
    )
    country_rx = r"\b(?:" + "|".join(sorted(COUNTRIES, key=len, reverse=True)) + r")\b"
    countries = (
        originals.select("n", surface=pl.col("text").str.extract_all(country_rx))
        .explode("surface")
        .drop_nulls()
        .with_columns(code=pl.col("surface").replace_strict(COUNTRIES, default=None), kind=pl.lit("country"))
        .with_columns(entity=pl.col("code").replace_strict(CANONICAL, default=None), how=pl.lit("name"))
    )
    people = (
        originals.select("n", surface=pl.col("text").str.extract_all(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b"))
        .explode("surface")
        .drop_nulls()
        .group_by("n", maintain_order=True)
        .head(25)
        .with_columns(
            entity="surface", kind=pl.lit("person"), code=pl.lit(None, pl.String), how=pl.lit("cue")
        )
    )
    mentions = pl.concat([countries.select(people.columns), people], how="vertical").with_columns(
        locative=pl.lit(False),
        sentence=pl.lit(0, pl.Int32),
        start=pl.lit(0, pl.Int32),
        end=pl.lit(0, pl.Int32),
    )
    codes = countries.select("n", "code").unique()
    pairs = (
        codes.join(codes, on="n", suffix="_b")
        .filter(pl.col("code") < pl.col("code_b"))
        .select("n", code_a="code", code_b="code_b")
    )
    copies = -(-TARGET // base.height)
    spread = pl.int_range(pl.len()) * 7 % 900
    articles = (
        pl.concat([originals.with_columns(copy=pl.lit(i)) for i in range(copies)])
        .head(TARGET)
        .with_columns(
            id=pl.col("id") + "#" + pl.col("copy").cast(pl.String),
            source=pl.col("copy").replace_strict({0: "bbc", 1: "reuters", 2: "ap", 3: "bbc", 4: "guardian"}),
            # Every eleventh article undated, the rest spread over 2004-2006.
            date=pl.when(pl.int_range(pl.len()) % 11 == 0)
            .then(None)
            .otherwise(pl.lit(date(2004, 1, 1)) + pl.duration(days=spread)),
        )
    )
    keys = articles.select("n", article_id="id")

    def per_article(frame: pl.DataFrame) -> pl.DataFrame:
        return keys.join(frame, on="n", how="inner").drop("n")

    return Analysis(
        articles=articles.drop("n", "copy"),
        keywords=per_article(words),
        mentions=per_article(mentions),
        pairs=per_article(pairs),
    )


def keystrokes() -> list[str]:
    """Every prefix of every scripted filter, as typed one character at a time."""
    return [script[:i] for script in SCRIPT for i in range(1, len(script) + 1)]


def time_typing(index: FilterIndex, cold: bool) -> tuple[list[tuple[float, float, str]], int]:
    """Per parsable keystroke: ms to the id set, ms with relevance, the text; and how many failed."""
    timings: list[tuple[float, float, str]] = []
    failed = 0
    for text in keystrokes():
        if cold:
            index._cache.clear()
        started = time.perf_counter()
        try:
            query = parse_query(text)
            ids = index.matching_ids(query)
            matched = time.perf_counter()
            index.relevance(query, ids)
        except QueryError:
            # Not parsable yet ("country:U"): the dashboard keeps the last result; not timed.
            failed += 1
            continue
        ended = time.perf_counter()
        timings.append(((matched - started) * 1000, (ended - started) * 1000, text))
    return timings, failed


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    return f"median {statistics.median(ordered):.1f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms"


def main() -> None:
    loaded = load_articles([corpus_dir("bbc")]).articles
    started = time.perf_counter()
    analysis = synthetic_analysis(loaded)
    print(
        f"synthetic corpus: {analysis.articles.height} articles, {analysis.keywords.height} keywords, "
        f"{analysis.mentions.height} mentions, {analysis.pairs.height} pairs "
        f"({time.perf_counter() - started:.1f} s to make)"
    )
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        index = FilterIndex.build(analysis)
        builds.append((time.perf_counter() - started) * 1000)
    print(f"FilterIndex.build: median {statistics.median(builds):.0f} ms of 5")
    for label, cold in (("typing (term cache)", False), ("no term cache", True)):
        timings, failed = time_typing(index, cold)
        slowest = ", ".join(
            f"{text!r} {total:.0f} ms" for _, total, text in sorted(timings, key=lambda t: t[1])[:-4:-1]
        )
        print(f"{label}: {len(timings)} keystrokes timed ({failed} more not parsable yet)")
        print(f"  ids only:         {_summary([ids for ids, _, _ in timings])}")
        print(f"  ids + relevance:  {_summary([total for _, total, _ in timings])}; slowest {slowest}")


if __name__ == "__main__":
    main()
