"""Measure `curator extract` on a large awesome-list-like Markdown file against grep.

Usage: python benchmarks/extract_benchmark.py [--size-mb 110] [--repeat 3] [--keep DIR]

The script writes a Markdown file of the requested size in a temporary directory (entries in
the shapes awesome lists use: list items, table rows, badges, citations, Hugging Face and DOI
links; the papers are the 25 real ones of the project's example post, by id and real title;
the rest of the text is neutral filler), then times, best of --repeat runs:

* ``curator.extract.papers`` (distinct ids in order of first appearance: what the plain output
  of `curator extract` needs) as the real command ``python -m curator extract FILE`` in a
  child process (startup included), and in this process;
* ``curator.extract.extract`` (every occurrence described), consumed one by one, and
  ``group(extract(...))`` as `curator extract --json` needs it (its memory grows with the
  number of occurrences: it keeps them all);
* ``LC_ALL=C grep -oiE PATTERN`` on the same file, output written to a file (grep stops early
  when its output is /dev/null), with a pattern for the same link forms.

It prints MB/s and peak RSS for each. Peak RSS of a child comes from os.wait4.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from curator.extract import extract, group, papers

PAPERS = {
    "2304.02643": "Segment Anything",
    "2304.04155": (
        "Segment Anything Model (SAM) for Digital Pathology: Assess Zero-shot "
        "Segmentation on Whole Slide Imaging"
    ),
    "2304.05396": (
        "SAM.MD: Zero-shot medical image segmentation capabilities of the Segment Anything Model"
    ),
    "2304.05622": "SAMM (Segment Any Medical Model): A 3D Slicer Integration to SAM",
    "2304.08506": (
        "When SAM Meets Medical Images: An Investigation of Segment Anything Model (SAM) "
        "on Multi-phase Liver Tumor Segmentation"
    ),
    "2304.09148": (
        "SAM Fails to Segment Anything? -- SAM-Adapter: Adapting SAM in Underperformed "
        "Scenes: Camouflage, Shadow, Medical Image Segmentation, and More"
    ),
    "2304.09324": (
        "Computer-Vision Benchmark Segment-Anything Model (SAM) in Medical Images: "
        "Accuracy in 12 Datasets"
    ),
    "2304.10517": "Segment Anything Model for Medical Image Analysis: an Experimental Study",
    "2304.12306": "Segment Anything in Medical Images",
    "2304.12620": (
        "Medical SAM Adapter: Adapting Segment Anything Model for Medical Image Segmentation"
    ),
    "2304.13785": "Customized Segment Anything Model for Medical Image Segmentation",
    "2304.14660": "Segment Anything Model for Medical Images?",
    "2305.00035": "SAM on Medical Images: A Comprehensive Study on Three Prompt Modes",
    "2305.00109": (
        "Zero-shot performance of the Segment Anything Model (SAM) in 2D medical imaging:"
        " A comprehensive evaluation and practical guidelines"
    ),
    "2305.00278": (
        "Segment Anything Model (SAM) Meets Glass: Mirror and Transparent Objects Cannot "
        "Be Easily Detected"
    ),
    "2305.03048": "Personalize Segment Anything Model with One Shot",
    "2305.03678": "Towards Segment Anything Model (SAM) for Medical Image Segmentation: A Survey",
    "2305.05803": (
        "Segment Anything Model (SAM) Enhanced Pseudo Labels for Weakly Supervised "
        "Semantic Segmentation"
    ),
    "2305.08196": "A Comprehensive Survey on Segment Anything Model for Vision and Beyond",
    "2306.00499": (
        "DeSAM: Decoupled Segment Anything Model for Generalizable Medical Image Segmentation"
    ),
    "2306.01567": "Segment Anything in High Quality",
    "2306.02245": "SAM3D: Zero-Shot 3D Object Detection via Segment Anything Model",
    "2306.06211": (
        "A Survey on Segment Anything Model (SAM): Vision Foundation Model Meets Prompt Engineering"
    ),
    "2306.11730": "Segment Anything Model (SAM) for Radiation Oncology",
    "2108.06098": (
        "FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning"
    ),
}
"""The 25 papers of the example post: real identifiers and titles."""
ENTRY_SHAPES = (
    "- **{title}** [[paper](https://arxiv.org/abs/{id})] [[code](https://github.com/example/"
    "repo-{n})] - {filler}\n",
    "| {n} | [{title}](https://arxiv.org/abs/{id}) | {filler} | [Code](https://github.com/"
    "example/repo-{n}) |\n",
    "- [{title}](https://arxiv.org/pdf/{id}v2.pdf) - {filler}\n",
    "* {title}. arXiv:{id} [cs.CV], 2023. [[project](https://example.org/project-{n})]\n",
    "[![arXiv](https://img.shields.io/badge/arXiv-{id}-b31b1b.svg)](https://arxiv.org/abs/{id})"
    " **{title}**\n",
    "- {title} ([paper page](https://huggingface.co/papers/{id}), "
    "[DOI](https://doi.org/10.48550/arXiv.{id}))\n",
    "1. [arXiv:{id}](http://export.arxiv.org/abs/{id}) {title}\n",
)
FILLERS = (
    "A short neutral note about the method and where it applies.",
    "Adapts a promptable model to a new kind of input.",
    "Zero-shot results on several public data sets.",
    "Notes on prompts, masks and evaluation.",
)
GREP_ID = r"([0-9]{4}\.[0-9]{4,5}|[a-z-]+(\.[a-z]{2})?/[0-9]{7})(v[0-9]+)?"
GREP_PATTERN = (
    r"((https?://)?([a-z0-9-]+\.)*(arxiv\.org/(abs|pdf|html|format|src|ps)|ar5iv\.org/(abs|html)"
    r"|alphaxiv\.org/abs|huggingface\.co/papers|scirate\.com/arxiv)/"
    r"|((https?://)?(dx\.)?doi\.org/)?10\.48550/arxiv\.|arxiv: ?|(corr|arxiv),? abs/)" + GREP_ID
)


def write_list(path: Path, size: int, *, seed: int = 2023) -> None:
    """Write an awesome-list-like Markdown file of at least ``size`` bytes."""
    chooser = random.Random(seed)
    papers = list(PAPERS.items())
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("# Awesome Segment Anything (benchmark copy)\n\nA generated list.\n\n")
        section = 0
        while written < size:
            section += 1
            lines = [f"\n## Section {section}\n\n", f"{chooser.choice(FILLERS)}\n\n"]
            for n in range(section * 40, section * 40 + 40):
                identifier, title = chooser.choice(papers)
                shape = chooser.choice(ENTRY_SHAPES)
                lines.append(
                    shape.format(id=identifier, title=title, n=n, filler=chooser.choice(FILLERS))
                )
            block = "".join(lines)
            out.write(block)
            written += len(block.encode())


def best_of(repeat: int, run: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    """Return the shortest wall time of ``repeat`` runs and the largest peak RSS (KiB)."""
    results = [run() for _ in range(repeat)]
    return min(seconds for seconds, _ in results), max(rss for _, rss in results)


def in_process(path: Path, *, how: str) -> tuple[float, int]:
    """Time one way of reading the file in this process; return seconds and peak RSS (KiB)."""
    start = time.perf_counter()
    if how == "papers":
        list(papers([str(path)]))
    elif how == "extract":
        seen: set[str] = set()
        for item in extract([str(path)]):
            seen.add(item.id)
    else:
        group(extract([str(path)]))
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(command: list[str], output: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command with stdout to a file; return its wall time and peak RSS in KiB."""
    with output.open("wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # grep exits 1 when nothing matched
        raise SystemExit(f"{command[0]} failed with status {process.returncode}")
    return seconds, usage.ru_maxrss


def main() -> None:
    """Generate the file, run every measurement, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=110.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = arguments.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "awesome-benchmark.md"
        write_list(path, int(arguments.size_mb * 1e6))
        megabytes = path.stat().st_size / 1e6
        print(f"file: {path} ({megabytes:.1f} MB)")
        grep_env = {**os.environ, "LC_ALL": "C"}
        grep = ["grep", "-oiE", GREP_PATTERN, str(path)]
        rows = {
            "grep -oiE (LC_ALL=C)": lambda: child(grep, folder / "grep.out", grep_env),
            "curator extract FILE": lambda: child(
                [sys.executable, "-m", "curator", "extract", str(path)], folder / "curator.out"
            ),
            "papers(), in process": lambda: in_process(path, how="papers"),
            "extract(), in process": lambda: in_process(path, how="extract"),
            "group(extract()), in process": lambda: in_process(path, how="group"),
        }
        print(f"{'measurement':30} {'best s':>8} {'MB/s':>8} {'peak RSS MB':>12}")
        for name, run in rows.items():
            seconds, rss = best_of(arguments.repeat, run)
            print(f"{name:30} {seconds:8.2f} {megabytes / seconds:8.1f} {rss / 1024:12.0f}")
        matches = sum(1 for _ in (folder / "grep.out").open("rb"))
        papers = (folder / "curator.out").read_text().split()
        print(f"grep printed {matches} matches; curator found {len(papers)} distinct papers")


if __name__ == "__main__":
    main()
