#!/usr/bin/env bash
# Starts (or resumes: the same command continues from OUT/ckpt.pt) the grid-f16 training run in the background.
# Usage: scripts/train-grid.sh [config] [out]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-/work/main/training/.venv/bin/python}
[ -x "$py" ] || py="$root/training/.venv/bin/python"
cfg=${1:-$root/training/configs/grid-f16.json}
out=${2:-/work/main/training/runs/grid-f16}
mkdir -p "$out"
cd "$root"
nice -n 5 nohup "$py" training/train.py --config "$cfg" --out "$out" --resume >> "$out/stdout.log" 2>&1 &
echo "started PID $! ; log $out/train.log ; stop with: kill $! (checkpoints on SIGTERM)"
