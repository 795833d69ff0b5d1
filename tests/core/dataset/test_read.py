"""Reading a dataset for the dashboard: scans, texts on demand, and the filter giving exactly what the
in-memory filter gives on the same articles (the bundled corpus, written as a dataset here)."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from core.analysis.cache import ResultCache
from core.analysis.frames import Analysis
from core.analysis.run import analyse_corpus
from core.corpus.view import Corpus
from core.dataset.build import write_analysis
from core.dataset.corpus import DatasetCorpus
from core.dataset.manifest import DatasetError
from core.dataset.read import Dataset, is_dataset_source, open_dataset
from core.dataset.session import DatasetSession
from core.ingest.load import load_articles
from core.paths import bundled_corpus

PER_PARTITION = 100  # the bundled corpus's 362 articles in four partitions


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, str]:
    """The bundled corpus analysed once, and the same analysis written as a dataset."""
    scratch = tmp_path_factory.mktemp("bundled")
    articles = load_articles(bundled_corpus()).articles
    analysis = analyse_corpus(articles, cache=ResultCache(scratch / "cache"), workers=1)
    root = str(scratch / "dataset")
    write_analysis(root, analysis, articles_per_partition=PER_PARTITION)
    return analysis, root


@pytest.fixture(scope="module")
def corpora(bundled: tuple[Analysis, str]) -> tuple[Corpus, DatasetCorpus]:
    """The in-memory Corpus and the dataset's, built the way the dashboard builds it."""
    analysis, root = bundled
    session = DatasetSession(root, first_part_articles=0)
    session.articles = session.load().articles
    for part in session.analyse(session.articles):
        session.add(part)
    corpus = session.corpus()[0]
    assert isinstance(corpus, DatasetCorpus)
    return Corpus(analysis), corpus


def _same_view(memory: Corpus, dataset: Corpus, query: str, sort: str = "date") -> None:
    expected = memory.view(query, sort)  # type: ignore[arg-type]
    got = dataset.view(query, sort)  # type: ignore[arg-type]
    # By date the dataset leaves relevance at 0 (it is computed only to sort by it).
    drop = ["relevance"] if sort == "date" else []
    assert_frame_equal(got.articles.frame.drop(drop), expected.articles.frame.drop(drop), check_exact=False)
    assert_frame_equal(got.entities, expected.entities)
    assert_frame_equal(got.pairs, expected.pairs)
    assert_frame_equal(got.timeline, expected.timeline)
    # Keyword weights are sums of 1/rank: the last bit may differ with the order they are added in.
    assert_frame_equal(
        got.keywords.drop("rank").sort("phrase"),
        expected.keywords.drop("rank").sort("phrase"),
        check_exact=False,
    )


def test_scans_read_every_table_in_partition_order(bundled: tuple[Analysis, str]) -> None:
    analysis, root = bundled
    dataset = open_dataset(root)
    assert len(dataset.article_files) == 4 and dataset.size == analysis.articles.height
    assert_frame_equal(dataset.scan("articles").collect(), analysis.articles)
    for table in ("keywords", "mentions", "pairs"):
        assert_frame_equal(dataset.scan(table).collect(), getattr(analysis, table))


