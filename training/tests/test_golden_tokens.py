"""The independent Python token decoder (testdata/golden/tokens/decode_tokens.py, written from the specs) reproduces
the committed token vectors' expected.txt, coders 3 (context tables, format 1.1), 4 (channel tables, format 1.2) and
5 (prediction tables, format 1.3) included."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO

TOKENS = REPO / "testdata" / "golden" / "tokens"
DECODER = TOKENS / "decode_tokens.py"
BUNDLES = [REPO / "testdata" / "models" / "qtk-test-tiny.qtkm", TOKENS / "qtk-test-tiny-ctx.qtkm",
           TOKENS / "qtk-test-tiny-ch.qtkm", TOKENS / "qtk-test-tiny-pred.qtkm"]


def run(*args):
    return subprocess.run([sys.executable, str(DECODER), *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_decoder_reproduces_expected_txt():
    files = sorted(TOKENS.glob("*.qtk"))
    assert any(f.name.startswith("tiny-context-") for f in files)
    assert any(f.name.startswith("tiny-channel-") for f in files)
    assert any(f.name.startswith("tiny-predict-") for f in files)
    r = run(*BUNDLES, *files, "--check", TOKENS / "expected.txt")
    assert r.returncode == 0, r.stdout + r.stderr
    oks = [ln for ln in r.stdout.splitlines() if ln.startswith("ok ")]
    assert len(oks) == len(files), r.stdout


def test_check_fails_on_a_wrong_index(tmp_path):
    text = (TOKENS / "expected.txt").read_text(encoding="utf-8")
    block = text.index("== tiny-context-rgb-44x24.qtk")
    at = text.index("  row 0: ", block) + len("  row 0: ")
    first = text[at:text.index(" ", at)]
    bad = tmp_path / "expected.txt"
    bad.write_text(text[:at] + str((int(first) + 1) % 16) + text[at + len(first):], encoding="utf-8")
    r = run(*BUNDLES, TOKENS / "tiny-context-rgb-44x24.qtk", "--check", bad)
    assert r.returncode == 1 and "MISMATCH tiny-context-rgb-44x24.qtk" in r.stdout, r.stdout + r.stderr


def test_coder_3_needs_the_bundle_the_file_names():
    r = run(BUNDLES[0], TOKENS / "tiny-context-gray-3x37.qtk")
    assert r.returncode != 0 and "qtk-test-tiny-ctx" in r.stderr, r.stdout + r.stderr


def test_coder_4_needs_the_bundle_the_file_names():
    # the context bundle (no channel tables) is not the one a coder-4 file names: refused, naming the model
    r = run(BUNDLES[1], TOKENS / "tiny-channel-rgb-36x20.qtk")
    assert r.returncode != 0 and "qtk-test-tiny-ch" in r.stderr, r.stdout + r.stderr


def test_check_fails_on_a_wrong_channel_index(tmp_path):
    text = (TOKENS / "expected.txt").read_text(encoding="utf-8")
    block = text.index("== tiny-channel-mixed-rgb-44x24.qtk")
    at = text.index("group 3 indices_sha256", block)
    at = text.index("  row 0: ", at) + len("  row 0: ")
    first = text[at:text.index(" ", at)]
    bad = tmp_path / "expected.txt"
    bad.write_text(text[:at] + str((int(first) + 1) % 16) + text[at + len(first):], encoding="utf-8")
    r = run(*BUNDLES, TOKENS / "tiny-channel-mixed-rgb-44x24.qtk", "--check", bad)
    assert r.returncode == 1 and "MISMATCH tiny-channel-mixed-rgb-44x24.qtk" in r.stdout, r.stdout + r.stderr


def test_coder_5_needs_the_bundle_the_file_names():
    # the channel bundle (no prediction tables) is not the one a coder-5 file names: refused, naming the model
    r = run(BUNDLES[2], TOKENS / "tiny-predict-rgb-36x20.qtk")
    assert r.returncode != 0 and "qtk-test-tiny-pred" in r.stderr, r.stdout + r.stderr


def test_check_fails_on_a_wrong_prediction_index(tmp_path):
    text = (TOKENS / "expected.txt").read_text(encoding="utf-8")
    block = text.index("== tiny-predict-mixed-rgb-44x24.qtk")
    at = text.index("group 3 indices_sha256", block)
    at = text.index("  row 0: ", at) + len("  row 0: ")
    first = text[at:text.index(" ", at)]
    bad = tmp_path / "expected.txt"
    bad.write_text(text[:at] + str((int(first) + 1) % 16) + text[at + len(first):], encoding="utf-8")
    r = run(*BUNDLES, TOKENS / "tiny-predict-mixed-rgb-44x24.qtk", "--check", bad)
    assert r.returncode == 1 and "MISMATCH tiny-predict-mixed-rgb-44x24.qtk" in r.stdout, r.stdout + r.stderr
