"""Security: no key leaks, no injection through rendered Markdown, careful fetching and XML.

Through the real entry point, against local servers on 127.0.0.1 only. Every paper id
and count made up here is SYNTHETIC (ids from 2099), never a fact about a real paper.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from standin import ArxivStandin
from standin_s2 import S2Standin, synthetic_ids, synthetic_papers
from typer.testing import CliRunner, Result

from curator import cli, store
from curator.models import Entry, ReadingList, Status
from curator.render import readme
from curator.render.markdown import CountStyle, clean, render_list
from curator.sources import web

KEY = "sk-synthetic-7c1e5a-never-to-be-seen"
"""A made-up Semantic Scholar API key that must never leave the request header."""
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
"""CommonMark with GitHub's tables and strikethrough; raw HTML would show as html tokens."""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke curator in-process with the given arguments and environment."""
    return CliRunner().invoke(cli.app, list(args), env=env or {})


# Fetching web pages


@dataclass
class Answer:
    """What the local web server answers on one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    length: bool = True
    """False leaves out Content-Length: the body ends when the connection closes."""


class _Web(ThreadingHTTPServer):
    daemon_threads = True
    answers: dict[str, Answer]
    seen: list[str]


class _WebHandler(BaseHTTPRequestHandler):
    server: _Web

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        answer = self.server.answers.get(self.path, Answer(404, body=b"Not Found"))
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.length:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # curator stopped reading at its limit

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def site() -> Iterator[tuple[str, _Web]]:
    """Serve fixed answers on a loopback port; give its base URL and the server."""
    server = _Web(("127.0.0.1", 0), _WebHandler)
    server.answers, server.seen = {}, []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("file:///etc/passwd", "file:///etc/passwd"),
        ("FILE:///etc/passwd", "FILE:///etc/passwd"),
        ("ftp://127.0.0.1/post.txt", "ftp://127.0.0.1/post.txt"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        (
            "data:text/plain,arXiv:2304.02643" + "x" * 500,
            "data:text/plain,arXiv:2304.02643" + "x" * 47 + "\u2026",
        ),
    ],
)
def test_redirect_to_another_scheme_is_refused(
    site: tuple[str, _Web], tmp_path: Path, status: int, location: str, shown: str
) -> None:
    """A SOURCE URL redirecting away from http(s) is one error line; nothing is added."""
    url, server = site
    server.answers["/post"] = Answer(status, {"Location": location})
    listing = tmp_path / "papers.toml"
    for args in (["extract", f"{url}/post"], ["harvest", f"{url}/post", "--list", str(listing)]):
        result = run(*args)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"error: {url}/post: refusing a redirect to {shown}\n"
    assert not listing.exists()
    assert server.seen == ["/post", "/post"]


def test_redirect_chain_is_checked_at_every_hop(site: tuple[str, _Web]) -> None:
    """An http redirect is followed, and a later hop to file: is still refused."""
    url, server = site
    server.answers["/a"] = Answer(302, {"Location": "/b"})
    server.answers["/b"] = Answer(302, {"Location": "file:///etc/hostname"})
    result = run("extract", f"{url}/a")
    assert result.exit_code == 1
    assert result.stderr == f"error: {url}/a: refusing a redirect to file:///etc/hostname\n"
    assert server.seen == ["/a", "/b"]


def test_control_characters_in_a_redirect_are_not_echoed(site: tuple[str, _Web]) -> None:
    """A Location holding terminal escapes is shown without them, on one line."""
    url, server = site
    server.answers["/post"] = Answer(302, {"Location": "data:\x1b[2Jgone"})
    result = run("extract", f"{url}/post")
    assert result.exit_code == 1
    assert result.stderr == f"error: {url}/post: refusing a redirect to data:\ufffd[2Jgone\n"


@pytest.mark.parametrize("length", [True, False], ids=["declared", "streamed"])
def test_oversized_page_is_refused(site: tuple[str, _Web], length: bool) -> None:
    """A page over the size limit (declared or not) is refused in one line, never read whole."""
    url, server = site
    server.answers["/big"] = Answer(
        body=b"arXiv:2304.02643 " * (web.MAX_BYTES // 17 + 1), length=length
    )
    result = run("extract", f"{url}/big")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {url}/big: the document is larger than the limit of {web.MAX_BYTES} bytes\n"
    )


@pytest.mark.parametrize("source", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://h/x"])
def test_only_http_sources_are_fetched(source: str) -> None:
    """A SOURCE in any other scheme is refused before anything is read."""
    result = run("extract", source)
    assert result.exit_code == 1
    assert result.stderr == f"error: {source}: only http and https URLs can be fetched\n"


# XML from arXiv


def xml_bombs(secret: Path, dtd_url: str) -> dict[str, bytes]:
    """Return Atom bodies that would expand entities or reach files and URLs if parsed naively."""
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/9901.00001v1</id><title>%s</title></entry></feed>"
    )
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    return {
        "billion-laughs": (
            f"<?xml version='1.0'?><!DOCTYPE feed [{laughs}]>{feed % '&l9;'}"
        ).encode(),
        "external-file": (
            f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>'
            f"{feed % '&x;'}"
        ).encode(),
        "parameter-entity": (
            f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY % p SYSTEM "file://{secret}">%p;]>'
            f"{feed % 'T'}"
        ).encode(),
        "external-dtd": (
            f'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "{dtd_url}">{feed % "&x;"}'
        ).encode(),
    }


@pytest.mark.parametrize(
    "bomb", ["billion-laughs", "external-file", "parameter-entity", "external-dtd"]
)
def test_xml_with_entities_from_arxiv_is_refused(
    tmp_path: Path, arxiv_standin: ArxivStandin, site: tuple[str, _Web], bomb: str
) -> None:
    """A feed with a DOCTYPE is refused unread: nothing expands, no file or URL is opened."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-9f3a\n", encoding="utf-8")
    url, server = site
    body = xml_bombs(secret, f"{url}/evil.dtd")[bomb]

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/atom+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    arxiv_standin.answer = answer  # type: ignore[method-assign]
    post = tmp_path / "post.txt"
    post.write_text("arXiv:9901.00001\n", encoding="utf-8")  # a SYNTHETIC id
    listing = tmp_path / "papers.toml"
    env = {"CURATOR_ARXIV_API": arxiv_standin.api_url}
    result = run("harvest", str(post), "--list", str(listing), env=env)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: arXiv: answer uses forbidden XML (DTDForbidden)",
        f"warning: 1 papers kept as pending in {listing}; run 'curator refresh {listing}' later",
    ]
    (entry,) = store.load(listing).entries
    assert (entry.id, entry.title, entry.status) == ("9901.00001", None, Status.PENDING)
    assert b"SECRET" not in listing.read_bytes()
    assert server.seen == []  # the external DTD was never fetched
    refreshed = run("refresh", str(listing), "--no-citations", env=env)
    assert refreshed.exit_code == 1
    assert refreshed.stderr.startswith("error: arXiv: answer uses forbidden XML (DTDForbidden)\n")


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "streamed"])
def test_oversized_answer_from_arxiv_is_refused_unread(
    tmp_path: Path, arxiv_standin: ArxivStandin, monkeypatch: pytest.MonkeyPatch, declared: bool
) -> None:
    """An answer larger than the bound is refused, whether its length is declared or not."""
    monkeypatch.setattr("curator.sources.arxiv.MAX_ANSWER_BYTES", 1000)
    body = b"<feed>" + b" " * 5000 + b"</feed>"

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/atom+xml")
        if declared:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    arxiv_standin.answer = answer  # type: ignore[method-assign]
    post = tmp_path / "post.txt"
    post.write_text("arXiv:9901.00001\n", encoding="utf-8")  # a SYNTHETIC id
    listing = tmp_path / "papers.toml"
    env = {"CURATOR_ARXIV_API": arxiv_standin.api_url}

    result = run("harvest", str(post), "--list", str(listing), env=env)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "error: arXiv: answer larger than 1,000 bytes, refused"


