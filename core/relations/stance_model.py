"""A learned second opinion on the event coder's stance: two small logistic models over the sentence.

The event coder (core.relations.event_coder) decides a pair's event from the main predicate and
its operators; when it finds no event word it leaves the pair neutral, and on new copy its
polarity is wrong about one time in four. This component reads the same sentence as a bag of
evidence — the coder's own answer and rule, the cue lexicon's hits (data/relation_cues.toml), the
QuadClass of every PETRARCH verb and event noun in it, and its content words — and scores it with
two logistic models trained by benchmarks/train_stance.py on the labelled relation sentences
(weights in data/stance_model.json.gz, card in data/STANCE_MODEL.md):

- `event`: does the sentence report an event between the two countries at all?
- `conflict`: given an event, is it conflict rather than cooperation?

`judge` turns the two probabilities and the coder's answer into the pair's stance (the policy is
in its docstring) and keeps the features that weighed most, so a reader sees why ("stance model:
conflict 0.84 (row, against, lex: verbal_conflict; coder said Consult; event 0.71)"). Read once per
worker process.
"""

from __future__ import annotations

import bisect
import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.paths import data_dir
from core.relations.cameo import quad_of
from core.relations.event_coder import PairEvent, Rules, Token
from core.relations.stance import Lexicon, find_cues
from core.text.stem import stem

MODEL_FILE = "stance_model.json.gz"
# The file's layout and the features it was trained on (3: event_rules verb classes, words around
# each country, the sentence's classes conjoined with the coder's answer; 4: no country's name
# after a negator either, and the coder's [statements] answers; 5: "cannot", "neither", "nor"
# negate too).
FORMAT = 5
MODEL_RULE = "stance model"  # how every rule text of a model decision starts

# Function words carry no stance; leaving them out keeps the vocabulary (and the model) small.
_STOP = frozenset(
    """the a an of to in and or for on at by with from as is are was were be been being that this these
    those it its their his her he she they them we our you your has have had will would could should
    said says say saying told also but into over about after before than which who whom whose
    there here what when where while more most other some such only very can may might must do does
    did mr mrs ms per""".split()
)
# Words that negate what follows them ("has not threatened", "never attacked"): the words they reach
# become `neg:` features, so "not threatened" does not read as "threatened".
_NEGATORS = frozenset("not never no without cannot neither nor".split())
_NEGATION_REACH = 3
# Feature kinds that are words of the sentence, shown to the reader as the cues of a model decision.
_WORD_KINDS = frozenset({"w", "mid", "near", "cue", "neg"})
# The two countries stand too far apart for the words between them to be read.
_FAR_APART = "mid:far"
_AROUND = 3  # words read either side of each country mention ("near:" features)
# Class features conjoined with the coder's answer ("lex:verbal_conflict|coder=verbal_cooperation").
_CLASS_KINDS = ("lex:", "verb:", "noun:", "object:", "rule_verb:")


@dataclass(frozen=True)
class SentenceEvidence:
    """What the stance model reads of one sentence, whatever the pair: computed once per sentence."""

    features: tuple[str, ...]
    # The cue lexicon's hits: (label, effective QuadClass), in order (the quad of a model decision).
    cues: tuple[tuple[str, str], ...]
    words: tuple[str, ...] = ()  # the coder's lower-cased tokens
    # ISO code -> (first token, last token, locative) of each of its mentions.
    places: Mapping[str, tuple[tuple[int, int, bool], ...]] = field(default_factory=dict)
    named: frozenset[int] = frozenset()  # tokens of country mentions: never word features
    # A negator governs a conflict word ("did not attack"): the coder reads that as no event, and
    # the model may not fill it in (`may_fill`).
    negated_conflict: bool = False


