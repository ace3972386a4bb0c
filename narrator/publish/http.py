"""A small JSON-over-HTTP client for a CMS's REST API (standard library only).

Every problem a user can meet becomes one ``PublishError`` line: the site cannot be reached,
TLS fails, the server keeps answering 429 or 5xx, a timeout. Transient failures (429, 502,
503, 504, a timeout, a dropped connection) are retried with exponential back-off, honouring
``Retry-After``, but only for requests that are safe to repeat; a write that may or may not
have happened raises ``Transient`` so the caller can look at the site again before retrying.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from . import PublishError

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


class Transient(Exception):
    """A request that failed in a way that may pass: ``reason`` says how, ``wait`` how long
    the server asked us to wait (Retry-After), if it did."""

    def __init__(self, reason: str, wait: float | None = None, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.wait, self.status = reason, wait, status


@dataclass
class Response:
    status: int
    data: Any
    headers: dict[str, str]


class Client:
    """Requests to ``base`` (scheme://host[:port][/path]) with HTTP Basic credentials."""

    def __init__(self, base: str, user: str, password: str, *, timeout: float = 60.0,
                 retries: int = 5, backoff: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep, allow_http: bool = False) -> None:
        try:
            parts = urlsplit(base)
            port = parts.port  # a port past 65535 or not a number is a ValueError here
        except ValueError as err:
            raise PublishError(f"not a valid URL ({err})", file="--url") from None
        if parts.username is not None or parts.password is not None:
            # never echoed: the URL holds a secret
            raise PublishError("the URL holds a user name or password: give the user with "
                               "--user and the application password in a file "
                               "(--password-file)", file="--url")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PublishError(f"not an http(s) URL: {base!r}", file="--url")
        if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
            raise PublishError(f"plain http to {parts.hostname} would send the application "
                               f"password in clear: use https, or --allow-http to accept "
                               f"that", file=base)
        self.base = base.rstrip("/")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, port
        self.path = parts.path.rstrip("/")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self._auth = f"Basic {token}"  # never logged, never part of an error message
        self.timeout, self.retries, self.backoff, self._sleep = timeout, retries, backoff, sleep
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self.scheme == "https":
                self._conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                                         context=ssl.create_default_context())
            else:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def once(self, method: str, route: str, *, params: dict[str, Any] | None = None,
             body: Any = None, auth: bool = True) -> Response:
        """One attempt. Raises ``Transient`` for what may pass and ``PublishError`` for what
        will not (TLS, a refused connection, a bad URL)."""
        query = urlencode({"rest_route": route, **(params or {})})
        headers = {"Accept": "application/json", "X-Narrator": "1", "User-Agent": "narrator"}
        if auth:
            headers["Authorization"] = self._auth
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        try:
            conn = self._connection()
            conn.request(method, f"{self.path}/?{query}", body=payload, headers=headers)
            raw = conn.getresponse()
            content = self._read(raw, time.monotonic() + self.timeout)
            resp_headers = {k.lower(): v for k, v in raw.getheaders()}
            if raw.will_close:
                self._drop()
        except ssl.SSLCertVerificationError as err:
            self._drop()
            raise PublishError(f"TLS: the certificate of {self.host} is not trusted "
                               f"({err.verify_message}); fix the site's certificate, or use "
                               f"the CA bundle in SSL_CERT_FILE", file=self.base) from None
        except ssl.SSLError as err:
            self._drop()
            raise PublishError(f"TLS: handshake with {self.host} failed ({err.reason}); is it "
                               f"https on this port?", file=self.base) from None
        except TimeoutError:
            self._drop()
            raise Transient(f"no answer within {self.timeout:g} s") from None
        except ConnectionRefusedError:
            self._drop()
            raise PublishError("connection refused: is the site up at this address?",
                               file=self.base) from None
        except socket.gaierror as err:
            self._drop()
            raise PublishError(f"cannot resolve {self.host}: {err.strerror}",
                               file=self.base) from None
        except (ConnectionError, http.client.HTTPException, OSError) as err:
            self._drop()
            raise Transient(f"connection lost ({err.__class__.__name__})") from None
        if raw.status in TRANSIENT_STATUS:
            raise Transient(f"HTTP {raw.status}", _retry_after(resp_headers), raw.status)
        try:
            data = json.loads(content) if content.strip() else None
        except RecursionError:
            raise PublishError(f"{method} {route}: HTTP {raw.status}, JSON nested too deeply",
                               file=self.base) from None
        except ValueError:
            kind = resp_headers.get("content-type", "?").split(";")[0]
            raise PublishError(f"{method} {route}: HTTP {raw.status}, not JSON but {kind} (is "
                               f"this a WordPress site with its REST API on?)",
                               file=self.base) from None
        return Response(raw.status, data, resp_headers)

    def _read(self, raw: http.client.HTTPResponse, deadline: float) -> bytes:
        """The whole answer, by ``deadline`` (a server that trickles a byte at a time does not
        keep a run going) and at most ``MAX_ANSWER`` bytes."""
        chunks, size = [], 0
        while chunk := raw.read1(1 << 16):
            size += len(chunk)
            if size > MAX_ANSWER:
                self._drop()
                raise PublishError(f"an answer over {MAX_ANSWER >> 20} MB: not a WordPress "
                                   f"REST answer narrator asked for", file=self.base)
            if time.monotonic() > deadline:
                raise TimeoutError
            chunks.append(chunk)
        return b"".join(chunks)

    def call(self, method: str, route: str, **kwargs: Any) -> Response:
        """A request that is safe to repeat: transient failures are retried with back-off."""
        return self.retrying(lambda: self.once(method, route, **kwargs), what=f"{method} {route}")

    def retrying(self, attempt: Callable[[], Any], *, what: str,
                 between: Callable[[], None] | None = None) -> Any:
        """Run ``attempt`` until it does not raise ``Transient``, at most ``retries`` more
        times, waiting 1, 2, 4 ... s (or what Retry-After says) and calling ``between``
        before each retry. The last failure becomes one PublishError line."""
        for n in range(self.retries + 1):
            try:
                return attempt()
            except Transient as err:
                if n == self.retries:
                    hint = ("the site is rate-limiting us; try again later or with a smaller "
                            "--batch-size" if err.status == 429 else "the site is struggling; "
                            "run again to finish (nothing is duplicated)")
                    raise PublishError(f"{what}: {err.reason} after {n + 1} tries; {hint}",
                                       file=self.base) from None
                self._sleep(min(err.wait if err.wait is not None else self.backoff * 2 ** n, 60.0))
                if between is not None:
                    between()
        raise AssertionError("unreachable")


#: The largest answer read (the listing of 100,000 posts is ~15 MB).
MAX_ANSWER = 64 << 20


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (an address on the loopback, or localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _retry_after(headers: dict[str, str]) -> float | None:
    value = headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
