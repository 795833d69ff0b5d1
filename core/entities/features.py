"""What the entity tagger sees: word tokens, which of them may be part of a name, and their features.

The learned model (core/entities/model.py) labels only *candidate* tokens — capitalised words, dotted
acronyms ("U.N."), particle names ("al-Qaida") and the small words that join a name's parts ("Bank
of England") — so the lowercase majority of an article costs one regex match each and nothing more.
Features are plain strings (the word, its shape, its neighbours, the cue lists of
data/entity_cues.toml, and how the article uses the word elsewhere); the model maps them to weights.
The same functions serve training (GMB's tokens) and analysis (tokens cut from raw text), so the
two cannot drift apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, groupby
from operator import itemgetter

from core.countries.gazetteer import gazetteer
from core.entities.words import EntityCues, load_cues

# Abbreviations whose full stop belongs to the word ("Mr. Bush", "St. Louis", "Inc.").
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Maj|Rev|Prof"
    "|Sen|Rep|Gov|Adm|Mt|Ft|Co|Corp|Inc|Ltd|Bros|Messrs|No"
)
_TOKEN = re.compile(
    # A plain lowercase word, the commonest token: matched first, and only where the rules below
    # would cut the same token (not before a letter, digit, full stop, apostrophe, "&" or hyphen).
    r"[a-z]+(?![\w.'’&-])"
    # Common punctuation, which no rule below would join to anything: tried early for speed.
    r'|[,.;:!?()"“”]'
    # The look-aheads below only skip rules that cannot match, so words are cut faster.
    r"|(?=[^\W\d_]\.)(?:[^\W\d_]\.){2,}(?![^\W\d_])"  # dotted acronyms: U.N., U.S.A.
    rf"|(?=[A-Z][a-z]{{0,5}}\.)(?:{_ABBREVIATIONS})\.(?!\w)"
    r"|[A-Z]\.(?=[ \t]*[A-Z])"  # an initial: "George W. Bush", "R. P. Singh"
    r"|['’][sS](?![^\W_])"  # possessive, a token of its own as in the training data
    # words, "al-Qaida", "O'Brien", "AT&T", "Su-24"; a possessive "'s" is left for its own token
    r"|[^\W\d_]+(?:[-&][^\W\d_]+|['’](?![sS](?![^\W_]))[^\W\d_]+)*(?:-\d+)?"
    r"|\d+(?:[.,:/-]\d+)*[^\W\d_]*"  # numbers, scores, "1996-08-30", "20th"
    r"|\w+"
    r"|\S"
)
# Lowercase words that may sit inside a name between capitalised ones.
CONNECTORS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "&",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "upon",
    }
)
_FIRST = itemgetter(0)
_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|bin|abu|ibn|de|d|van|von)[-'’][A-Z]")
_PARTICLES = frozenset("al el ad ar as ash at az an bin abu ibn de d van von".split())


def _marks_before_capitals(text: str) -> Iterator[int]:
    """Where a particle name may be: the offsets of a mark ("-", "'", "’") right before a capital
    A-Z ("al-Qaida": "-Q"). str.find jumps from mark to mark, several times cheaper than a regex
    scan over every character (an article has a few dozen marks at most)."""
    for mark_char in "-'’":
        mark = text.find(mark_char)
        while mark >= 0:
            if "A" <= text[mark + 1 : mark + 2] <= "Z":
                yield mark
            mark = text.find(mark_char, mark + 1)


def word_pattern() -> re.Pattern[str]:
    return _TOKEN


def tokenize(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of the word tokens of `text` (punctuation and possessives on their own)."""
    return [match.span() for match in _TOKEN.finditer(text)]


# ASCII letters and digits to their shape classes; other ASCII characters stand for themselves.
_ASCII_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)


def word_shape(word: str) -> str:
    """Character classes with repeats collapsed: "Bush" -> "Xx", "U.N." -> "X.X.", "F-16" -> "X-d"."""
    if word.isascii():  # the common case: the classes by one translate, each run kept once by groupby
        # (a fifth of the cost of re.sub(r"(.)\1+", r"\1"), which expands its template at every run)
        return "".join(map(_FIRST, groupby(word.translate(_ASCII_SHAPE))))
    out: list[str] = []
    last = ""
    for char in word:
        if char.isupper():
            kind = "X"
        elif char.islower():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if kind != last:
            out.append(kind)
            last = kind
    return "".join(out)