QUERIES = [
    "iraq",
    "ira",
    "i",
    "government",
    '"prime minister"',
    '"red line"',
    "u.s.",
    "don't",
    "$5",
    "--",
    "2005",
    "-the",
    "iraq -source:wikinews",
    "country:IQ",
    "country:Iraq -country:US",
    "pair:IQ-US",
    "keyword:election",
    'keyword:"prime minister"',
    "entity:bush",
    '-entity:"george w"',
    "after:2005-06-01 before:2006",
    "nosuchwordanywhere",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filter_on_dataset_equals_in_memory(corpora: tuple[Corpus, DatasetCorpus], query: str) -> None:
    memory, dataset = corpora
    _same_view(memory, dataset, query)


@pytest.mark.parametrize("query", ["iraq", '"prime minister" country:US', "it's", "keyword:oil entity:bush"])
def test_relevance_order_on_dataset_equals_in_memory(
    corpora: tuple[Corpus, DatasetCorpus], query: str
) -> None:
    memory, dataset = corpora
    _same_view(memory, dataset, query, sort="relevance")


def _corpus_words(analysis: Analysis) -> list[str]:
    text = " ".join(analysis.articles.get_column("text").head(40).to_list())
    return sorted(set(re.findall(r"[A-Za-z][A-Za-z'.-]*", text)))[:400]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_word_and_phrase_search_matches_the_regex(
    corpora: tuple[Corpus, DatasetCorpus], bundled: tuple[Analysis, str], data: st.DataObject
) -> None:
    """Free text: words from the corpus, cut short, joined into phrases, with punctuation around."""
    memory, dataset = corpora
    words = data.draw(st.lists(st.sampled_from(_corpus_words(bundled[0])), min_size=1, max_size=3))
    words = [
        w[: data.draw(st.integers(1, len(w)))] if i == len(words) - 1 else w for i, w in enumerate(words)
    ]
    phrase = " ".join(words) + data.draw(st.sampled_from(["", ".", "'s", "-"]))
    query = f'"{phrase}"' if len(words) > 1 else phrase
    expected = memory.view(query).articles.column("id").sort()
    assert dataset.view(query).articles.column("id").sort().to_list() == expected.to_list()


def test_dashboard_holds_no_text_and_reads_an_article_when_opened(
    corpora: tuple[Corpus, DatasetCorpus], bundled: tuple[Analysis, str]
) -> None:
    memory, dataset = corpora
    assert "text" not in dataset.analysis.articles.columns
    assert "text" not in dataset.analysis.pairs.columns  # evidence sentences stay on disk
    article_id = bundled[0].articles.get_column("id")[250]  # in the third partition
    got, expected = dataset.article(article_id), memory.article(article_id)
    assert got is not None and expected is not None
    assert got.document == expected.document
    assert got.article == expected.article
    assert got.mentions == expected.mentions
    assert_frame_equal(got.keywords, expected.keywords)
    assert dataset.article("no-such-id") is None


def _reads_each_articles_rows_by_position(corpus: DatasetCorpus) -> None:
    ids = corpus.analysis.articles.get_column("id")
    for row in range(0, ids.len(), 3):
        partition = corpus.dataset._locate(row)[0].partition
        for table in ("keywords", "mentions"):
            searched = corpus.dataset.read_rows(table, row, ids[row])
            at = corpus._at(table, row)
            assert at is not None
            # The position alone finds exactly the article's rows (no fallback to the search).
            placed = corpus.dataset.scan(table, [partition]).slice(*at).collect()
            assert_frame_equal(placed, searched)
            assert_frame_equal(corpus.dataset.read_rows(table, row, ids[row], at), searched)


def test_an_articles_rows_are_read_by_their_position_in_its_partition(
    corpora: tuple[Corpus, DatasetCorpus], bundled: tuple[Analysis, str]
) -> None:
    _, dataset = corpora
    _reads_each_articles_rows_by_position(dataset)
    ids = dataset.analysis.articles.get_column("id")
    # A wrong position is caught and the partition searched instead.
    wrong = dataset.dataset.read_rows("keywords", 8, ids[8], (0, 3))
    assert_frame_equal(wrong, dataset.dataset.read_rows("keywords", 8, ids[8]))
    # A first part that cuts a partition (150 of 100 + 100 articles), then the whole corpus.
    session = DatasetSession(bundled[1], first_part_articles=150)
    session.articles = session.load().articles
    parts = session.analyse(session.articles)
    session.add(next(parts))
    first = session.corpus()[0]
    assert isinstance(first, DatasetCorpus) and first.total == 150
    _reads_each_articles_rows_by_position(first)
    for part in parts:
        session.add(part)
    whole = session.corpus()[0]
    assert isinstance(whole, DatasetCorpus) and whole.total == dataset.total
    _reads_each_articles_rows_by_position(whole)
    # An article whose rows were not counted (nor an earlier one of its partition): searched for.
    counts = whole._table_rows["mentions"]
    counts[101] = -1
    assert whole._at("mentions", 101) is None and whole._at("mentions", 150) is None
    assert whole._at("mentions", 100) is not None  # the partition's first article: counted
    article = whole.article(str(ids[150]))
    assert article is not None and article.mentions == dataset.article(str(ids[150])).mentions  # type: ignore[union-attr]


def test_pair_evidence_is_read_from_the_dataset(corpora: tuple[Corpus, DatasetCorpus]) -> None:
    memory, dataset = corpora
    subset = memory.view("country:IQ").subset
    assert_frame_equal(dataset.pair_details("US", "IQ", subset), memory.pair_details("US", "IQ", subset))
    assert_frame_equal(dataset.relations(None), memory.relations(None))


def test_first_part_shows_the_first_articles_only(bundled: tuple[Analysis, str]) -> None:
    analysis, root = bundled
    session = DatasetSession(root, first_part_articles=150)
    session.articles = session.load().articles
    parts = session.analyse(session.articles)
    session.add(next(parts))
    first = session.corpus()[0]
    assert first.total == 150  # the first partition of 100 and half of the second
    # Postings of later articles are left out: the view counts only held articles.
    held = analysis.articles.head(150).get_column("id").implode()
    memory = Corpus(
        Analysis(
            analysis.articles.head(150),
            *(
                frame.filter(pl.col("article_id").is_in(held))
                for frame in (analysis.keywords, analysis.mentions, analysis.pairs)
            ),
        )
    )
    assert first.view("iraq").articles.column("id").to_list() == (
        memory.view("iraq").articles.column("id").to_list()
    )
    # The cut partition's keywords, entities and pairs are those of its first 50 articles only.
    _same_view(memory, first, "")
    assert_frame_equal(first.view("").keywords, memory.view("").keywords, check_exact=False)
    assert_frame_equal(first.view("").pairs, memory.view("").pairs)
    session.add(next(parts))
    assert session.corpus()[0].total == analysis.articles.height


def test_not_a_dataset_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a newsdesk dataset"):
        open_dataset(str(tmp_path))
    assert not is_dataset_source(str(tmp_path))
    assert not is_dataset_source("https://example.org/feed.xml")  # never probed over the network
    assert not is_dataset_source("nosuchprotocol://x/y")


def test_a_table_without_files_scans_empty(tmp_path: Path) -> None:
    articles = pl.DataFrame(
        {"id": ["a"], "title": ["Calm day"], "text": ["Nothing happened."]},
    )
    from core.articles import ARTICLE_SCHEMA

    frame = articles.with_columns(
        [
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in ARTICLE_SCHEMA.items()
            if name not in articles.columns
        ]
    ).select(list(ARTICLE_SCHEMA))
    empty = Analysis(frame, *[Dataset.empty(table) for table in ("keywords", "mentions", "pairs")])
    write_analysis(str(tmp_path / "ds"), empty)
    dataset = open_dataset(str(tmp_path / "ds"))
    assert dataset.scan("pairs").collect().is_empty()
    assert dataset.search.rows("calm").to_list() == [0]
    assert dataset.search.rows("nothing happened").to_list() == [0]
    assert dataset.search.rows("nothing calm").to_list() == []


def _opened(root: str) -> DatasetSession:
    """A session as the dashboard leaves it after opening `root`: loaded, every part added."""
    session = DatasetSession(root, first_part_articles=10)
    session.articles = session.load().articles
    for part in session.analyse(session.articles):
        session.add(part)
    return session


def test_refresh_picks_up_what_a_later_run_appended(small_corpus: Path, tmp_path: Path) -> None:
    from core.dataset.write import ProcessPoolRunner, write_dataset
    from tests.core.dataset.conftest import SLICE_BYTES, wikinews_rows, write_jsonl

    root = str(tmp_path / "ds")
    write_dataset([str(small_corpus)], root, ProcessPoolRunner(1), slice_bytes=SLICE_BYTES)
    session = _opened(root)
    unchanged = session.reload()
    assert unchanged.added.is_empty() and unchanged.removed.is_empty()
    # A new day's run appends three articles while the dashboard is open.
    new = wikinews_rows(33)[30:]
    write_jsonl(small_corpus / "c.jsonl", new)
    write_dataset([str(small_corpus)], root, ProcessPoolRunner(1), slice_bytes=SLICE_BYTES)
    change = session.reload()
    assert change.added.get_column("id").to_list() == [row["id"] for row in new]
    assert change.removed.is_empty() and change.articles.height == 33
    session.apply(change)
    for part in session.analyse(change.added):
        session.add(part)
    refreshed, reopened = session.corpus()[0], _opened(root).corpus()[0]
    assert refreshed.total == reopened.total == 33
    word = str(new[0]["title"]).split()[0].lower()
    for query in ("", word, f'"{word}"'):
        got, expected = refreshed.view(query, "date"), reopened.view(query, "date")
        assert_frame_equal(got.articles.frame, expected.articles.frame)
        assert_frame_equal(got.entities, expected.entities)
        assert_frame_equal(got.pairs, expected.pairs)
        assert_frame_equal(got.keywords.sort("phrase"), expected.keywords.sort("phrase"))
    assert str(new[0]["id"]) in refreshed.view(word, "date").articles.column("id").to_list()


def test_refresh_of_a_rebuilt_dataset_says_to_open_it_again(
    bundled: tuple[Analysis, str], tmp_path: Path
) -> None:
    import shutil

    analysis = bundled[0]
    copy = str(tmp_path / "copy")
    write_analysis(copy, analysis, articles_per_partition=PER_PARTITION)
    session = _opened(copy)
    shutil.rmtree(copy)
    write_analysis(copy, analysis, articles_per_partition=PER_PARTITION * 2)
    with pytest.raises(DatasetError, match="rebuilt since it was opened; open it again"):
        session.reload()
