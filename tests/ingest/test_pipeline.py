"""Ingest is incremental and idempotent, keeps the store consistent, and survives bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.indexing.store import Store
from ingest.pipeline import Ingestor
from regionkunskap.errors import EmbedderMismatchError

FIXTURES = Path(__file__).parents[1] / "fixtures"

GREEN_DEAL = """Projekt Grön omställning i Exempellän

Projektet pågår under 2022 och 2023 och EU:s regionala fond finansierar med 56 miljoner kronor.
Den totala budgeten för hela projektet är 112,5 miljoner kronor.

Parter i projektet:

• Region Exempel och Exempelby kommun.
• Länsstyrelsen i Exempellän.
"""

HRU = """Hållbar regional utveckling

Projektet arbetar med hållbarhet i det regionala tillväxtarbetet. Kommunerna i länet erbjuds processtöd.
Uppdragsutbildningen genomförs från mars 2022.
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "green.txt").write_text(GREEN_DEAL, encoding="utf-8")
    (folder / "hru.md").write_text(HRU, encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def ingestor(store: Store, e5_embedder, **kw) -> Ingestor:
    return Ingestor(
        store, embedder_spec="e5-small", model_cache=Path("unused"), embedder=e5_embedder, progress=False, **kw
    )


def test_ingesting_the_same_folder_twice_stores_each_chunk_once(docs, store, e5_embedder, store_invariants):
    first = ingestor(store, e5_embedder).run([docs])
    ids = set(store.chunks())
    assert sorted(first.added) == ["green.txt", "hru.md"] and first.ok
    second = ingestor(Store(store.data_dir), e5_embedder).run([docs])
    reopened = Store(store.data_dir)
    assert sorted(second.unchanged) == ["green.txt", "hru.md"]
    assert second.added == second.updated == [] and second.chunks_written == 0
    assert set(reopened.chunks()) == ids
    assert reopened.chunk_count() == len(ids)
    store_invariants(reopened)


def test_a_modified_document_has_its_chunks_replaced(docs, store, e5_embedder, store_invariants):
    ingestor(store, e5_embedder).run([docs])
    old_ids = {c.id for c in store.chunks().values() if c.doc_id == "green.txt"}
    (docs / "green.txt").write_text(GREEN_DEAL.replace("112,5", "130"), encoding="utf-8")
    report = ingestor(store, e5_embedder).run([docs])
    assert report.updated == ["green.txt"] and report.unchanged == ["hru.md"]
    texts = [c.text for c in store.chunks().values() if c.doc_id == "green.txt"]
    assert any("130 miljoner" in t for t in texts)
    assert not any("112,5" in t for t in texts)
    new_ids = {c.id for c in store.chunks().values() if c.doc_id == "green.txt"}
    assert old_ids - new_ids, "the chunk whose text changed must get a new id"
    store_invariants(store)


def test_prune_removes_documents_whose_files_are_gone(docs, store, e5_embedder, store_invariants):
    ingestor(store, e5_embedder).run([docs])
    (docs / "hru.md").unlink()
    kept = ingestor(store, e5_embedder).run([docs])
    stored = {d.doc_id for d in store.documents()}
    assert kept.removed == [] and "hru.md" in stored, "without --prune nothing is removed"
    pruned = ingestor(store, e5_embedder).run([docs], prune=True)
    assert pruned.removed == ["hru.md"]
    assert {d.doc_id for d in store.documents()} == {"green.txt"}
    assert all(c.doc_id == "green.txt" for c in store.chunks().values())
    store_invariants(store)


def test_an_identical_copy_under_another_name_is_not_stored_twice(docs, store, e5_embedder, store_invariants):
    shutil.copy(docs / "green.txt", docs / "green-copy.txt")
    report = ingestor(store, e5_embedder).run([docs])
    assert len(report.duplicates) == 1 and "identical" in report.duplicates[0].reason
    assert report.ok
    store_invariants(store)


def test_bad_files_are_skipped_with_a_reason_and_the_rest_is_ingested(docs, store, e5_embedder, store_invariants):
    for name in ("empty.txt", "broken.pdf", "encrypted.pdf", "cp1252.txt", "notes.xyz"):
        src = FIXTURES / "loaders" / name
        if src.exists():
            shutil.copy(src, docs / name)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "notes.xyz").write_text("okänt format", encoding="utf-8")
    missing = docs / "finns-inte.pdf"
    report = ingestor(store, e5_embedder).run([docs, missing])
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert "green.txt" in report.added and "hru.md" in report.added
    assert {"empty.txt", "notes.xyz", "finns-inte.pdf"} <= set(skipped)
    assert all(reason and "\n" not in reason for reason in skipped.values())
    assert "empty" in skipped["empty.txt"].lower()
    assert ".pdf" in skipped["notes.xyz"] or "supported" in skipped["notes.xyz"].lower()
    assert not report.ok
    stored = {d.doc_id for d in store.documents()}
    assert not stored & {"empty.txt", "notes.xyz", "broken.pdf", "encrypted.pdf"}
    store_invariants(store)


