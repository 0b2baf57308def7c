"""HTML templates to PDF through WeasyPrint (tagged PDF, fonts from the system)."""

import logging
from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # WeasyPrint logs every unsupported CSS property at WARNING; those are not our errors.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def join_pdfs(parts: list[bytes]) -> bytes:
    """One PDF from several, in order (a letter followed by its enclosures)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
