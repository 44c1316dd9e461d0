"""tuning_crops: picks every 10th training photo from the 3rd, crops the centre to at most 768x512, skips without data."""
from __future__ import annotations

from PIL import Image

import tuning_crops as tc


def test_picks_every_tenth_photo_and_crops_the_centre(tmp_path):
    for sub in ("sunhays80", "wallpapers-1280"):
        (tmp_path / sub).mkdir()
    for i in range(25):
        Image.new("RGB", (1000, 600), (i, 0, 0)).save(tmp_path / "sunhays80" / f"s{i:02d}.jpg")
    Image.new("RGB", (300, 200)).save(tmp_path / "wallpapers-1280" / "w.jpg")
    picked = tc.pick(tmp_path)
    assert [p.name for p in picked] == ["s02.jpg", "s12.jpg", "s22.jpg"]
    img = Image.new("RGB", (1000, 600))
    img.putpixel((116, 44), (255, 255, 255))  # the crop's top-left corner: ((1000-768)/2, (600-512)/2)
    c = tc.crop(img)
    assert c.size == (768, 512) and c.getpixel((0, 0)) == (255, 255, 255)
    assert tc.crop(Image.new("RGB", (300, 200))).size == (300, 200)


def test_no_training_set_is_a_skip_not_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["tuning_crops.py", str(tmp_path / "missing"), str(tmp_path / "out")])
    assert tc.main() == 0
    assert "skipped" in capsys.readouterr().err