def test_how_far_ahead_files_are_read_changes_nothing_that_is_stored(docs, tmp_path, e5_embedder, monkeypatch):
    shutil.copy(FIXTURES / "loaders" / "cp1252.txt", docs / "cp1252.txt")
    (docs / "empty.txt").write_bytes(b"")  # a file that fails between good ones
    stored = {}
    for depth in (1, 3):
        monkeypatch.setattr(pipeline, "READ_AHEAD_FILES", depth)
        store = Store(tmp_path / f"store-{depth}")
        report = ingestor(store, e5_embedder).run([docs])
        chunks = {cid: (c.text, c.unit_vectors) for cid, c in store.chunks().items()}
        stored[depth] = (chunks, sorted(report.added), [Path(s.path).name for s in report.skipped])
    assert stored[1] == stored[3]
    assert stored[1][1] == ["cp1252.txt", "green.txt", "hru.md"] and stored[1][2] == ["empty.txt"]


def test_a_store_built_with_one_embedder_refuses_another(docs, store, e5_embedder):
    ingestor(store, e5_embedder).run([docs])
    other = Ingestor(
        Store(store.data_dir), embedder_spec="sentence-transformers:all-MiniLM-L6-v2", model_cache=Path("x")
    )
    with pytest.raises(EmbedderMismatchError, match="e5-small"):
        other.run([docs])


def test_files_without_a_manifest_entry_get_inferred_metadata(docs, store, e5_embedder):
    ingestor(store, e5_embedder).run([docs])
    meta = {d.doc_id: d.meta for d in store.documents()}
    assert meta["green.txt"]["title"] == "Projekt Grön omställning i Exempellän"
    assert "title" in meta["green.txt"]["inferred"]
    assert meta["green.txt"]["year"] == 2022


def test_a_manifest_entry_supplies_the_metadata(docs, store, e5_embedder):
    (docs / "manifest.toml").write_text(
        '[documents."green.txt"]\ntitle = "Grön omställning"\norganisation = "Region Exempel"\n'
        'region = ["Norrbotten", "Västerbotten"]\ntype = "projektbeskrivning"\nyear = 2022\n',
        encoding="utf-8",
    )
    report = ingestor(store, e5_embedder).run([docs])
    assert report.ok, report.skipped
    chunk = next(c for c in store.chunks().values() if c.doc_id == "green.txt")
    assert chunk.meta.title == "Grön omställning"
    assert chunk.meta.region == "Norrbotten, Västerbotten"
    assert chunk.meta.doc_type == "projektbeskrivning" and chunk.meta.inferred == ()


def test_a_renamed_file_keeps_its_document_even_with_prune(docs, store, e5_embedder, store_invariants):
    ingestor(store, e5_embedder).run([docs])
    (docs / "green.txt").rename(docs / "gron-omstallning.txt")
    report = ingestor(store, e5_embedder).run([docs], prune=True)
    assert {d.doc_id for d in store.documents()} == {"gron-omstallning.txt", "hru.md"}
    assert "green.txt" in report.removed and "gron-omstallning.txt" in report.added
    assert any("112,5" in c.text for c in store.chunks().values())
    store_invariants(store)


