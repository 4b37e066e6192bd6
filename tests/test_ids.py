"""The arXiv identifier rules: parsing, canonical forms, and finding mentions in text."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from curator import ids

FULLWIDTH_MENTION = "arXiv:2304.02643".translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})

# (text, [(mention as written, canonical id, version), ...]) with arXiv context only.
FOUND = [
    # arxiv.org and its subdomains, every path, with or without scheme, any host case
    (
        "https://arxiv.org/abs/2304.02643",
        [("https://arxiv.org/abs/2304.02643", "2304.02643", None)],
    ),
    ("http://arxiv.org/abs/2304.02643v2", [("http://arxiv.org/abs/2304.02643v2", "2304.02643", 2)]),
    ("arxiv.org/abs/2304.02643", [("arxiv.org/abs/2304.02643", "2304.02643", None)]),
    ("www.arxiv.org/abs/2304.02643", [("www.arxiv.org/abs/2304.02643", "2304.02643", None)]),
    (
        "https://export.arxiv.org/abs/2304.02643",
        [("https://export.arxiv.org/abs/2304.02643", "2304.02643", None)],
    ),
    (
        "HTTPS://ArXiv.ORG/abs/2304.02643",
        [("HTTPS://ArXiv.ORG/abs/2304.02643", "2304.02643", None)],
    ),
    (
        "https://arxiv.org/pdf/2304.02643",
        [("https://arxiv.org/pdf/2304.02643", "2304.02643", None)],
    ),
    (
        "https://arxiv.org/pdf/2304.02643v1.pdf",
        [("https://arxiv.org/pdf/2304.02643v1.pdf", "2304.02643", 1)],
    ),
    (
        "https://arxiv.org/pdf/2304.02643.pdf",
        [("https://arxiv.org/pdf/2304.02643.pdf", "2304.02643", None)],
    ),
    (
        "https://arxiv.org/html/2304.02643v2",
        [("https://arxiv.org/html/2304.02643v2", "2304.02643", 2)],
    ),
    (
        "https://arxiv.org/format/2304.02643",
        [("https://arxiv.org/format/2304.02643", "2304.02643", None)],
    ),
    (
        "https://arxiv.org/src/2304.02643",
        [("https://arxiv.org/src/2304.02643", "2304.02643", None)],
    ),
    ("https://arxiv.org/ps/2304.02643", [("https://arxiv.org/ps/2304.02643", "2304.02643", None)]),
    (
        "https://arxiv.org/abs/2304.02643?context=cs.CV",
        [("https://arxiv.org/abs/2304.02643?context=cs.CV", "2304.02643", None)],
    ),
    (
        "https://arxiv.org/abs/2304.02643#S2",
        [("https://arxiv.org/abs/2304.02643#S2", "2304.02643", None)],
    ),
    (
        "Read https://arxiv.org/abs/2304.02643?utm_source=x&utm_medium=y#top.",
        [("https://arxiv.org/abs/2304.02643?utm_source=x&utm_medium=y#top", "2304.02643", None)],
    ),
    (
        "(https://arxiv.org/abs/2304.02643).",
        [("https://arxiv.org/abs/2304.02643", "2304.02643", None)],
    ),
    (
        "<https://arxiv.org/abs/2304.02643/>",
        [("https://arxiv.org/abs/2304.02643", "2304.02643", None)],
    ),
    # other sites that name arXiv papers
    (
        "https://ar5iv.org/abs/2304.02643",
        [("https://ar5iv.org/abs/2304.02643", "2304.02643", None)],
    ),
    (
        "https://ar5iv.labs.arxiv.org/html/2304.02643",
        [("https://ar5iv.labs.arxiv.org/html/2304.02643", "2304.02643", None)],
    ),
    (
        "https://www.alphaxiv.org/abs/2304.02643",
        [("https://www.alphaxiv.org/abs/2304.02643", "2304.02643", None)],
    ),
    (
        "https://huggingface.co/papers/2304.02643",
        [("https://huggingface.co/papers/2304.02643", "2304.02643", None)],
    ),
    (
        "https://scirate.com/arxiv/2304.02643",
        [("https://scirate.com/arxiv/2304.02643", "2304.02643", None)],
    ),
    # DOIs, with or without a resolver
    ("10.48550/arXiv.2304.02643", [("10.48550/arXiv.2304.02643", "2304.02643", None)]),
    (
        "https://doi.org/10.48550/arXiv.2304.02643",
        [("https://doi.org/10.48550/arXiv.2304.02643", "2304.02643", None)],
    ),
    (
        "doi.org/10.48550/ARXIV.2304.02643",
        [("doi.org/10.48550/ARXIV.2304.02643", "2304.02643", None)],
    ),
    (
        "http://dx.doi.org/10.48550/arxiv.2304.02643",
        [("http://dx.doi.org/10.48550/arxiv.2304.02643", "2304.02643", None)],
    ),
    ("doi:10.48550/arXiv.2304.02643", [("10.48550/arXiv.2304.02643", "2304.02643", None)]),
    # text and bibliography forms
    ("arXiv:2304.02643", [("arXiv:2304.02643", "2304.02643", None)]),
    ("ARXIV:2304.02643", [("ARXIV:2304.02643", "2304.02643", None)]),
    ("see arxiv: 2304.02643", [("arxiv: 2304.02643", "2304.02643", None)]),
    ("arXiv:2106.09685v2 [cs.CL]", [("arXiv:2106.09685v2 [cs.CL]", "2106.09685", 2)]),
    ("CoRR abs/1510.00149", [("CoRR abs/1510.00149", "1510.00149", None)]),
    ("CoRR, abs/1510.00149", [("CoRR, abs/1510.00149", "1510.00149", None)]),
    ("ArXiv, abs/2210.13669", [("ArXiv, abs/2210.13669", "2210.13669", None)]),
    ("e.g.arXiv:2304.02643", [("arXiv:2304.02643", "2304.02643", None)]),
    # old-style identifiers
    (
        "https://arxiv.org/abs/hep-th/9901001",
        [("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001", None)],
    ),
    ("arXiv:math.GT/0309136", [("arXiv:math.GT/0309136", "math/0309136", None)]),
    (
        "arxiv.org/abs/math.GT/0309136v1",
        [("arxiv.org/abs/math.GT/0309136v1", "math/0309136", 1)],
    ),
    ("arXiv:HEP-TH/9901001", [("arXiv:HEP-TH/9901001", "hep-th/9901001", None)]),
    ("arXiv:solv-int/9901001", [("arXiv:solv-int/9901001", "solv-int/9901001", None)]),
    ("arXiv:hep-th/9107001", [("arXiv:hep-th/9107001", "hep-th/9107001", None)]),
    ("arXiv:math/0703001", [("arXiv:math/0703001", "math/0703001", None)]),
    # the edges of the new scheme
    ("arXiv:0704.0001", [("arXiv:0704.0001", "0704.0001", None)]),
    ("arXiv:1412.9999", [("arXiv:1412.9999", "1412.9999", None)]),
    ("arXiv:1501.00001", [("arXiv:1501.00001", "1501.00001", None)]),
    # Unicode is normalised, but spans are those of the text as written
    (FULLWIDTH_MENTION, [(FULLWIDTH_MENTION, "2304.02643", None)]),
    ("arXiv:hep\u2010th/9901001", [("arXiv:hep\u2010th/9901001", "hep-th/9901001", None)]),
    ("\u2026arXiv:2304.02643 \u2026", [("arXiv:2304.02643", "2304.02643", None)]),
    ("\ufb01 arXiv:2304.02643", [("arXiv:2304.02643", "2304.02643", None)]),
    ("\u0130 arXiv:2304.02643", [("arXiv:2304.02643", "2304.02643", None)]),
    ("arXiv:2304.02643 \u2026", [("arXiv:2304.02643", "2304.02643", None)]),
    ("see arXiv:2304.0264\u248a now", [("arXiv:2304.0264\u248a", "2304.02643", None)]),
    # several mentions; a link text repeating its target is two mentions here (extract merges)
    (
        "arXiv:2304.02643 and https://arxiv.org/abs/2304.04155v3",
        [
            ("arXiv:2304.02643", "2304.02643", None),
            ("https://arxiv.org/abs/2304.04155v3", "2304.04155", 3),
        ],
    ),
    (
        "[arXiv:2304.02643](https://arxiv.org/abs/2304.02643)",
        [
            ("arXiv:2304.02643", "2304.02643", None),
            ("https://arxiv.org/abs/2304.02643", "2304.02643", None),
        ],
    ),
]

NOT_FOUND = [
    "arXiv:2023.12345",  # month 23
    "arXiv:1234.5678",  # month 34
    "arXiv:0703.0001",  # before the new scheme
    "arXiv:1501.0001",  # four digits from 2015
    "arXiv:1412.12345",  # five digits before 2015
    "arXiv:2304.00000",  # number zero
    "arXiv:2304.02643v0",  # version zero
    "https://arxiv.org/abs/1.2304.02643",
    "arXiv:12304.02643",
    "arXiv:2304.026431",
    "arXiv:2304.02643.1",
    "arXiv:2304.02643abc",
    "10.1089/end.2023.0740",
    "https://doi.org/10.1089/end.2023.0740",
    "https://arxiv.org/list/cs.CV/recent",
    "https://arxiv.org/list/hep-th/9901",
    "https://arxiv.org/a/kirillov_a_1",
    "https://huggingface.co/papers/FisyQfoJCm",
    "2304.02643",
    "hep-th/9901001",
    "arXiv:foo-th/9901001",  # not an archive
    "arXiv:hep-th/0704001",  # old style after March 2007
    "arXiv:hep-th/9106001",  # old style before July 1991
    "notarxiv.org/abs/2304.02643",
    "myarxiv:2304.02643",
    "https://arxiv.org.example.com/abs/2304.02643",
    "https://arxiv.org/abs/",
    "",
]

# (text, [(mention as written, canonical id, version), ...]) with bare=True.
FOUND_BARE = [
    ("2304.02643v2", [("2304.02643v2", "2304.02643", 2)]),
    ("hep-th/9901001", [("hep-th/9901001", "hep-th/9901001", None)]),
    ("math.GT/0309136", [("math.GT/0309136", "math/0309136", None)]),
    (
        "see 2304.02643, 2304.04155.",
        [("2304.02643", "2304.02643", None), ("2304.04155", "2304.04155", None)],
    ),
    ("(2304.02643)", [("2304.02643", "2304.02643", None)]),
    ("arXiv:2304.02643", [("arXiv:2304.02643", "2304.02643", None)]),
    ("1.2304.02643", []),
    ("12304.02643", []),
    ("2304.026431", []),
    ("2304.02643.1", []),
    ("10.1089/end.2023.0740", []),
    ("2023.12345 1234.5678", []),
    ("https://arxiv.org/list/hep-th/9901001", []),
    ("xhep-th/9901001", []),
]


def mentions(text: str, *, bare: bool = False) -> list[tuple[str, str, int | None]]:
    """Return what find reports: the mention as written, its canonical id and version."""
    return [
        (text[match.start : match.end], match.id.canonical, match.id.version)
        for match in ids.find(text, bare=bare)
    ]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_find_takes_every_form_with_arxiv_context(
    text: str, expected: list[tuple[str, str, int | None]]
) -> None:
    """Every supported way of naming a paper is found, spanning the whole mention."""
    assert mentions(text) == expected


@pytest.mark.parametrize("text", NOT_FOUND)
def test_find_refuses_impossible_or_context_free_numbers(text: str) -> None:
    """Impossible identifiers, glued numbers, other DOIs and context-free ids are not found."""
    assert mentions(text) == []


@pytest.mark.parametrize(("text", "expected"), FOUND_BARE)
def test_find_bare_takes_standalone_ids_with_the_same_glue_rules(
    text: str, expected: list[tuple[str, str, int | None]]
) -> None:
    """With bare=True, standalone identifiers count, still refusing glued numbers."""
    assert mentions(text, bare=True) == expected


def test_find_reports_offsets_in_the_callers_text() -> None:
    """Spans count characters of the text as passed, before normalisation."""
    text = "\u2026 \ufb01 see arXiv:2304.02643"
    assert [(match.start, match.end) for match in ids.find(text)] == [(8, 24)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2304.02643", ids.ArxivId("2304.02643")),
        ("arXiv:2304.02643v3", ids.ArxivId("2304.02643", 3)),
        ("math.GT/0309136", ids.ArxivId("math/0309136")),
        ("Hep-Th/9901001v2", ids.ArxivId("hep-th/9901001", 2)),
        ("2023.12345", None),
        ("https://arxiv.org/abs/2304.02643", None),
    ],
)
def test_parse_reads_one_identifier(text: str, expected: ids.ArxivId | None) -> None:
    """parse takes exactly one identifier and keeps its version apart."""
    assert ids.parse(text) == expected


@pytest.mark.parametrize(
    ("identifier", "year"),
    [("hep-th/9901001", 1999), ("math/0309136", 2003), ("2304.02643", 2023), ("x", None)],
)
def test_submission_year_reads_the_identifier(identifier: str, year: int | None) -> None:
    """The submission year comes from the identifier's YYMM, old style or new."""
    assert ids.submission_year(identifier) == year


