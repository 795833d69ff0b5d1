"""HTTP fetching for feeds and article pages: polite to publishers, safe against hostile servers.

Polite defaults (see `FetchOptions`): at most 4 requests in flight; a descriptive User-Agent
(`newsdesk/<version> (+https://github.com/newsdesk; feed reader)`); conditional GET with the stored
ETag / Last-Modified, so an unchanged feed costs the publisher a 304 and no body; 2 retries with
exponential backoff (0.5 s, 1 s; `Retry-After` honoured up to 30 s) only on 5xx, 429, timeouts and
connection errors. Safe defaults: 10 s connect and read timeouts plus a 30 s total deadline per request,
so a server that trickles bytes forever is cut off; bodies capped at 10 MB while streaming; at most 5
redirects, each followed by hand and only to http(s) URLs.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from core.ingest.background import map_on_daemon_threads
from core.paths import default_cache_dir

if TYPE_CHECKING:
    import httpx

_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUSES = {429} | set(range(500, 600))
_MAX_RETRY_AFTER = 30.0


def _user_agent() -> str:
    """Publishers see who is reading their feed and where to complain."""
    try:
        version = metadata.version("newsdesk")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"newsdesk/{version} (+https://github.com/newsdesk; feed reader)"


@dataclass(frozen=True)
class FetchOptions:
    """Limits and manners of a `Fetcher`; the defaults are the polite ones from the module docstring."""

    max_parallel: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff_base: float = 0.5
    max_redirects: int = 5
    cache_dir: Path | None = None
    use_cache: bool = True
    user_agent: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One successful response: where it ended up, what it says it is, and its (decoded) body."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    from_cache: bool = False
    warnings: tuple[str, ...] = ()


class FetchError(Exception):
    """A fetch that failed for good (after any retries), with a one-line reason."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


