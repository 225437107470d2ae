"""Shared helpers for the math-verify peer scripts: the venv location and one grading call."""
import os, subprocess, sys

VENV = os.path.expanduser(os.environ.get("RECHECK_MATHVERIFY_VENV", "~/.cache/recheck/venv-mathverify"))


def ensure_venv():
    """Creates the venv and installs HuggingFace math-verify from PyPI when missing."""
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    if subprocess.call([py, "-c", "import math_verify"], stderr=subprocess.DEVNULL) != 0:
        subprocess.check_call([py, "-m", "pip", "install", "-q", "math-verify"])
    return py


def mv_equal(parse, verify, reference, answer):
    """math-verify's documented use: parse both (answer wrapped in $…$ so bare LaTeX is read), verify(gold, pred)."""
    try:
        gold = parse("$" + reference + "$", parsing_timeout=None)
        pred = parse("$" + answer + "$", parsing_timeout=None)
        return bool(verify(gold, pred, timeout_seconds=None))
    except Exception:
        return False
