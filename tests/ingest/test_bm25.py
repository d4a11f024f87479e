"""The persisted BM25 index: ranking Swedish text, metadata filters, and saving that never loses an index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.indexing.bm25 import CHUNKS_FILE, CURRENT, BM25Index, TermCache
from ingest.types import Chunk, DocumentMeta
from regionkunskap.errors import ConfigError, StoreError

GREEN_DEAL = DocumentMeta(
    doc_id="north-sweden-green-deal",
    title="The North Sweden Green Deal",
    doc_type="projekt",
    organisation="Region Västerbotten",
    region="Västerbotten",
    year=2022,
)
HSO_SAM = DocumentMeta(
    doc_id="vasternorrland-hso-och-sam",
    title="Gemensamt arbete mot ett starkare Västernorrland",
    doc_type="nyhet",
    organisation="Region Västernorrland",
    region="Västernorrland",
    year=2024,
)
HRU = DocumentMeta(
    doc_id="hallbar-regional-utveckling-hru",
    title="Projekt Hållbar regional utveckling",
    doc_type="projekt",
    organisation="Region Västerbotten",
    region="Västerbotten",
    year=2023,
)

# Paragraphs from the seed documents, as (document, heading, text).
PARAGRAPHS = [
    (
        GREEN_DEAL,
        "Parter i projektet",
        "Kompetensförsörjning för att underlätta vid rekryteringar till hållbara industrin och samtidigt "
        "minska risken att övrig industri tappar kompetens.",
    ),
    (
        GREEN_DEAL,
        "",
        "The North Sweden Green Deal pågår under 2022 och 2023 och EU:s regionala fond finansierar med 56 "
        "miljoner kronor. Den totala budgeten för hela projektet är 112,5 miljoner kronor som Region "
        "Västerbotten och Region Norrbotten äger gemensamt.",
    ),
    (
        HSO_SAM,
        "Hållbar samhällsomställning och stärkt attraktionskraft",
        "Systerprojektet Stärkt attraktionskraft och mottagningskapacitet, SAM, syftar till att skapa en "
        "regional struktur och metod för att attrahera, identifiera och inkludera kompetens i hela länet. "
        "Projektet startar i februari 2024 och har som mål att stötta lokala funktioner och branschnätverk i "
        "deras arbete.",
    ),
    (
        HSO_SAM,
        "Spelindustri en växande bransch",
        "Vi har tio bolag och trettio anställda i Kramfors och Höga Kusten. Framtida satsning på "
        "spelindustrin i Västernorrland kommer att bidra till en stärkt attraktionskraft och en breddad "
        "arbetsmarknad. Men för att kunna locka internationella företag och den kompetens som behövs måste "
        "vi satsa på bostäder och annan infrastruktur kring de spelnoder som kommer att växa fram.",
    ),
    (
        HSO_SAM,
        "Hållbar samhällsomställning (HSO)",
        "Projektet har medfinansiering från ERUF och regionala 1:1-medel. Region Västernorrland, "
        "Länsstyrelsen Västernorrland, Mittuniversitetet samt BizMaker bidrar med personalresurser i "
        "projektet. Projektperiod: 1 januari 2024 – 30 april 2027.",
    ),
    (
        HRU,
        "Insatsområde 2: Hållbara platser",
        "Inom insatsområdet ska även en plattform tas fram som visar upp länet ur ett mångfaldsperspektiv "
        "och ska förhoppningsvis attrahera ny kompetens till länet. Plattformen ska baseras på de behov som "
        "länets kommuner ser inom området.",
    ),
    (
        HRU,
        "Projektinsatser",
        "Ökad kompetens kring hållbarhetsfrågor bland länets aktörer. Skapa hållbara platser i "
        "Västerbotten ur ett eller flera hållbarhetsperspektiv.",
    ),
]


def make_chunk(meta: DocumentMeta, heading: str, text: str) -> Chunk:
    return Chunk(
        id=Chunk.make_id(meta.doc_id, text),
        doc_id=meta.doc_id,
        text=text,
        heading_path=(heading,) if heading else (),
        start=0,
        end=len(text),
        page=None,
        page_end=None,
        language="sv",
        meta=meta,
    )


CHUNKS = [make_chunk(*p) for p in PARAGRAPHS]
COMPETENCE_SUPPLY = CHUNKS[0]  # the one paragraph about kompetensförsörjning
BUDGET, SAM, HSO = CHUNKS[1], CHUNKS[2], CHUNKS[4]


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(CHUNKS)


def ids(results: list[tuple[str, float]]) -> list[str]:
    return [chunk_id for chunk_id, _ in results]


# --- ranking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "kompetensförsörjning",
        "kompetensförsörjningen",
        "försörjning av kompetens",
        "Hur arbetar projektet med kompetensförsörjningen?",
    ],
)
def test_inflected_and_paraphrased_compounds_find_the_compound(index, query):
    assert ids(index.search(query, k=3))[0] == COMPETENCE_SUPPLY.id


def test_results_are_best_first_and_only_chunks_sharing_a_term(index):
    results = index.search("Vem äger North Sweden Green Deal?", k=10)
    assert ids(results)[0] == BUDGET.id
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True) and all(score > 0 for score in scores)
    assert len(results) < len(CHUNKS)


def test_k_limits_the_number_of_results(index):
    assert len(index.search("kompetens", k=2)) == 2
    assert index.search("kompetens", k=0) == []


def test_a_query_of_unknown_or_stop_words_finds_nothing(index):
    assert index.search("xylofon", k=5) == []
    assert index.search("och det är", k=5) == []
    assert index.search("", k=5) == []


def test_a_repeated_chunk_is_indexed_once():
    index = BM25Index.build([*CHUNKS, CHUNKS[0]])
    assert len(index) == len(CHUNKS)
    assert index.chunk_ids == [chunk.id for chunk in CHUNKS]


def test_a_term_cache_analyses_each_chunk_once_across_builds_and_ranks_the_same():
    cache = TermCache()
    BM25Index.build(CHUNKS[:4], terms=cache)
    assert len(cache) == 4
    rebuilt = BM25Index.build(CHUNKS[2:], terms=cache)  # two chunks gone, three new
    assert len(cache) == len(CHUNKS) - 2, "the terms of chunks no longer indexed are forgotten"
    plain = BM25Index.build(CHUNKS[2:])
    for query in ("kompetens i länet", "Vem bidrar med personalresurser?", "spelindustrin"):
        assert rebuilt.search(query, k=5) == plain.search(query, k=5)


def test_an_empty_index_answers_every_query_with_nothing(tmp_path):
    empty = BM25Index.build([])
    assert len(empty) == 0 and empty.search("kompetens", k=5) == []
    empty.save(tmp_path / "bm25")
    assert BM25Index.load(tmp_path / "bm25").search("kompetens", k=5) == []


def test_chunks_without_a_single_index_term_can_still_be_indexed(tmp_path):
    bare = DocumentMeta(doc_id="tom", title="")
    index = BM25Index.build([make_chunk(bare, "", "och det är"), make_chunk(bare, "", "men så")])
    assert len(index) == 2 and index.search("och", k=5) == []
    index.save(tmp_path / "bm25")
    assert len(BM25Index.load(tmp_path / "bm25")) == 2


# --- filters ------------------------------------------------------------------------------------


def test_a_filter_keeps_only_matching_chunks(index):
    results = ids(index.search("kompetens", k=10, where={"region": "Västernorrland"}))
    in_region = {c.id for c in CHUNKS if c.meta.region == "Västernorrland"}
    assert results and set(results) <= in_region


def test_a_list_means_any_of_its_values(index):
    where = {"doc_id": [HSO_SAM.doc_id, HRU.doc_id]}
    results = ids(index.search("kompetens", k=10, where=where))
    assert COMPETENCE_SUPPLY.id not in results
    assert {SAM.id} <= set(results)


def test_filters_combine_and_compare_years_as_text(index):
    assert ids(index.search("projektet", k=10, where={"year": "2024", "doc_type": "nyhet"})) == ids(
        index.search("projektet", k=10, where={"year": 2024, "doc_type": ["nyhet"]})
    )
    assert ids(index.search("projektet", k=10, where={"year": 2024, "doc_type": "projekt"})) == []


def test_filtering_on_an_unknown_field_says_which_fields_exist(index):
    with pytest.raises(ConfigError, match="region"):
        index.search("kompetens", k=5, where={"kommun": "Kramfors"})


# --- persistence --------------------------------------------------------------------------------


def test_a_saved_index_loads_with_the_same_results(index, tmp_path):
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.chunk_ids == index.chunk_ids
    assert loaded.params == index.params
    for query, where in [
        ("kompetensförsörjningen", None),
        ("Vem äger SAM?", None),
        ("budget miljoner kronor", {"region": "Västerbotten"}),
        ("hållbarhet", {"year": [2023, 2024]}),
    ]:
        expected, got = index.search(query, 5, where), loaded.search(query, 5, where)
        assert ids(got) == ids(expected)
        assert [s for _, s in got] == pytest.approx([s for _, s in expected])


def test_saving_again_replaces_the_index_and_keeps_only_recent_generations(tmp_path):
    directory = tmp_path / "bm25"
    for count in (2, 4, 6):
        BM25Index.build(CHUNKS[:count]).save(directory)
    assert len(BM25Index.load(directory)) == 6
    assert len([p for p in directory.iterdir() if p.is_dir()]) == 2  # the live one and the one before


def test_a_failed_save_leaves_the_previous_index_in_place(index, tmp_path):
    directory = tmp_path / "bm25"
    old = BM25Index.build(CHUNKS[:3])
    old.save(directory)
    # Something in the way of the switch-over: the save fails after writing its new generation.
    (directory / f"{CURRENT}.tmp").mkdir()
    with pytest.raises(StoreError, match="previous index is unchanged"):
        index.save(directory)
    survivor = BM25Index.load(directory)
    assert survivor.chunk_ids == old.chunk_ids
    assert ids(survivor.search("kompetens", 5)) == ids(old.search("kompetens", 5))
    assert len([p for p in directory.iterdir() if p.name.startswith("gen-")]) == 1


def test_an_interrupted_save_is_ignored_and_cleaned_up_by_the_next(index, tmp_path):
    directory = tmp_path / "bm25"
    index.save(directory)
    half_written = directory / "gen-9999999999999999999-deadbeef"
    half_written.mkdir()
    (half_written / "data.csc.index.npy").write_bytes(b"\x93NUMPY")
    assert BM25Index.load(directory).chunk_ids == index.chunk_ids
    index.save(directory)
    assert not half_written.exists()


def test_a_missing_index_says_to_run_ingest(tmp_path):
    with pytest.raises(StoreError, match="regionkunskap ingest"):
        BM25Index.load(tmp_path / "nowhere")


def test_a_corrupt_index_says_to_run_ingest(index, tmp_path):
    directory = tmp_path / "bm25"
    index.save(directory)
    live = directory / (directory / CURRENT).read_text().strip()
    (live / CHUNKS_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="unreadable.*regionkunskap ingest"):
        BM25Index.load(directory)


def test_an_index_from_an_older_analyser_must_be_rebuilt(index, tmp_path):
    directory = tmp_path / "bm25"
    index.save(directory)
    manifest_path = Path(directory / (directory / CURRENT).read_text().strip()) / CHUNKS_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["analyzer"] = 0
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match="analyser version 0.*rebuild"):
        BM25Index.load(directory)
