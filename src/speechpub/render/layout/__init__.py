"""Layout that more than one renderer uses (PDF and DOCX): Chinese line breaking on a grid and
where a title's lines may end (between words)."""
