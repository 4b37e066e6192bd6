"""fetch_document and new_session against a local web server on 127.0.0.1 (no real network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standin import unused_port

from curator import __version__
from curator.errors import InputError
from curator.sources.http import new_session
from curator.sources.web import fetch_document, github_readme_url


@dataclass
class Route:
    """What the local server answers on one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    """Seconds to wait before answering (cut short when the server stops)."""
    send_length: bool = True
    """False streams the body and ends it by closing the connection."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        site.seen.append((self.path, dict(self.headers.items())))
        route = site.routes.get(self.path, Route(404, body=b"Not Found"))
        if route.delay and site.stop.wait(route.delay):
            return
        try:
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.send_length:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (the size limit); nothing is left to tell it

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


class Site:
    """A local HTTP server answering fixed routes and remembering each request's headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.site = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def site() -> Iterator[Site]:
    """Serve a :class:`Site` on a loopback port for one test."""
    served = Site()
    thread = threading.Thread(
        target=served.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    yield served
    served.stop.set()
    served.server.shutdown()
    served.server.server_close()
    thread.join()


def test_fetches_the_page_bytes(site: Site) -> None:
    """A page comes back as its exact bytes."""
    site.routes["/post"] = Route(body=b"<p>see arXiv:2304.02643</p>\xff")
    assert fetch_document(f"{site.url}/post") == b"<p>see arXiv:2304.02643</p>\xff"


def test_session_names_curator(site: Site) -> None:
    """Requests carry a User-Agent naming curator and its version."""
    site.routes["/post"] = Route(body=b"ok")
    fetch_document(f"{site.url}/post")
    assert site.seen[0][1]["User-Agent"] == f"curator/{__version__}"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/post", "javascript:alert(1)", "example.org"]
)
def test_only_http_and_https(url: str) -> None:
    """Any other scheme, or none, is refused before any request."""
    with pytest.raises(InputError) as caught:
        fetch_document(url)
    assert str(caught.value) == f"{url}: only http and https URLs can be fetched"


API = "http://api.test"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/OWNER/REPO", f"{API}/repos/OWNER/REPO/readme"),
        ("https://github.com/OWNER/REPO/", f"{API}/repos/OWNER/REPO/readme"),
        ("https://github.com/OWNER/REPO.git", f"{API}/repos/OWNER/REPO/readme"),
        ("http://www.github.com/OWNER/REPO", f"{API}/repos/OWNER/REPO/readme"),
        ("https://GitHub.com/OWNER/REPO/tree/dev/", f"{API}/repos/OWNER/REPO/readme?ref=dev"),
        ("https://github.com/OWNER/REPO/blob/main/README.md", None),
        ("https://github.com/OWNER", None),
        ("https://github.com/topics/segment-anything", None),
        ("https://gist.github.com/OWNER/REPO", None),
        ("https://example.org/OWNER/REPO", None),
    ],
)
def test_github_readme_url(url: str, expected: str | None) -> None:
    """Only a repository's own URL (optionally with a branch) means its README."""
    assert github_readme_url(url, api_root=API) == expected


def test_github_repository_means_its_readme(site: Site) -> None:
    """A repository URL fetches the raw README from the GitHub API root given."""
    site.routes["/repos/OWNER/REPO/readme"] = Route(body=b"# Papers\n")
    document = fetch_document("https://github.com/OWNER/REPO", github_api=site.url)
    assert document == b"# Papers\n"
    assert site.seen[0][1]["Accept"] == "application/vnd.github.raw"


def test_missing_readme_names_both_urls(site: Site) -> None:
    """A failed README request names the repository URL and the API URL."""
    with pytest.raises(InputError) as caught:
        fetch_document("https://github.com/OWNER/REPO", github_api=site.url)
    assert str(caught.value) == (
        f"https://github.com/OWNER/REPO: HTTP 404 Not Found from {site.url}/repos/OWNER/REPO/readme"
    )


def test_follows_http_redirects(site: Site) -> None:
    """A redirect to another http(s) URL is followed."""
    site.routes["/old"] = Route(302, {"Location": "/new"})
    site.routes["/new"] = Route(body=b"moved here")
    assert fetch_document(f"{site.url}/old") == b"moved here"


def test_refuses_redirect_to_other_schemes(site: Site) -> None:
    """A redirect to a file: URL is refused, not followed."""
    site.routes["/evil"] = Route(302, {"Location": "file:///etc/passwd"})
    with pytest.raises(InputError) as caught:
        fetch_document(f"{site.url}/evil")
    assert str(caught.value) == f"{site.url}/evil: refusing a redirect to file:///etc/passwd"


def test_redirect_loops_end(site: Site) -> None:
    """Endless redirects stop with an error after ten."""
    site.routes["/loop"] = Route(302, {"Location": "/loop"})
    with pytest.raises(InputError) as caught:
        fetch_document(f"{site.url}/loop")
    assert str(caught.value) == f"{site.url}/loop: more than 10 redirects"
    assert len(site.seen) == 11


@pytest.mark.parametrize("send_length", [True, False], ids=["announced", "streamed"])
def test_oversized_documents_are_refused(site: Site, send_length: bool) -> None:
    """A body over max_bytes stops the download, whether or not its length was announced."""
    site.routes["/big"] = Route(body=b"x" * 4096, send_length=send_length)
    with pytest.raises(InputError) as caught:
        fetch_document(f"{site.url}/big", max_bytes=1024)
    assert str(caught.value) == (
        f"{site.url}/big: the document is larger than the limit of 1024 bytes"
    )


def test_a_document_of_exactly_max_bytes_is_accepted(site: Site) -> None:
    """The limit is inclusive."""
    site.routes["/edge"] = Route(body=b"y" * 1024, send_length=False)
    assert fetch_document(f"{site.url}/edge", max_bytes=1024) == b"y" * 1024


def test_http_errors(site: Site) -> None:
    """An HTTP error status becomes one line naming the URL and the status."""
    with pytest.raises(InputError) as caught:
        fetch_document(f"{site.url}/missing")
    assert str(caught.value) == f"{site.url}/missing: HTTP 404 Not Found"


def test_connection_refused() -> None:
    """A closed port becomes one line naming the URL and the host."""
    url = f"http://127.0.0.1:{unused_port()}/post"
    with pytest.raises(InputError) as caught:
        fetch_document(url)
    assert str(caught.value) == f"{url}: cannot connect to {url.split('/')[2]}"


def test_default_timeout_applies(site: Site) -> None:
    """A session's default timeout ends a request that brings no timeout of its own."""
    site.routes["/slow"] = Route(body=b"late", delay=2.0)
    with pytest.raises(InputError) as caught:
        fetch_document(f"{site.url}/slow", session=new_session(timeout=0.2))
    assert str(caught.value) == f"{site.url}/slow: timed out waiting for {site.url[7:]}"


def test_explicit_timeout_wins(site: Site) -> None:
    """A timeout given with the request replaces the session's default."""
    site.routes["/slow"] = Route(body=b"late", delay=0.3)
    response = new_session(timeout=0.05).get(f"{site.url}/slow", timeout=5)
    assert response.content == b"late"
