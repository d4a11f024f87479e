"""Repair of PDF-damaged Swedish: detached diacritics, spurious Å, ligatures, bullets, hyphenated line ends."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from ingest.cleaning.artefacts import fix_glyphs, mend_hyphenation
from ingest.cleaning.repair import damage_report, damage_score, repair_stream, repair_text

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
FIXTURES = REPO / "tests" / "fixtures" / "repair"
DAMAGED_DOC = CORPUS / "region-norrbotten-aterrapportering-2022.txt"
CLEAN_DOCS = [
    "north-sweden-green-deal.txt",
    "vagar-till-hallbar-utveckling-finansiering.txt",
    "vasternorrland-hso-och-sam.txt",
    "hallbar-regional-utveckling-hru.txt",
]
# What a detached diacritic leaves behind: `fo r`, `a r`, `pa  de`, `fra n`, `Å ven`, `O vre`, `niva .`
FRAGMENTS = re.compile(
    r"(?<![\w-])(?:fo|fra|pa|sa|da|na|ma|la|ga|ba|va|mo|go|ho|sto|sta|tva|a|o) +[a-zåäö]"
    r"|(?<![\w-])(?:pa|ocksa|niva|miljo|tva|Lulea|Pitea) +[ ,.;:]"
    r"|(?<![\w-])[ÅÄAO] [a-zåäö]"
)


def _read_tsv(path: Path) -> list[list[str]]:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")]
    return [row for row in rows if row[0] and not row[0].startswith("#")]


def _word_accuracy(pairs: list[tuple[str, str]]) -> tuple[float, list[tuple[str, str]]]:
    """Share of gold words (whitespace tokens) that the output has, aligned; plus the differing stretches.

    Words the output has but the gold lacks (an unjoined fragment) count as errors too:
    errors = max(gold words, output words) − aligned matches, per line.
    """
    gold_words = errors = 0
    wrong: list[tuple[str, str]] = []
    for output, gold in pairs:
        out_tokens, gold_tokens = output.split(), gold.split()
        matcher = SequenceMatcher(a=gold_tokens, b=out_tokens, autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        gold_words += len(gold_tokens)
        errors += max(len(gold_tokens), len(out_tokens)) - matched
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                wrong.append((" ".join(gold_tokens[i1:i2]), " ".join(out_tokens[j1:j2])))
    return 1 - errors / gold_words, wrong


@pytest.fixture(scope="module")
def damaged_text() -> str:
    return DAMAGED_DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def repaired_lines(damaged_text: str) -> dict[str, str]:
    """Each (right-stripped) line of the återrapportering mapped to its repaired version."""
    repaired = repair_text(damaged_text)
    return {
        before.rstrip(): after.rstrip()
        for before, after in zip(reversed(damaged_text.split("\n")), reversed(repaired.split("\n")), strict=True)
    }


def test_damaged_lines_are_repaired_with_at_least_99_percent_word_accuracy(repaired_lines):
    rows = _read_tsv(FIXTURES / "damaged.tsv")
    assert len(rows) >= 40
    assert all(damaged in repaired_lines for damaged, _ in rows), "a fixture line is not in the document"
    accuracy, wrong = _word_accuracy([(repaired_lines[damaged], gold) for damaged, gold in rows])
    print(f"\nword accuracy on {len(rows)} damaged lines: {accuracy:.2%}; wrong: {wrong}")
    assert accuracy >= 0.99, wrong


def test_control_lines_keep_every_word(repaired_lines, damaged_text):
    rows = _read_tsv(FIXTURES / "controls.tsv")
    assert len(rows) >= 10
    changed = []
    for name, line in rows:
        own_document = (CORPUS / name).read_text(encoding="utf-8")
        assert line in (own.rstrip() for own in own_document.split("\n"))
        # Inside the damaged document, or alone but judged with its vocabulary and damage profile.
        after = repaired_lines[line] if name == DAMAGED_DOC.name else repair_text(line, context=damaged_text)
        if after != line:
            changed.append((line, after))
    print(f"\ncontrol lines changed: {len(changed)} of {len(rows)}")
    assert changed == []


@pytest.mark.parametrize("name", CLEAN_DOCS)
def test_an_undamaged_document_comes_back_as_the_very_same_text(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert damage_report(text).damaged is False
    assert repair_text(text) is text


def test_the_aterrapportering_is_detected_as_damaged_with_a_spurious_capital_a(damaged_text):
    report = damage_report(damaged_text)
    assert report.damaged and report.spurious_mode
    assert damage_score(damaged_text) > 0.1
    assert max(damage_score((CORPUS / name).read_text(encoding="utf-8")) for name in CLEAN_DOCS) < 0.005


def test_the_whole_aterrapportering_keeps_its_line_count_and_loses_every_fragment(damaged_text):
    repaired = repair_text(damaged_text)
    assert repaired.count("\n") == damaged_text.count("\n")
    assert FRAGMENTS.findall(damaged_text)  # the pattern does find the damage…
    assert FRAGMENTS.findall(repaired) == []  # …and none is left


def test_repair_works_on_text_whose_line_edges_ingest_cleaning_has_stripped(damaged_text):
    # Cleaning strips line edges and squeezes three or more spaces; the double space survives.
    cleaned = "\n".join(re.sub(" {3,}", " ", line).strip(" ") for line in damaged_text.split("\n"))
    repaired = repair_text(cleaned)
    assert repaired.count("\n") == cleaned.count("\n")
    assert FRAGMENTS.findall(repaired) == []


def test_context_decides_between_ar_and_ar():
    text = "Det a r viktigt. Tidigare a r var det sa . Under tva  a r har vi i a r gjort mer a n fo rut."
    assert repair_text(text) == "Det är viktigt. Tidigare år var det så. Under två år har vi i år gjort mer än förut."


def test_a_word_written_intact_elsewhere_in_the_document_decides_an_ambiguous_repair():
    damaged = "Vi ska ta fram tva  scenarier fo r la nen."
    assert repair_text(damaged) == "Vi ska ta fram två scenarier för lånen."  # wordfreq prefers lån
    with_vocabulary = damaged + "\nLänets kommuner och länsstyrelsen."
    assert repair_text(with_vocabulary).split("\n")[0] == "Vi ska ta fram två scenarier för länen."


def test_spurious_a_ring_is_mended_only_in_documents_whose_font_draws_a_as_a_ring():
    damaged = (
        "Årbetet med Ågenda 2030 fo r hela la net.\nÅnge max 5 insatser.\n"
        "Åttraktiva miljo er fo r LKÅB.\nÅterrapportering och en a rlig plan. Ånge kommun deltar."
    )
    assert repair_text(damaged) == (
        "Arbetet med Agenda 2030 för hela länet.\nAnge max 5 insatser.\n"
        "Attraktiva miljöer för LKAB.\nÅterrapportering och en årlig plan. Ånge kommun deltar."
    )
    intact = "Årlig rapport från Åre kommun. Återrapportering sker i Ånge."
    assert repair_text(intact) is intact


def test_names_english_numbers_codes_urls_and_emails_stay_as_they_are(damaged_text):
    line = (
        "Bill Gates och Flagship One, Fit for 55, RUN 00060-2022, N2021/03079, 070-597 37 11, "
        "se https://www.norrbotten.se/sv/a-r/pa-ga-ende.pdf eller skriv till ulrika.aberg@tillvaxtverket.se"
    )
    assert repair_text(line, context=damaged_text) == line
    assert repair_text("Info pa  https://x.se/pa/fo.pdf fo r alla", context=damaged_text) == (
        "Info på https://x.se/pa/fo.pdf för alla"
    )


def test_line_count_is_kept_whatever_the_input():
    for text in ["", "\n", "fo r\n\n", "a r\r\nha llbar\n", "kompetens-\nförsörjning\n\nmiljo \n", "pa  \n\n\n"]:
        assert repair_text(text).count("\n") == text.count("\n")


def test_ligatures_and_private_use_bullets_become_plain_text():
    assert fix_glyphs("\uf0b7 Finansiering av ﬁrmor och ﬂygplatser") == "• Finansiering av firmor och flygplatser"
    assert fix_glyphs("\uf0a7 punkt\n\uf0d8 pil\n\ue123 okänd") == "▪ punkt\n➢ pil\n• okänd"
    assert fix_glyphs("ord\ue123ord") == "ord\ue123ord"  # an unknown glyph inside a word is not a bullet
    assert fix_glyphs("fo¨r ha˚llbar ide´") == "för hållbar idé"
    text = "Vi söker ﬁnansiering.\n"
    assert repair_text(text) == "Vi söker finansiering.\n"


def test_plain_text_without_artefacts_is_not_copied():
    text = "Inga artefakter här."
    assert fix_glyphs(text) is text


def test_hyphenated_line_ends_are_joined_onto_the_first_line():
    text = "arbete med kompetens-\nförsörjning i länet\nsamt HRU-\nprojektet och e-\npost.\n"
    assert repair_text(text) == "arbete med kompetensförsörjning\ni länet\nsamt HRU-projektet\noch e-post.\n\n"


def test_real_hyphens_and_suspended_compounds_are_kept():
    text = (
        "Interreg Sverige–Finland–Norge och 1:1-medel i HRU-projektet, e-post till lands-\n"
        "och glesbygd, kort- och långsikt, Sverige-\nFinland.\n"
    )
    assert repair_text(text) is text


def test_a_hyphenated_line_end_is_left_alone_when_the_joined_word_is_unknown():
    assert mend_hyphenation("xyzzy-\nplugh här", lambda word: False) == "xyzzy-\nplugh här"


def test_repair_stream_reads_one_document_and_writes_it_line_for_line():
    source = "Nationell strategi fo r ha llbar\nregional utveckling pa  la ngre sikt.\n\nÅ ven i O vre Norrland.\n"
    out = io.StringIO()
    repair_stream(io.StringIO(source), out)
    assert out.getvalue() == (
        "Nationell strategi för hållbar\nregional utveckling på längre sikt.\n\nÄven i Övre Norrland.\n"
    )


def test_the_module_repairs_stdin_to_stdout():
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cleaning.repair"],
        input="Samra d med na ringsliv\noch la nsstyrelsen.\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert done.stdout == "Samråd med näringsliv\noch länsstyrelsen.\n"