@dataclass(frozen=True)
class Lexicon:
    """The cue lists as the feature extractor asks about them."""

    first_names: frozenset[str]
    titles: frozenset[str]
    org_heads: frozenset[str]
    org_tails: frozenset[str]
    acronyms: frozenset[str]
    said_verbs: frozenset[str]
    function_words: frozenset[str]
    calendar: frozenset[str]
    skippable: frozenset[str]  # function and calendar words
    places: frozenset[str] = frozenset()  # one-word country, capital and city names, demonyms


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return lexicon_from(load_cues(), place_words())


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The one-word places of the countries gazetteer, lowercase ("iraq", "baghdad", "iraqi")."""
    return frozenset(
        surface.lower() for surface, entry in gazetteer().entries.items() if entry.code and " " not in surface
    )


def lexicon_from(cues: EntityCues, places: frozenset[str] = frozenset()) -> Lexicon:
    titles = set(cues.titles) | cues.title_words | {abbrev + "." for abbrev in cues.abbreviated_titles}
    return Lexicon(
        first_names=cues.first_names,
        titles=frozenset(titles),
        org_heads=frozenset(word.lower() for word in cues.org_heads),
        org_tails=frozenset(word.lower().rstrip(".") for word in cues.org_tails),
        acronyms=cues.acronyms,
        said_verbs=cues.said_verbs,
        function_words=cues.function_words,
        calendar=cues.calendar,
        skippable=cues.function_words | cues.calendar,
        places=places,
    )


# Between two sentences of an article's word list: two end markers, then two start markers, so a
# word's neighbours two either side never reach into the next sentence.
_BEFORE = ("<s>", "<s>")
_BETWEEN = ("</s>", "</s>", "<s>", "<s>")


@dataclass(slots=True)
class ArticleWords:
    """An article's words as one list, each sentence between markers, and which of them are candidates.

    Working on the whole article at once (rather than sentence by sentence) keeps the Python work
    per word small: most steps are one C-level pass over the list.
    """

    words: list[str]  # "<s>", "<s>", sentence 1, "</s>", "</s>", "<s>", "<s>", sentence 2, ...
    lowers: list[str]  # the same in lowercase
    firsts: list[int]  # the list position of each sentence's first word
    flags: list[bool]  # whether each word is a candidate (markers never are)
    positions: list[int]  # the candidates' positions
    loud: list[bool]  # per sentence: headline-style capitals
    pronoun: dict[str, str] | None = None  # _pronouns(), kept once the features have read it

    def sentence_of(self, position: int) -> int:
        """The number of the sentence the word at `position` belongs to."""
        return bisect_right(self.firsts, position) - 1


def article_words(sentences: Sequence[Sequence[str]], lex: Lexicon) -> ArticleWords:
    """Join the sentences' words with markers and mark the candidates (see candidates())."""
    words: list[str] = list(_BEFORE)
    firsts: list[int] = []
    for sentence in sentences:
        firsts.append(len(words))
        words += sentence
        words += _BETWEEN
    joined = " ".join(words)  # words hold no spaces
    lowers = joined.lower().split(" ")  # one C-level pass instead of one call per word
    if len(lowers) != len(words):  # a word with a space in it (not from our word cutter)
        lowers = list(map(str.lower, words))
    # Only a sentence with two or more words in capitals can be loud.
    loud = [False] * len(sentences)
    shouted = [p for p in compress(range(len(words)), map(str.isupper, words)) if len(words[p]) > 1]
    if len(shouted) > 1:
        counts = Counter(bisect_right(firsts, p) - 1 for p in shouted)
        for number, count in counts.items():
            if count > 1:
                loud[number] = loud_sentence(sentences[number])
    flags = _candidate_flags(words, lowers, joined, lex)
    return ArticleWords(words, lowers, firsts, flags, list(compress(range(len(words)), flags)), loud)


def candidates(words: Sequence[str], lex: Lexicon) -> list[bool]:
    """Which words of one sentence the tagger labels: capitalised words and what joins them.

    A Title-case function or calendar word next to no other capitalised word ("The", "But",
    "Monday") is left out: it is never part of a name, and skipping it saves the features. In
    capitals it may be an acronym ("WHO", "IT"), so it stays.
    """
    return article_words([words], lex).flags[2:-4]