def test_a_file_gets_the_same_id_whether_its_folder_or_the_file_itself_is_ingested(
    tmp_path, store, e5_embedder, store_invariants
):
    nested = tmp_path / "docs" / "2022"
    nested.mkdir(parents=True)
    (nested / "rapport.txt").write_text(HRU, encoding="utf-8")
    ingestor(store, e5_embedder).run([tmp_path / "docs"])
    (nested / "rapport.txt").write_text(HRU + "\nNy mening om budgeten 2023.\n", encoding="utf-8")
    report = ingestor(store, e5_embedder).run([nested / "rapport.txt"])
    assert report.updated == ["2022/rapport.txt"]
    assert [d.doc_id for d in store.documents()] == ["2022/rapport.txt"]
    store_invariants(store)


def test_files_with_the_same_name_in_different_folders_are_both_kept(tmp_path, store, e5_embedder, store_invariants):
    for region, text in (("norrbotten", GREEN_DEAL), ("skane", HRU)):
        (tmp_path / region).mkdir()
        (tmp_path / region / "rapport.txt").write_text(text, encoding="utf-8")
    ingestor(store, e5_embedder).run([tmp_path / "norrbotten"])
    report = ingestor(store, e5_embedder).run([tmp_path / "skane"])
    assert report.added == ["skane/rapport.txt"]
    assert {d.doc_id for d in store.documents()} == {"rapport.txt", "skane/rapport.txt"}
    store_invariants(store)


def test_a_lost_chroma_database_is_refilled_on_the_next_ingest(docs, store, e5_embedder, store_invariants):
    from chromadb.api.client import SharedSystemClient

    ingestor(store, e5_embedder).run([docs])
    shutil.rmtree(store.data_dir / "chroma")
    SharedSystemClient.clear_system_cache()  # Chroma caches open databases per process; a new process would not
    report = ingestor(Store(store.data_dir), e5_embedder).run([docs])
    assert sorted(report.updated) == ["green.txt", "hru.md"]
    store_invariants(Store(store.data_dir))


def test_chunks_an_interrupted_ingest_left_behind_are_swept(docs, store, e5_embedder, store_invariants):
    ingestor(store, e5_embedder).run([docs])
    collection = store._get_collection()
    collection.upsert(ids=["orphan"], embeddings=[[0.1] * 384], documents=["rest"], metadatas=[{"doc_id": "gone"}])
    ingestor(Store(store.data_dir), e5_embedder).run([docs])
    store_invariants(Store(store.data_dir))


def test_an_out_of_date_bm25_index_is_rebuilt_even_when_no_document_changed(docs, store, e5_embedder, store_invariants):
    from ingest.indexing.bm25 import BM25Index

    ingestor(store, e5_embedder).run([docs])
    one_doc = [c for c in store.chunks().values() if c.doc_id == "hru.md"]
    BM25Index.build(one_doc).save(store.bm25_dir)
    assert not Store(store.data_dir).bm25_is_current()
    ingestor(Store(store.data_dir), e5_embedder).run([docs])
    store_invariants(Store(store.data_dir))


def test_a_partial_manifest_entry_is_completed_by_inference(docs, store, e5_embedder):
    (docs / "manifest.toml").write_text(
        '[documents."green.txt"]\nyear = 2023\n\n[documents."borttagen.pdf"]\ntitle = "Finns inte"\n',
        encoding="utf-8",
    )
    report = ingestor(store, e5_embedder).run([docs])
    meta = {d.doc_id: d.meta for d in store.documents()}["green.txt"]
    assert meta["year"] == 2023 and meta["title"] == "Projekt Grön omställning i Exempellän"
    assert "year" not in meta["inferred"] and "title" in meta["inferred"]
    assert any("borttagen.pdf" in note for note in report.notes)


