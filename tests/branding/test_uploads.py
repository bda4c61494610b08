"""Upload fuzzing: a logo is judged by its content. Oversized, wrong-type, polyglot and script-bearing files
are refused with a clear error, through the page and the service alike, and nothing is written."""

import html
import io
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import Image

from apps.branding.images import MAX_LOGO_BYTES, LogoRefused, logo_validate
from apps.branding.models import Brand, BrandLayer
from apps.core.models import AuditEvent
from tests.branding.conftest import SAFE_SVG, jpeg_bytes, png_bytes, upload


def _svg(body: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{body}</svg>'.encode()


def _huge_png(width: int, height: int) -> bytes:
    """A valid PNG header claiming a huge canvas, with a tiny compressed body (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00" * (width // 8 + 1) * 1, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _jpeg_with_comment(comment: bytes) -> bytes:
    data = jpeg_bytes()
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


REFUSED = {
    "oversized": (upload("big.png", png_bytes() + b"\x00" * (MAX_LOGO_BYTES + 1)), "at most 512 KB"),
    "empty": (upload("empty.png", b""), "empty"),
    "text named png": (upload("logo.png", b"hello, I am not an image"), "not a PNG, JPEG or SVG"),
    "gif": (upload("logo.gif", b"GIF89a" + b"\x00" * 40, "image/gif"), "not a PNG, JPEG or SVG"),
    "html named svg": (
        upload("logo.svg", b"<html><script>alert(1)</script></html>"),
        "not a PNG, JPEG or SVG",
    ),
    "truncated png": (upload("cut.png", png_bytes()[:40]), "not a readable PNG or JPEG"),
    "png + trailing html (polyglot)": (
        upload("poly.png", png_bytes() + b"<html><body>hi</body></html>"),
        "polyglot",
    ),
    "png + trailing zip (polyglot)": (
        upload("poly.png", png_bytes() + b"PK\x03\x04" + b"\x00" * 30),
        "polyglot",
    ),
    "jpeg carrying a script (polyglot)": (
        upload("poly.jpg", _jpeg_with_comment(b"<script>alert(1)</script>"), "image/jpeg"),
        "polyglot",
    ),
    "too many pixels": (upload("wide.png", png_bytes(size=(4000, 10))), "at most 2048"),
    "decompression bomb": (upload("bomb.png", _huge_png(60000, 60000)), "not a readable PNG or JPEG"),
    "svg script": (upload("s.svg", _svg("<script>alert(1)</script>")), "<script>"),
    "svg onload": (upload("s.svg", _svg('<rect width="1" height="1" onload="alert(1)"/>')), "event handler"),
    "svg foreignObject": (
        upload("s.svg", _svg("<foreignObject><p>hi</p></foreignObject>")),
        "<foreignobject>",
    ),
    "svg external image": (upload("s.svg", _svg('<image href="https://evil.test/x.png"/>')), "<image>"),
    "svg external use": (
        upload("s.svg", _svg('<use xlink:href="https://evil.test/a.svg#x"/>')),
        "links outside",
    ),
    "svg javascript href": (upload("s.svg", _svg('<use href="javascript:alert(1)"/>')), "links outside"),
    "svg style element": (
        upload("s.svg", _svg("<style>rect{fill:url(https://evil.test)}</style>")),
        "<style>",
    ),
    "svg style attribute": (upload("s.svg", _svg('<rect style="fill:red"/>')), "active or external"),
    "svg external url()": (
        upload("s.svg", _svg('<rect fill="url(https://evil.test/#x)"/>')),
        "active or external",
    ),
    "svg entity expansion": (
        upload(
            "s.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        ),
        "DOCTYPE",
    ),
    "svg stylesheet instruction": (
        upload("s.svg", b'<?xml-stylesheet href="https://evil.test/a.css"?>' + _svg("<rect/>")),
        "style sheet",
    ),
    "svg not well formed": (
        upload("s.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>"),
        "well-formed",
    ),
    "svg wrong namespace": (upload("s.svg", b"<svg><rect/></svg>"), "not an SVG image"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_bad_logo_is_refused_with_a_clear_reason(name):
    file, reason = REFUSED[name]
    file.seek(0)
    with pytest.raises(LogoRefused) as refused:
        logo_validate(file)
    assert reason.lower() in str(refused.value).lower()


@pytest.mark.parametrize("name", ["oversized", "png + trailing html (polyglot)", "svg script", "svg onload"])
def test_the_page_shows_the_refusal_on_the_field_and_writes_nothing(world, page_client, media, name):
    file, reason = REFUSED[name]
    file.seek(0)
    url = reverse("partner:branding", kwargs={"org_id": world.acme.webex_id})
    events = AuditEvent.objects.count()
    response = page_client(world.acme_admin).post(url, {"primary_light": "#123456", "logo_light": file})
    assert response.status_code == 200
    assert reason.lower() in html.unescape(response.content.decode()).lower()
    assert not Brand.objects.filter(org=world.acme).exists()  # the valid colour is not saved either
    assert AuditEvent.objects.count() == events
    assert not (media / "branding").exists() or not any((media / "branding").iterdir())


@pytest.mark.parametrize(
    ("file", "ext"),
    [
        (upload("logo.png", png_bytes()), "png"),
        (upload("photo.jpeg", jpeg_bytes(), "image/jpeg"), "jpg"),
        (upload("logo.svg", SAFE_SVG, "image/svg+xml"), "svg"),
        (upload("misnamed.svg", png_bytes(), "image/svg+xml"), "png"),  # the content decides, not the name
    ],
)
def test_good_logos_are_accepted_by_content(file, ext):
    logo = logo_validate(file)
    assert logo.ext == ext
    if ext != "svg":
        Image.open(io.BytesIO(logo.content)).verify()  # re-encoded: pixels only


def test_a_raster_logo_is_re_encoded_without_metadata():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG", pnginfo=_text_info())
    assert b"Secret" in out.getvalue()
    assert b"Secret" not in logo_validate(upload("m.png", out.getvalue())).content


def _text_info():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Secret")
    return info


def test_an_accepted_logo_is_stored_and_served_safely(world, page_client, client, media):
    url = reverse("partner:branding", kwargs={"org_id": world.acme.webex_id})
    file = upload("logo.svg", SAFE_SVG, "image/svg+xml")
    response = page_client(world.acme_admin).post(url, {"logo_light": file})
    assert response.status_code == 302
    brand = Brand.objects.get(org=world.acme, layer=BrandLayer.OWN)
    assert brand.logo_light.endswith(".svg") and (media / "branding" / brand.logo_light).exists()
    client.logout()
    served = client.get(reverse("brand_logo", kwargs={"name": brand.logo_light}))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/svg+xml"
    assert "sandbox" in served["Content-Security-Policy"] and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == SAFE_SVG
    for bad in ("../../secret-key", "x.png", "a" * 64 + ".exe", "A" * 64 + ".png"):
        assert client.get(f"/brand/logo/{bad}").status_code == 404