def sentence_evidence(
    tokens: Sequence[Token],
    text: str,
    rules: Rules,
    spans: Sequence[tuple[int, int, str, bool]] = (),
    lexicon: Lexicon | None = None,
) -> SentenceEvidence:
    """The pair-independent features of a sentence: lexicon cues, dictionary classes, content words.

    `tokens` are the coder's tokens of `text` (core.relations.event_coder.tokenize); `spans` the
    country mentions as (start, end, ISO code, locative) offsets into `text`.
    """
    words = tuple(t.lower for t in tokens)
    starts = [t.start for t in tokens]
    places: dict[str, list[tuple[int, int, bool]]] = {}
    for start, end, code, locative in spans:
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last = max(first, bisect.bisect_left(starts, end) - 1)
        places.setdefault(code, []).append((first, last, locative))
    # The countries' own names are not evidence: the model judges what the sentence says, not who
    # is in it ("Iran" would otherwise lean every sentence naming it towards conflict).
    named = {i for found in places.values() for first, last, _ in found for i in range(first, last + 1)}
    negated: set[int] = set()  # tokens within a negator's reach
    features: list[str] = []
    cues = tuple((cue.label, cue.effective_quad) for cue in find_cues(text, lexicon))
    features.extend(f"lex:{quad}" for _, quad in cues)
    conflict_words: set[int] = set()  # tokens whose event class (as the coder reads it) is conflict
    for at, word in enumerate(words):
        entries = rules.verbs.forms.get(word)
        verb_quad = ""
        if entries:
            code = entries[0].code or entries[0].block.code
            if code:
                verb_quad = quad_of(code[:2])
                features.append(f"verb:{verb_quad}")
        override = rules.verb_codes.get((word,))
        if override:
            # newsdesk's own verb table (data/event_rules.toml) overrules PETRARCH's where it speaks.
            verb_quad = "none" if override == "---" else quad_of(override[:2])
            features.append(f"rule_verb:{verb_quad}")
        noun = rules.nouns.get(word)
        if noun:
            features.append(f"noun:{quad_of(noun[:2])}")
        if verb_quad.endswith("conflict") or (noun and quad_of(noun[:2]).endswith("conflict")):
            conflict_words.add(at)
        polarity = rules.object_polarity.get(word)
        if polarity:
            features.append(f"object:{polarity}")
        if word.isalpha() and word not in _STOP and at not in named:
            features.append(f"w:{stem(word)}")
        if word in _NEGATORS or word.endswith(("n't", "n’t")):
            reached = range(at + 1, min(len(words), at + 1 + _NEGATION_REACH))
            negated.update(reached)
            features.extend(
                f"neg:{stem(words[k])}"
                for k in reached
                if words[k].isalpha() and words[k] not in _STOP and k not in named
            )
    return SentenceEvidence(
        tuple(features),
        cues,
        words,
        {code: tuple(sorted(found)) for code, found in places.items()},
        frozenset(named),
        bool(negated & conflict_words),
    )


def _pair_place_features(evidence: SentenceEvidence, code_a: str, code_b: str) -> list[str]:
    """Where the two countries stand: the word before each, the content words around each and between
    them (never a country's own name)."""
    words, named = evidence.words, evidence.named

    def content(at: int) -> bool:
        return at not in named and words[at].isalpha() and words[at] not in _STOP

    a, b = evidence.places.get(code_a, ()), evidence.places.get(code_b, ())
    if not a or not b:
        return []
    # How many of the two are named as actors somewhere (not only as places): 0, 1 or 2.
    features = [f"actors:{any(not m[2] for m in a) + any(not m[2] for m in b)}"]
    for first, last, locative in (*a, *b):
        before = words[first - 1] if first > 0 else "^"
        features.append(f"before:{before}|{'place' if locative else 'actor'}")
        around = (
            *range(max(0, first - _AROUND), first),
            *range(last + 1, min(len(words), last + 1 + _AROUND)),
        )
        features.extend(f"near:{stem(words[at])}" for at in around if content(at))
    # The nearest two mentions: what lies between them says what one does to the other.
    gap, left, right = min(
        (max(x[0], y[0]) - min(x[1], y[1]), min(x[1], y[1]), max(x[0], y[0])) for x in a for y in b
    )
    if gap <= 15:
        features.extend(f"mid:{stem(words[at])}" for at in range(left + 1, right) if content(at))
    else:
        features.append(_FAR_APART)
    return features


def rule_kind(rule: str) -> str:
    """The family of a coder rule ("PETRARCH", "event_rules", "venue", "reject", "nearest", ...)."""
    head = rule.split(":", 1)[0].split(" [", 1)[0]
    return head.split(" ", 1)[0].lower() if head else "none"