def _candidate_flags(words: list[str], lowers: list[str], joined: str, lex: Lexicon) -> list[bool]:
    # One C-level pass marks the capitalised words; the rules below then look only at those (and
    # at the rare particle names), not at every word. The markers around each sentence are never
    # capitalised, so no rule needs a sentence edge.
    flags = list(map(str.isupper, map(_FIRST, words)))
    for mark in _marks_before_capitals(joined):
        # A particle name ("al-Qaida", "bin-Laden"): the mark right after a particle at a word start.
        start = joined.rfind(" ", 0, mark) + 1
        if joined[start:mark] in _PARTICLES:
            end = joined.find(" ", mark)
            particle = joined[start:end]
            for index in compress(range(len(words)), map(particle.__eq__, words)):
                flags[index] = True
    capitalised = list(compress(range(len(words)), flags))
    # Only the capitalised words that are function or calendar words ("The", "Monday") need a look,
    # and only those followed by a connector can join one: picked by C-level passes, since the
    # Python steps below cost more than the rest of this function together.
    skippable = compress(capitalised, map(lex.skippable.__contains__, map(lowers.__getitem__, capitalised)))
    following = words[1:]  # following[index] is the word after words[index]
    before_connector = list(
        compress(capitalised, map(CONNECTORS.__contains__, map(following.__getitem__, capitalised)))
    )
    for index in skippable:
        word = words[index]
        if not (len(word) > 1 and word.isupper()) and not (flags[index - 1] or words[index + 1][0].isupper()):
            flags[index] = False
    for index in before_connector:
        # "Bank of England", "Department of the Interior": a connector between capitalised words
        # (then the next connector may follow the one just joined: "of the"). A capitalised word
        # is no connector, so the connectors flagged here never change which words were picked.
        position = index + 1
        while flags[position - 1] and words[position] in CONNECTORS:
            nxt = position + 1
            if words[nxt] == "the":
                nxt += 1
            if not words[nxt][0].isupper():
                break
            flags[position] = True
            position += 1
    return flags


_QUOTES = frozenset({'"', "'", "“", "‘", "(", "-", ":", "--", "``", "—", "–"})
# A word after one of these starts its sentence (or a quotation): capitalised for that reason alone.
_OPENERS = _QUOTES | {"<s>"}


def loud_sentence(words: Sequence[str]) -> bool:
    """Headline-style: mostly ALL CAPS words (a wire headline, a dateline, a shouted table)."""
    upper = [word for word in filter(str.isupper, words) if len(word) > 1]
    if len(upper) < 2:
        return False
    letters = [word for word in words if word[0].isalpha()]
    return len(letters) >= 3 and len(upper) * 2 > len(letters)


@lru_cache(maxsize=1 << 16)
def word_features(word: str, loud: bool) -> tuple[str, ...]:
    """Features of the word alone (cached: names repeat within and across articles).

    Always starts with the bias, the word and its shape, which the tag-history features reuse.
    """
    lex = lexicon()
    lower = word.lower()
    shape = "LOUD" if loud and word.isupper() and len(word) > 1 else word_shape(word)
    feats = ["b", "w=" + lower, "s=" + shape, "x3=" + lower[-3:], "x4=" + lower[-4:], "p3=" + lower[:3]]
    if lower in lex.first_names:
        feats.append("gaz=first")
    if lower in lex.titles:
        feats.append("gaz=title")
    if lower in lex.org_heads:
        feats.append("gaz=orghead")
    if lower.rstrip(".") in lex.org_tails:
        feats.append("gaz=orgtail")
    if word in lex.acronyms:
        feats.append("gaz=acronym")
    if lower in lex.function_words:
        feats.append("gaz=function")
    if lower in lex.calendar:
        feats.append("gaz=calendar")
    if lower in common_words():
        feats.append("gaz=common")
    if loud:
        feats.append("loud|s=" + shape)
    return tuple(feats)


_COMMON: frozenset[str] = frozenset()


def common_words() -> frozenset[str]:
    """English words seen in lowercase often in the training text (shipped inside the model file)."""
    return _COMMON


def set_common_words(words: frozenset[str]) -> None:
    """Install the model's common-word list (called by the model loader and the trainer)."""
    global _COMMON
    if words is not _COMMON:
        _COMMON = words
        word_features.cache_clear()


