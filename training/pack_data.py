#!/usr/bin/env python3
"""Pack a subset of the training photos small enough to travel with the repository to the GPU machine (the device
tool carries at most 64 MiB: the tracked files, about 32.5 MB, a 10 MB weights file and these).

Images are taken in a seeded random order until --max-mb is reached; an image whose longer side exceeds --max-side is
box-downscaled to it first and re-saved as JPEG (quality 95, 4:4:4), others are copied byte for byte. The training
crops are downscaled 0.5-1.0x anyway (qtk_train.data.CropSampler), so the pre-scaling changes little. Kodak is never
included (list_images refuses it). Writes OUT/PACKED.txt: source, seed, settings and the files taken.

  training/.venv/bin/python training/pack_data.py --out training/gpu-data --max-mb 22
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from qtk_train.data import default_data_dir, list_images  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(default_data_dir()))
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-mb", type=float, default=22.0)
    ap.add_argument("--max-side", type=int, default=768)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    src, out = Path(args.data), Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = list_images(src)
    order = np.random.default_rng(args.seed).permutation(len(paths))
    budget, used, taken = args.max_mb * 1e6, 0, []
    for i in order:
        p = paths[i]
        with Image.open(p) as im:
            w, h = im.size
            if max(w, h) > args.max_side:
                s = args.max_side / max(w, h)
                small = im.convert("RGB").resize((max(1, round(w * s)), max(1, round(h * s))), Image.BOX)
                buf = io.BytesIO()
                small.save(buf, "JPEG", quality=95, subsampling=0)
                data, how = buf.getvalue(), f"scaled {w}x{h} -> {small.size[0]}x{small.size[1]}"
            else:
                data, how = p.read_bytes(), "copied"
        if used + len(data) > budget:
            continue
        rel = p.relative_to(src)
        name = "__".join(rel.parts[:-1] + (rel.stem + ".jpg",)) if how != "copied" else "__".join(rel.parts)
        (out / name).write_bytes(data)
        used += len(data)
        taken.append(f"{name}\t{how}\t{len(data)}")
    (out / "PACKED.txt").write_text(
        f"# training/pack_data.py --data {src} --max-mb {args.max_mb} --max-side {args.max_side} --seed {args.seed}\n"
        f"# {len(taken)} of {len(paths)} images, {used / 1e6:.1f} MB\n" + "\n".join(taken) + "\n")
    print(f"{len(taken)} of {len(paths)} images, {used / 1e6:.1f} MB -> {out}")


if __name__ == "__main__":
    main()
