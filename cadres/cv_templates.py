"""The shipped Word templates of the 2C CV (``cadres/docx/``), written with python-docx as a
document carrying docxtpl tags; ``manage.py write_cv_templates`` writes them again. The board
edits a copy in Word (fonts, spacing, headings, column widths, fixed text) and uploads it; the
tags name what :func:`cadres.cv.context` provides."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cadres.cv import HISTORY_SECTIONS, PHOTO_WIDTH_MM


def lines_cell(cell, variable: str, centered: bool = False, bold_first: bool = False) -> None:
    """A cell holding one paragraph per line of a list in the context."""
    cell.paragraphs[0].text = f"{{%p for line in {variable} %}}"
    paragraph = cell.add_paragraph()
    if centered:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if bold_first:
        paragraph.add_run("{% if loop.first %}")
        paragraph.add_run("{{ line }}").bold = True
        paragraph.add_run("{% else %}{{ line }}{% endif %}")
    else:
        paragraph.add_run("{{ line }}")
    cell.add_paragraph("{%p endfor %}")


def default_template() -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    normal.paragraph_format.space_after = Pt(2)

    head = document.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    lines_cell(head.rows[0].cells[0], "header_left")
    lines_cell(head.rows[0].cells[1], "header_right")

    # The photo box (4x6) left of the title, as on the printed form.
    top = document.add_table(rows=1, cols=2)
    top.style = "Table Grid"
    box, title_cell = top.rows[0].cells
    box.width, title_cell.width = Cm(PHOTO_WIDTH_MM / 10 + 0.6), Cm(17 - PHOTO_WIDTH_MM / 10)
    box.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    box.paragraphs[0].add_run("{% if photo %}{{ photo }}{% else %}\n\nẢnh\n4x6\n\n{% endif %}")
    title = title_cell.paragraphs[0]
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold, run.font.size = True, Pt(15)

    document.add_paragraph("{%p for line in identity %}")
    document.add_paragraph("{{r line }}")
    document.add_paragraph("{%p endfor %}")

    for key, number, heading, headers, widths in HISTORY_SECTIONS:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.add_run(f"{number + ') ' if number else ''}{heading}").bold = True
        if not key:
            continue
        if headers is None:
            document.add_paragraph(f"{{{{ {key} }}}}")
            continue
        table = document.add_table(rows=4, cols=len(headers))
        table.style = "Table Grid"
        total = sum(widths)
        for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
            for row in table.rows:
                row.cells[column].width = Cm(17 * width / total)
            cell = table.rows[0].cells[column]
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cell.paragraphs[0].add_run(header).bold = True
            table.rows[2].cells[column].text = f"{{{{ row[{column}] }}}}"
        table.rows[1].cells[0].text = f"{{%tr for row in {key} %}}"
        table.rows[3].cells[0].text = "{%tr endfor %}"

    document.add_paragraph()
    foot = document.add_table(rows=1, cols=2)
    foot.alignment = WD_TABLE_ALIGNMENT.CENTER
    lines_cell(foot.rows[0].cells[0], "signature_left", centered=True, bold_first=True)
    lines_cell(foot.rows[0].cells[1], "signature_right", centered=True, bold_first=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
