"""Fetcher against a real local server: caching, timeouts, deadlines, retries, limits and redirects."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ingest.fetch import Fetcher, FetchError, FetchOptions, FetchResult
from tests.webserver import Reply, Seen, refused_url, serve

FAST = FetchOptions(connect_timeout=1, read_timeout=1, total_timeout=2, retries=2, backoff_base=0.01)


def _fetcher(tmp_path: Path, **changes: object) -> Fetcher:
    from dataclasses import replace

    return Fetcher(replace(FAST, cache_dir=tmp_path / "http", **changes))  # type: ignore[arg-type]


def _error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    assert caught.value.url == url and "\n" not in caught.value.message
    return caught.value


def test_fetch_sends_a_descriptive_user_agent(tmp_path: Path) -> None:
    with serve({"/a": Reply("hello", content_type="text/plain")}) as server, _fetcher(tmp_path) as fetcher:
        result = fetcher.fetch(server.url("/a"))
    assert (result.status, result.body, result.content_type, result.from_cache) == (
        200,
        b"hello",
        "text/plain",
        False,
    )
    assert server.requests[0].headers["user-agent"].startswith("newsdesk/")
    assert "feed reader" in server.requests[0].headers["user-agent"]


def test_conditional_get_reuses_the_stored_body_on_304(tmp_path: Path) -> None:
    def feed(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return Reply("<rss/>", content_type="application/rss+xml", headers={"ETag": '"v1"'})

    with serve({"/feed": feed}) as server, _fetcher(tmp_path) as fetcher:
        first = fetcher.fetch(server.url("/feed"))
        second = fetcher.fetch(server.url("/feed"))
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert (second.status, second.body, second.from_cache) == (304, b"<rss/>", True)
    assert second.content_type == first.content_type == "application/rss+xml"


def test_last_modified_is_sent_back_and_the_default_cache_is_under_http(isolated_cache: Path) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    with serve({"/p": Reply("page", headers={"Last-Modified": stamp})}) as server, Fetcher(FAST) as fetcher:
        fetcher.fetch(server.url("/p"))
        fetcher.fetch(server.url("/p"))
    assert server.requests[1].headers["if-modified-since"] == stamp
    assert len(list((isolated_cache / "http").glob("*.cache"))) == 1


def test_slow_response_times_out(tmp_path: Path) -> None:
    with (
        serve({"/slow": Reply("late", delay=5)}) as server,
        _fetcher(tmp_path, read_timeout=0.2, retries=0) as f,
    ):
        error = _error(f, server.url("/slow"))
    assert "read timeout" in error.message and len(server.requests) == 1


def test_a_stall_past_the_total_deadline_is_not_retried(tmp_path: Path) -> None:
    with serve({"/stall": Reply("late", delay=5)}) as server, _fetcher(tmp_path, total_timeout=0.3) as f:
        error = _error(f, server.url("/stall"))
    assert error.message == "total deadline of 0.3 s exceeded" and len(server.requests) == 1


def test_trickling_body_is_cut_by_the_total_deadline(tmp_path: Path) -> None:
    with (
        serve({"/drip": Reply("<rss>", content_type="application/rss+xml", trickle=0.02)}) as server,
        _fetcher(tmp_path, total_timeout=0.5) as fetcher,
    ):
        error = _error(fetcher, server.url("/drip"))
    assert "total deadline of 0.5 s exceeded" in error.message
    assert len(server.requests) == 1  # not retried


def test_404_is_not_retried_and_500_is_retried_with_backoff(tmp_path: Path) -> None:
    with serve({"/boom": Reply("no", status=500)}) as server, _fetcher(tmp_path) as fetcher:
        missing = _error(fetcher, server.url("/missing"))
        broken = _error(fetcher, server.url("/boom"))
    assert missing.message == "HTTP 404 Not Found" and len(server.hits("/missing")) == 1
    assert broken.message == "HTTP 500 Internal Server Error (after 3 attempts)"
    assert len(server.hits("/boom")) == 3


def test_a_transient_500_recovers(tmp_path: Path) -> None:
    calls: list[int] = []

    def flaky(seen: Seen) -> Reply:
        calls.append(1)
        return Reply("busy", status=503) if len(calls) == 1 else Reply("ok")

    with serve({"/flaky": flaky}) as server, _fetcher(tmp_path) as fetcher:
        assert fetcher.fetch(server.url("/flaky")).body == b"ok"
    assert len(calls) == 2


def test_connection_refused(tmp_path: Path) -> None:
    with _fetcher(tmp_path, retries=1) as fetcher:
        error = _error(fetcher, refused_url())
    assert error.message.startswith("cannot connect") and "after 2 attempts" in error.message


def test_oversize_body_is_refused_declared_or_streamed(tmp_path: Path) -> None:
    big = "x" * 5000
    routes = {"/big": Reply(big), "/stream": Reply(big, trickle=0.01)}
    with serve(routes) as server, _fetcher(tmp_path, max_bytes=1000) as fetcher:
        declared = _error(fetcher, server.url("/big"))
        streamed = _error(fetcher, server.url("/stream"))
    assert "5,000 bytes exceeds the 1,000-byte limit" in declared.message
    assert "exceeds the 1,000-byte limit; download aborted" in streamed.message


def test_redirects_followed_only_to_http(tmp_path: Path) -> None:
    routes = {
        "/old": Reply(status=301, headers={"Location": "/new"}),
        "/new": Reply("moved here"),
        "/evil": Reply(status=302, headers={"Location": "file:///etc/passwd"}),
        "/loop": Reply(status=302, headers={"Location": "/loop"}),
    }
    with serve(routes) as server, _fetcher(tmp_path) as fetcher:
        moved = fetcher.fetch(server.url("/old"))
        evil = _error(fetcher, server.url("/evil"))
        loop = _error(fetcher, server.url("/loop"))
    assert (moved.final_url, moved.body) == (server.url("/new"), b"moved here")
    assert evil.message == "redirect to 'file:///etc/passwd' refused: only http and https are fetched"
    assert loop.message == "too many redirects (more than 5)" and len(server.hits("/loop")) == 6


def test_non_http_url_is_refused_without_a_request(tmp_path: Path) -> None:
    with _fetcher(tmp_path) as fetcher:
        assert "only http and https" in _error(fetcher, "file:///etc/passwd").message


def test_fetch_many_keeps_order_and_the_parallel_limit(tmp_path: Path) -> None:
    routes = {f"/{n}": Reply(str(n), delay=0.3) for n in range(4)}
    with serve(routes) as server:
        urls = [server.url(f"/{n}") for n in range(4)] + [server.url("/missing")]
        with _fetcher(tmp_path, max_parallel=2, use_cache=False) as narrow:
            narrow.fetch_many(urls[:4])
        narrow_peak, server.max_in_flight = server.max_in_flight, 0
        with _fetcher(tmp_path, max_parallel=4) as wide:
            results = wide.fetch_many(urls)
        wide_peak = server.max_in_flight
    assert [r.body for r in results[:4] if isinstance(r, FetchResult)] == [b"0", b"1", b"2", b"3"]
    assert isinstance(results[4], FetchError) and results[4].message == "HTTP 404 Not Found"
    # The server saw at most as many requests at once as each fetcher allows (each waits 0.3 s).
    assert narrow_peak == 2 and wide_peak >= 3
