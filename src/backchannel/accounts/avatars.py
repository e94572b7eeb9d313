"""Profile pictures: any common image in, a small square WebP out. Re-encoding from pixels
drops every piece of metadata (EXIF GPS positions, camera serials, XMP, ICC comments)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from backchannel.errors import Invalid

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIZE = 256
_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Larger images are refused before their pixels are decoded (decompression bombs).
_MAX_PIXELS = 40_000_000


def prepare(data: bytes) -> bytes:
    if not data:
        raise Invalid("Choose an image file.", field="avatar")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("The image is larger than 5 MB.", code="too_large", field="avatar")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as source:
                if source.format not in _FORMATS:
                    raise Invalid("Use a JPEG, PNG, WebP or GIF image.", field="avatar")
                if source.width * source.height > _MAX_PIXELS:
                    raise Invalid("The image has too many pixels.", field="avatar")
                # Turn it the way the camera meant before the orientation tag is dropped.
                image = ImageOps.exif_transpose(source)
                image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                square = ImageOps.fit(image, (SIZE, SIZE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                square.save(out, "WEBP", quality=85, method=4)
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
        raise Invalid("That file is not an image we can read.", field="avatar") from None
