#!/usr/bin/env bash
# Starts (or resumes: the same command continues from OUT/ckpt.pt) the grid-f16 training run in the background.
# On a fresh machine with no OUT yet, it starts from the committed weights training/checkpoints/<name>/latest-weights.pt
# if present (copy OUT/latest-weights.pt there and commit it at the end of a session).
# Usage: scripts/train-grid.sh [config] [out]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/training/.venv/bin/python}
cfg=${1:-$root/training/configs/grid-f16.json}
name=$(basename "$cfg" .json)
out=${2:-$root/training/runs/$name}
committed="$root/training/checkpoints/$name/latest-weights.pt"
init=()
if [ ! -f "$out/ckpt.pt" ] && [ ! -f "$out/latest-weights.pt" ] && [ -f "$committed" ]; then
  init=(--init "$committed")
fi
mkdir -p "$out"
cd "$root"
# setsid: the run outlives the shell (and the agent) that started it; NICE=0 gives it full priority.
setsid nice -n "${NICE:-5}" nohup "$py" training/train.py --config "$cfg" --out "$out" --resume "${init[@]}" >> "$out/stdout.log" 2>&1 &
echo "started PID $! ; log $out/train.log ; stop with: kill $! (checkpoints on SIGTERM)"
