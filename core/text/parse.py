"""Dependency parse (UD relations) of the few sentences the relations stage reads.

A greedy arc-standard transition parser (Nivre 2004) scored by an averaged perceptron, trained by
benchmarks/train_parser.py on UD English EWT and shipped in data/parse_model.gz (see
data/PARSE_MODEL.md). Like the tagger (core.text.pos) it reads the tokens the event coder cuts
(core.relations.event_coder.tokenize: "Iran's" and "don't" are one token, "U.S." is four) with their
predicted UPOS tags, and was trained on EWT re-cut the same way. Each state's features are strings
looked up once in the model's index, and a state is scored as one sum of weight-matrix rows
(core.entities.model's container and file format); the transitions are the matrix's columns.

Every output is a well-formed tree: each token has one head (0 = the root, else a 1-based token
position), exactly one token hangs from the root, there are no cycles, and arcs do not cross.
Read once per process, on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from core.entities.model import TaggerModel, read_model_parts
from core.paths import data_dir

MODEL_FILE = "parse_model.gz"
SHIFT = "SHIFT"
ROOT_LABEL = "root"
ROOT_WORD = "-ROOT-"
NONE = "-NONE-"

# UD relations the parser predicts: the main types, plus the subtypes the event coder can use
# (passive subject and auxiliary, relative clause, possessor, passive agent, verb particle). Other
# subtypes fold into their main type; the rarest main types (reparandum, orphan, dislocated,
# vocative) into "dep".
KEPT_SUBTYPES = frozenset({"nsubj:pass", "aux:pass", "acl:relcl", "nmod:poss", "obl:agent", "compound:prt"})
FOLDED_TO_DEP = frozenset({"reparandum", "orphan", "dislocated", "vocative", "dep"})


def collapse_label(deprel: str) -> str:
    """The label the parser predicts for a UD deprel ("obl:tmod" -> "obl", "nsubj:pass" kept)."""
    if deprel in KEPT_SUBTYPES:
        return deprel
    main = deprel.split(":", 1)[0]
    return "dep" if main in FOLDED_TO_DEP else main


class State:
    """An arc-standard configuration over tokens 1..n (0 is the artificial root).

    `stack` holds token positions (the root at the bottom), `next` is the first buffer position
    (n + 1 when the buffer is empty). Position n + 1 also stands for "no such token" in features.
    """

    __slots__ = ("heads", "labels", "left", "left_count", "n", "next", "right", "right_count", "stack")

    def __init__(self, n: int) -> None:
        self.n = n
        self.stack = [0]
        self.next = 1
        none = n + 1
        self.heads = [-1] * (n + 2)
        self.labels = [NONE] * (n + 2)
        self.left = [none] * (n + 2)  # leftmost dependent
        self.right = [none] * (n + 2)  # rightmost dependent
        self.left_count = [0] * (n + 2)
        self.right_count = [0] * (n + 2)

    def done(self) -> bool:
        return self.next > self.n and len(self.stack) == 1

    def legal(self) -> tuple[bool, bool, bool]:
        """(shift, left-arc, right-arc) allowed. Only the last arc may hang a token from the root,
        so the tree has exactly one root."""
        depth = len(self.stack)
        buffered = self.next <= self.n
        return (
            buffered,
            depth > 2,
            depth > 2 or (depth == 2 and not buffered),
        )

    def apply(self, action: int, label: str) -> None:
        """0 = shift, 1 = left-arc (second on the stack hangs from the top), 2 = right-arc."""
        if action == 0:
            self.stack.append(self.next)
            self.next += 1
            return
        top = self.stack.pop()
        below = self.stack.pop()
        if action == 1:
            head, dependent = top, below
        else:
            head, dependent = below, top
        self.stack.append(head)
        self.heads[dependent] = head
        self.labels[dependent] = label
        if dependent < head:
            if self.left[head] > dependent:
                self.left[head] = dependent
            self.left_count[head] += 1
        else:
            if self.right[head] == self.n + 1 or self.right[head] < dependent:
                self.right[head] = dependent
            self.right_count[head] += 1


ROLES = ("s0", "s1", "s2", "b0", "b1")  # the top three of the stack, the first two of the buffer


def token_features(role: str, word: str, tag: str) -> tuple[str, ...]:
    """The features of the token in one role (a stack or buffer place), read alone."""
    if role == "s2":
        return (f"s2t={tag}",)
    if role == "b1":
        return (f"b1w={word}", f"b1t={tag}")
    return (f"{role}w={word}", f"{role}t={tag}", f"{role}wt={word}|{tag}")


def positions(state: State) -> tuple[int, int, int, int, int]:
    """The positions in the ROLES of a configuration (n + 1 where there is no such token)."""
    stack = state.stack
    none = state.n + 1
    depth = len(stack)
    b0 = state.next if state.next <= state.n else none
    return (
        stack[-1] if depth else none,
        stack[-2] if depth > 1 else none,
        stack[-3] if depth > 2 else none,
        b0,
        b0 + 1 if b0 + 1 <= state.n else none,
    )


def state_features(words: Sequence[str], tags: Sequence[str], state: State) -> list[str]:
    """The features of a configuration. `words` and `tags` are indexed by position: 0 the root,
    1..n the tokens (lower-cased words), n + 1 the "none" filler (NONE)."""
    at = positions(state)
    s0, s1, s2, b0, b1 = at
    single = [f for role, p in zip(ROLES, at, strict=True) for f in token_features(role, words[p], tags[p])]
    shape = tag_features(
        tags[s0], tags[s1], tags[s2], tags[b0], tags[b1], gap_of(state, s0, s1), b0 > state.n
    )
    return ["bias", *single, *shape, *joint_features(words, tags, state, at)]


def gap_of(state: State, s0: int, s1: int) -> int:
    """The distance between the top two stack tokens, bucketed: 0 (fewer than two), 1-4, 5 (5-9), 10."""
    none = state.n + 1
    distance = s0 - s1 if s0 != none and s1 != none else 0
    return distance if distance < 5 else 5 if distance < 10 else 10


def tag_features(s0t: str, s1t: str, s2t: str, b0t: str, b1t: str, gap: int, end: bool) -> tuple[str, ...]:
    """The joint features that read tags only (cached per combination while parsing)."""
    pair = f"{s0t}|{s1t}"
    return (
        f"s0t,s1t={pair}",
        f"s0t,b0t={s0t}|{b0t}",
        f"s1t,s0t,b0t={pair}|{b0t}",
        f"s2t,s1t,s0t={pair}|{s2t}",
        f"s0t,b0t,b1t={s0t}|{b0t}|{b1t}",
        f"gap={pair}|{gap}",
        f"done={pair}|{'end' if end else 'more'}",
    )


def joint_features(
    words: Sequence[str], tags: Sequence[str], state: State, at: tuple[int, int, int, int, int]
) -> list[str]:
    """The other features that read two or more tokens, or a token's dependents."""
    s0, s1, _, b0, _ = at
    left, right, labels = state.left, state.right, state.labels
    s0w, s0t, s1w, s1t = words[s0], tags[s0], words[s1], tags[s1]
    s0l, s0r, s1l, s1r = left[s0], right[s0], left[s1], right[s1]
    pair = f"{s0t}|{s1t}"
    return [
        f"s0w,s1w={s0w}|{s1w}",
        f"s0w,s1t={s0w}|{s1t}",
        f"s0t,s1w={s0t}|{s1w}",
        f"s0w,b0t={s0w}|{tags[b0]}",
        f"s0t,b0w={s0t}|{words[b0]}",
        f"s0l={pair}|{tags[s0l]}|{labels[s0l]}",
        f"s0r={pair}|{tags[s0r]}|{labels[s0r]}",
        f"s1l={pair}|{tags[s1l]}|{labels[s1l]}",
        f"s1r={pair}|{tags[s1r]}|{labels[s1r]}",
        f"s0ld={s0w}|{labels[s0l]}",
        f"s1rd={s1w}|{labels[s1r]}",
        f"gapw={s0w}|{s1w}|{gap_of(state, s0, s1)}",
        f"s0v={s0t}|{state.left_count[s0]}|{state.right_count[s0]}",
        f"s1v={s1t}|{state.left_count[s1]}|{state.right_count[s1]}",
    ]


