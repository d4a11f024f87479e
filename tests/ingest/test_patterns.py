"""The shared patterns of Swedish documents: years, months, numbers, page markers, contents lines."""

from __future__ import annotations

import re

import pytest

from ingest.swedish.patterns import CONTENTS_LINE, INVISIBLE, MONTH, NUMBER, PAGE_MARKER, YEAR_RE


@pytest.mark.parametrize(
    "text, years",
    [
        ("Projektet pågår 2021–2030.", ["2021", "2030"]),
        ("rapport 2017, Myndigheten", ["2017"]),
        ("organiserad brottslighet 2018-2019.", ["2018", "2019"]),
        ("datum 2024-02-06", ["2024"]),
        ("åren 2019/20", ["2019"]),
        ("budgeten 2020,5 miljoner", []),  # a decimal, not a year
        ("AFS 2012:3 om arbetsmiljö", []),  # a reference number
        ("diarienummer N2021/03079", []),  # a code
        ("Skr. 1:2020", []),
        ("år 1850 och 2150", []),
    ],
)
def test_a_year_stands_alone(text, years):
    assert YEAR_RE.findall(text) == years


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("56 000 000 kronor", ["56 000 000"]),
        ("112,5 miljoner", ["112,5"]),
        ("3\u00a0400 deltagare", ["3\u00a0400"]),
        ("version 3.2", ["3.2"]),
        ("EU2020 och 45 butiker", ["45"]),
    ],
)
def test_a_swedish_number_keeps_its_digit_groups_and_decimal_comma(text, numbers):
    assert re.findall(NUMBER, text) == numbers


def test_a_page_marker_gives_the_page_and_the_page_count():
    found = [(m["page"], m["pages"]) for m in PAGE_MARKER.finditer("Rubrik\n  3 (45)\ntext 4(45) i en rad\n4(45)\n")]
    assert found == [("3", "45"), ("4", "45")]


@pytest.mark.parametrize(
    "line, entry, page",
    [
        ("1.2 Hållbar utveckling ........ 12", "1.2 Hållbar utveckling", "12"),
        ("Bilagor . . . . . 40", "Bilagor", "40"),
        ("Sammanfattning…… 3", "Sammanfattning", "3"),
        ("Förord ____ iii", "Förord", "iii"),
    ],
)
def test_a_contents_line_is_an_entry_a_leader_and_a_page(line, entry, page):
    m = CONTENTS_LINE.match(line)
    assert m and (m["entry"], m["page"]) == (entry, page)


def test_a_sentence_ending_in_a_number_is_no_contents_line():
    assert not CONTENTS_LINE.match("Budgeten är 112 miljoner kronor. Totalt 12")


def test_invisible_characters_are_the_ones_that_split_words():
    assert INVISIBLE.sub("", "kompe\u00adtens\u200bför\ufeffsörjning") == "kompetensförsörjning"


@pytest.mark.parametrize(
    "text, month",
    [("6 februari 2024", "februari"), ("6 feb. 2024", "feb."), ("1 Sept 2021", "Sept"), ("12 marknader 2020", None)],
)
def test_a_month_is_a_whole_swedish_month_name_or_its_abbreviation(text, month):
    found = re.search(rf"\d{{1,2}} ({MONTH}) \d{{4}}", text, re.I)
    assert (found.group(1) if found else None) == month
