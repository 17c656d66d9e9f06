"""Layout that more than one renderer uses (PDF and DOCX): Chinese line breaking on a grid and
where a title's lines may end (between words); placement: the glyph positions of a laid-out
page, which the PDF and the OFD both draw."""
