"""A report as DOCX, PDF and HTML carries the same figures as its page, in each language's
number format, with the annex of the figures used; read back with python-docx and pypdf."""

import html
import io

import docx
import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from eom.publications import render
from tests.publications.scene import draft_statement, reports_with_an_indicator

ENGLISH = ("Voting assessed negatively in 50.0 % of 4 reports observed "
           "(95 % interval 15.0–85.0 %)")


@pytest.fixture
def report(mission, tree, observer, other_team, core_member):
    reports_with_an_indicator(mission, tree, observer, other_team, core_member)
    return draft_statement(mission, core_member)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_page_the_docx_and_the_pdf_carry_the_same_figure(client, report, core_member):
    client.force_login(core_member)
    page = html.unescape(client.get(reverse("publications:report", args=["statement"]),
                                    {"lang": "en"}).content.decode())
    assert ENGLISH in page

    written = docx_text(render.build(report, "en", "docx"))
    assert f"Voting was calm. {ENGLISH}." in written
    assert "Annex: the figures used" in written
    assert ENGLISH in flat(pdf_text(render.build(report, "en", "pdf")))
    assert ENGLISH in html.unescape(render.build(report, "en", "html").decode())


def test_russian_and_kazakh_write_numbers_with_a_decimal_comma(report):
    russian = docx_text(render.build(report, "ru", "docx"))
    assert "Голосование прошло спокойно." in russian
    assert "50,0 %" in russian and "15,0–85,0 %" in russian
    # no Kazakh text yet: the English one, with Kazakh numbers, under Kazakh headings
    kazakh = flat(pdf_text(render.build(report, "kk", "pdf")))
    assert "Voting was calm." in kazakh and "50,0 %" in kazakh


def test_the_annex_has_a_table_and_a_chart_of_each_figure(report):
    document = docx.Document(io.BytesIO(render.build(report, "en", "docx")))
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["indicator", "count", "base", "share (%)", "95 % interval"],
        ["Voting assessed negatively", "2", "4", "50.0", "15.0–85.0"]]
    assert len(document.inline_shapes) == 1  # the bar chart
    assert "<svg" in render.build(report, "en", "html").decode()


def test_the_download_url_sends_the_file_as_an_attachment(client, report, analyst):
    client.force_login(analyst)
    response = client.get(reverse("publications:download", args=["statement", "ru", "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement-ru.pdf"'
    assert "50,0 %" in pdf_text(response.content)


def test_the_build_command_writes_the_file(report, tmp_path):
    out = tmp_path / "statement.docx"
    call_command("reports", "build", "statement", "--lang", "en", "--format", "docx",
                 "--out", str(out), stdout=io.StringIO())
    assert ENGLISH in docx_text(out.read_bytes())


def test_without_the_fonts_the_pdf_fails_naming_the_package(report, settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    settings.EOM_PDF_FONT_DIR = str(tmp_path)
    with pytest.raises(ImproperlyConfigured, match="fonts-dejavu-core"):
        render.build(report, "en", "pdf")
