"""Measure curator against the performance goals of issue 5 and print a Markdown table.

Usage: python benchmarks/run_benchmarks.py [--quick] [--runs 5] [--extract-mb 110] [--code DIR]

Everything runs on this machine against the loopback stand-ins of the two APIs
(``tests/standin.py`` and ``tests/standin_s2.py``, imported from there), with the rate
limits scaled down: arXiv ``ARXIV_DELAY`` s, Semantic Scholar ``S2_DELAY`` s, curator
configured to match through its ``CURATOR_*`` settings. The Semantic Scholar stand-in
answers 429 to a request that comes sooner than its limit. curator always runs as the
real command (``python -m curator ...``) in a child process, start-up included.

Every paper is SYNTHETIC test data, made by ``synthetic_data.py``: ids from 2099
(``9901.00001`` upwards, a month arXiv has not reached), titles that start with "Synthetic
paper", authors named "Synthetic", dates in 2099. Nothing describes a real paper.

Measurements:

* build: ``curator harvest`` of a Markdown post with links to 1,000 papers, then
  ``curator refresh`` of the new list; the requests each service received, and the
  wall time of both commands against the rate-limit floor (see :func:`floor`); then a
  second refresh, within max-age, and its requests;
* a 5,000-paper list (every field curator writes, sections, tags, notes, TOML comments):
  ``curator refresh --all`` with no delays, minus the time the stand-ins spent
  answering (the local work), then ``curator render`` and ``curator show``, piped
  and on a pseudo-terminal (median of ``--runs``);
* ``curator --help`` (median of ``HELP_RUNS``);
* ``curator extract`` on a generated awesome list of ``--extract-mb`` MB against
  ``LC_ALL=C grep -oiE`` (from ``extract_benchmark.py``; best of ``--runs``).

``--quick`` uses 200 and 1,000 papers and a 10 MB file, for trying the script out; its
numbers do not answer the goals.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from extract_benchmark import GREP_PATTERN, child, write_list
from standin import ArxivStandin
from standin_s2 import S2Standin, synthetic_papers
from synthetic_data import Synthetic, atom_entry, post, synthetic, toml_list

ARXIV_DELAY = 0.2
"""Seconds between two arXiv requests: the real 3 s, scaled down."""
S2_DELAY = 0.1
"""Seconds between two Semantic Scholar requests: the real 1 s, scaled down."""
HELP_RUNS = 10
TERMINAL_WIDTH = 120
CURATOR = (sys.executable, "-m", "curator")


def floor(arxiv_requests: int, s2_requests: int) -> float:
    """Return the rate-limit floor: the sum of the gaps the limits impose between requests.

    Requests to one service are ``delay`` apart, so ``n`` of them take at least
    ``(n - 1) * delay`` even when every answer is instant. arXiv and Semantic Scholar
    are asked one after the other, so their gaps add up.
    """
    return max(0, arxiv_requests - 1) * ARXIV_DELAY + max(0, s2_requests - 1) * S2_DELAY


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    measure: str
    goal: str
    measured: str
    met: bool


@contextmanager
def stand_ins(
    papers: list[Synthetic], *, limited: bool
) -> Iterator[tuple[ArxivStandin, S2Standin]]:
    """Serve ``papers`` from both stand-ins; ``limited``: Semantic Scholar enforces its limit."""
    known = synthetic_papers(len(papers), known_fraction=0.9)
    with (
        ArxivStandin() as arxiv,
        S2Standin(known, min_interval=S2_DELAY if limited else 0.0) as s2,
    ):
        arxiv.entries.update((paper.id, atom_entry(paper)) for paper in papers)
        yield arxiv, s2


@dataclass
class Busy:
    """Seconds the stand-ins spent answering, summed over all requests."""

    seconds: float = 0.0


def timed_answers(arxiv: ArxivStandin, s2: S2Standin) -> Busy:
    """Wrap both stand-ins' ``answer`` so that the time they spend is summed in the result."""
    busy = Busy()
    lock = threading.Lock()

    def timing(answer: Callable[..., None]) -> Callable[..., None]:
        def timed(*args: object) -> None:
            start = time.perf_counter()
            answer(*args)
            with lock:
                busy.seconds += time.perf_counter() - start

        return timed

    arxiv.answer = timing(arxiv.answer)  # type: ignore[method-assign]
    s2.answer = timing(s2.answer)  # type: ignore[method-assign]
    return busy


def environment(
    folder: Path, arxiv: ArxivStandin, s2: S2Standin, *, delays: bool
) -> dict[str, str]:
    """Return the environment pointing curator at the stand-ins with a private cache."""
    return {
        **os.environ,
        "CURATOR_ARXIV_API": arxiv.api_url,
        "CURATOR_ARXIV_DELAY": str(ARXIV_DELAY if delays else 0),
        "CURATOR_S2_API": s2.url,
        "CURATOR_S2_DELAY": str(S2_DELAY if delays else 0),
        "CURATOR_CACHE_DIR": str(folder / "cache"),
        "S2_API_KEY": "synthetic-benchmark-key",
    }