# Rendered Markdown

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "](javascript:alert(1))",
    "<javascript:alert(1)>",
    "x\n- [x] injected item\n- second",
    "x\n\n# Injected heading",
    "<!-- curator:end synthetic -->",
    "x\n<!-- curator:end synthetic -->\n<!-- curator:start synthetic -->",
    "```\nfenced",
    "~~~",
    "`code` | a | b |\n|---|---|",
    "&lt;script&gt; &#60;b&#62;",
    "<details open>",
    "![img](https://example.org/x.png)",
    "\\<script>",
    "line\u2028separated\u2029paragraph\x85next\x1b[2J",
]
"""Values that would break out of a list item, a region or into HTML if not escaped."""


def nasty_list(path: Path) -> list[str]:
    """Write a list whose every person-written and arXiv-given text is hostile; give its ids."""
    identifiers = synthetic_ids(len(NASTY))
    path.write_text(
        "[list]\n"
        f"title = {json.dumps(NASTY[0] + ' list')}\n"
        f"description = {json.dumps(NASTY[5])}\n"
        f"sections = [{json.dumps(NASTY[7])}, {json.dumps(NASTY[6])}]\n",
        encoding="utf-8",
    )
    with store.editing(path) as editor:
        for number, (identifier, text) in enumerate(zip(identifiers, NASTY, strict=True)):
            editor.add(
                Entry(
                    id=identifier,
                    section=NASTY[(number + 7) % len(NASTY)],
                    note=text,
                    tags=(text,),
                )
            )
    # Titles, authors and venues as a service would give them (SYNTHETIC values).
    text = path.read_text(encoding="utf-8")
    for identifier, value in zip(identifiers, NASTY, strict=True):
        extra = (
            f"title = {json.dumps(value)}\n"
            f"authors = [{json.dumps(value)}, {json.dumps('Synthetic ' + value)}]\n"
            f"venue = {json.dumps(value)}\n"
            f"journal_ref = {json.dumps(value)}\n"
            f"primary_category = {json.dumps(value)}\n"
            "citations = 7\n"
            f"s2_id = {json.dumps(value)}\n"
        )
        text = text.replace(f'id = "{identifier}"\n', f'id = "{identifier}"\n{extra}', 1)
    path.write_text(text, encoding="utf-8")
    return identifiers