@dataclass(slots=True)
class CandidateFeatures:
    """The features of an article's candidate words, all in one flat list.

    Candidate number i sits at `positions[i]` in the article's word list; its features are
    `flat[offsets[i]:offsets[i + 1]]`, starting with the word's own (bias, word, shape, ...; see
    word_features) and followed by those of its context. One flat list lets the model look all of
    them up in one pass.
    """

    positions: list[int]
    flat: list[str]
    offsets: list[int]  # one more than positions: the end of the last candidate's features

    def of(self, number: int) -> list[str]:
        return self.flat[self.offsets[number] : self.offsets[number + 1]]


_CAP_FEATURES = (("cap=00", "cap=01"), ("cap=10", "cap=11"))


@dataclass(slots=True)
class _Context:
    """What every candidate's context features read: shared by the string and the row extractor."""

    positions: list[int]
    lowers: list[str]
    loud_at: list[bool]
    lowercase: set[str]  # words the article writes in lowercase
    inside: set[str]  # words it capitalises where no sentence start explains it
    later: set[str]  # words it writes after another capitalised word of a name ("Gardner" in "Cory Gardner")
    pronoun: dict[str, str]  # a name word's pronoun after it in the article: "it" or "he" (see _pronouns)


# Pronouns after a name: a company or party is "it"/"its", a person "he"/"his"/"she"/"her".
_IT_WORDS = frozenset({"it", "its", "itself"})
_HE_WORDS = frozenset({"he", "his", "him", "himself", "she", "her", "herself"})
_PRONOUNS = _IT_WORDS | _HE_WORDS
_STOP_BACK = _PRONOUNS | {"<s>", "</s>"}
# How far after a name its pronoun may be (words), with no other name between.
_PRONOUN_REACH = 8


def _pronouns(article: ArticleWords) -> dict[str, str]:
    """Which pronoun the article uses after each name word that ends a name: "it" or "he".

    "Tesco said it would sell", "Tesco stated its intention" against "Gardner said he": each mention
    of the word that ends a name votes with the first pronoun within a few words after it, when no
    other name and no sentence end come first; the article's majority decides (a tie says nothing).
    Worked from the pronouns back (an article has fewer pronouns than name words): a pronoun is the
    first after the nearest name word before it, unless another pronoun or a sentence edge is between.
    """
    lowers, flags, positions = article.lowers, article.flags, article.positions
    votes: dict[str, int] = {}
    stops = _STOP_BACK.isdisjoint
    for mark in compress(range(len(lowers)), map(_PRONOUNS.__contains__, lowers)):
        if flags[mark] and flags[mark - 1]:
            continue  # inside a name ("It" in a capitalised run): no pronoun
        # The nearest candidate before the pronoun (a bisection of the candidates' positions, not
        # a walk back word by word), within reach and with no pronoun or sentence edge between.
        nearest = bisect_left(positions, mark) - 1
        if nearest < 0:
            continue
        p = positions[nearest]
        if p > max(mark - 1 - _PRONOUN_REACH, 0) and stops(lowers[p + 1 : mark]):
            word = lowers[p]
            votes[word] = votes.get(word, 0) + (1 if lowers[mark] in _IT_WORDS else -1)
    return {word: "it" if vote > 0 else "he" for word, vote in votes.items() if vote}


def _context(article: ArticleWords) -> _Context:
    words, lowers, positions = article.words, article.lowers, article.positions
    if any(article.loud):
        loud_at = [False, False]
        for sentence, shouting in enumerate(article.loud):
            end = article.firsts[sentence + 1] if sentence + 1 < len(article.firsts) else len(words)
            loud_at += [shouting] * (end - len(loud_at))
    else:
        loud_at = [False] * len(words)
    # The words the article writes in lowercase: a candidate is capitalised, so its lowercase
    # form is among the article's words only where the article writes it in lowercase.
    lowercase = set(words)
    inside = {lowers[p] for p in positions if words[p - 1] not in _OPENERS and not loud_at[p]}
    flags = article.flags
    later = {lowers[p] for p in positions if flags[p - 1] and words[p - 1][:1].isupper()}
    if article.pronoun is None:
        article.pronoun = _pronouns(article)
    return _Context(positions, lowers, loud_at, lowercase, inside, later, article.pronoun)


