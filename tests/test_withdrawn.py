"""Withdrawn papers and latest versions: detected from arXiv's answer, stored, rendered.

arXiv has no withdrawn flag (../shared/api/API.md): the withdrawing version says so in its
comment or abstract. No recorded withdrawn entry exists, so these tests use SYNTHETIC
entries from tests/standin.py (ids from 2099), never a real paper.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from standin import ArxivStandin, synthetic_entry

from curator import store
from curator.models import Entry, Paper, ReadingList
from curator.render.markdown import render_item
from curator.sources.arxiv import ArxivSource

SYNTHETIC = "9901.00001"


def standin_with_comment(tmp_path: Path, comment: str) -> ArxivStandin:
    """Return a stand-in that knows one synthetic paper whose latest version has ``comment``."""
    entry = synthetic_entry(SYNTHETIC).replace(
        "</title>", f"</title>\n    <arxiv:comment>{comment}</arxiv:comment>"
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(f"<feed>\n  {entry}\n</feed>\n", encoding="utf-8")
    return ArxivStandin(feed)


@pytest.mark.parametrize(
    ("comment", "withdrawn"),
    [
        ("This paper has been withdrawn by the author due to an error in Lemma 2", True),
        ("arXiv admin note: this version has been withdrawn by arXiv administrators", True),
        ("Withdrawn by the authors", True),
        ("12 pages, 3 figures; accepted at a workshop", False),
        ("We compare with methods that were later withdrawn from the benchmark", False),
    ],
)
def test_withdrawal_is_read_from_the_comment(tmp_path: Path, comment: str, withdrawn: bool) -> None:
    """A comment that withdraws the paper sets Paper.withdrawn; other comments do not."""
    with standin_with_comment(tmp_path, comment) as standin:
        paper = ArxivSource(endpoint=standin.api_url, delay=0).lookup([SYNTHETIC])[SYNTHETIC]
    assert (paper.withdrawn, paper.version) == (withdrawn, 1)


def test_update_stores_latest_version_and_withdrawal_then_lifts_it(tmp_path: Path) -> None:
    """update() writes latest_version and withdrawn = true, and removes withdrawn when lifted."""
    path = tmp_path / "list.toml"
    with store.editing(path, create=True) as editor:
        editor.add(Entry(id=SYNTHETIC))
        editor.update(Paper(id=SYNTHETIC, title="Synthetic paper", version=2, withdrawn=True))
    assert path.read_text(encoding="utf-8") == (
        '[[paper]]\nid = "9901.00001"\ntitle = "Synthetic paper"\n'
        "latest_version = 2\nwithdrawn = true\n"
    )
    with store.editing(path) as editor:
        editor.update(Paper(id=SYNTHETIC, title="Synthetic paper", version=3))
    (entry,) = store.load(path).entries
    assert (entry.latest_version, entry.withdrawn) == (3, False)


def test_withdrawn_entries_are_marked_when_rendered() -> None:
    """A withdrawn paper's item ends with a mark saying so."""
    entry = Entry(id=SYNTHETIC, title="Synthetic paper", withdrawn=True)
    assert render_item(entry).endswith(" *(withdrawn on arXiv)*")
    assert ReadingList(name="x", entries=(entry,)).entries[0].withdrawn
