"""The one Swedish lexicon: a word list read once per process, Zipf values, stems."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from ingest.swedish.lexicon import frequencies, lexicon, snowball, stem

REPO = Path(__file__).resolve().parents[2]

# Every user of Swedish word knowledge, in one fresh process, with wordfreq's file reads counted.
ALL_USERS = """
import json, wordfreq
reads = []
real = wordfreq.read_cBpack
wordfreq.read_cBpack = lambda filename: reads.append(str(filename)) or real(filename)

from ingest.cleaning.repair import repair_text
from ingest.swedish.analysis import analyze, content_terms
from ingest.swedish.compounds import decompound, segment
from ingest.swedish.lexicon import stem

analyze("Kompetensförsörjningen i Norrbotten och projektets budget")
content_terms("Hur många kommuner deltar i projektet?")
decompound("arbetsmarknadsstrategi"), segment("kompetensrådet"), stem("projektet")
repair_text("Nationell strategi fo r ha llbar regional utveckling\\n" * 20)
print(json.dumps(reads))
"""


def test_the_swedish_word_list_is_read_once_per_process_by_all_its_users():
    done = subprocess.run([sys.executable, "-c", ALL_USERS], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    reads = json.loads(done.stdout)
    swedish = [name for name in reads if Path(name).name.endswith("_sv.msgpack.gz")]
    assert len(swedish) == 1, reads


def test_zipf_values_agree_with_the_frequencies_they_come_from():
    freqs = frequencies()
    words = lexicon().words
    for word in ("kommun", "projekt", "hållbarhet", "norrbotten"):
        assert abs(words[word] - (9 + math.log10(freqs[word]))) < 0.006


def test_the_index_lexicon_leaves_out_english_words_and_short_debris():
    words = lexicon().words
    assert "kommun" in words and "board" not in words
    assert not [w for w in words if len(w) < 3 or not w.isalpha()]


def test_a_stem_shorter_than_a_compound_part_vouches_for_no_word():
    assert lexicon().zipf("kat") == lexicon().words.get("kat", 0.0)


def test_definite_forms_meet_their_base_where_snowball_leaves_them_apart():
    assert snowball("projektet") != snowball("projekt")
    assert stem("projektet") == stem("projekt")
    assert stem("kompetensen") == stem("kompetens")