def run(args: list[str], folder: Path, env: dict[str, str]) -> float:
    """Run curator with ``args``, stdout to a file; return its wall time in seconds."""
    seconds, _ = child([*CURATOR, *args], folder / "stdout.txt", env)
    return seconds


def on_terminal(args: list[str], env: dict[str, str]) -> float:
    """Run curator with a 120-column pseudo-terminal as stdout; return its wall time."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, TERMINAL_WIDTH, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen([*CURATOR, *args], stdout=terminal, env=env)
    os.close(terminal)
    try:
        while os.read(controller, 65536):  # drain it, or the child blocks on a full terminal
            pass
    except OSError:  # EIO: the child closed its side
        pass
    process.wait()
    seconds = time.perf_counter() - start
    os.close(controller)
    if process.returncode != 0:
        raise SystemExit(f"curator {' '.join(args)} failed with status {process.returncode}")
    return seconds


def median_of(runs: int, measure: Callable[[], float]) -> float:
    """Return the median of ``runs`` measurements."""
    return statistics.median(measure() for _ in range(runs))


@dataclass(frozen=True)
class Build:
    """What one build of a list from a post took."""

    seconds: float
    """Wall time of ``curator harvest`` and ``curator refresh``, both."""
    arxiv: int
    """Requests arXiv received."""
    s2: int
    """Requests Semantic Scholar received, the ones it answered 429 included."""
    rate_limited: int
    """Requests Semantic Scholar answered 429: they came sooner than its limit allows."""
    arxiv_gap: float | None
    """The shortest time between two arXiv requests, as they arrived (None: fewer than two)."""
    s2_gap: float | None
    """The same for Semantic Scholar."""
    again: int
    """Requests a second refresh, within max-age, made to either service."""


def build_once(folder: Path, papers: list[Synthetic]) -> Build:
    """Harvest a post linking to ``papers`` into a new list, refresh it, then refresh it again."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "post.md").write_text(post(papers), encoding="utf-8")
    listing = str(folder / "build.toml")
    with stand_ins(papers, limited=True) as (arxiv, s2):
        env = environment(folder, arxiv, s2, delays=True)
        seconds = run(["harvest", str(folder / "post.md"), "--list", listing], folder, env)
        seconds += run(["refresh", listing], folder, env)
        asked = len(arxiv.requests) + len(s2.requests)
        result = Build(
            seconds,
            len(arxiv.requests),
            len(s2.requests),
            s2.rate_limited,
            shortest_gap([seen.time for seen in arxiv.requests]),
            shortest_gap([seen.time for seen in s2.requests]),
            0,
        )
        run(["refresh", listing], folder, env)
        return replace(result, again=len(arxiv.requests) + len(s2.requests) - asked)


def shortest_gap(times: list[float]) -> float | None:
    """Return the shortest time between two of ``times`` (in order); None for fewer than two."""
    return min((later - earlier for earlier, later in pairwise(times)), default=None)


def apart(gaps: Iterable[float | None]) -> str:
    """Say how far apart requests came at the least, if there were two of them."""
    known = [gap for gap in gaps if gap is not None]
    return f", at least {min(known):.3f} s apart" if known else ""


