"""Downloads for `magnitsky fetch`: conditional requests, retries with backoff, and a rate
limit per host. Only whole 200 answers (and 304, "not modified") come back; anything else
is a :class:`Rejected` with its reason."""

from __future__ import annotations

import email.utils
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from magnitsky import __version__

# Some government servers refuse urllib's default agent; say who we are instead.
USER_AGENT = f"magnitsky/{__version__} (Python urllib)"
# A server asking for more than this is not waited for longer.
_MAX_RETRY_AFTER = 120.0


class Rejected(Exception):
    """Why a download is not archived; `code` is the HTTP status where one came."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class Response:
    status: int
    """200, or 304 for a conditional request whose file has not changed."""
    body: bytes
    url: str
    """The URL answered, after redirects."""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Client:
    timeout: float
    interval: float = 1.0
    """Seconds between two requests to one host."""
    retries: int = 3
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)
    requests: int = 0

    def get(self, url: str, etag: str | None = None, modified: str | None = None) -> Response:
        """The whole body of `url`; a 5xx, 429 or failed connection is tried again after
        `backoff`, 2 × `backoff` … seconds (or the server's Retry-After)."""
        attempt = 0
        while True:
            try:
                return self._once(url, etag, modified)
            except _Transient as problem:
                if attempt >= self.retries:
                    raise Rejected(f"{problem} (after {attempt + 1} tries)", problem.code) from None
                wait = problem.retry_after
                if wait is None:
                    wait = self.backoff * 2**attempt
                self.sleep(wait)
                attempt += 1

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            left = last + self.interval - self.clock()
            if left > 0:
                self.sleep(left)
        self._last[host] = self.clock()

    def _once(self, url: str, etag: str | None, modified: str | None) -> Response:
        self._wait_for(urllib.parse.urlsplit(url).netloc)
        self.requests += 1
        headers = {"User-Agent": USER_AGENT}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                # Anything but 200 (204 No Content, 206 Partial Content …) is not the file.
                if response.status != 200:
                    raise Rejected(f"HTTP {response.status} {response.reason}", response.status)
                body: bytes = response.read()
                declared = response.headers.get("Content-Length")
                answer = Response(
                    200,
                    body,
                    response.geturl(),
                    response.headers.get_content_type(),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 304:
                return Response(304, b"", url, etag=etag, last_modified=modified)
            reason = f"HTTP {error.code} {error.reason}"
            if error.code >= 500 or error.code == 429:
                raise _Transient(reason, error.code, _retry_after(error.headers)) from error
            raise Rejected(reason, error.code) from error
        except http.client.IncompleteRead as error:
            got = len(error.partial)
            raise _Transient(f"truncated: the connection closed after {got} bytes") from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            # URLError wraps refused connections and connect timeouts; a read timeout is a
            # bare TimeoutError (an OSError).
            problem = error.reason if isinstance(error, urllib.error.URLError) else error
            raise _Transient(f"download failed: {problem or type(error).__name__}") from error
        # read() already raises on a short body; this catches a server that lies otherwise.
        if declared is not None and declared.isdigit() and int(declared) != len(body):
            raise _Transient(f"truncated: {len(body)} bytes received, Content-Length {declared}")
        return answer


class _Transient(Exception):
    def __init__(self, reason: str, code: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.code = code
        self.retry_after = retry_after


def _retry_after(headers: object) -> float | None:
    value = getattr(headers, "get", lambda _name: None)("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(0.0, moment.timestamp() - time.time()), _MAX_RETRY_AFTER)