def article_features(article: ArticleWords, lex: Lexicon) -> CandidateFeatures:
    """The features of each candidate word of the article, in order.

    How the article uses a word elsewhere is part of them: written in lowercase somewhere
    ("lowdoc"), or capitalised where no sentence start explains it ("capinside"). The previous
    tag's features are added while decoding, since they depend on the model's choice.
    article_rows() is the same as row numbers of a model; a test holds the two equal.
    """
    words, flags = article.words, article.flags
    context = _context(article)
    lowers, loud_at, lowercase, inside = context.lowers, context.loud_at, context.lowercase, context.inside
    later, pronoun, places = context.later, context.pronoun, lex.places
    titles, said = lex.titles, lex.said_verbs
    flat: list[str] = []
    offsets: list[int] = []
    for p in context.positions:
        offsets.append(len(flat))
        word = words[p]
        loud = loud_at[p]
        lower = lowers[p]
        prev = lowers[p - 1]
        nxt = lowers[p + 1]
        nxt2 = lowers[p + 2]
        first = words[p - 1] in _OPENERS
        flat += word_features(word, loud)
        flat += (
            "pw=" + prev,
            "nw=" + nxt,
            "pw2=" + lowers[p - 2],
            "nw2=" + nxt2,
            "pw|w=" + prev + "|" + lower,
            "w|nw=" + lower + "|" + nxt,
            _CAP_FEATURES[flags[p - 1]][flags[p + 1]],
        )
        if first:
            flat += ("first", "first|w=" + lower)
        if loud:
            flat.append("loud")
        if not word[:1].isupper():
            flat.append("lowconn")
        elif lower in lowercase:
            flat.append("lowdoc|first" if first else "lowdoc")
        elif first or loud:
            flat.append("capinside" if lower in inside else "capnowhere")
        if prev in titles:
            flat.append("prev=title")
        said_next = nxt in said or (nxt2 in said and nxt in ("'s", "’s"))
        if said_next:
            flat.append("next=said")
        if nxt[:1].isdigit():
            flat.append("next=number")
        if prev[:1].isdigit():
            flat.append("prev=number")
        if not flags[p - 1] and not flags[p + 1] and lower not in later:
            # A one-word name the article never writes after another name word: no surname.
            # Places are split off: they are most of GMB's lone words ("Iraq said").
            if lower in places:
                flat.append("soloplace")
            else:
                flat.append("solo|said" if said_next else "solo")
        if lower in pronoun:
            flat.append("pro=" + pronoun[lower])
    offsets.append(len(flat))
    return CandidateFeatures(context.positions, flat, offsets)


def feature_runs(index: Mapping[str, int], prefixes: Sequence[str]) -> dict[str, tuple[list[str], list[int]]]:
    """{prefix: (features, rows)} of the features that start with each prefix, in the index's order.

    A model's features are sorted (TaggerModel.from_weights sorts them and the file keeps that
    order), so the features of a prefix are one run, found by bisection: a model load then costs
    a few slices instead of a loop over every feature. An index in any other order is scanned.
    """
    keys = list(index)
    rows = list(index.values())
    runs: dict[str, tuple[list[str], list[int]]] = {}
    if keys == sorted(keys):
        for prefix in prefixes:
            # Every string from `prefix` up to (not including) the prefix with its last character
            # bumped by one starts with `prefix`, and no other string lies between the two.
            lo = bisect_left(keys, prefix)
            hi = bisect_left(keys, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo) if prefix else len(keys)
            runs[prefix] = (keys[lo:hi], rows[lo:hi])
        return runs
    for prefix in prefixes:
        picked = [(key, row) for key, row in zip(keys, rows, strict=True) if key.startswith(prefix)]
        runs[prefix] = ([key for key, _ in picked], [row for _, row in picked])
    return runs