def build(folder: Path, count: int, runs: int) -> list[Row]:
    """Build a ``count``-paper list ``runs`` times; report requests and the median wall time."""
    papers = synthetic(count)
    builds = [build_once(folder / "build", papers) for _ in range(runs)]
    wanted = (-(-count // 100), -(-count // 500))  # arXiv takes 100 ids a request, S2 500
    least = floor(*wanted)
    seconds = statistics.median(each.seconds for each in builds)
    arxiv = sorted({each.arxiv for each in builds})
    s2 = sorted({each.s2 for each in builds})
    refused = sum(each.rate_limited for each in builds)
    again = max(each.again for each in builds)
    return [
        Row(
            f"build a {count:,}-paper list (harvest, then refresh): arXiv requests",
            str(wanted[0]),
            " or ".join(map(str, arxiv)) + apart(each.arxiv_gap for each in builds),
            arxiv == [wanted[0]],
        ),
        Row(
            "the same build: Semantic Scholar requests",
            str(wanted[1]),
            f"{' or '.join(map(str, s2))}{apart(each.s2_gap for each in builds)} "
            f"({refused} of {sum(each.s2 for each in builds)} in {runs} builds answered 429)",
            s2 == [wanted[1]],
        ),
        Row("a second refresh within max-age: requests", "0", str(again), again == 0),
        Row(
            "the build's wall time (median)",
            f"≤ 1.2 x floor = {1.2 * least:.2f} s",
            f"{seconds:.2f} s = {seconds / least:.2f} x floor ({least:.1f} s)",
            seconds <= 1.2 * least,
        ),
    ]


def big_list(folder: Path, count: int, runs: int) -> list[Row]:
    """Refresh, render and show a ``count``-paper list."""
    papers = synthetic(count)
    listing = folder / "big.toml"
    text = toml_list(papers)
    with stand_ins(papers, limited=False) as (arxiv, s2):
        busy = timed_answers(arxiv, s2)
        env = environment(folder, arxiv, s2, delays=False)
        local: list[float] = []
        for _ in range(runs):
            listing.write_text(text, encoding="utf-8")
            listing.with_suffix(".history.csv").unlink(missing_ok=True)
            shutil.rmtree(folder / "cache", ignore_errors=True)
            before = busy.seconds
            wall = run(["refresh", "--all", str(listing)], folder, env)
            local.append(wall - (busy.seconds - before))
    args = [str(listing)]
    render = median_of(runs, lambda: run(["render", *args], folder, env))
    show = median_of(runs, lambda: run(["show", *args], folder, env))
    show_terminal = median_of(runs, lambda: on_terminal(["show", *args], env))
    refresh_local = statistics.median(local)
    return [
        Row(
            f"`curator refresh --all` of {count:,} papers: local work",
            "< 3 s",
            f"{refresh_local:.2f} s",
            refresh_local < 3,
        ),
        Row(f"`curator render` of {count:,} papers", "< 1 s", f"{render:.2f} s", render < 1),
        Row(f"`curator show` of {count:,} papers, piped", "< 1 s", f"{show:.2f} s", show < 1),
        Row(
            f"`curator show` of {count:,} papers, on a terminal",
            "< 1 s",
            f"{show_terminal:.2f} s",
            show_terminal < 1,
        ),
    ]


def startup(folder: Path) -> list[Row]:
    """Time ``curator --help``."""
    env = dict(os.environ)
    seconds = median_of(HELP_RUNS, lambda: run(["--help"], folder, env))
    return [Row("`curator --help`", "< 0.2 s", f"{seconds:.2f} s", seconds < 0.2)]


def extraction(folder: Path, megabytes: float, runs: int) -> list[Row]:
    """Compare ``curator extract FILE`` with grep on a generated awesome list."""
    path = folder / "awesome-benchmark.md"
    write_list(path, int(megabytes * 1e6))
    size = path.stat().st_size / 1e6
    grep_env = {**os.environ, "LC_ALL": "C"}
    grep = ["grep", "-oiE", GREP_PATTERN, str(path)]
    grep_s = min(child(grep, folder / "grep.out", grep_env)[0] for _ in range(runs))
    results = [child([*CURATOR, "extract", str(path)], folder / "out") for _ in range(runs)]
    curator_s = min(seconds for seconds, _ in results)
    peak = max(rss for _, rss in results) / 1024
    return [
        Row(
            f"`curator extract` of {size:.0f} MB: throughput",
            f"≥ grep's ({size / grep_s:.1f} MB/s)",
            f"{size / curator_s:.1f} MB/s",
            curator_s <= grep_s,
        ),
        Row(
            f"`curator extract` of {size:.0f} MB: peak memory",
            "< 150 MB",
            f"{peak:.0f} MB",
            peak < 150,
        ),
    ]


def table(rows: list[Row]) -> str:
    """Return the rows as a Markdown table."""
    lines = ["| measure | goal | this machine | met? |", "| --- | --- | --- | --- |"]
    for row in rows:
        met = "yes" if row.met else "**no**"
        lines.append(f"| {row.measure} | {row.goal} | {row.measured} | {met} |")
    return "\n".join(lines)


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    parser.add_argument("--runs", type=int, default=5, help="runs per timed command")
    parser.add_argument("--extract-mb", type=float, default=110.0)
    parser.add_argument(
        "--code",
        type=Path,
        help="run the curator package in this directory instead (such as an older checkout)",
    )
    arguments = parser.parse_args()
    if arguments.code is not None:
        os.environ["PYTHONPATH"] = str(arguments.code.resolve())  # for the child processes
    small, large = (200, 1000) if arguments.quick else (1000, 5000)
    megabytes = 10.0 if arguments.quick else arguments.extract_mb
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        parts: list[Callable[[], list[Row]]] = [
            lambda: build(folder, small, arguments.runs),
            lambda: big_list(folder, large, arguments.runs),
            lambda: startup(folder),
            lambda: extraction(folder, megabytes, arguments.runs),
        ]
        for part in parts:
            done = part()
            rows.extend(done)
            print(*table(done).splitlines()[2:], sep="\n", file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
