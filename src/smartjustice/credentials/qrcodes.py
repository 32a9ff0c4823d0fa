"""QR codes for certificates: an inline SVG that pages and PDFs embed without fetching anything."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg


def svg(data: str) -> str:
    """The QR code of `data` as SVG markup (error correction M: survives a worn printout)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def data_uri(data: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(data).encode("utf-8")).decode("ascii")
