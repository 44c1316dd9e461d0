#!/usr/bin/env bash
# Creates training/.venv from training/requirements.txt (offline: pip finds the local wheels).
# Idempotent: an existing venv whose requirements stamp matches is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/training/.venv"
req="$root/training/requirements.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
py=${PYTHON:-python3}
"$py" -m venv "$venv"
"$venv/bin/python" -m pip --version >/dev/null
# No internet: fail fast on the public index and use the local wheels/indexes pip is configured with.
"$venv/bin/python" -m pip install -q --retries 0 --timeout 5 -r "$req"
echo "$want" > "$stamp"
echo "python venv ready: $venv"
