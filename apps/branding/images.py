"""Logo uploads: what is accepted (PNG, JPEG, or an SVG without anything active in it), judged by the
content and never by the name or the declared type; and where an accepted logo is stored (Django's storage
API, under a name derived from its content, so a logo is immutable and can be cached)."""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 2048  # pixels, either side
LOGO_DIR = "branding"
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg|svg)$")

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# Drawing only: nothing that runs, embeds, fetches or styles (CSS can fetch).
_SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "defs",
    "lineargradient", "radialgradient", "stop", "title", "desc", "clippath", "mask", "use", "symbol",
}  # fmt: skip
# Anything that smells of markup a browser would run, in a file that claims to be a raster image.
_ACTIVE = re.compile(rb"<\s*(script|html|body|iframe|object|embed|svg)\b|<\?php|javascript:", re.IGNORECASE)


class LogoRefused(ValueError):
    """Why an upload is not a logo, in words a person acts on."""


@dataclass(frozen=True)
class Logo:
    content: bytes
    ext: str  # png | jpg | svg


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!--")):
        return "svg"
    return None


def _check_raster(content: bytes, ext: str) -> Logo:
    if _ACTIVE.search(content):
        raise LogoRefused(
            _("The image carries markup or script inside it (a polyglot file): export it again.")
        )
    marker, trailer = (b"IEND", 8) if ext == "png" else (b"\xff\xd9", 2)
    at = content.rfind(marker)
    if at < 0:
        raise LogoRefused(_("The file is not a readable PNG or JPEG image (it is cut short)."))
    if content[at + trailer :].strip(b"\x00"):
        raise LogoRefused(
            _("The file carries other data after the image (a polyglot file): export it again.")
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                fmt, size = probe.format, probe.size
                probe.verify()
            with Image.open(io.BytesIO(content)) as image:
                if max(size) > MAX_LOGO_SIDE:
                    raise LogoRefused(
                        _("The image is %(width)s×%(height)s pixels: at most %(max)s on either side.")
                        % {"width": size[0], "height": size[1], "max": MAX_LOGO_SIDE}
                    )
                image.load()
                # Re-encoded: only pixels are kept (no metadata, no trailing bytes).
                out = io.BytesIO()
                if ext == "png":
                    image.save(out, format="PNG", optimize=True)
                else:
                    image.convert("RGB").save(out, format="JPEG", quality=92)
    except LogoRefused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoRefused(_("The file is not a readable PNG or JPEG image.")) from None
    if fmt != {"png": "PNG", "jpg": "JPEG"}[ext]:
        raise LogoRefused(_("The file's content does not match its image format."))
    return Logo(out.getvalue(), ext)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _check_svg(content: bytes) -> Logo:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise LogoRefused(_("The SVG file is not UTF-8 text.")) from None
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise LogoRefused(_("The SVG file declares a DOCTYPE or entities: remove them."))
    if re.search(r"<\?xml-stylesheet", text, re.IGNORECASE):
        raise LogoRefused(_("The SVG file loads a style sheet: remove it."))
    try:
        root = ElementTree.fromstring(text)  # noqa: S314 (DOCTYPE and entities refused above)
    except ElementTree.ParseError:
        raise LogoRefused(_("The SVG file is not well-formed XML.")) from None
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise LogoRefused(_("The file is not an SVG image (its root element is not <svg>)."))
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag not in _SVG_ELEMENTS:
            raise LogoRefused(
                _(
                    "The SVG file contains <%(tag)s>, which logos may not: only shapes, text and gradients "
                    "are accepted (no scripts, styles, images or embedded content)."
                )
                % {"tag": tag}
            )
        for name, value in element.attrib.items():
            attr = _local(name)
            lowered = re.sub(r"\s", "", value).lower()
            if attr.startswith("on"):
                raise LogoRefused(
                    _("The SVG file has an event handler (%(attr)s): logos may not run script.")
                    % {"attr": attr}
                )
            if attr == "href" and not value.startswith("#"):
                raise LogoRefused(_("The SVG file links outside itself: only links to its own shapes (#id)."))
            if attr == "style" or "javascript:" in lowered or re.search(r"url\((?!#)", lowered):
                raise LogoRefused(
                    _("The SVG file has an active or external value (%(attr)s): remove it.") % {"attr": attr}
                )
    return Logo(content, "svg")


def logo_validate(upload) -> Logo:
    """The logo in an uploaded file, or ``LogoRefused`` saying why not."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_LOGO_BYTES:
        raise LogoRefused(
            _("The file is %(size)s KB: at most %(max)s KB.")
            % {"size": size // 1024, "max": MAX_LOGO_BYTES // 1024}
        )
    content = upload.read(MAX_LOGO_BYTES + 1)
    if len(content) > MAX_LOGO_BYTES:
        raise LogoRefused(_("The file is larger than %(max)s KB.") % {"max": MAX_LOGO_BYTES // 1024})
    if not content:
        raise LogoRefused(_("The file is empty."))
    kind = _kind(content[:64])
    if kind is None:
        raise LogoRefused(_("The file is not a PNG, JPEG or SVG image."))
    return _check_svg(content) if kind == "svg" else _check_raster(content, kind)


def logo_store(logo: Logo) -> str:
    """Save a validated logo through the storage API; its name is its content's SHA-256."""
    name = f"{hashlib.sha256(logo.content).hexdigest()}.{logo.ext}"
    path = f"{LOGO_DIR}/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(logo.content))
    return name


def logo_open(name: str):
    """The stored logo of a name (``STORED_NAME``), or None."""
    if not STORED_NAME.match(name or ""):
        return None
    path = f"{LOGO_DIR}/{name}"
    return default_storage.open(path, "rb") if default_storage.exists(path) else None
