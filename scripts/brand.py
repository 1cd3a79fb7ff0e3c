"""Draw the integration's brand icons: ``.venv/bin/python scripts/brand.py``.

A white speech bubble with three dots on a rounded teal square, drawn large
and scaled down, written to ``custom_components/sms_gateway/brand/``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "custom_components/sms_gateway/brand"
SCALE = 4
SIZE = 512 * SCALE
TOP = (0, 150, 199)
BOTTOM = (0, 105, 160)


def draw() -> Image.Image:
    """The 512 × 512 icon."""
    gradient = Image.new("RGBA", (1, SIZE))
    for y in range(SIZE):
        t = y / (SIZE - 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM, strict=True))
        gradient.putpixel((0, y), (*color, 255))
    background = gradient.resize((SIZE, SIZE))
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, SIZE - 1, SIZE - 1), radius=112 * SCALE, fill=255
    )
    icon = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    icon.paste(background, (0, 0), mask)

    pen = ImageDraw.Draw(icon)
    s = SCALE
    white = (255, 255, 255, 255)
    pen.rounded_rectangle(
        (96 * s, 120 * s, 416 * s, 344 * s), radius=64 * s, fill=white
    )
    pen.polygon(
        [(150 * s, 330 * s), (136 * s, 412 * s), (236 * s, 336 * s)], fill=white
    )
    for x in (184, 256, 328):
        pen.ellipse(
            ((x - 26) * s, (232 - 26) * s, (x + 26) * s, (232 + 26) * s), fill=BOTTOM
        )
    return icon.resize((512, 512), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon.png (256 px) and icon@2x.png (512 px)."""
    OUT.mkdir(parents=True, exist_ok=True)
    large = draw()
    large.save(OUT / "icon@2x.png", optimize=True)
    large.resize((256, 256), Image.Resampling.LANCZOS).save(
        OUT / "icon.png", optimize=True
    )
    print(f"Wrote {OUT}/icon.png and icon@2x.png")


if __name__ == "__main__":
    main()
