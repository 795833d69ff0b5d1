"""Analysis speed and memory on the BBC corpus, as ratios to a plain YAKE loop measured in the same run.

Timings over the same 2,225 articles:
  plain  a single-process loop of default `yake.KeywordExtractor()` over title + text (the baseline;
         also with newsdesk's settings, the keyword engine's parity reference);
  cold   `newsdesk analyze` (the real CLI, all cores) with an empty cache;
  warm   the same command again, served from the cache.
Peak memory is the largest summed RSS of the CLI process and its workers, sampled every 50 ms.
Run: uv run python benchmarks/analysis_speed.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl

from benchmarks._shared import corpus_dir, shipped_yake_extractor
from core.ingest.load import load_articles


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak summed RSS (MB) of a command and all its descendants."""
    peak = 0.0
    started = time.perf_counter()
    # As installed for a user, with bytecode cached: a machine that sets PYTHONDONTWRITEBYTECODE
    # (this project's CI sandbox does) makes the CLI and each worker recompile every module (~1.5 s).
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_rss_mb(p) for p in _descendants(process.pid)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return elapsed, peak


def plain_yake_loop(documents: list[str], shipped: bool = False) -> float:
    """A single-process yake.KeywordExtractor loop: its defaults (n=3), or newsdesk's settings
    (n=2, window 1, no case feature), which is the issue-6 engine's parity reference."""
    import yake

    extractor = shipped_yake_extractor() if shipped else yake.KeywordExtractor()
    started = time.perf_counter()
    for document in documents:
        extractor.extract_keywords(document)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="only the first N articles (quick check)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each run's best time is reported")
    parser.add_argument("--engine", default="polars", help="keyword engine for analyze (default: polars)")
    args = parser.parse_args()

    bbc = corpus_dir("bbc")
    loaded = load_articles([bbc])
    articles = loaded.articles.head(args.limit) if args.limit else loaded.articles
    with tempfile.TemporaryDirectory() as scratch:
        inputs: list[str]
        if args.limit:
            subset = Path(scratch) / "subset.parquet"
            articles.select("id", "title", "text").write_parquet(subset)
            inputs = [str(subset)]
        else:
            inputs = [str(bbc)]
        documents = [f"{t}\n{x}" for t, x in articles.select("title", "text").iter_rows()]
        print(
            f"BBC corpus: {len(documents)} articles, {sum(map(len, documents)) / 1e6:.1f} M characters, "
            f"{os.cpu_count()} cores"
        )

        plains: list[float] = []
        shipped_plains: list[float] = []
        colds: list[tuple[float, float]] = []
        warms: list[tuple[float, float]] = []
        for round_number in range(args.repeat):
            # Interleaved rounds, best of each: background noise on the machine hits every run alike.
            plains.append(plain_yake_loop(documents))
            shipped_plains.append(plain_yake_loop(documents, shipped=True))
            output = str(Path(scratch) / "out.jsonl")
            cache = str(Path(scratch) / f"cache-{round_number}")
            command = [
                sys.executable,
                "-m",
                "tui.cli",
                "analyze",
                *inputs,
                "--cache-dir",
                cache,
                "--output",
                output,
                "--engine",
                args.engine,
            ]
            colds.append(run_measured(command))
            warms.append(run_measured(command))
        plain = min(plains)
        shipped_plain = min(shipped_plains)
        cold, cold_rss = min(colds)
        warm, warm_rss = min(warms)
        plain_rounds = ", ".join(f"{t:.1f}" for t in plains)
        cold_rounds = ", ".join(f"{t:.1f}" for t, _ in colds)
        print(f"rounds: plain {plain_rounds} s; cold {cold_rounds} s")

    print(f"{'run':28} {'wall s':>8} {'ratio':>7} {'peak RSS MB':>12}")
    print(f"{'plain yake loop (1 process)':28} {plain:8.2f} {1.0:7.2f} {'':>12}")
    print(f"{'newsdesk analyze, cold':28} {cold:8.2f} {cold / plain:7.2f} {cold_rss:12.0f}")
    print(f"{'newsdesk analyze, warm':28} {warm:8.2f} {warm / plain:7.3f} {warm_rss:12.0f}")
    print(
        f"against yake with newsdesk's settings ({shipped_plain:.2f} s): cold analyze "
        f"{cold / shipped_plain:.3f}x"
    )
    print("targets: cold <= 0.15x plain (issue 6; was 0.60x); warm <= 2 s; peak RSS <= 1024 MB")
    stage_breakdown(articles.head(500))


def stage_breakdown(articles: pl.DataFrame) -> None:
    """Single-process CPU ms/article of each part of the analysis, on a sample: what dominates."""
    from core.articles import article_document
    from core.countries.resolve import find_country_mentions
    from core.entities.find import find_entities
    from core.entities.recognise import find_names
    from core.keywords.batch import extract_keywords_batch
    from core.relations.actors import find_actor_mentions, load_actors
    from core.relations.pairs import pair_mentions
    from core.text.pos import load_pos_model
    from core.text.sentences import split_sentences

    pairs = list(articles.select("title", "text").iter_rows())
    # Each stage's one-time set-up (name tables, cue lists, imports: ~0.2 s per process in all)
    # is paid here, on the first article, so the figures below are per-article work only.
    warm_title, warm_text = pairs[0]
    warm_document = article_document(warm_title, warm_text)
    warm_sentences = split_sentences(warm_document)
    warm_countries = find_country_mentions(warm_document, warm_sentences)
    find_entities(warm_document, warm_sentences, exclude=[(c.start, c.end) for c in warm_countries])
    warm_names = find_names(
        warm_document, warm_sentences, places=[(c.start, c.end, c.how) for c in warm_countries], explain=False
    )
    pair_mentions(warm_document, warm_sentences, warm_countries)
    # The actor files and the tagger's weights are read on first use too.
    load_actors()
    load_pos_model()
    find_actor_mentions(warm_names, warm_countries)
    extract_keywords_batch(pairs[:1])
    spent = dict.fromkeys(
        [
            "keywords (Polars, one batch)",
            "sentences",
            "countries",
            "entities (tagger, issue 12)",
            "entities (rules, before; unused)",
            "relations",
        ],
        0.0,
    )
    started = time.process_time()
    extract_keywords_batch(pairs)
    spent["keywords (Polars, one batch)"] = time.process_time() - started
    for title, text in pairs:
        document = article_document(title, text)
        clock = time.process_time()
        sentences = split_sentences(document)
        spent["sentences"] += time.process_time() - clock
        clock = time.process_time()
        countries = find_country_mentions(document, sentences)
        spent["countries"] += time.process_time() - clock
        clock = time.process_time()
        names = find_names(
            document, sentences, places=[(c.start, c.end, c.how) for c in countries], explain=False
        )
        spent["entities (tagger, issue 12)"] += time.process_time() - clock
        clock = time.process_time()
        find_entities(document, sentences, exclude=[(c.start, c.end) for c in countries])
        spent["entities (rules, before; unused)"] += time.process_time() - clock
        clock = time.process_time()
        pair_mentions(document, sentences, [*countries, *find_actor_mentions(names, countries)])
        spent["relations"] += time.process_time() - clock
    print(f"\nwhere analysis time goes ({len(pairs)} articles, 1 process, CPU ms/article):")
    for stage, seconds in spent.items():
        print(f"  {stage:30} {1000 * seconds / len(pairs):6.2f}")


if __name__ == "__main__":
    main()
