"""Pictures people upload (profile pictures, article covers): any common image in, WebP out.
Re-encoding from pixels drops every piece of metadata (EXIF GPS positions, camera serials, XMP,
ICC comments); images too large to decode safely are refused before their pixels are read."""

from __future__ import annotations

import hashlib
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from backchannel.errors import Invalid

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Larger images are refused before their pixels are decoded (decompression bombs).
_MAX_PIXELS = 40_000_000


def to_webp(
    data: bytes, *, field: str, square: int | None = None, max_width: int | None = None
) -> bytes:
    """The picture as WebP: cropped to a `square` of that size, or shrunk to `max_width`."""
    if not data:
        raise Invalid("Choose an image file.", field=field)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("The image is larger than 5 MB.", code="too_large", field=field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as source:
                if source.format not in _FORMATS:
                    raise Invalid("Use a JPEG, PNG, WebP or GIF image.", field=field)
                if source.width * source.height > _MAX_PIXELS:
                    raise Invalid("The image has too many pixels.", field=field)
                # Turn it the way the camera meant before the orientation tag is dropped.
                image = ImageOps.exif_transpose(source)
                image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                if square is not None:
                    image = ImageOps.fit(image, (square, square), Image.Resampling.LANCZOS)
                elif max_width is not None and image.width > max_width:
                    height = round(image.height * max_width / image.width)
                    image = image.resize((max_width, max(1, height)), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                image.save(out, "WEBP", quality=85, method=4)
                return out.getvalue()
    except Invalid:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise Invalid("That file is not an image we can read.", field=field) from None


def version_of(image: bytes) -> int:
    """The version in a picture's address, from its bytes (0 means no picture). Pictures are
    cached as immutable, so an address must never show two different pictures, even after one
    was removed and another uploaded in the same second; the same picture may keep its
    address. 31 bits: a 32-bit column holds it."""
    return int.from_bytes(hashlib.blake2b(image, digest_size=4).digest(), "big") >> 1 or 1