def pair_features(
    evidence: SentenceEvidence, coded: PairEvent, code_a: str = "", code_b: str = ""
) -> list[str]:
    """The features of one pair: the coder's answer and rule, where the two stand, the sentence's evidence."""
    quad = coded.quad if coded.event else "venue" if coded.venue else "neutral"
    kind = rule_kind(coded.rule)
    features = ["bias", f"coder:{quad}", f"rule:{kind}", f"rule:{kind}|{quad}"]
    if coded.event:
        features.append(f"root:{coded.event}")
    if coded.guess:
        features.append(f"guess:{coded.guess}|{quad}")
    features.extend(f"cue:{cue.lower()}" for cue in coded.cues if "→" not in cue)
    features.extend(_pair_place_features(evidence, code_a, code_b))
    features.extend(evidence.features)
    # The sentence's classes beside the coder's answer: "the coder read cooperation, the lexicon
    # conflict" weighs otherwise than either alone.
    answered = coded.quad if coded.event else "none"
    features.extend(f"{f}|coder={answered}" for f in evidence.features if f.startswith(_CLASS_KINDS))
    return features


@dataclass(frozen=True)
class LogisticModel:
    """One weight per feature: the probability is the logistic of the weights of the features present."""

    weights: Mapping[str, float]

    def logit(self, features: Iterable[str]) -> float:
        get = self.weights.get
        return sum(get(feature, 0.0) for feature in features)

    def probability(self, features: Iterable[str]) -> float:
        return _sigmoid(self.logit(features))

    def strongest(self, features: Iterable[str], sign: int, count: int = 3) -> list[str]:
        """The features that pushed the logit furthest towards `sign` (+1 or -1), strongest first."""
        totals: dict[str, float] = {}
        for feature in features:
            weight = self.weights.get(feature, 0.0) * sign
            if weight > 0 and feature != "bias":
                totals[feature] = totals.get(feature, 0.0) + weight
        return sorted(totals, key=lambda f: (-totals[f], f))[:count]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(frozen=True)
class Thresholds:
    """The policy's thresholds (see `decide`), chosen by cross-validation and stored with the weights."""

    fill: float  # a pair the coder left neutral takes the model's stance above this P(event)
    flip: float  # a coded polarity is overruled when the model gives the other one at least this
    venue: float = 1.01  # a venue pair ("U.S. forces in Afghanistan say ...") above this P(event)
    margin: float = 0.0  # a filled-in stance needs P(conflict) at least this far from 0.5
    clear: float = 0.0  # a coded pair loses its stance below this P(event): no event between them


@dataclass(frozen=True)
class StanceModel:
    event: LogisticModel  # P(the sentence reports an event between the pair)
    conflict: LogisticModel  # P(conflict | an event)
    thresholds: Thresholds
    trained_on: str = ""


@dataclass(frozen=True)
class Judgement:
    """The model's verdict on one pair that overrules, fills in or takes off the coder's stance: the
    stance it gives and why."""

    stance: str  # "cooperation" | "conflict", or "neutral" when the model takes a coded stance off
    quad: str  # the QuadClass shown for a model decision (from the lexicon's cues of that polarity)
    p_event: float
    p_conflict: float
    reasons: tuple[str, ...]  # the features that weighed most, shown to the reader

    @property
    def words(self) -> tuple[str, ...]:
        """The reasons that are words of the sentence, as a reader sees them (the decision's cues)."""
        return tuple(
            shown_feature(r) for r in self.reasons if r.partition(":")[0] in _WORD_KINDS and r != _FAR_APART
        )

    def rule(self, coded: PairEvent) -> str:
        """The rule text of a model decision (what --explain and the evidence screen show)."""
        shown = ", ".join(shown_feature(r) for r in self.reasons)
        why = [shown] if shown else []  # no feature may have pushed that way (the bias alone)
        why.append(f"coder said {coded.event_name or 'no event'}")
        if self.stance == "neutral":
            return f"{MODEL_RULE}: no event {1.0 - self.p_event:.2f} ({'; '.join(why)})"
        p = self.p_conflict if self.stance == "conflict" else 1.0 - self.p_conflict
        why.append(f"event {self.p_event:.2f}")
        return f"{MODEL_RULE}: {self.stance} {p:.2f} ({'; '.join(why)})"


def shown_feature(feature: str) -> str:
    """A feature as a reader reads it: "w:row" -> "row", "lex:verbal_conflict" -> "lex: verbal_conflict"."""
    kind, _, value = feature.partition(":")
    if feature == _FAR_APART:
        return "the two far apart"
    if kind == "neg":
        return f"not {value}"
    if "|coder=" in value:
        value, _, answered = value.partition("|coder=")
        return f"{kind}: {value} where the coder read {answered}"
    return value if kind in _WORD_KINDS else f"{kind}: {value}"