@pytest.mark.parametrize(
    "manifest,message",
    [
        ('[[documents]]\ntitle = "x"\n', "tables"),
        ('[documents]\n"green.txt" = "Titel"\n', "must be a table"),
        ('[documents."green.txt"]\nyear = "2022a"\n', "year must be a number"),
        ('[documents."green.txt"]\ntitel = "x"\n', "unknown keys"),
    ],
)
def test_a_malformed_manifest_is_a_configuration_error_naming_the_fix(docs, store, e5_embedder, manifest, message):
    from regionkunskap.errors import ConfigError

    (docs / "manifest.toml").write_text(manifest, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        ingestor(store, e5_embedder).run([docs])


def test_editor_lock_and_backup_files_are_not_documents(docs, store, e5_embedder):
    (docs / "~$rapport.docx").write_bytes(b"\x00lock")
    (docs / "green.txt~").write_text(GREEN_DEAL, encoding="utf-8")
    report = ingestor(store, e5_embedder).run([docs])
    assert report.ok and sorted(report.added) == ["green.txt", "hru.md"]


def test_reading_a_store_that_does_not_exist_creates_nothing(tmp_path):
    store = Store(tmp_path / "mistyped")
    assert store.stats()["documents"] == 0 and store.documents() == []
    assert not (tmp_path / "mistyped").exists()


def test_a_second_ingest_is_refused_while_one_writes_the_store(docs, store, e5_embedder):
    from regionkunskap.errors import StoreError

    with Store(store.data_dir).writing():
        with pytest.raises(StoreError, match="being written by another"):
            ingestor(Store(store.data_dir), e5_embedder).run([docs])
    assert ingestor(Store(store.data_dir), e5_embedder).run([docs]).ok


def test_the_generation_moves_once_per_committed_ingest_and_readers_reload_then(docs, store, e5_embedder):
    ingestor(store, e5_embedder).run([docs])
    reader = Store(store.data_dir, follow_interval=0)
    assert {c.doc_id for c in reader.chunks().values()} == {"green.txt", "hru.md"}
    before = reader.generation()
    assert before and ingestor(Store(store.data_dir), e5_embedder).run([docs]).unchanged
    assert reader.generation() == before and reader.refresh() is False, "an ingest that changed nothing commits nothing"

    seen_mid_ingest = []
    writer = Store(store.data_dir)
    write = writer.write_document
    writer.write_document = lambda *a, **k: (write(*a, **k), seen_mid_ingest.append(reader.generation()))
    (docs / "ny.txt").write_text(
        "Ny rapport\n\nRegion Exempel satsar 3 miljoner kronor på vätgas 2025.\n", encoding="utf-8"
    )
    ingestor(writer, e5_embedder).run([docs])
    assert seen_mid_ingest == [before]
    assert reader.refresh() is True and reader.generation() != before
    assert "ny.txt" in {c.doc_id for c in reader.chunks().values()}
    best = reader.bm25().search("vätgas", k=1)[0][0]
    assert reader.chunks()[best].doc_id == "ny.txt"


def test_store_and_ingestor_are_built_from_the_settings_and_nobody_copies_their_fields(tmp_path):
    import re

    from regionkunskap.settings import Settings

    settings = Settings(
        store=tmp_path / "s",
        chroma_url="http://127.0.0.1:1",
        namespace="team",
        collection="rk-test",
        chroma_read_timeout=7,
        lease_expiry=90,
        chunk_words=120,
        chunk_overlap_words=20,
    )
    store = Store.from_settings(settings)
    assert (store.data_dir, store.chroma_url, store.namespace, store.collection_name) == (
        tmp_path / "s",
        "http://127.0.0.1:1",
        "team",
        "rk-test",
    )
    assert store._chroma.server.read_timeout == 7 and store._backend.lease_expiry == 90
    ingestor = Ingestor.from_settings(settings, store=store)
    assert (ingestor.store, ingestor.chunk_words, ingestor.overlap_words) == (store, 120, 20)

    repo = Path(__file__).resolve().parents[2]
    copied = re.compile(
        r"(chroma_url|collection|embedder_spec|overlap_words)=\w+\.(chroma_url|collection|embedder|chunk_overlap_words)\b"
    )
    hand_copies = [
        f"{path.relative_to(repo)}:{n}"
        for package in ("assistant", "ingest", "evals")
        for path in (repo / package).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if copied.search(line) and path.name not in ("store.py", "pipeline.py")
    ]
    assert not hand_copies, f"use Store.from_settings / Ingestor.from_settings: {hand_copies}"