class ParseModel(TaggerModel):
    """The entity tagger's weight container whose columns are the parser's transitions
    ("SHIFT", "L-nsubj", "R-obj", ...), with each column's action (0 shift, 1 left, 2 right) and label."""

    actions: list[int]
    arc_labels: list[str]
    # Added to the scores to rule out illegal transitions: one vector per (shift, left, right) allowed.
    masks: dict[tuple[bool, bool, bool], np.ndarray]
    ones: np.ndarray  # as many ones as a state has features, to sum their rows
    token_rows: dict[tuple[str, str], tuple[list[int], ...]]  # (word, tag) -> its rows per role
    tag_rows: dict[tuple[str, str, str, str, str, int, bool], list[int]]  # tag_features' rows

    def rows_of(self, features: Sequence[str]) -> list[int]:
        index = self.index
        return [0, *(row for row in map(index.get, features) if row is not None)]

    def __post_init__(self) -> None:
        super().__post_init__()
        actions = [transition_action(tag) for tag in self.tags]
        labels = [tag[2:] if tag != SHIFT else "" for tag in self.tags]
        masks: dict[tuple[bool, bool, bool], np.ndarray] = {}
        for shift in (False, True):
            for left in (False, True):
                for right in (False, True):
                    allowed = (shift, left, right)
                    masks[allowed] = np.array(
                        [0.0 if allowed[action] else -np.inf for action in actions], dtype=np.float64
                    )
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "arc_labels", labels)
        object.__setattr__(self, "masks", masks)
        object.__setattr__(self, "ones", np.ones(64, dtype=self.matrix.dtype))
        object.__setattr__(self, "token_rows", {})
        object.__setattr__(self, "tag_rows", {})


