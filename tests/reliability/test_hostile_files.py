"""Hostile and oversized files cost bounded time and memory: each is refused (naming the limit) or ingested
within 30 s and 2 GB, the whole bad batch stays under 2 GB, and the good file in the batch always lands.

The files are generated here (nothing large is committed). Each ingest runs as a child process
(`regionkunskap ingest --json`); its peak memory is the larger of the kernel's peak RSS for the ingest process
and its reader process (`wait4`) and the sampled sum of both while they run. The kernel's figure is taken by a
small wrapper process (`peak_rss.py`) that starts the ingest: a child of pytest itself would inherit pytest's
peak RSS at exec and report that instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from ingest.reading.sandbox import process_tree_rss_mb

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PEAK_RSS = Path(__file__).resolve().with_name("peak_rss.py")
MB = 1_000_000
PEAK_LIMIT_MB = 2000
FILE_SECONDS = 30
GOOD_TEXT = (
    "Region Testlän satsar på kompetensförsörjning\n\n"
    "Region Testlän beviljade 4,2 miljoner kronor till projektet Kompetenslyftet under 2023. "
    "Projektet leds av Testläns folkhögskola och pågår till 2026.\n"
)

# --- generators ------------------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body>'
)
_DOC_TAIL = b"</w:body></w:document>"


def docx_of_paragraphs(path: Path, xml_mb: float) -> Path:
    """A small .docx whose document.xml holds `xml_mb` MB of tiny paragraphs (deflate packs it ~300:1)."""
    paragraph = b"<w:p><w:r><w:t>Ord i stycke</w:t></w:r></w:p>"
    block = paragraph * 20_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as xml:
            xml.write(_DOC_HEAD)
            for _ in range(int(xml_mb * MB / len(block)) + 1):
                xml.write(block)
            xml.write(_DOC_TAIL)
    return path


def docx_with_parts(path: Path, parts: int) -> Path:
    """A .docx with a legal document part and `parts` empty extra parts (a central-directory attack)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _DOC_HEAD + b"<w:p><w:r><w:t>Text</w:t></w:r></w:p>" + _DOC_TAIL)
        for i in range(parts):
            archive.writestr(f"word/media/x{i}.bin", b"")
    return path


def text_file(path: Path, megabytes: float, *, line: bytes) -> Path:
    """`megabytes` MB made of `line` repeated (one line if `line` has no newline)."""
    block = line * max(1, (1 << 20) // len(line))
    with open(path, "wb") as fh:
        written = 0
        while written < megabytes * MB:
            fh.write(block)
            written += len(block)
    return path


def html_with_text_node(path: Path, megabytes: float) -> Path:
    with open(path, "wb") as fh:
        fh.write(b"<html><head><title>Sida</title></head><body><p>")
        text_file_block = b"ordochord " * 100_000
        for _ in range(int(megabytes * MB / len(text_file_block)) + 1):
            fh.write(text_file_block)
        fh.write(b"</p></body></html>")
    return path


def html_nested(path: Path, depth: int) -> Path:
    body = b"<div>" * depth + b"Djupt inne finns text om regional utveckling." + b"</div>" * depth
    path.write_bytes(b"<html><body>" + body + b"</body></html>")
    return path


def pdf_bomb(path: Path, inflated_mb: float) -> Path:
    """A one-page PDF whose content stream inflates to `inflated_mb` MB from a few hundred KB."""
    spec = importlib.util.spec_from_file_location("make_fixtures", REPO / "tests" / "fixtures" / "make_fixtures.py")
    make_fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_fixtures)
    make_fixtures.write_inflating_pdf(path, inflated_mb)
    return path


