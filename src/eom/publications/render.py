"""A report written out in one language: as the page shows it, as HTML, DOCX (python-docx) and
PDF (fpdf2 with the DejaVu fonts, which write Cyrillic and Kazakh letters).

`document(report, language)` resolves each `[[figure:KEY]]` of the sections' text into the
figure's text in that language (frozen values when published, current values when a draft) and
lists the figures used for the annex: each one's table and a bar chart (SVG in HTML, PNG drawn
with Pillow in DOCX and PDF), its inputs' fingerprint and when it was computed.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import figures
from .models import Heading, Report, Translation
from .services import FigureValue, figure_values

FONT_NAMES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


@dataclass
class Part:
    text: str
    figure: FigureValue | None = None


@dataclass
class SectionOut:
    heading: str
    key: str
    is_subheading: bool
    paragraphs: list[list[Part]]
    translation: str  # the language's translation state, "" for English


@dataclass
class Document:
    report: Report
    language: str
    title: str
    kind: str
    state: str
    sections: list[SectionOut] = field(default_factory=list)
    figures: list[FigureValue] = field(default_factory=list)

    def annex_label(self, number: int) -> str:
        return _("Figure %(n)d") % {"n": number}


def split(body: str, values: dict[str, FigureValue], language: str) -> list[list[Part]]:
    """The text's paragraphs (separated by blank lines), each a list of parts: plain text and
    figures written in `language`."""
    out = []
    for paragraph in (p.strip() for p in body.replace("\r\n", "\n").split("\n\n")):
        if not paragraph:
            continue
        parts, at = [], 0
        for match in figures.TOKEN.finditer(paragraph):
            if match.start() > at:
                parts.append(Part(paragraph[at:match.start()]))
            value = values.get(match.group(1))
            if value is None:
                parts.append(Part(match.group(0)))
            else:
                parts.append(Part(value.text(language), value))
            at = match.end()
        if at < len(paragraph):
            parts.append(Part(paragraph[at:]))
        out.append(parts)
    return out


def document(report: Report, language: str,
             values: dict[str, FigureValue] | None = None) -> Document:
    """The report in `language`: its sections with text (English where the language's is
    empty) and the figures used, in order of first use."""
    values = figure_values(report) if values is None else values
    with translation.override(language):
        title = (getattr(report, f"title_{language}", "") if language != "en" else ""
                 ) or report.title
        doc = Document(report, language, title, capfirst(report.get_kind_display()),
                       report.get_state_display())
        used: dict[str, FigureValue] = {}
        for section in report.sections.all():
            body = section.text_in(language)
            paragraphs = split(body, values, language)
            for paragraph in paragraphs:
                for part in paragraph:
                    if part.figure is not None:
                        used.setdefault(part.figure.key, part.figure)
            state = "" if language == "en" else str(Translation(
                getattr(section, f"translation_{language}")).label)
            doc.sections.append(SectionOut(str(Heading(section.heading).label),
                                           section.heading, section.is_subheading,
                                           paragraphs, state))
        doc.figures = list(used.values())
    return doc


# --- charts ----------------------------------------------------------------------------------


def bars(value: FigureValue, language: str) -> list[tuple[str, float, float]]:
    """(label, length, the whole) of each bar of the figure's chart."""
    v = value.value
    if not v:
        return []
    kind = value.key.partition(":")[0]
    if kind == "indicator" and v["share"] is not None:
        return [(v["label"].get(language) or v["label"]["en"], 100 * v["share"], 100.0)]
    if kind == "seats":
        whole = max((row["seats"] for row in v["rows"]), default=0) or 1
        return [(row["name"].get(language) or row["name"]["en"], row["seats"], whole)
                for row in v["rows"]]
    if kind == "complaints" and v["share"] is not None:
        with translation.override(language):
            return [(_("within the deadline"), 100 * v["share"], 100.0)]
    if kind == "media":
        return [(row["label"].get(language) or row["label"]["en"], 100 * row["share"], 100.0)
                for row in v["rows"][:10]]
    if kind == "quickcount" and v["share"] is not None:
        with translation.override(language):
            label = (_("turnout") if v["measure"] == "turnout"
                     else v["name"].get(language) or v["name"]["en"])
        return [(label, 100 * v["share"], 100.0)]
    return []


