"""The demo catalogue's pictures: one recognisable drawing per item, a Chinese label, small PNGs."""

from __future__ import annotations

import io
import itertools
import shutil
from collections.abc import Iterator

import pytest
from PIL import Image, ImageChops, ImageStat

from ledger.demo import fonts
from ledger.demo.data import CATALOGUE
from ledger.demo.images import LABEL_TOP, SIZE, compose, item_picture
from ledger.demo.pictograms import PICTOGRAMS

THUMB = (60, 40)


@pytest.fixture(scope="module")
def pictures() -> dict[str, Image.Image]:
    rendered: dict[str, Image.Image] = {}
    for item_id in CATALOGUE:
        data = item_picture(item_id)
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), item_id
        assert len(data) < 100_000, f"{item_id}: {len(data)} bytes"
        image = Image.open(io.BytesIO(data))
        image.load()
        rendered[item_id] = image
    return rendered


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference (0–255) of two pictures' small grayscale thumbnails."""
    small_a = a.convert("L").resize(THUMB, Image.Resampling.BOX)
    small_b = b.convert("L").resize(THUMB, Image.Resampling.BOX)
    return ImageStat.Stat(ImageChops.difference(small_a, small_b)).mean[0]


def test_every_demo_item_has_its_own_drawing() -> None:
    assert set(PICTOGRAMS) == set(CATALOGUE)
    drawings = [drawing for _, drawing in PICTOGRAMS.values()]
    assert len(set(drawings)) == len(drawings)
    colours = [colour for colour, _ in PICTOGRAMS.values()]
    assert len(set(colours)) == len(colours)


def test_pictures_are_pngs_of_the_kiosk_size(pictures: dict[str, Image.Image]) -> None:
    for item_id, image in pictures.items():
        assert image.format == "PNG", item_id
        assert image.size == SIZE, item_id
        assert image.mode == "RGB", item_id


def test_no_two_pictures_look_alike(pictures: dict[str, Image.Image]) -> None:
    close = [
        (a, b, round(mean_difference(pictures[a], pictures[b]), 1))
        for a, b in itertools.combinations(pictures, 2)
        if mean_difference(pictures[a], pictures[b]) < 10
    ]
    assert not close


def test_no_two_items_share_a_drawing_even_on_one_background() -> None:
    # The same drawing on the same background and label gives a difference of 0; distinct
    # drawings stay well apart even when their colours no longer tell them apart.
    grey = (120, 120, 120)
    drawn = {
        item_id: compose(drawing, grey, "physical", 100, "标题").crop((0, 0, SIZE[0], LABEL_TOP))
        for item_id, (_, drawing) in PICTOGRAMS.items()
    }
    again = compose(PICTOGRAMS["thermos"][1], grey, "physical", 100, "标题")
    assert mean_difference(drawn["thermos"], again.crop((0, 0, SIZE[0], LABEL_TOP))) < 1
    close = [
        (a, b, round(mean_difference(drawn[a], drawn[b]), 1))
        for a, b in itertools.combinations(drawn, 2)
        if mean_difference(drawn[a], drawn[b]) < 8
    ]
    assert not close


def test_the_label_carries_the_title_and_points(pictures: dict[str, Image.Image]) -> None:
    for item_id, image in pictures.items():
        title_line = image.crop((0, LABEL_TOP + 12, SIZE[0], LABEL_TOP + 70)).convert("L")
        points_line = image.crop((0, LABEL_TOP + 72, SIZE[0], SIZE[1])).convert("L")
        for line in (title_line, points_line):
            bright = sum(line.point(lambda v: 255 if v > 200 else 0).histogram()[255:])
            share = bright / (line.width * line.height)
            assert share > 0.02, f"{item_id}: the label is nearly blank ({share:.3f})"
        ink = title_line.point(lambda v: 255 if v > 200 else 0).getbbox()
        assert ink is not None and ink[2] - ink[0] > 100, item_id


def test_the_font_draws_chinese_not_boxes() -> None:
    font = fonts.cjk_font(48)
    masks = [Image.frombytes("L", font.getmask(ch).size, bytes(font.getmask(ch))) for ch in "积分"]
    assert masks[0].getbbox() is not None
    assert masks[0].tobytes() != masks[1].tobytes()
    family = font.getname()[0]
    assert family is not None and family.startswith("Noto Sans CJK")


@pytest.fixture
def fresh_font_lookup() -> Iterator[None]:
    fonts.cjk_face.cache_clear()
    fonts.cjk_font.cache_clear()
    yield
    fonts.cjk_face.cache_clear()
    fonts.cjk_font.cache_clear()


@pytest.mark.usefixtures("fresh_font_lookup")
def test_without_a_chinese_font_the_message_names_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "KNOWN_DIRS", ())
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    with pytest.raises(fonts.MissingFontError, match="apt-get install fonts-noto-cjk"):
        item_picture("thermos")


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is not installed")
@pytest.mark.usefixtures("fresh_font_lookup")
def test_fontconfig_finds_the_font_outside_the_known_folders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fonts, "KNOWN_DIRS", ())
    file, index = fonts.cjk_face(bold=True)
    family, style = fonts.ImageFont.truetype(file, 20, index=index).getname()
    assert (family, style) == ("Noto Sans CJK SC", "Bold")