class FeatureRows:
    """A model's row number of each context feature, one table per feature template.

    article_rows() reads the rows of "pw=the" as prev["the"]: no feature string is built for the
    lookup, and the constant features ("cap=01", "first", ...) are looked up once, here. The
    word-pair templates are read with the pair joined, prev_word["the|bank"] for "pw|w=the|bank".
    Unknown features are row 0 (zeros).
    """

    TEMPLATES = ("pw", "nw", "pw2", "nw2", "pw|w", "w|nw", "first|w")

    def __init__(self, index: Mapping[str, int]) -> None:
        runs = feature_runs(index, [template + "=" for template in self.TEMPLATES])
        templates: dict[str, dict[str, int]] = {}
        for template in self.TEMPLATES:
            features, rows = runs[template + "="]
            cut = len(template) + 1
            templates[template] = dict(zip([feature[cut:] for feature in features], rows, strict=True))
        self.prev = templates["pw"]
        self.next = templates["nw"]
        self.prev2 = templates["pw2"]
        self.next2 = templates["nw2"]
        self.prev_word = templates["pw|w"]
        self.word_next = templates["w|nw"]
        self.first_word = templates["first|w"]
        self.caps = tuple(tuple(index.get(name, 0) for name in pair) for pair in _CAP_FEATURES)
        constant = {
            name: index.get(name, 0)
            for name in (
                "first",
                "loud",
                "lowconn",
                "lowdoc|first",
                "lowdoc",
                "capinside",
                "capnowhere",
                "prev=title",
                "next=said",
                "next=number",
                "prev=number",
                "solo",
                "solo|said",
                "soloplace",
                "pro=it",
                "pro=he",
            )
        }
        self.constant = constant


@dataclass(slots=True)
class CandidateRows:
    """article_features() as row numbers: each candidate's word (its own features are the model's to
    cache) and the rows of its context features, flat as in CandidateFeatures."""

    positions: list[int]
    loud: list[bool]
    rows: list[int]
    offsets: list[int]


def article_rows(article: ArticleWords, lex: Lexicon, table: FeatureRows) -> CandidateRows:
    """The rows of each candidate's context features: article_features() without the strings."""
    words, flags = article.words, article.flags
    context = _context(article)
    lowers, loud_at, lowercase, inside = context.lowers, context.loud_at, context.lowercase, context.inside
    later, pronoun, places = context.later, context.pronoun, lex.places
    titles, said = lex.titles, lex.said_verbs
    prev_of, next_of, prev2_of, next2_of = table.prev.get, table.next.get, table.prev2.get, table.next2.get
    prev_word_of, word_next_of, first_word_of = table.prev_word.get, table.word_next.get, table.first_word.get
    caps = table.caps
    constant = table.constant
    first_row, loud_row, lowconn = constant["first"], constant["loud"], constant["lowconn"]
    lowdoc_first, lowdoc = constant["lowdoc|first"], constant["lowdoc"]
    capinside, capnowhere = constant["capinside"], constant["capnowhere"]
    prev_title, next_said = constant["prev=title"], constant["next=said"]
    next_number, prev_number = constant["next=number"], constant["prev=number"]
    solo, solo_said, solo_place = constant["solo"], constant["solo|said"], constant["soloplace"]
    pronoun_row = {"it": constant["pro=it"], "he": constant["pro=he"]}
    rows: list[int] = []
    offsets: list[int] = []
    louds = list(map(loud_at.__getitem__, context.positions))
    for p, loud in zip(context.positions, louds, strict=True):
        offsets.append(len(rows))
        word = words[p]
        lower = lowers[p]
        prev = lowers[p - 1]
        nxt = lowers[p + 1]
        nxt2 = lowers[p + 2]
        first = words[p - 1] in _OPENERS
        rows += (
            prev_of(prev, 0),
            next_of(nxt, 0),
            prev2_of(lowers[p - 2], 0),
            next2_of(nxt2, 0),
            prev_word_of(prev + "|" + lower, 0),
            word_next_of(lower + "|" + nxt, 0),
            caps[flags[p - 1]][flags[p + 1]],
        )
        if first:
            rows += (first_row, first_word_of(lower, 0))
        if loud:
            rows.append(loud_row)
        if not word[:1].isupper():
            rows.append(lowconn)
        elif lower in lowercase:
            rows.append(lowdoc_first if first else lowdoc)
        elif first or loud:
            rows.append(capinside if lower in inside else capnowhere)
        if prev in titles:
            rows.append(prev_title)
        said_next = nxt in said or (nxt2 in said and nxt in ("'s", "’s"))
        if said_next:
            rows.append(next_said)
        if nxt[:1].isdigit():
            rows.append(next_number)
        if prev[:1].isdigit():
            rows.append(prev_number)
        if not flags[p - 1] and not flags[p + 1] and lower not in later:
            if lower in places:
                rows.append(solo_place)
            else:
                rows.append(solo_said if said_next else solo)
        if lower in pronoun:
            rows.append(pronoun_row[pronoun[lower]])
    offsets.append(len(rows))
    return CandidateRows(context.positions, louds, rows, offsets)
