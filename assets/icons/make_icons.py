"""Draws the app's icons (a white "i" on the alliance's blue) as PNG files, with the standard library alone.

Run `python3 assets/icons/make_icons.py` after changing the drawing; the PNG files are committed and
copied into the build by assets/build.mjs. The maskable icon keeps its mark inside the central 80%
circle that launchers may crop to.
"""

import struct
import zlib
from pathlib import Path

BLUE = (0x1D, 0x4F, 0x76)
WHITE = (0xFF, 0xFF, 0xFF)


def _inside(x: float, y: float, scale: float) -> bool:
    """Whether a point (0..1 square) falls on the "i": a dot above a rounded bar, `scale` of the full size."""
    cx, cy = 0.5, 0.5
    u, v = (x - cx) / scale + 0.5, (y - cy) / scale + 0.5
    if (u - 0.5) ** 2 + (v - 0.25) ** 2 <= 0.085**2:
        return True
    half_width = 0.075
    if abs(u - 0.5) <= half_width and 0.42 <= v <= 0.80:
        return True
    return (u - 0.5) ** 2 + (v - 0.80) ** 2 <= half_width**2 or (u - 0.5) ** 2 + (v - 0.42) ** 2 <= half_width**2


def png(size: int, scale: float) -> bytes:
    rows = []
    for row in range(size):
        line = bytearray([0])
        for column in range(size):
            line.extend(WHITE if _inside((column + 0.5) / size, (row + 0.5) / size, scale) else BLUE)
        rows.append(bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    here = Path(__file__).parent
    for name, size, scale in [
        ("icon-192.png", 192, 1.0),
        ("icon-512.png", 512, 1.0),
        ("icon-maskable-512.png", 512, 0.7),
        ("apple-touch-icon.png", 180, 0.9),
    ]:
        (here / name).write_bytes(png(size, scale))
