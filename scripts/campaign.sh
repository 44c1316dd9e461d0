#!/usr/bin/env bash
# The standing training campaign (issue 16): one command to resume it, one to commit where it stands.
#   scripts/campaign.sh start     resume training/runs/campaign in the background (from its ckpt.pt on this machine,
#                                 else from the committed fp16 weights training/checkpoints/campaign/latest-weights.pt)
#   scripts/campaign.sh stop      SIGTERM: it checkpoints and exits
#   scripts/campaign.sh commit    copy the run's latest weights (fp16, with their EMA) to training/checkpoints/campaign/
#   scripts/campaign.sh curve     measure new snapshots for the learning curve (docs/results/campaign/)
#   scripts/campaign.sh status    the last log lines
# CONFIG names the campaign's current config; when the campaign moves to another model, change it here (the new
# config's phases start at the step it takes over, and train.py initialises it from these weights).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/training/.venv/bin/python}
CONFIG=${CONFIG:-training/configs/campaign-grid-sq-f16.json}
out=$root/training/runs/campaign
committed=$root/training/checkpoints/campaign/latest-weights.pt
cd "$root"
case "${1:-status}" in
  start)
    [ -x "$py" ] || bash scripts/setup-python.sh
    init=()
    if [ ! -f "$out/ckpt.pt" ] && [ -f "$committed" ]; then init=(--init "$committed"); fi
    mkdir -p "$out"
    # setsid: the run outlives the shell that started it; nice 0: it is the machine's main job.
    setsid nice -n "${NICE:-0}" nohup "$py" training/train.py --config "$CONFIG" --out "$out" --resume "${init[@]}" \
      >> "$out/stdout.log" 2>&1 &
    echo "campaign started, PID $! ; log $out/train.log" ;;
  stop)
    pkill -TERM -f "train.py --config .* --out (.*/)?training/runs/campaign( |$)" && echo "SIGTERM sent; it checkpoints and exits" ;;
  commit)
    mkdir -p "$(dirname "$committed")"
    "$py" training/qtk_train/checkpoint.py half "$out/latest-weights.pt" "$committed" ;;
  curve)
    nice -n 10 "$py" training/curve.py --snapshots "$out/snapshots" --weights training/checkpoints/grid-sq-f16/latest-weights.pt ;;
  status)
    tail -n 3 "$out/train.log" ;;
  *) echo "usage: scripts/campaign.sh start|stop|commit|curve|status" >&2; exit 2 ;;
esac