def pdf_of_pages(path: Path, pages: int) -> Path:
    """A genuine, slow-to-read PDF: many pages of text (for the per-file deadline)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(pages):
        for row in range(40):
            pdf.drawString(
                50, 800 - row * 19, f"Sida {page + 1}, rad {row + 1}: regional utveckling i länet och kommunerna."
            )
        pdf.showPage()
    pdf.save()
    return path


# --- running an ingest as a child and measuring it ----------------------------------------------------------


def ingest(paths: list[Path], store: Path, **env: str) -> dict:
    """Run `regionkunskap ingest --json` in a child; its report plus wall seconds and peak memory (MB)."""
    environment = {**os.environ, "REGIONKUNSKAP_STORE": str(store), "HF_HUB_OFFLINE": "1", **env}
    command = [
        str(Path(sys.executable).parent / "regionkunskap"),
        "ingest",
        "--json",
        "--no-progress",
        *map(str, paths),
    ]
    out_file, err_file = store.parent / f"{store.name}.out", store.parent / f"{store.name}.err"
    peak_file = store.parent / f"{store.name}.peak"
    started = time.perf_counter()
    # The wrapper forks and execs the ingest and reports its kernel peak RSS (see peak_rss.py for why not here).
    with open(out_file, "wb") as out, open(err_file, "wb") as err:
        wrapper = subprocess.Popen(
            [sys.executable, "-I", "-S", str(PEAK_RSS), str(peak_file), *command],
            cwd=REPO,
            env=environment,
            stdout=out,
            stderr=err,
        )
    sampled = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            sampled[0] = max(sampled[0], children_rss_mb(wrapper.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    wrapper.wait()
    done.set()
    sampler.join()
    stdout, stderr = out_file.read_text(encoding="utf-8"), err_file.read_text(encoding="utf-8", errors="replace")
    assert wrapper.returncode == 0 and peak_file.exists(), f"the peak-RSS wrapper failed: {stderr[-2000:]}"
    # The ingest's peak RSS (covering the reader process it reaped, the largest of the two) and its exit code.
    maxrss_kb, returncode = map(int, peak_file.read_text().split())
    assert stdout, f"ingest printed no report (exit {returncode}): {stderr[-2000:]}"
    report = json.loads(stdout)
    report.update(
        wall_s=time.perf_counter() - started,
        sampled_peak_mb=sampled[0],
        kernel_peak_mb=maxrss_kb / 1024,
        returncode=returncode,
        stderr=stderr,
    )
    return report


def children_rss_mb(pid: int) -> float:
    """Resident memory of all descendants of `pid`, not counting `pid` itself (the wrapper)."""
    children = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError):
        pass  # the wrapper ended while we looked
    return sum(process_tree_rss_mb(child) for child in children)


def reasons(report: dict) -> str:
    return " ".join(skip["reason"] for skip in report["skipped"])


# --- one hostile file at a time --------------------------------------------------------------------------------

HOSTILE = {
    # name: (generator, words the refusal must contain)
    "paragraphs-100mb.docx": (lambda p: docx_of_paragraphs(p, 105), "REGIONKUNSKAP_MAX_UNPACKED_MB"),
    "paragraphs-60mb.docx": (lambda p: docx_of_paragraphs(p, 60), "REGIONKUNSKAP_MAX_ELEMENTS"),
    "parts-20000.docx": (lambda p: docx_with_parts(p, 20_000), "parts"),
    "one-line-30mb.txt": (lambda p: text_file(p, 30, line=b"ordochord "), "REGIONKUNSKAP_MAX_TEXT_CHARS"),
    "one-line-4mb.txt": (lambda p: text_file(p, 4, line=b"ordochord "), "REGIONKUNSKAP_MAX_LINE_CHARS"),
    "lines-20mb.txt": (
        lambda p: text_file(p, 20, line="Regionen satsar på utveckling.\n".encode()),
        "REGIONKUNSKAP_MAX_TEXT_CHARS",
    ),
    "text-node-400mb.html": (lambda p: html_with_text_node(p, 400), "REGIONKUNSKAP_MAX_FILE_MB"),
    "text-node-45mb.html": (lambda p: html_with_text_node(p, 45), "REGIONKUNSKAP_MAX"),
    "bomb.pdf": (lambda p: pdf_bomb(p, 300), "bomb"),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE.items():
        make(folder / name)
    html_nested(folder / "nested-200000.html", 200_000)
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_is_refused_quickly_naming_the_limit(name, hostile_dir, tmp_path):
    report = ingest([hostile_dir / name], tmp_path / "store", REGIONKUNSKAP_EMBEDDER="hash:64")

    assert [s["path"] for s in report["skipped"]] == [str(hostile_dir / name)], report
    assert HOSTILE[name][1] in reasons(report)
    assert report["seconds"] < FILE_SECONDS, report
    assert max(report["kernel_peak_mb"], report["sampled_peak_mb"]) < PEAK_LIMIT_MB, report


def test_a_deeply_nested_page_is_read_or_refused_within_bounds(hostile_dir, tmp_path):
    report = ingest([hostile_dir / "nested-200000.html"], tmp_path / "store", REGIONKUNSKAP_EMBEDDER="hash:64")

    assert len(report["added"]) + len(report["skipped"]) == 1, report
    assert report["seconds"] < FILE_SECONDS
    assert max(report["kernel_peak_mb"], report["sampled_peak_mb"]) < PEAK_LIMIT_MB, report


def test_a_file_that_reads_too_slowly_is_cut_off_and_the_batch_goes_on(tmp_path):
    slow = pdf_of_pages(tmp_path / "tusen-sidor.pdf", 1500)
    good, after = tmp_path / "good.txt", tmp_path / "after.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    after.write_text(GOOD_TEXT.replace("Kompetenslyftet", "Kompetenssteget"), encoding="utf-8")

    # A fresh reader gets a grace period on its first file (sandbox.FIRST_FILE_GRACE_S, for loading the
    # lexicon); a small file goes first so the slow one meets the bare deadline, however fast the machine.
    report = ingest(
        [good, slow, after], tmp_path / "store", REGIONKUNSKAP_EMBEDDER="hash:64", REGIONKUNSKAP_READ_TIMEOUT_S="2"
    )

    assert report["added"] == ["good.txt", "after.txt"], report
    assert "REGIONKUNSKAP_READ_TIMEOUT_S" in reasons(report)


@pytest.fixture(scope="module")
def default_embedder_built(model_cache_dir) -> None:
    """Build (once) the default embedder's model, so the batch below measures ingest, not the one-off export."""
    from ingest.indexing.embedder import make_embedder
    from regionkunskap.settings import Settings

    make_embedder(Settings().embedder, model_cache_dir)


def test_the_whole_bad_batch_stays_under_2_gb_and_the_good_file_lands(hostile_dir, default_embedder_built, tmp_path):
    # The real default embedder: the batch's memory includes the model that embeds the good file.
    report = ingest([hostile_dir], tmp_path / "store")

    assert report["added"] == ["good.txt"], report
    assert len(report["skipped"]) == len(HOSTILE) + ("nested-200000.html" not in report["added"]), report
    assert report["kernel_peak_mb"] < PEAK_LIMIT_MB and report["sampled_peak_mb"] < PEAK_LIMIT_MB, report