def walk(tokens: list[Token]) -> Iterator[Token]:
    """Yield every token, children included."""
    for token in tokens:
        yield token
        yield from walk(token.children or [])


ALLOWED_LINKS = (
    "https://arxiv.org/abs/",
    "https://img.shields.io/badge/",
    "https://www.semanticscholar.org/paper/",
    "#",
)


def text_of(inline: Token) -> str:
    """Return the text an inline token renders to (escapes resolved), without markup."""
    return "".join(
        child.content for child in inline.children or [] if child.type in ("text", "code_inline")
    )


def assert_safe(markdown: str, *, papers: int, headings: set[str]) -> None:
    """Assert ``markdown`` has no HTML, only curator's links and headings, one item per paper."""
    tokens = MARKDOWN.parse(markdown)
    kinds = {token.type for token in walk(tokens)}
    assert not kinds & {"html_inline", "html_block", "fence", "code_block", "table_open", "hr"}
    for token in walk(tokens):
        for name in ("href", "src"):
            target = token.attrGet(name)
            if target is not None:
                assert str(target).startswith(ALLOWED_LINKS), target
                assert "javascript:" not in str(target).lower()
    arxiv_links = [
        token
        for token in walk(tokens)
        if token.type == "link_open" and str(token.attrGet("href")).startswith(ALLOWED_LINKS[0])
    ]
    assert len(arxiv_links) == papers
    # Every item is one paragraph in a top-level list: nothing nested, nothing split off.
    depth = 0
    for before, token in itertools.pairwise(tokens):
        if token.type == "bullet_list_open":
            depth += 1
            assert depth == 1, "a nested list"
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open":
            assert before.type in ("bullet_list_open", "list_item_close")
        elif token.type == "paragraph_open" and depth:
            assert before.type == "list_item_open", "a second block inside an item"
    shown = {
        text_of(inline)
        for opening, inline in itertools.pairwise(tokens)
        if opening.type == "heading_open"
    }
    assert shown <= headings, shown - headings


