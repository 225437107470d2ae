#!/usr/bin/env bash
# verl's own SandboxFusion client (the `verl` wheel from PyPI, installed --no-deps with `requests`)
# against `recheck serve` started with a shared secret on a free loopback port. Asserts what
# Scripts/check_verl_sandbox.py asserts (right stdin / fn_name / assert programs score 1, wrong ones 0,
# SystemExit(3) → 3, endless loop → timeout), and that /run_code without the secret is refused (401)
# while /health answers. Usage: bash Scripts/check-verl-sandbox.sh [RECHECK_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-verl"
recheck="${1:-.build/release/recheck}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import importlib.util as u, requests; assert u.find_spec('verl')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps verl
  "$venv/bin/pip" install --quiet --disable-pip-version-check requests
fi
[ -x "$recheck" ] || swift build -c release -Xswiftc -enable-testing --product recheck >&2
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
python3 -c "import secrets; print(secrets.token_hex(32))" > "$work/key"
chmod 600 "$work/key"
"$recheck" serve --port 0 --api-key-file "$work/key" > "$work/out" 2> "$work/err" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://[^ ]*' "$work/out" || true)"
[ -n "$base" ] || { cat "$work/err" >&2; echo "recheck serve did not start" >&2; exit 1; }
key="$(cat "$work/key")"
status() {  # HTTP status of METHOD URL [BODY], without curl (not on every fresh machine)
  python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
method, url = sys.argv[1], sys.argv[2]
data = sys.argv[3].encode() if len(sys.argv) > 3 else None
req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
try:
    print(urllib.request.urlopen(req, timeout=30).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}
code="$(status POST "$base/run_code" '{"code": "print(1)", "language": "python"}')"
[ "$code" = 401 ] || { echo "/run_code without the secret answered $code, expected 401" >&2; exit 1; }
[ "$(status GET "$base/health")" = 200 ] || { echo "/health not open" >&2; exit 1; }
"$venv/bin/python" Scripts/check_verl_sandbox.py "$base/k/$key/run_code"
echo "check-verl-sandbox: ok (401 without the secret, /health open, verl's client scores as expected)"
