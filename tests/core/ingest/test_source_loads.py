"""Sources load independently: local files at once, each feed when it arrives or fails, nobody waits."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.ingest.fetch import Fetcher, FetchOptions
from core.ingest.source_loads import LOCAL_SOURCES, iter_sources_separately
from tests.webserver import Reply, Seen, refused_url, serve

# A stalled feed is released by the test; this only keeps a regression from hanging the suite.
SAFETY_NET_SECONDS = 20


def _rss(title: str, link: str) -> str:
    return (
        f'<rss version="2.0"><channel><title>{title}</title><item><title>{title} story</title>'
        f"<link>{link}</link><description>Iraq and Turkey met about {title}.</description></item>"
        "</channel></rss>"
    )


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(FetchOptions(retries=0, cache_dir=tmp_path / "http")) as made:
        yield made


@pytest.fixture
def stalled() -> Iterator[tuple[threading.Event, list[bool]]]:
    """An event a slow route waits on, and whether the safety net (not the test) had to set it."""
    release = threading.Event()
    net_fired: list[bool] = []

    def fire() -> None:
        net_fired.append(True)
        release.set()

    timer = threading.Timer(SAFETY_NET_SECONDS, fire)
    timer.start()
    yield release, net_fired
    timer.cancel()
    release.set()


def _slow_route(release: threading.Event, body: str) -> Callable[[Seen], Reply]:
    def answer(_: Seen) -> Reply:
        release.wait()
        return Reply(body, content_type="application/rss+xml")

    return answer


def _story(path: Path) -> Path:
    path.write_text("Local headline\n\nIraq and Turkey signed a water deal in Ankara.", encoding="utf-8")
    return path


def test_local_files_and_fast_feeds_arrive_while_a_slow_feed_is_still_loading(
    tmp_path: Path, fetcher: Fetcher, stalled: tuple[threading.Event, list[bool]]
) -> None:
    release, net_fired = stalled
    with serve() as server:
        server.routes["/slow"] = _slow_route(release, _rss("Slow", server.url("/s/1")))
        server.routes["/fast"] = Reply(_rss("Fast", server.url("/f/1")), content_type="application/rss+xml")
        refused = refused_url()
        loads = iter_sources_separately(
            [_story(tmp_path / "local.txt"), server.url("/slow"), server.url("/fast"), refused],
            fetcher=fetcher,
        )
        local = next(loads)
        assert (local.source, local.result.articles.height, local.remaining) == (LOCAL_SOURCES, 1, 3)
        early = [next(loads), next(loads)]  # the fast feed and the refused one, in either order
        assert not release.is_set()  # ...while the slow feed is still being answered
        release.set()
        slow = next(loads)
    assert not net_fired
    by_source = {load.source: load for load in early}
    assert by_source[server.url("/fast")].result.articles.get_column("title").to_list() == ["Fast story"]
    [problem] = by_source[refused].result.report.issues
    assert problem.severity == "error" and problem.path == refused
    assert (slow.source, slow.remaining) == (server.url("/slow"), 0)
    assert slow.result.articles.get_column("title").to_list() == ["Slow story"]


def test_stopping_early_waits_for_no_feed(
    tmp_path: Path, fetcher: Fetcher, stalled: tuple[threading.Event, list[bool]]
) -> None:
    release, net_fired = stalled
    with serve() as server:
        server.routes["/slow"] = _slow_route(release, _rss("Slow", server.url("/s/1")))
        sources: list[str | Path] = [_story(tmp_path / "local.txt"), server.url("/slow")]
        loads = iter_sources_separately(sources, fetcher=fetcher)
        assert next(loads).source == LOCAL_SOURCES
        loads.close()  # the app quits: nothing is joined
        assert not release.is_set() and not net_fired
        release.set()


def test_duplicates_are_dropped_across_sources(tmp_path: Path, fetcher: Fetcher) -> None:
    with serve() as server:
        link = server.url("/story/1")
        server.routes["/feed"] = Reply(_rss("Wire", link), content_type="application/rss+xml")
        local = tmp_path / "same.jsonl"
        local.write_text(
            f'{{"title": "Wire story", "text": "Iraq and Turkey met about Wire.", "url": "{link}"}}\n',
            encoding="utf-8",
        )
        first, second = list(iter_sources_separately([local, server.url("/feed")], fetcher=fetcher))
    assert first.result.articles.height == 1 and second.result.articles.height == 0
    [issue] = second.result.report.issues
    assert issue.message.startswith("duplicate article id") and str(local) in issue.message


def test_a_session_grows_by_each_arriving_source(tmp_path: Path, fetcher: Fetcher) -> None:
    from core.corpus.session import CorpusSession

    session = CorpusSession(lambda: (_ for _ in ()).throw(AssertionError("no one-shot load")))
    with serve() as server:
        server.routes["/feed"] = Reply(_rss("Wire", server.url("/w/1")), content_type="application/rss+xml")
        sources: list[str | Path] = [_story(tmp_path / "a.txt"), server.url("/feed")]
        loads = list(iter_sources_separately(sources, fetcher=fetcher))
    added = [session.extend(load.result).height for load in loads]
    assert added == [1, 1]
    assert session.articles is not None and session.articles.get_column("title").to_list() == [
        "Local headline",
        "Wire story",
    ]
    assert session.extend(loads[1].result).height == 0  # the same source again adds nothing


def test_configured_feeds_load_separately_with_their_own_full_text_choice(
    tmp_path: Path, fetcher: Fetcher
) -> None:
    from core.ingest.source_loads import load_configured_separately
    from core.settings.config import NewsdeskConfig
    from core.settings.feedspec import FeedSpec

    folder = tmp_path / "inbox"
    folder.mkdir()
    _story(folder / "a.txt")
    with serve() as server:
        server.routes["/feed"] = Reply(_rss("Wire", server.url("/page")), content_type="application/rss+xml")
        config = NewsdeskConfig(feeds=[FeedSpec("wire", server.url("/feed"), True)], watch_folders=[folder])
        arrived: list[object] = []
        done = threading.Event()

        def on_loaded(load: object) -> None:
            arrived.append(load)
            if len(arrived) == 2:
                done.set()

        assert load_configured_separately(config, None, on_loaded, fetcher=fetcher) == 1
        assert done.wait(SAFETY_NET_SECONDS)
        asked = [seen.path for seen in server.requests]
    assert "/page" in asked  # the feed's own full_text = true fetched the linked page