def test_hostile_values_cannot_inject_html_links_items_or_markers(tmp_path: Path) -> None:
    """Titles, names, notes, venues, sections and list texts render as text, in every style."""
    listing = tmp_path / "synthetic.toml"
    identifiers = nasty_list(listing)
    (tmp_path / "synthetic.history.csv").write_text(
        "date,id,citations,influential_citations\n"
        + "".join(f"2099-01-01,{key},1,0\n2099-01-20,{key},7,0\n" for key in identifiers),
        encoding="utf-8",
    )
    headings = {"Contents", "Trending", "Papers", "Other", *map(clean, NASTY)}
    headings.add(clean(NASTY[0] + " list"))
    styles = [[], ["--counts", "badge", "--trending", "5"], ["--group", "none", "--sort", "title"]]
    for style in styles:
        result = run("render", str(listing), *style)
        assert result.exit_code == 0, result.stderr
        assert_safe(result.stdout, papers=len(identifiers), headings=headings)
        for line in result.stdout.splitlines():
            assert not readme._MARKER.fullmatch(line), line
    page = tmp_path / "README.md"
    before, after = "# Mine\n\n", "\n## After the list\n\nKept.\n"
    page.write_text(
        before + "<!-- curator:start synthetic -->\n<!-- curator:end synthetic -->\n" + after,
        encoding="utf-8",
    )
    for style in styles:
        result = run("render", str(listing), "--readme", str(page), *style)
        assert result.exit_code == 0, result.stderr
        text = page.read_text(encoding="utf-8")
        assert readme.regions(text) == ["synthetic"]
        assert text.startswith(before + "<!-- curator:start synthetic -->\n")
        assert text.endswith("<!-- curator:end synthetic -->\n" + after)
        start, end = "<!-- curator:start synthetic -->\n", "<!-- curator:end synthetic -->\n"
        inside = text[len(before) + len(start) : -len(end + after)]  # the markers are HTML
        assert_safe(inside, papers=len(identifiers), headings=headings)


_HOSTILE = st.lists(
    st.sampled_from(
        [
            *"<>[]()`*_|\\!#&;:=-+.~$\"' \n\r\t\x00\x1b\u2028/",
            *("javascript:", "<!--", "-->", "curator:end", "curator:start", "script"),
            *("a", "Z", "1"),
        ]
    ),
    max_size=30,
).map("".join)
_FIELDS = ("title", "note", "section", "venue", "list_title")


@settings(max_examples=80, deadline=None)
@given(texts=st.fixed_dictionaries(dict.fromkeys(_FIELDS, _HOSTILE)), authors=st.lists(_HOSTILE))
def test_any_hostile_text_stays_inside_its_item(texts: dict[str, str], authors: list[str]) -> None:
    """Whatever the texts, each paper is one item with one arXiv link, and a README region holds."""
    entries = tuple(
        Entry(
            id=key,
            title=texts["title"],
            authors=tuple(authors),
            note=texts["note"],
            section=texts["section"] or None,
            venue=texts["venue"],
            citations=7,
            published=dt.date(2099, 1, 1),
        )
        for key in synthetic_ids(2)
    )
    reading_list = ReadingList(
        name="synthetic",
        title=texts["list_title"],
        description=texts["note"],
        sections=(texts["section"],),
        entries=entries,
    )
    headings = {
        "Contents",
        "Trending",
        "Papers",
        "Other",
        clean(texts["section"]),
        clean(texts["list_title"]) or "synthetic",
    }
    for counts in (CountStyle.PLAIN, CountStyle.BADGE):
        rendered = render_list(reading_list, counts=counts, trending=[(entries[0], 3)])
        assert_safe(rendered, papers=2, headings=headings)
        region = render_list(reading_list, counts=counts, heading_level=2)
        page = readme.splice(
            "<!-- curator:start synthetic -->\n<!-- curator:end synthetic -->\ntail\n",
            "synthetic",
            region,
        )
        assert readme.regions(page) == ["synthetic"]
        assert page.endswith("<!-- curator:end synthetic -->\ntail\n")


# The Semantic Scholar API key


def s2_env(tmp_path: Path, s2: S2Standin, arxiv: ArxivStandin | None = None) -> dict[str, str]:
    """Return settings pointing at the stand-ins, with the key set."""
    return {
        "CURATOR_S2_API": s2.url,
        "CURATOR_ARXIV_API": "http://127.0.0.1:9/api/query" if arxiv is None else arxiv.api_url,
        "CURATOR_CACHE_DIR": str(tmp_path / "cache"),
        "S2_API_KEY": KEY,
    }