def test_identifier_text_and_abstract_url() -> None:
    """An identifier prints with its version; its abstract page is on arxiv.org."""
    assert str(ids.ArxivId("2304.02643", 2)) == "2304.02643v2"
    assert str(ids.ArxivId("hep-th/9901001")) == "hep-th/9901001"
    assert ids.abs_url("hep-th/9901001") == "https://arxiv.org/abs/hep-th/9901001"


# Properties

_NEW_STYLE = st.one_of(
    st.builds(
        "{:02}{:02}.{:04}".format, st.integers(8, 14), st.integers(1, 12), st.integers(1, 9999)
    ),
    st.builds(
        "{:02}{:02}.{:05}".format, st.integers(15, 99), st.integers(1, 12), st.integers(1, 99999)
    ),
)
_OLD_STYLE = st.builds(
    "{}/{:02}{:02}{:03}".format,
    st.sampled_from(sorted(ids.ARCHIVES)),
    st.integers(92, 99),
    st.integers(1, 12),
    st.integers(1, 999),
)
_VALID = st.one_of(_NEW_STYLE, _OLD_STYLE)
_URL_FORMS = (
    "https://arxiv.org/abs/{}",
    "http://www.arxiv.org/pdf/{}.pdf",
    "export.arxiv.org/abs/{}",
    "https://ar5iv.labs.arxiv.org/html/{}",
    "https://ar5iv.org/abs/{}",
    "https://alphaxiv.org/abs/{}",
    "https://huggingface.co/papers/{}",
    "https://scirate.com/arxiv/{}",
    "https://doi.org/10.48550/arXiv.{}",
    "arXiv:{}",
)


