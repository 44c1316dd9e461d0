#!/usr/bin/env bash
# One training sprint on the GPU machine of the `device` tool (training/README.md, "On a GPU"). Runs THERE, in the
# copy of the repository the tool makes: trains CONFIG for MINUTES into training/runs/NAME from the packed photos in
# training/gpu-data (training/pack_data.py), resuming from training/runs/NAME/latest-weights.pt when the call carried
# it (else from the committed training/checkpoints/NAME/latest-weights.pt, else from scratch), and copies the new
# latest-weights.pt and train.log to $OUT so they come back. The optimiser restarts each sprint: its full state (30 MB
# for the shipped model) is larger than a file the tool returns (16 MiB).
# Usage: scripts/gpu-train.sh CONFIG [NAME] [MINUTES]     (DEVICE=cpu for a local smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
cfg=$1
name=${2:-$(basename "$cfg" .json)}
minutes=${3:-8}
out=training/runs/$name
committed=training/checkpoints/$name/latest-weights.pt
[ -d training/gpu-data ] || { echo "training/gpu-data missing: run training/pack_data.py and carry it" >&2; exit 2; }
init=()
if [ ! -f "$out/ckpt.pt" ] && [ ! -f "$out/latest-weights.pt" ] && [ -f "$committed" ]; then
  init=(--init "$committed")
fi
mkdir -p "$out"
PYTHONUNBUFFERED=1 "${PYTHON:-python3}" training/train.py --config "$cfg" --out "$out" --data training/gpu-data \
  --device "${DEVICE:-cuda}" --threads "${THREADS:-8}" --resume "${init[@]}" --max-minutes "$minutes"
if [ -n "${OUT:-}" ]; then
  cp "$out/latest-weights.pt" "$out/train.log" "$OUT/"
fi