class _Retryable(Exception):
    """A transient failure worth another attempt (5xx, 429, timeout, connection error)."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


class Fetcher:
    """Fetches URLs under the limits of `FetchOptions`; thread-safe and reusable, close it when done."""

    def __init__(self, options: FetchOptions | None = None) -> None:
        self.options = options or FetchOptions()
        self._slots = threading.BoundedSemaphore(max(1, self.options.max_parallel))
        self._lock = threading.Lock()
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    @property
    def cache_dir(self) -> Path:
        if self.options.cache_dir is not None:
            return self.options.cache_dir
        return default_cache_dir() / "http"

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                import httpx  # imported here: core must stay quick to import

                self._client = httpx.Client(
                    follow_redirects=False,  # followed by hand so every hop's scheme is checked
                    headers={"User-Agent": self.options.user_agent or _user_agent()},
                    limits=httpx.Limits(max_connections=max(1, self.options.max_parallel)),
                )
            return self._client

    def fetch_many(self, urls: Iterable[str]) -> list[FetchResult | FetchError]:
        """Fetch every URL, at most `max_parallel` at once; results in input order, failures as values."""
        wanted = list(urls)

        def one(url: str) -> FetchResult | FetchError:
            try:
                return self.fetch(url)
            except FetchError as error:
                return error

        # Daemon threads: an interrupted caller (Ctrl+C, SIGTERM, an app quitting) never waits for
        # the fetches in flight, neither now nor at interpreter exit.
        return map_on_daemon_threads(one, wanted, max(1, self.options.max_parallel), name="newsdesk-fetch")

    def fetch(self, url: str) -> FetchResult:
        """Fetch one URL, retrying transient failures; raises FetchError with a one-line reason."""
        _check_scheme(url, url, "URL")
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            try:
                with self._slots:
                    return self._attempt(url)
            except _Retryable as failure:
                if attempt + 1 == attempts:
                    suffix = f" (after {attempts} attempts)" if attempts > 1 else ""
                    raise FetchError(url, failure.message + suffix) from None
                delay = self.options.backoff_base * 2**attempt
                if failure.wait is not None:
                    delay = max(delay, min(failure.wait, _MAX_RETRY_AFTER))
                time.sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _attempt(self, url: str) -> FetchResult:
        """One attempt: conditional GET, redirects by hand, bounded body; _Retryable if worth another."""
        import httpx

        options = self.options
        deadline = time.monotonic() + options.total_timeout
        cached = self._read_cache(url) if options.use_cache else None
        current = url
        for _hop in range(options.max_redirects + 1):
            # Validators go to every hop: a permanently moved feed still answers 304 at its new home.
            headers = _validators(cached) if cached is not None else {}
            remaining = max(0.001, deadline - time.monotonic())
            timeout = httpx.Timeout(
                connect=min(options.connect_timeout, remaining),
                read=min(options.read_timeout, remaining),
                write=min(options.read_timeout, remaining),
                pool=remaining,
            )
            try:
                with self._http().stream("GET", current, headers=headers, timeout=timeout) as response:
                    status = response.status_code
                    if status in _REDIRECTS and "location" in response.headers:
                        target = urljoin(current, response.headers["location"])
                        _check_scheme(url, target, "redirect to")
                        current = target
                        continue
                    if status == 304 and cached is not None:
                        return _from_cache(url, current, cached)
                    if 300 <= status < 400:
                        what = "no cached copy to reuse" if status == 304 else "no usable Location"
                        raise FetchError(url, f"{_status_text(response)} with {what}")
                    if status in _RETRY_STATUSES:
                        raise _Retryable(_status_text(response), _retry_after(response))
                    if status >= 400:
                        raise FetchError(url, _status_text(response))
                    body = self._read_body(url, response, deadline)
                    content_type = response.headers.get("content-type", "")
                    validators = {
                        k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers
                    }
            except httpx.TimeoutException as error:
                if time.monotonic() >= deadline:  # the timeouts were shortened to fit the deadline
                    raise FetchError(url, f"total deadline of {options.total_timeout:g} s exceeded") from None
                if isinstance(error, httpx.ConnectTimeout):
                    raise _Retryable(f"connect timed out after {options.connect_timeout:g} s") from None
                if isinstance(error, httpx.ReadTimeout):
                    raise _Retryable(f"no data for {options.read_timeout:g} s (read timeout)") from None
                raise _Retryable(f"timed out ({type(error).__name__})") from None
            except httpx.ConnectError as error:
                raise _Retryable(f"cannot connect: {_reason(error)}") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                raise _Retryable(f"connection failed: {_reason(error)}") from None
            except httpx.HTTPError as error:  # invalid URL, decoding errors: not worth a retry
                raise FetchError(url, f"{type(error).__name__}: {_reason(error)}") from None
            warnings: tuple[str, ...] = ()
            if options.use_cache and validators and status == 200:
                warnings = self._write_cache(url, current, content_type, validators, body)
            return FetchResult(url, current, status, content_type, body, False, warnings)
        raise FetchError(url, f"too many redirects (more than {options.max_redirects})")

    def _read_body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        """The body, aborted as soon as it passes the size limit or the deadline (never buffered whole)."""
        limit = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"body of {int(declared):,} bytes exceeds the {limit:,}-byte limit")
        chunks: list[bytes] = []
        size = 0
        # iter_bytes decodes gzip/deflate, so the limit also caps a compression bomb's output.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"body exceeds the {limit:,}-byte limit; download aborted")
            # Checked per chunk: a server trickling a byte at a time never trips the read timeout.
            if time.monotonic() > deadline:
                raise FetchError(
                    url, f"total deadline of {self.options.total_timeout:g} s exceeded while downloading"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _cache_file(self, url: str) -> Path:
        return self.cache_dir / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.cache"

    def _read_cache(self, url: str) -> dict[str, Any] | None:
        """The stored validators and body for `url`, or None when absent or unreadable."""
        try:
            raw = self._cache_file(url).read_bytes()
        except OSError:  # absent (the usual case) or unreadable: fetch unconditionally
            return None
        header, _, body = raw.partition(b"\n")
        try:
            entry = json.loads(header)
        except (json.JSONDecodeError, UnicodeDecodeError):  # damaged entry: refetched and rewritten
            return None
        if not isinstance(entry, dict) or entry.get("url") != url or entry.get("size") != len(body):
            return None
        entry["body"] = body
        return entry

    def _write_cache(
        self, url: str, final_url: str, content_type: str, validators: dict[str, str], body: bytes
    ) -> tuple[str, ...]:
        """Store the body with its validators in one file, atomically (temp file, then rename)."""
        entry = {"url": url, "final_url": final_url, "content_type": content_type, "size": len(body)}
        entry.update(validators)
        target = self._cache_file(url)
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(json.dumps(entry).encode("utf-8") + b"\n" + body)
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            return (f"HTTP cache not written ({error.strerror or error}); the next fetch is a full one",)
        return ()


def _validators(cached: dict[str, Any]) -> dict[str, str]:
    headers = {}
    if isinstance(cached.get("etag"), str):
        headers["If-None-Match"] = cached["etag"]
    if isinstance(cached.get("last-modified"), str):
        headers["If-Modified-Since"] = cached["last-modified"]
    return headers


def _from_cache(url: str, final_url: str, cached: dict[str, Any]) -> FetchResult:
    content_type = cached.get("content_type")
    return FetchResult(
        url, str(cached.get("final_url") or final_url), 304,
        content_type if isinstance(content_type, str) else "", cached["body"], True,
    )  # fmt: skip


def _check_scheme(url: str, target: str, what: str) -> None:
    """Refuse anything but http(s): a redirect to file:// or ftp:// must not reach local or odd resources."""
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchError(url, f"{what} {target[:200]!r} refused: only http and https are fetched")


def _status_text(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".strip()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[-1] if text else type(error).__name__