@given(st.one_of(_VALID, st.text(max_size=30)))
@example("math.GT/0309136v2")
def test_canonical_is_idempotent(text: str) -> None:
    """The canonical form of a canonical identifier is itself."""
    first = ids.canonical(text)
    if first is not None:
        assert ids.canonical(first) == first
        assert ids.is_canonical(first)


@given(st.text(alphabet="0123456789./- \n", max_size=80))
@example("2304.02643 1.2304.02643 hep-th/9901001")
def test_digits_without_context_yield_nothing(text: str) -> None:
    """Numbers with no arXiv context are never taken for identifiers."""
    assert list(ids.find(text)) == []


@given(
    _VALID,
    st.sampled_from(_URL_FORMS),
    st.one_of(st.none(), st.integers(1, 20)),
    st.booleans(),
)
def test_find_takes_any_valid_identifier_in_any_form(
    identifier: str, form: str, version: int | None, shout: bool
) -> None:
    """A valid identifier written in a supported form is found, whole, with its version."""
    written = identifier if version is None else f"{identifier}v{version}"
    url = form.format(written)
    url = url.upper() if shout else url
    text = f"see ({url}) now"
    assert [(text[m.start : m.end], m.id) for m in ids.find(text)] == [
        (url, ids.ArxivId(identifier, version))
    ]


