"""The dashboard's filter language: parse what is typed in the filter box, then find the articles.

Query language
--------------
Terms are separated by spaces and **all** must hold (AND). Matching ignores case.

| term | matches articles |
|---|---|
| `iraq` | whose headline or text has a word *starting with* `iraq` (`Iraq`, `Iraqi`, not `Biraq`) |
| `"red line"` | whose headline or text has the phrase at a word start; any whitespace between its words |
| `country:IQ`, `country:Iraq` | that mention the country, by ISO code or name |
| `pair:IQ-US`, `pair:Iraq-Russia` | with a sentence naming both countries (order does not matter) |
| `keyword:iraq`, `keyword:"military bases"` | with a keyword holding the word/phrase at a word start |
| `entity:Jaafari`, `entity:"Ibrahim Jaafari"` | mentioning a name or wording with it at a word start |
| `source:bbc` | whose source contains the text anywhere |
| `after:2004-06-01` | dated on or after that day (inclusive) |
| `before:2005-01-01` | dated before that day (exclusive), so `after:2004-06 before:2004-07` is June |
| `-term` | *not* matching the term: `-iraq`, `-"red line"`, `-country:US`, `-source:bbc` |

- Word-start rather than substring matching: `us` finds "US" and "used" but not "business" or
  "because", which substring matching would drown the results in.
- A field name is case-insensitive (`Country:iq`); any field value may be quoted (`source:"bbc news"`).
- Dates may be `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the first day of the month or year). Articles
  without a date never match a date term, negated or not: `-after:2005` means "dated before 2005".
- Countries resolve through the corpus' own mentions (a code, a country's name, or a way the corpus
  refers to it, such as "American"), then the gazetteer country detection uses (names, aliases such
  as UK, Burma, USSR, demonyms such as Iraqi; not capitals or cities), then ISO 3166 (pycountry:
  alpha-2/alpha-3 codes, names, official names). A code or name that is no country is an error; a
  real country absent from the corpus matches nothing.
- In `pair:` the two countries are joined with `-` (or `/` or `,`); names with hyphens work
  (`pair:Guinea-Bissau-FR`). A value holding a `"` needs quotes around it; there is no escaping.
- An empty or all-space filter matches every article.
- Errors (`QueryError`, with the message and the 0-based character position): unknown field `foo:`,
  unterminated quote, empty quotes, a field with no value (`country:`), a bad date, a lone `-`,
  an unknown country, a pair without two different countries.

Speed
-----
`FilterIndex.build` runs once per loaded corpus (again when a batch of articles arrives) and keeps
lower-cased text plus small (article row, value) frames; each keystroke is then a few vectorised
Polars scans. Each term's result is cached, so typing the next term re-scans only that term.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from datetime import date

import polars as pl

from core.analysis.frames import Analysis
from core.corpus.query_parse import DATE_FIELDS, FIELDS, Query, QueryError, Term, parse_date, parse_query
from core.countries.names import CountryNames, corpus_country_names

__all__ = ["FIELDS", "FilterIndex", "Query", "QueryError", "Term", "parse_query"]

# Title hits count this many times an occurrence in the body: the headline says what it is about.
TITLE_WEIGHT = 3
# Term results kept for the next keystrokes; a typed query rarely holds more than a handful.
_CACHE_TERMS = 128
# Bytes inside one value field: separates an entity from its surface so neither runs into the other.
_SEP = "\x1f"
# Regex characters to escape for Polars' (Rust) regex engine; Python's re.escape also escapes
# spaces, which the Rust syntax rejects.
_META = set("\\.+*?()|[]{}^$#&-~")
# "Preceded by nothing or by a non-letter, non-digit": a word start, Unicode-aware.
_WORD_START = r"(?:^|[^\p{L}\p{N}])"


def _escape(text: str) -> str:
    """Text as a literal in Rust regex syntax."""
    return "".join("\\" + char if char in _META else char for char in text)


def _pattern(value: str) -> str:
    """Rust regex for a word or phrase occurring at a word start, any whitespace between its words."""
    words = value.lower().split()
    body = r"\s+".join(_escape(word) for word in words)
    # A value starting with punctuation ("$5", "#metoo") has no word start to anchor on.
    return _WORD_START + body if words[0][0].isalnum() else body


class FilterIndex:
    """Everything a keystroke needs, precomputed once per corpus so each filter is a few scans."""

    def __init__(
        self,
        articles: pl.DataFrame,
        mentions: pl.DataFrame,
        pairs: pl.DataFrame,
        keywords: pl.DataFrame,
        country_names: CountryNames,
    ) -> None:
        # articles: id, row, hay, title, source, date; the others: row (articles-frame position) + values.
        self._articles = articles
        self._mentions = mentions  # row, code, key (entity _SEP surface, lower-cased), mentions
        self._pairs = pairs  # row, code_a, code_b, mentions
        self._keywords = keywords  # row, phrase (lower-cased)
        self._country_names = country_names
        self._cache: OrderedDict[tuple[str | None, str], pl.Series] = OrderedDict()
        # The dashboard may filter from worker threads; the cache is the only shared mutable state.
        self._lock = threading.Lock()

    @staticmethod
    def _article_frame(analysis: Analysis) -> pl.DataFrame:
        """id, row, hay (lower-cased headline and text: what word terms search), title, source, date."""
        return analysis.articles.select(
            "id",
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
            pl.concat_str([pl.col("title"), pl.col("text")], separator="\n", ignore_nulls=True)
            .fill_null("")
            .str.to_lowercase()
            .alias("hay"),
            pl.col("title").fill_null("").str.to_lowercase(),
            pl.col("source").fill_null("").str.to_lowercase(),
            "date",
        )

    @classmethod
    def build(cls, analysis: Analysis) -> FilterIndex:
        """Index an analysed corpus; call again when its articles change (about 0.1 s for 10k articles)."""
        return cls(*cls._indexed_frames(analysis, cls._article_frame(analysis)))

    @staticmethod
    def _indexed_frames(
        analysis: Analysis, articles: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame, CountryNames]:
        """The constructor's frames: articles as given, mentions, pairs and keywords keyed by row."""
        rows = articles.select(pl.col("id").alias("article_id"), "row")

        def keyed(frame: pl.DataFrame) -> pl.LazyFrame:
            return frame.lazy().join(rows.lazy(), on="article_id", how="inner")

        mentions = (
            keyed(analysis.mentions)
            .group_by(
                "row",
                "code",
                key=pl.concat_str(
                    [pl.col("entity").fill_null(""), pl.col("surface").fill_null("")], separator=_SEP
                ).str.to_lowercase(),
            )
            .agg(mentions=pl.len().cast(pl.Int32))
        )
        pairs = (
            keyed(analysis.pairs).group_by("row", "code_a", "code_b").agg(mentions=pl.len().cast(pl.Int32))
        )
        keywords = keyed(analysis.keywords).select("row", pl.col("phrase").str.to_lowercase()).unique()
        mentions_df, pairs_df, keywords_df = pl.collect_all([mentions, pairs, keywords])
        codes = mentions_df.get_column("code").drop_nulls().unique().to_list()
        names = CountryNames(corpus_country_names(analysis.mentions), codes)
        return articles, mentions_df, pairs_df, keywords_df, names

    @property
    def size(self) -> int:
        """Number of indexed articles."""
        return self._articles.height

    def country_code(self, name: str) -> str | None:
        """ISO alpha-2 code for a code or country name typed in a filter, or None when none fits."""
        return self._country_names.code(name)

    def _country(self, value: str, position: int) -> str:
        """The code for a `country:` value, or the QueryError the dashboard shows under the box."""
        code = self._country_names.code(value)
        if code is None:
            raise QueryError(
                f"unknown country '{value}': use an ISO code like IQ or a name like Iraq", position
            )
        return code

    def _pair(self, term: Term) -> tuple[str, str]:
        """The sorted code pair of a `pair:` term, trying every separator so hyphenated names work."""
        value, position = term.value, term.value_position + term.quoted
        cuts = [i for i, char in enumerate(value) if char in "-/,"]
        for cut in cuts:
            left, right = self._country_names.code(value[:cut]), self._country_names.code(value[cut + 1 :])
            if left is not None and right is not None:
                if left == right:
                    raise QueryError(
                        f"pair:{value} names {left} twice: give two different countries", position
                    )
                a, b = sorted((left, right))
                return a, b
        if not cuts:
            raise QueryError(f"pair needs two countries joined by '-', like pair:{value}-US", position)
        cut = cuts[0]
        left_ok = self._country_names.code(value[:cut]) is not None
        bad, at = (value[cut + 1 :], position + cut + 1) if left_ok else (value[:cut], position)
        raise QueryError(f"unknown country '{bad}' in pair: use ISO codes like IQ-US or names", at)

    def _rows_mask(self, rows: pl.Series) -> pl.Series:
        """Boolean mask over articles, True at the given article rows."""
        mask = pl.repeat(False, self.size, dtype=pl.Boolean, eager=True)
        return mask.scatter(rows.unique(), True) if rows.len() else mask

    def _match(self, term: Term) -> pl.Series:
        """Boolean mask over articles where the term holds, ignoring its negation."""
        field, value = term.field, term.value
        articles = self._articles
        if field is None:
            return self._text_mask(value)
        if field == "source":
            return articles.get_column("source").str.contains(value.lower(), literal=True)
        if field in DATE_FIELDS:
            day: date = parse_date(value, term.value_position)
            column = articles.get_column("date")
            return (column >= day if field == "after" else column < day).fill_null(False)
        if field == "country":
            code = self._country(value, term.value_position + term.quoted)
            rows = self._mentions.filter(pl.col("code") == code).get_column("row")
        elif field == "pair":
            a, b = self._pair(term)
            rows = self._pairs.filter(pl.col("code_a") == a, pl.col("code_b") == b).get_column("row")
        elif field == "keyword":
            rows = self._keywords.filter(pl.col("phrase").str.contains(_pattern(value))).get_column("row")
        elif field == "entity":
            rows = self._mentions.filter(pl.col("key").str.contains(_pattern(value))).get_column("row")
        else:  # parse_query only lets FIELDS through; a hand-built Term may not.
            raise QueryError(f"unknown field '{field}:'", term.position)
        return self._rows_mask(rows)

    def _text_mask(self, value: str) -> pl.Series:
        """Boolean mask over articles whose headline or text holds the word or phrase at a word start."""
        return self._articles.get_column("hay").str.contains(_pattern(value))

    def _found(self, term: Term) -> pl.Series:
        """The term's mask ignoring negation, from the cache when an earlier keystroke computed it."""
        # Case and spacing never change a term's result, so "Iraq" reuses what "iraq" found.
        key = (term.field, " ".join(term.value.lower().split()))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        # Computed outside the lock: two threads racing on one term just both compute it.
        found = self._match(term)
        with self._lock:
            self._cache[key] = found
            if len(self._cache) > _CACHE_TERMS:
                self._cache.popitem(last=False)
        return found

    def _mask(self, term: Term) -> pl.Series:
        """The term's mask with its negation applied."""
        cached = self._found(term)
        if not term.negated:
            return cached
        if term.field in DATE_FIELDS:
            # Undated articles fail a date term either way: "not after 2005" is "before 2005".
            return ~cached & self._articles.get_column("date").is_not_null()
        return ~cached

    def matching_ids(self, query: Query) -> pl.Series:
        """Ids of the articles matching every term, in articles-frame order; QueryError if unresolvable."""
        ids = self._articles.get_column("id")
        mask: pl.Series | None = None
        for term in query.terms:
            term_mask = self._mask(term)
            mask = term_mask if mask is None else mask & term_mask
        return ids if mask is None else ids.filter(mask)

    def relevance(self, query: Query, ids: pl.Series) -> pl.DataFrame:
        """id, relevance for `ids`, most relevant first (ties keep the given order), for sorting by it.

        Relevance is TF-IDF-like: over the query's positive terms it adds the term's strength in the
        article times ln(articles / articles matching the term), so rare terms count most. Strength
        is: occurrences of a word or phrase (a headline hit counts TITLE_WEIGHT times); mentions of
        the country, pair or entity; keywords matching a `keyword:` term. Negated, source and date
        terms add nothing, and so do terms in more than half of all articles ("the", "e" while the
        user is still typing): too common to rank by, and the costliest to count.
        """
        subset = (
            pl.DataFrame({"id": ids.cast(pl.String)})
            .with_columns(order=pl.int_range(pl.len(), dtype=pl.UInt32))
            .join(self._articles, on="id", how="left", maintain_order="left")
        )
        scores: list[pl.Expr] = []
        for term in query.terms:
            if term.negated or term.field in DATE_FIELDS or term.field == "source":
                continue
            found = self._found(term).sum()
            if found == 0 or 2 * found > self.size:
                continue
            idf = math.log(self.size / found)
            if term.field is None and "hay" in self._articles.columns:
                pattern = _pattern(term.value)
                # The haystack holds the headline too, so a headline hit adds TITLE_WEIGHT in all.
                body = pl.col("hay").str.count_matches(pattern)
                title = pl.col("title").str.count_matches(pattern)
                scores.append(idf * (body + (TITLE_WEIGHT - 1) * title))
                continue
            counts = self._term_counts(term)
            name = f"_t{len(scores)}"
            subset = subset.join(counts.rename({"n": name}), on="row", how="left", maintain_order="left")
            scores.append(idf * pl.col(name))
        total = pl.sum_horizontal(scores).fill_null(0) if scores else pl.lit(0)
        return (
            subset.select("id", "order", relevance=total.cast(pl.Float64))
            .sort(["relevance", "order"], descending=[True, False])
            .drop("order")
        )

    def _term_counts(self, term: Term) -> pl.DataFrame:
        """row, n: how strongly each article matches a field term, for relevance."""
        if term.field is None:
            # Counted on the haystack in relevance(); an index without one overrides this.
            raise NotImplementedError("word terms are counted on the haystack")
        if term.field == "country":
            code = self._country(term.value, term.value_position + term.quoted)
            found = self._mentions.filter(pl.col("code") == code)
            value = pl.col("mentions").sum()
        elif term.field == "pair":
            a, b = self._pair(term)
            found = self._pairs.filter(pl.col("code_a") == a, pl.col("code_b") == b)
            value = pl.col("mentions").sum()
        elif term.field == "keyword":
            found = self._keywords.filter(pl.col("phrase").str.contains(_pattern(term.value)))
            value = pl.len()
        else:
            found = self._mentions.filter(pl.col("key").str.contains(_pattern(term.value)))
            value = pl.col("mentions").sum()
        return found.group_by("row").agg(n=value.cast(pl.Int64))
