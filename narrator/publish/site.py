"""The WordPress REST API as publishing needs it: who we are, the mu-plugin's listing of the
site's posts, the batch endpoint and its limit, categories and tags. Every refusal becomes one
``PublishError`` line that says what to do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from . import PublishError
from .http import Client, Response

T = TypeVar("T")

PLUGIN = "wordpress/narrator.php"


@dataclass
class Post:
    """A post of the site as narrator's listing gives it (trashed: its wanted slug)."""

    id: int
    slug: str
    status: str
    narrator_id: str | None
    narrator_hash: str | None
    narrator_key: str | None = None  # None: a site whose plugin does not list it



class Site:
    """The WordPress REST API, as far as publishing needs it."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.batch_size = 25

    def check(self) -> None:
        """Credentials, the mu-plugin and the batch endpoint, each failure one clear line."""
        c = self.client
        me = c.call("GET", "/wp/v2/users/me", params={"context": "edit"})
        if me.status == 401:
            self._auth_failure(me)
        if me.status != 200 or not isinstance(me.data, dict):
            raise PublishError(f"GET /wp/v2/users/me: HTTP {me.status}: {_message(me)}",
                               file=c.base)
        caps = me.data.get("capabilities")
        if not (isinstance(caps, dict) and caps.get("edit_posts") is True):
            raise PublishError(f"user '{me.data.get('slug', '?')}' may not edit posts on this "
                               f"site", file=c.base)
        batch = c.call("OPTIONS", "/batch/v1")
        if batch.status == 404:
            raise PublishError("no REST batch endpoint (/batch/v1): WordPress 5.6 or later "
                               "is needed", file=c.base)
        try:
            self.batch_size = int(batch.data["endpoints"][0]["args"]["requests"]["maxItems"])
        except (KeyError, IndexError, TypeError, ValueError, OverflowError):
            self.batch_size = 25  # WordPress's default limit

    def _auth_failure(self, me: Response) -> None:
        code = me.data.get("code") if isinstance(me.data, dict) else None
        base = self.client.base
        seen = me.headers.get("x-narrator-auth")  # set by the mu-plugin
        wrong = PublishError("authentication failed: wrong user name or application password",
                             file=base)
        if code in ("incorrect_password", "invalid_username", "invalid_email"):
            raise wrong
        # WordPress saw no valid credentials: application passwords may be off here (plain
        # HTTP on a non-local site), the credentials wrong, or the header dropped before PHP.
        index = self.client.call("GET", "/", auth=False)
        auth = index.data.get("authentication") if isinstance(index.data, dict) else None
        if not (isinstance(auth, dict) and "application-passwords" in auth):
            raise PublishError("application passwords are not available on this site: they "
                               "need HTTPS (or WP_ENVIRONMENT_TYPE 'local' on a test site)",
                               file=base)
        if seen == "received":
            raise wrong
        if seen == "missing":
            raise PublishError("the Authorization header was stripped by the server before it "
                               "reached WordPress (Apache with CGI/FastCGI: add `SetEnvIf "
                               "Authorization \"(.*)\" HTTP_AUTHORIZATION=$1` to .htaccess)",
                               file=base)
        raise PublishError("authentication failed: wrong user name or application password, "
                           "or the server strips the Authorization header (is the narrator "
                           f"mu-plugin installed? it tells the two apart: {PLUGIN})", file=base)

    def posts(self) -> list[Post]:
        resp = self.client.call("GET", "/narrator/v1/posts")
        if resp.status == 404:
            raise PublishError(f"the narrator mu-plugin is not installed: copy {PLUGIN} into "
                               f"the site's wp-content/mu-plugins/", file=self.client.base)
        if resp.status != 200 or not isinstance(resp.data, dict):
            raise PublishError(f"GET /narrator/v1/posts: HTTP {resp.status}: "
                               f"{_message(resp)}", file=self.client.base)
        listing = answer(resp.data, _Listing, "GET /narrator/v1/posts", self.client.base)
        return [Post(p.id, p.slug or "", p.status, p.narrator_id, p.narrator_hash,
                     p.narrator_key) for p in listing.posts]

    def batch(self, requests: list[dict[str, Any]]) -> list[tuple[int, Any]]:
        """One attempt at a batch; ``Transient`` if it may or may not have been applied."""
        resp = self.client.once("POST", "/batch/v1", body={"validation": "normal",
                                                            "requests": requests})
        if resp.status == 401:
            raise PublishError("authentication failed during the sync (was the application "
                               "password revoked?)", file=self.client.base)
        if (resp.status != 207 and resp.status != 200) or not isinstance(resp.data, dict):
            raise PublishError(f"POST /batch/v1: HTTP {resp.status}: {_message(resp)}",
                               file=self.client.base)
        got = answer(resp.data, _Batch, "POST /batch/v1", self.client.base).responses
        if len(got) != len(requests):  # never count a write the site did not answer for
            raise PublishError(f"POST /batch/v1: the site answered {len(got)} of "
                               f"{len(requests)} requests; run again to finish",
                               file=self.client.base)
        out = []
        for request, r in zip(requests, got):
            if r.status in (200, 201) and request["method"] == "POST":
                # narrator reads the id, slug and status of a post it wrote
                answer(r.body, _Written, "POST /batch/v1", self.client.base)
            out.append((r.status, r.body))
        return out

    def terms(self, taxonomy: str, names: Iterable[str], *, create: bool) -> list[int]:
        """Term ids for ``names`` (categories or tags), made when missing unless not ``create``."""
        ids = []
        for name in names:
            found = self.client.call("GET", f"/wp/v2/{taxonomy}",
                                     params={"search": name, "per_page": 100, "_fields": "id,name"})
            match = [t["id"] for t in found.data or [] if isinstance(t, dict)
                     and _unhtml(t.get("name", "")).lower() == name.lower()]
            if match:
                ids.append(match[0])
            elif create:
                made = self.client.call("POST", f"/wp/v2/{taxonomy}", body={"name": name})
                if made.status != 201:
                    raise PublishError(f"cannot make {taxonomy[:-1]} '{name}': "
                                       f"{_message(made)}", file=self.client.base)
                ids.append(made.data["id"])
        return ids


# What narrator reads of the site's answers, validated before use: an answer of another shape
# is one line naming the request and the field, never a traceback.
class _Row(msgspec.Struct):
    id: int
    slug: str | None
    status: str
    narrator_id: str | None = None
    narrator_hash: str | None = None
    narrator_key: str | None = None


class _Listing(msgspec.Struct):
    posts: list[_Row]


class _Reply(msgspec.Struct):
    status: int
    body: Any = None


class _Batch(msgspec.Struct):
    responses: list[_Reply]


class _Written(msgspec.Struct):
    id: int
    slug: str


def answer(data: Any, shape: type[T], what: str, base: str) -> T:
    """``data`` as ``shape``, or a PublishError saying what in it is not as expected."""
    try:
        return msgspec.convert(data, shape)
    except msgspec.ValidationError as err:
        raise PublishError(f"{what}: an answer narrator can't use ({str(err).lower()}); is "
                           f"the narrator mu-plugin on the site the one of this version?",
                           file=base) from None


def _unhtml(text: str) -> str:
    return text.replace("&amp;", "&").replace("&#039;", "'").replace("&quot;", '"')


def _message(resp: Response) -> str:
    return body_message(resp.data)


def body_message(body: Any) -> str:
    """The message of a WordPress error body: ``code: message``."""
    if isinstance(body, dict) and body.get("message"):
        return f"{body.get('code', '')}: {body['message']}".strip(": ")
    return "no message"