_FRAGMENTS = st.sampled_from(
    [
        "https://", "http://", "www.", "export.", "ar5iv.", "labs.", "arxiv", "arxiv.org/",
        "ar5iv.org/", "alphaxiv.org/", "huggingface.co/papers/", "scirate.com/arxiv/",
        "abs/", "pdf/", "html/", "doi.org/", "dx.", "10.48550/", "arxiv.", "arxiv:", "corr",
        " abs/", ", abs/", "2304.02643", "1501.00001", "v2", ".pdf", "hep-th/9901001",
        "math.gt/0309136", "?x=1", "#a", " [cs.cl]", ":", "/", ".", "-", " ", "\n", "x", "1",
        "_", "(", "]", "arxiv-", "badge/", "corr,",
    ]
)  # fmt: skip


@given(st.lists(_FRAGMENTS, max_size=14).map("".join))
@example("xhttps://arxiv.org/abs/2304.02643")
@example("https://img.shields.io/badge/arxiv-2304.02643 arxiv.org/abs/2304.02643")
def test_trigger_search_matches_a_full_scan(text: str) -> None:
    """Searching near trigger words finds exactly what scanning every position finds."""
    lowered = text.lower()
    full = [match.span() for match in ids._LINKED.finditer(lowered)]
    assert [match.span() for match in ids._linked_matches(lowered)] == full


# A line made only of trigger prefixes (issue 5: a 10 MB single line) must not make the trigger
# search retry the pattern across the whole look-back window for every trigger.
_PREFIX_LINES = [
    ("arxiv.org/abs/", "2304.02643", [("arxiv.org/abs/2304.02643", "2304.02643", None)]),
    ("10.48550/arXiv.", "", []),
    # glued to the last "arXiv." the DOI is not one; after a space it is
    ("10.48550/arXiv.", "2304.02643", []),
    (
        "10.48550/arXiv.",
        " 10.48550/arXiv.2304.02643v2",
        [("10.48550/arXiv.2304.02643v2", "2304.02643", 2)],
    ),
    ("arXiv:", "2304.02643", [("arXiv:2304.02643", "2304.02643", None)]),
]


@pytest.mark.parametrize(("unit", "tail", "expected"), _PREFIX_LINES)
def test_find_is_fast_on_a_megabyte_line_of_trigger_prefixes(
    unit: str, tail: str, expected: list[tuple[str, str, int | None]]
) -> None:
    """1 MB of trigger prefixes scans in under 4 s (it took up to 14 s); matches are exact."""
    text = unit * (1_000_000 // len(unit)) + tail
    started = time.perf_counter()
    found = mentions(text)
    elapsed = time.perf_counter() - started
    assert found == expected
    assert elapsed < 4.0, f"{elapsed:.2f} s for 1 MB of {unit!r}"