def echoing(s2: S2Standin, status: int) -> Callable[[BaseHTTPRequestHandler, str], None]:
    """Return an answer that echoes the request's key in its body, as a careless proxy might."""

    def answer(handler: BaseHTTPRequestHandler, method: str) -> None:
        key = handler.headers.get("x-api-key", "")
        handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        body = json.dumps({"error": f"key {key} refused", "message": f"bad key {key}"}).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def test_api_key_appears_nowhere(tmp_path: Path) -> None:
    """The key is in no file, cache, history, rendering, JSON, -vv log line or error message."""
    listing = tmp_path / "synthetic.toml"
    post = tmp_path / "post.txt"
    post.write_text("".join(f"arXiv:{key}\n" for key in synthetic_ids(30)), encoding="utf-8")
    outputs: list[Result] = []
    with ArxivStandin() as arxiv, S2Standin(synthetic_papers(30)) as s2:  # SYNTHETIC data
        arxiv.add_synthetic(synthetic_ids(30))
        env = s2_env(tmp_path, s2, arxiv)
        outputs.append(run("-vv", "harvest", str(post), "--list", str(listing), "--json", env=env))
        outputs.append(run("-vv", "refresh", str(listing), env=env))
        outputs.append(run("-vv", "refresh", str(listing), "--all", "--json", env=env))
        for paper in s2.papers.values():
            paper["citationCount"] += 3
        outputs.append(run("-vv", "refresh", str(listing), "--all", env=env))
        for status in (400, 403, 500):
            s2.answer = echoing(s2, status)  # type: ignore[method-assign, assignment]
            outputs.append(run("-vv", "refresh", str(listing), "--all", "--no-metadata", env=env))
    env_down = {**env, "CURATOR_S2_API": "http://127.0.0.1:9"}
    outputs.append(run("-vv", "refresh", str(listing), "--all", "--no-metadata", env=env_down))
    outputs.append(run("-vv", "show", str(listing), "--json", env=env))
    outputs.append(run("-vv", "show", str(listing), env=env))
    outputs.append(run("-vv", "trending", str(listing), "--json", env=env))
    outputs.append(run("-vv", "trending", str(listing), env=env))
    outputs.append(
        run("-vv", "render", str(listing), "--counts", "badge", "--trending", "3", env=env)
    )
    outputs.append(run("-vv", "render", str(listing), "-o", str(tmp_path / "out.md"), env=env))
    outputs.append(run("-vv", "plot", str(listing), "-o", str(tmp_path / "chart.svg"), env=env))
    assert any(result.stderr.startswith("debug: ") for result in outputs)  # -vv did log
    assert sum(result.exit_code != 0 for result in outputs) == 4  # the failures were reported
    for result in outputs:
        assert KEY not in result.stdout
        assert KEY not in result.stderr
        assert KEY not in repr(result.exception)
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {
        "synthetic.toml",
        "synthetic.history.csv",
        "cache.sqlite3",
        "out.md",
        "chart.svg",
    }
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path


def test_malformed_key_is_not_echoed(tmp_path: Path) -> None:
    """A key with a space or a control character is refused without showing its value."""
    listing = tmp_path / "synthetic.toml"
    with store.editing(listing, create=True) as editor:
        editor.add(Entry(id="9901.00001"))
    for key in (f"{KEY} x", f"{KEY}\x07"):
        result = run("refresh", str(listing), "--no-metadata", env={"S2_API_KEY": key})
        assert result.exit_code == 2
        assert result.stderr == (
            "error: S2_API_KEY contains spaces or control characters; check its value\n"
        )


def test_key_in_the_reason_phrase_is_not_echoed(tmp_path: Path) -> None:
    """A service answering with the key in its status line does not get it into the message."""
    listing = tmp_path / "synthetic.toml"
    with store.editing(listing, create=True) as editor:
        editor.add(Entry(id="9901.00001"))
    with S2Standin() as s2:

        def answer(handler: BaseHTTPRequestHandler, method: str) -> None:
            handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
            handler.send_response(403, f"Forbidden key {handler.headers.get('x-api-key')}")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        s2.answer = answer  # type: ignore[method-assign]
        result = run("refresh", str(listing), "--no-metadata", env=s2_env(tmp_path, s2))
    assert result.exit_code == 1
    assert KEY not in result.stderr
    assert result.stderr.startswith("error: Semantic Scholar: access denied (HTTP 403")