def may_fill(evidence: SentenceEvidence, only_pair: bool) -> bool:
    """May the model give a stance to a pair the coder left neutral? Only when it is the sentence's
    only pair (with three countries or more the coder's reading of which pair the event links
    stands: the model reads the sentence, not the pair, and "Washington worried over Baghdad's ties
    with Moscow" would give Russia and the US the ties) and the sentence negates no conflict word
    (the coder reads "did not attack" as no event, as the issue's operators say)."""
    return only_pair and not evidence.negated_conflict


def decide(
    thresholds: Thresholds, coded: PairEvent, p_event: float, p_conflict: float, fillable: bool
) -> str | None:
    """The stance the model gives a coded pair, or None when the coder's answer stands.

    A pair the coder left neutral takes the model's polarity when it is `fillable` (`may_fill`),
    P(event) > `fill` (`venue` for a pair the coder took one country of for a mere place) and
    P(conflict) is at least `margin` from 0.5. A pair the coder gave an event keeps it unless the
    model gives the other polarity at least `flip`, or loses its stance ("neutral") when P(event)
    is below `clear`: the coder took an event word for one between the two, and the model is sure
    the sentence reports none.
    """
    stance = "conflict" if p_conflict >= 0.5 else "cooperation"
    if coded.event is not None and p_event < thresholds.clear:
        return "neutral"
    if coded.event is None:
        needed = thresholds.venue if coded.venue else thresholds.fill
        if not fillable or p_event <= needed or abs(p_conflict - 0.5) < thresholds.margin:
            return None
        return stance
    confident = p_conflict if stance == "conflict" else 1.0 - p_conflict
    return stance if stance != coded.stance and confident >= thresholds.flip else None


def reads(coded: PairEvent, only_pair: bool) -> bool:
    """Can the model change this pair at all? A pair the coder left neutral beside a third country
    stays as it is (`may_fill`), so its sentence need not be read for it."""
    return coded.event is not None or only_pair


def judge(
    model: StanceModel,
    evidence: SentenceEvidence,
    coded: PairEvent,
    code_a: str = "",
    code_b: str = "",
    only_pair: bool = True,
) -> Judgement | None:
    """The model's verdict on a coded pair (policy: `decide`), or None when the coder's answer stands."""
    if not reads(coded, only_pair):
        return None
    features = pair_features(evidence, coded, code_a, code_b)
    p_event = model.event.probability(features)
    p_conflict = model.conflict.probability(features)
    stance = decide(model.thresholds, coded, p_event, p_conflict, may_fill(evidence, only_pair))
    if stance is None:
        return None
    if stance == "neutral":
        # What weighed against an event between them ("the two far apart", "warning", ...).
        reasons = tuple(model.event.strongest(features, -1))
        return Judgement(stance, "neutral", round(p_event, 4), round(p_conflict, 4), reasons)
    reasons = tuple(model.conflict.strongest(features, 1 if stance == "conflict" else -1))
    quads = [quad for _, quad in evidence.cues if quad.endswith(stance)]
    # The commonest class of the lexicon's cues of that polarity; a tie goes to the first one found.
    quad = Counter(quads).most_common(1)[0][0] if quads else f"verbal_{stance}"
    return Judgement(stance, quad, round(p_event, 4), round(p_conflict, 4), reasons)


def model_from_json(data: Mapping[str, Any], source: str = "stance model") -> StanceModel:
    """A StanceModel from its JSON form; ValueError naming `source` when a field is missing or wrong."""
    try:
        if data["format"] != FORMAT:
            raise ValueError(f"format {data['format']!r}, expected {FORMAT}")
        return StanceModel(
            event=LogisticModel({str(k): float(v) for k, v in data["event"].items()}),
            conflict=LogisticModel({str(k): float(v) for k, v in data["conflict"].items()}),
            thresholds=Thresholds(**{k: float(v) for k, v in data["thresholds"].items()}),
            trained_on=str(data.get("trained_on", "")),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ValueError(f"{source}: not a stance model ({error})") from error


def model_to_json(model: StanceModel) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "trained_on": model.trained_on,
        "thresholds": asdict(model.thresholds),
        "event": dict(sorted(model.event.weights.items())),
        "conflict": dict(sorted(model.conflict.weights.items())),
    }


def read_stance_model(path: Path) -> StanceModel:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return model_from_json(json.load(handle), str(path))


@lru_cache(maxsize=1)
def load_stance_model() -> StanceModel:
    """The shipped model (data/stance_model.json.gz), read once per process."""
    return read_stance_model(data_dir() / MODEL_FILE)
