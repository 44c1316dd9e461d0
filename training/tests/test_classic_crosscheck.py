"""classic_crosscheck: pairs classic_rd rows with the bench rows of the same settings and quality."""
from __future__ import annotations

import classic_crosscheck as cc


def test_pairs_the_same_codec_settings_and_quality(tmp_path):
    summary = tmp_path / "summary.csv"
    summary.write_text("codec,setting,images,bpp,psnr_rgb\n"
                       "cjpeg,q=10,24,0.25,26.6\ncjpeg,q=20,24,0.45,29.1\njpeg,q=10,24,0.33,26.7\n"
                       "webp,q=10,24,0.27,28.9\n")
    classic = tmp_path / "jpeg.csv"
    classic.write_text("codec,quality,bpp,psnr,psnr_mse,n_images,enc_s,dec_s\n"
                       "jpeg,10,0.25,26.6,26.3,24,0,0\njpeg,15,0.36,28.1,27.7,24,0,0\n")
    rows = cc.compare(cc.bench_rows(str(summary)), cc.classic_rows(str(classic)))
    # classic "jpeg" is the bench's cjpeg (same settings), not the JDK writer; q=15 was not benched
    assert rows == [("jpeg", 10, 0.25, 0.25, 26.6, 26.6)]
