"""Real facts about papers, shared by tests (from ../shared/reference/seed-papers.json)."""

import datetime as dt

from curator.models import Entry

SEGMENT_ANYTHING_AUTHORS = (
    "Alexander Kirillov",
    "Eric Mintun",
    "Nikhila Ravi",
    "Hanzi Mao",
    "Chloe Rolland",
    "Laura Gustafson",
    "Tete Xiao",
    "Spencer Whitehead",
    "Alexander C. Berg",
    "Wan-Yen Lo",
    "Piotr Dollár",
    "Ross Girshick",
)
"""The authors of 2304.02643, "Segment Anything", in order."""

SEGMENT_ANYTHING = Entry(
    id="2304.02643",
    title="Segment Anything",
    authors=SEGMENT_ANYTHING_AUTHORS,
    published=dt.date(2023, 4, 5),
    primary_category="cs.CV",
    venue="ICCV 2023 (IEEE/CVF International Conference on Computer Vision), 2023",
    section="Foundation models",
)
"""2304.02643 as a list entry, with the venue of its published version."""
