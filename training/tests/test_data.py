"""qtk_train.data: image listing (Kodak guard), RAM cache, seeded crops."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import need_shared, write_jpegs
from qtk_train.data import CropSampler, ImageCache, default_data_dir, list_images


def test_list_images_sorted_and_filtered_by_extension(jpeg_dir):
    (jpeg_dir / "notes.txt").write_text("not an image")
    Image.new("RGB", (20, 20)).save(jpeg_dir / "extra.PNG")
    names = [p.name for p in list_images(jpeg_dir)]
    assert names == sorted(names)
    assert names == ["extra.PNG", "img00.jpg", "img01.jpg", "img02.jpg"]


def test_eval_set_files_are_never_listed(jpeg_dir):
    # (Test names avoid the word: tmp_path contains the test name, and the guard looks at the whole path.)
    write_jpegs(jpeg_dir / "Kodak", [(32, 32)])  # directory named like the eval set (any case)
    Image.new("RGB", (32, 32)).save(jpeg_dir / "kodim05.png")
    Image.new("RGB", (32, 32)).save(jpeg_dir / "KODIM23.jpg")
    listed = list_images(jpeg_dir)
    assert len(listed) == 3
    assert not any("kodak" in str(p).lower() or "kodim" in p.name.lower() for p in listed)


def test_eval_set_directory_is_refused(tmp_path):
    d = tmp_path / "eval" / "kodak"
    d.mkdir(parents=True)
    for i in (1, 2):
        Image.new("RGB", (32, 32)).save(d / f"kodim{i:02d}.png")
    with pytest.raises(FileNotFoundError):
        list_images(d)
    with pytest.raises(FileNotFoundError):
        ImageCache(d, threads=1)


def test_empty_directory_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError):
        list_images(tmp_path)


def test_cache_holds_uint8_rgb_and_filters_small_images(jpeg_dir):
    Image.new("L", (24, 30), 77).save(jpeg_dir / "grey.jpg")  # greyscale -> converted to RGB
    cache = ImageCache(jpeg_dir, threads=1)
    assert len(cache) == 4
    shapes = {p.name: im.shape for p, im in zip(cache.paths, cache.images)}
    assert shapes == {"grey.jpg": (30, 24, 3), "img00.jpg": (48, 64, 3), "img01.jpg": (64, 40, 3),
                      "img02.jpg": (40, 40, 3)}
    assert all(im.dtype == np.uint8 for im in cache.images)
    assert cache.nbytes == sum(h * w * 3 for h, w, _ in shapes.values())
    assert [p.name for p in ImageCache(jpeg_dir, min_side=40, threads=1).paths] == ["img00.jpg", "img01.jpg",
                                                                                     "img02.jpg"]
    big = ImageCache(jpeg_dir, min_side=41, threads=1)
    assert [p.name for p in big.paths] == ["img00.jpg"] and len(big) == 1


@pytest.mark.parametrize("crop", [16, 32])
def test_crops_have_configured_size_dtype_and_range(jpeg_dir, crop):
    sampler = CropSampler(ImageCache(jpeg_dir, threads=1), crop=crop, seed=3)
    x = sampler.batch(5)
    assert x.shape == (5, 3, crop, crop)
    assert x.dtype == torch.float32
    assert 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    assert float(x.std()) > 0.05  # real image content, not a constant
    # Values are 8-bit levels / 255.
    assert torch.allclose(x * 255, (x * 255).round(), atol=1e-4)


def test_image_smaller_than_crop_is_upscaled_to_crop(tmp_path):
    write_jpegs(tmp_path / "small", [(20, 28)])
    sampler = CropSampler(ImageCache(tmp_path / "small", threads=1), crop=32, seed=0)
    assert sampler.batch(3).shape == (3, 3, 32, 32)


def test_crops_are_deterministic_for_a_seed(jpeg_dir):
    cache = ImageCache(jpeg_dir, threads=1)
    a = CropSampler(cache, crop=24, seed=11).batch(6)
    b = CropSampler(cache, crop=24, seed=11).batch(6)
    c = CropSampler(cache, crop=24, seed=12).batch(6)
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


def test_sampler_state_round_trip_continues_exactly(jpeg_dir):
    cache = ImageCache(jpeg_dir, threads=1)
    s = CropSampler(cache, crop=16, seed=5)
    s.batch(2)
    state = s.state()
    first = s.batch(4)
    s2 = CropSampler(cache, crop=16, seed=999)
    s2.set_state(state)
    assert torch.equal(s2.batch(4), first)


def test_unscaled_crop_is_the_image_or_its_mirror(tmp_path):
    """An image exactly crop x crop with scale fixed at 1: every crop is the image, flipped about half the time."""
    write_jpegs(tmp_path / "one", [(24, 24)])
    cache = ImageCache(tmp_path / "one", threads=1)
    im = torch.from_numpy(cache.images[0]).permute(2, 0, 1).float() / 255
    x = CropSampler(cache, crop=24, min_scale=1.0, max_scale=1.0, flip=True, seed=0).batch(24)
    plain = [torch.equal(c, im) for c in x]
    mirrored = [torch.equal(c, im.flip(-1)) for c in x]
    assert all(p or m for p, m in zip(plain, mirrored))
    assert 3 <= sum(mirrored) <= 21
    y = CropSampler(cache, crop=24, min_scale=1.0, max_scale=1.0, flip=False, seed=0).batch(8)
    assert all(torch.equal(c, im) for c in y)


def test_shared_training_set_has_images_and_no_eval_images():
    root = need_shared("datasets", "train")
    assert default_data_dir().resolve() == root.resolve()
    files = list_images(root)
    assert len(files) > 100
    assert not any("kodak" in str(p).lower() or "kodim" in p.name.lower() for p in files)


def test_shared_eval_set_is_refused_as_training_data():
    kodak = need_shared("datasets", "eval", "kodak")
    with pytest.raises(FileNotFoundError):
        list_images(kodak)


def test_pack_data_keeps_the_budget_scales_big_images_and_records_itself(tmp_path, monkeypatch):
    import sys
    import pack_data
    src = tmp_path / "photos"
    write_jpegs(src / "a", [(40, 48), (36, 36), (30, 44)])
    write_jpegs(src / "big", [(60, 200)])
    out = tmp_path / "packed"
    monkeypatch.setattr(sys, "argv", ["pack_data.py", "--data", str(src), "--out", str(out), "--max-side", "100",
                                      "--max-mb", "1"])
    pack_data.main()
    files = list_images(out)
    assert len(files) == 4
    big = [f for f in files if f.name.startswith("big__")]
    assert len(big) == 1 and max(Image.open(big[0]).size) == 100  # scaled to the longest side
    copied = [f for f in files if not f.name.startswith("big__")]
    originals = sorted(p.read_bytes() for p in (src / "a").iterdir())
    assert sorted(f.read_bytes() for f in copied) == originals  # small ones byte for byte
    assert "4 of 4 images" in (out / "PACKED.txt").read_text()
    # A budget smaller than every image takes none, rather than overshooting.
    monkeypatch.setattr(sys, "argv", ["pack_data.py", "--data", str(src), "--out", str(out), "--max-mb", "0.0001"])
    pack_data.main()
    assert "0 of 4 images" in (out / "PACKED.txt").read_text()