def transition_action(name: str) -> int:
    """0 for "SHIFT", 1 for a left arc ("L-..."), 2 for a right arc ("R-...")."""
    if name == SHIFT:
        return 0
    if name.startswith("L-"):
        return 1
    if name.startswith("R-"):
        return 2
    raise ValueError(f"not a transition: {name!r}")


def padded(texts: Sequence[str], tags: Sequence[str]) -> tuple[list[str], list[str]]:
    """Words (lower-cased) and tags indexed by position: the root at 0, the filler at n + 1."""
    return [ROOT_WORD, *(t.lower() for t in texts), NONE], [ROOT_WORD, *tags, NONE]


def parse_tokens(model: ParseModel, texts: Sequence[str], tags: Sequence[str]) -> tuple[list[int], list[str]]:
    """Head (0 = root, else 1-based position) and label of each token, given its UPOS tag."""
    if len(texts) != len(tags):
        raise ValueError(f"{len(texts)} tokens but {len(tags)} tags")
    n = len(texts)
    if n == 0:
        return [], []
    words, padded_tags = padded(texts, tags)
    state = State(n)
    index = model.index
    matrix = model.matrix
    masks = model.masks
    ones = model.ones
    actions, labels = model.actions, model.arc_labels
    # Each token's single-token features as matrix rows per role, cached per (word, tag) across
    # sentences: a state then builds strings only for its joint features.
    cache = model.token_rows
    shapes = model.tag_rows
    if len(cache) > 1 << 16 or len(shapes) > 1 << 16:
        cache.clear()
        shapes.clear()
    per_token: list[tuple[list[int], ...]] = []
    for word, tag in zip(words, padded_tags, strict=True):
        found = cache.get((word, tag))
        if found is None:
            found = cache[word, tag] = tuple(
                [index.get(f, 0) for f in token_features(role, word, tag)] for role in ROLES
            )
        per_token.append(found)
    bias = index.get("bias", 0)
    zeros = repeat(0)
    stack = state.stack
    none = n + 1
    while True:
        # Inlined State.done() and State.legal(): with two tokens or fewer on the stack (the root
        # included) the transition is forced; with more, both arcs are legal and shift is when
        # the buffer holds a token.
        depth = len(stack)
        buffered = state.next <= n
        if depth <= 2:
            if buffered:
                state.apply(0, "")
            elif depth == 2:
                state.apply(2, ROOT_LABEL)  # the last token on the stack hangs from the root
            else:
                break
            continue
        s0, s1, s2 = stack[-1], stack[-2], stack[-3]
        b0 = state.next if buffered else none
        b1 = b0 + 1 if b0 < n else none
        at = (s0, s1, s2, b0, b1)
        key = (
            padded_tags[s0],
            padded_tags[s1],
            padded_tags[s2],
            padded_tags[b0],
            padded_tags[b1],
            gap_of(state, s0, s1),
            b0 > n,
        )
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = [index.get(f, 0) for f in tag_features(*key)]
        rows = [
            bias,
            *per_token[s0][0],
            *per_token[s1][1],
            *per_token[s2][2],
            *per_token[b0][3],
            *per_token[b1][4],
            *shape,
            *map(index.get, joint_features(words, padded_tags, state, at), zeros),
        ]
        # The rows' sum as a product with a vector of ones: fewer numpy calls than .sum(axis=0).
        scores = ones[: len(rows)] @ matrix.take(rows, axis=0)
        best = int(scores.argmax())
        if not buffered and actions[best] == 0:
            best = int((scores + masks[False, True, True]).argmax())
        state.apply(actions[best], labels[best])
    return state.heads[1 : n + 1], state.labels[1 : n + 1]


def read_parse_model(path: Path) -> ParseModel:
    """Read a parser model file; a damaged one is an error naming the file."""
    tags, features, matrix, _ = read_model_parts(path)
    if not tags or tags[0] != SHIFT or not all(t.startswith(("L-", "R-")) for t in tags[1:]):
        raise ValueError(f"{path}: not a parser model (transitions {tags[:3]}...)")
    return ParseModel(tags, features, matrix)


@lru_cache(maxsize=1)
def load_parse_model() -> ParseModel:
    """The shipped model, read once per process (on first use: only sentences naming two countries)."""
    return read_parse_model(data_dir() / MODEL_FILE)


def parse(texts: Sequence[str], tags: Sequence[str] | None = None) -> tuple[list[int], list[str]]:
    """Heads and labels of a token sequence (tokens as cut by the event coder) with the shipped
    model. `tags` are the tokens' UPOS tags; when left out the shipped tagger (core.text.pos) tags
    them. heads[i] is 0 when token i + 1 is the root, else the 1-based position of its head."""
    if tags is None:
        from core.text.pos import pos_tags

        tags = pos_tags(texts)
    return parse_tokens(load_parse_model(), texts, tags)