def _font_dir() -> Path:
    found = Path(settings.EOM_PDF_FONT_DIR)
    if not (found / FONT_NAMES["regular"]).exists():
        raise ImproperlyConfigured(
            f"The PDF and the charts need the DejaVu fonts ({FONT_NAMES['regular']}) in "
            f"{found}: install the Debian package fonts-dejavu-core, or set "
            "EOM_PDF_FONT_DIR to a folder that holds them.")
    return found


def chart_png(rows: list[tuple[str, float, float]], language: str) -> bytes:
    """A horizontal bar chart, drawn with Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(_font_dir() / FONT_NAMES["regular"]), 22)
    width, bar_at, line = 1400, 560, 44
    image = Image.new("RGB", (width, 20 + line * len(rows)), "white")
    draw = ImageDraw.Draw(image)
    for k, (label, length, whole) in enumerate(rows):
        y = 10 + k * line
        draw.text((10, y + 6), label[:44], fill="black", font=font)
        extent = int((width - bar_at - 160) * (length / whole if whole else 0))
        draw.rectangle((bar_at, y + 4, bar_at + max(extent, 1), y + line - 8), fill="#2f5d8a")
        shown = figures.number(length, language, 1 if whole == 100.0 else 0)
        draw.text((bar_at + extent + 10, y + 6), shown, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def chart_svg(rows: list[tuple[str, float, float]], language: str) -> str:
    width, bar_at, line = 700, 280, 22
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
             f'{10 + line * len(rows)}" width="100%" role="img">']
    for k, (label, length, whole) in enumerate(rows):
        y = 5 + k * line
        extent = (width - bar_at - 80) * (length / whole if whole else 0)
        shown = figures.number(length, language, 1 if whole == 100.0 else 0)
        parts.append(f'<text x="5" y="{y + 15}" font-size="13">{html.escape(label[:40])}</text>'
                     f'<rect x="{bar_at}" y="{y + 3}" width="{extent:.1f}" height="{line - 6}" '
                     f'fill="#2f5d8a"/><text x="{bar_at + extent + 5:.1f}" y="{y + 15}" '
                     f'font-size="13">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)


def provenance(value: FigureValue, language: str) -> str:
    with translation.override(language):
        when = formats.date_format(value.computed_at, "DATETIME_FORMAT") \
            if value.computed_at else "–"
        label = _("frozen on publication") if value.frozen else _("current value")
        return _("%(state)s; computed %(when)s from %(n)s rows (fingerprint %(hash)s); "
                 "code %(code)s") % {"state": label, "when": when,
                                     "n": figures.number(value.n_inputs, language),
                                     "hash": value.fingerprint[:16],
                                     "code": value.code_version or "–"}


# --- HTML ------------------------------------------------------------------------------------

STYLE = ("body{font-family:'DejaVu Sans',sans-serif;max-width:48rem;margin:auto;padding:1rem;"
         "line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #999;"
         "padding:.2rem .5rem}.figure{font-weight:bold}.note{color:#555;font-size:.85rem}")


def to_html(doc: Document) -> bytes:
    with translation.override(doc.language):
        out = [f'<!DOCTYPE html><html lang="{doc.language}"><head><meta charset="utf-8">'
               f"<title>{html.escape(doc.title)}</title><style>{STYLE}</style></head><body>",
               f"<h1>{html.escape(doc.title)}</h1>",
               f'<p class="note">{html.escape(doc.kind)} — {html.escape(doc.state)}</p>']
        numbers = {f.key: k for k, f in enumerate(doc.figures, 1)}
        for section in doc.sections:
            tag = "h3" if section.is_subheading else "h2"
            out.append(f"<{tag}>{html.escape(section.heading)}</{tag}>")
            for paragraph in section.paragraphs:
                out.append("<p>" + "".join(
                    f'<a class="figure" href="#figure-{numbers[p.figure.key]}">'
                    f"{html.escape(p.text)}</a>" if p.figure and p.figure.key in numbers
                    else html.escape(p.text) for p in paragraph) + "</p>")
        if doc.figures:
            out.append(f"<h2>{html.escape(_('Annex: the figures used'))}</h2>")
        for k, value in enumerate(doc.figures, 1):
            out.append(f'<h3 id="figure-{k}">{html.escape(doc.annex_label(k))}: '
                       f"{html.escape(value.text(doc.language))}</h3>")
            if value.value is not None:
                header, rows = value.table(doc.language)
                out.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header)
                           + "</tr>" + "".join("<tr>" + "".join(
                               f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                               for row in rows) + "</table>")
                out.append(chart_svg(bars(value, doc.language), doc.language))
            out.append(f'<p class="note">{html.escape(provenance(value, doc.language))}</p>')
        out.append("</body></html>")
    return "".join(out).encode()


# --- DOCX ------------------------------------------------------------------------------------


def to_docx(doc: Document) -> bytes:
    import docx
    from docx.shared import Cm

    with translation.override(doc.language):
        out = docx.Document()
        out.core_properties.title = doc.title
        out.core_properties.language = doc.language
        out.add_heading(doc.title, level=0)
        out.add_paragraph(f"{doc.kind} — {doc.state}")
        for section in doc.sections:
            out.add_heading(section.heading, level=2 if section.is_subheading else 1)
            for paragraph in section.paragraphs:
                written = out.add_paragraph()
                for part in paragraph:
                    run = written.add_run(part.text)
                    run.bold = part.figure is not None
        if doc.figures:
            out.add_heading(_("Annex: the figures used"), level=1)
        for k, value in enumerate(doc.figures, 1):
            out.add_heading(f"{doc.annex_label(k)}: {value.text(doc.language)}", level=2)
            if value.value is not None:
                header, rows = value.table(doc.language)
                table = out.add_table(rows=1 + len(rows), cols=len(header))
                table.style = "Table Grid"
                for col, title in enumerate(header):
                    table.cell(0, col).text = title
                for r, row in enumerate(rows, 1):
                    for col, cell in enumerate(row):
                        table.cell(r, col).text = cell
                drawn = bars(value, doc.language)
                if drawn:
                    out.add_picture(io.BytesIO(chart_png(drawn, doc.language)), width=Cm(16))
            out.add_paragraph(provenance(value, doc.language))
        buffer = io.BytesIO()
        out.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------


def to_pdf(doc: Document) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    fonts = _font_dir()
    pdf = FPDF(format="A4")
    pdf.set_title(doc.title)
    pdf.set_lang(doc.language)
    pdf.add_font("DejaVu", "", str(fonts / FONT_NAMES["regular"]))
    pdf.add_font("DejaVu", "B", str(fonts / FONT_NAMES["bold"]))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    below = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def heading(text: str, size: int) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, text, **below)
        pdf.ln(1)

    with translation.override(doc.language):
        heading(doc.title, 18)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, f"{doc.kind} — {doc.state}", **below)
        for section in doc.sections:
            pdf.ln(2)
            heading(section.heading, 12 if section.is_subheading else 14)
            for paragraph in section.paragraphs:
                pdf.set_font("DejaVu", "", 11)
                text = "".join(f"**{p.text}**" if p.figure else p.text.replace("**", "* *")
                               for p in paragraph)
                pdf.multi_cell(0, 6, text, markdown=True, align="L", **below)
                pdf.ln(2)
        if doc.figures:
            pdf.add_page()
            heading(_("Annex: the figures used"), 14)
        for k, value in enumerate(doc.figures, 1):
            heading(f"{doc.annex_label(k)}: {value.text(doc.language)}", 11)
            pdf.set_font("DejaVu", "", 9)
            if value.value is not None:
                header, rows = value.table(doc.language)
                with pdf.table(first_row_as_headings=True) as table:
                    for row in [header, *rows]:
                        cells = table.row()
                        for cell in row:
                            cells.cell(cell)
                drawn = bars(value, doc.language)
                if drawn:
                    pdf.image(io.BytesIO(chart_png(drawn, doc.language)), w=170)
            pdf.multi_cell(0, 5, provenance(value, doc.language), **below)
            pdf.ln(3)
    return bytes(pdf.output())


FORMATS = {"html": (to_html, "text/html; charset=utf-8"),
           "docx": (to_docx, "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document"),
           "pdf": (to_pdf, "application/pdf")}


def build(report: Report, language: str, fmt: str) -> bytes:
    """The report in `language` as `fmt` (html, docx, pdf)."""
    return FORMATS[fmt][0](document(report, language))
