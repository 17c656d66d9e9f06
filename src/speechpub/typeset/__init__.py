"""Text layout that more than one part uses, knowing nothing about fonts or file formats.

linebreak: Chinese line breaking on a grid (the PDF's lines, the DOCX and PDF titles' balanced
lines); words: where a line may end without splitting a word (titles in PDF, DOCX and the EPUB
cover and headings; the title block's names when cleaning).
"""
