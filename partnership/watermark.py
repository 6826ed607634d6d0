"""A CTLP briefing as its reader downloads it: every page stamped with the marking, the
reader's name and the time, so a copy that leaks says whose it was."""

from __future__ import annotations

import io

import pypdf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from prevent_cms.pdf import render_pdf

from .models import CtlpBriefing


def _stamp(text: str, width: float, height: float) -> pypdf.PageObject:
    line = escape(text)
    html = (
        f"<style>@page{{size:{width}pt {height}pt;margin:0}}"
        "body{margin:0;font-family:sans-serif}"
        "p{position:absolute;left:0;right:0;text-align:center;font-size:9pt;color:#b10e1e;"
        "margin:0}.top{top:6pt}.bottom{bottom:6pt}</style>"
        f'<p class="top">{line}</p><p class="bottom">{line}</p>'
    )
    rendered = render_pdf(html=html, static=False)
    return pypdf.PdfReader(io.BytesIO(rendered.content)).pages[0]


def watermarked_for(briefing: CtlpBriefing, *, reader_name: str) -> bytes:
    """The briefing's PDF with each page stamped for this reader (the stored file is kept
    as uploaded)."""
    # In the reader's language (issue 19): the marking itself is kept as it was given.
    text = _("%(marking)s — issued to %(name)s on %(when)s — do not copy or forward") % {
        "marking": briefing.marking,
        "name": reader_name,
        "when": date_format(timezone.localtime(), "j F Y, H:i"),
    }
    with briefing.file.open("rb") as handle:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(handle.read()))
    stamps: dict[tuple[float, float], pypdf.PageObject] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp(text, *size)
        page.merge_page(stamps[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
