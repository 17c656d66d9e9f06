"""The OFD renderer (GB/T 33190-2016), checked the way its consumers check it: every XML part
against the standard's schemas (../shared/ofd-xsd, not in the repository: no licence), the
text read back by an independent reader (easyofd), its pages rendered by that reader and
compared with the PDF's, and every glyph at the PDF's own position."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from conftest import ALL_INPUTS, SEED
from speechpub.model import Block, Document, Meta
from speechpub.render import RenderOptions, parse_formats, render
from speechpub.style import load_style
from speechpub.units import mm_to_pt
from speechpub.verify import compare, extract_text

NS = "{http://www.ofdspec.org/2016}"
STYLE = load_style()
XSD = Path(__file__).resolve().parents[1].parent / "shared" / "ofd-xsd"
SCHEMA_OF = {"OFD": "OFD", "Document": "Document", "Page": "Page", "Res": "Res",
             "CustomTags": "CustomTags", "Annotations": "Annotations", "PageAnnot": "Annotation",
             "Attachments": "Attachments", "Extensions": "Extensions", "Signatures": "Signatures",
             "Signature": "Signature", "DocVersion": "Version"}
BOTTOM_MM = STYLE.page_height_mm - STYLE.margin_bottom_mm + 1      # page numbers sit below
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def schemas():
    if not (XSD / "OFD.xsd").is_file():
        reason = f"the OFD schemas are not at {XSD} (they are kept beside the checkout, not in it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from lxml import etree
    return {name: etree.XMLSchema(etree.parse(str(XSD / f"{name}.xsd"))) for name in set(SCHEMA_OF.values())}


@pytest.fixture(scope="module")
def seed(tmp_path_factory, seed_doc):
    out = tmp_path_factory.mktemp("ofd")
    ofd, pdf = out / "seed.ofd", out / "seed.pdf"
    warnings = render(seed_doc, "ofd", ofd)
    render(seed_doc, "pdf", pdf)
    return seed_doc, ofd, pdf, warnings


def _validate(schemas, path: Path) -> list[str]:
    """Every XML part in the OFD namespace validated; returns the part names checked."""
    from lxml import etree
    checked = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name))
            q = etree.QName(root)
            if q.namespace != NS[1:-1]:
                continue                  # the custom tag's own file (Doc_0/Tags/Speech.xml)
            schema = schemas[SCHEMA_OF[q.localname]]
            assert schema.validate(root), f"{path.name}:{name}: {schema.error_log.last_error}"
            checked.append(name)
    return checked


def _deltas(spec: str | None) -> list[float]:
    out, parts = [], (spec or "").split()
    i = 0
    while i < len(parts):
        if parts[i] == "g":
            out += [float(parts[i + 2])] * int(parts[i + 1])
            i += 3
        else:
            out.append(float(parts[i]))
            i += 1
    return out


def _glyphs(path: Path) -> list[list[tuple[str, float, float, str, float]]]:
    """Per page: (character, x mm, baseline y mm from the top, font name, size mm) of every glyph."""
    import xml.etree.ElementTree as ET
    with zipfile.ZipFile(path) as z:
        res = ET.fromstring(z.read("Doc_0/PublicRes.xml"))
        names = {f.get("ID"): f.get("FontName") for f in res.iter(NS + "Font")}
        doc = ET.fromstring(z.read("Doc_0/Document.xml"))
        pages = []
        for page in doc.iter(NS + "Page"):
            glyphs = []
            for obj in ET.fromstring(z.read("Doc_0/" + page.get("BaseLoc"))).iter(NS + "TextObject"):
                bx, by = (float(v) for v in obj.get("Boundary").split()[:2])
                for code in obj.iter(NS + "TextCode"):
                    x, y = bx + float(code.get("X")), by + float(code.get("Y"))
                    steps = _deltas(code.get("DeltaX"))
                    assert len(steps) == len(code.text) - 1
                    for k, ch in enumerate(code.text):
                        glyphs.append((ch, x, y, names[obj.get("Font")], float(obj.get("Size"))))
                        x += steps[k] if k < len(steps) else 0
            pages.append(glyphs)
        return pages


# ---- the package -----------------------------------------------------------------------------

def test_every_xml_part_is_schema_valid(schemas, seed):
    parts = _validate(schemas, seed[1])
    assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/Tags/CustomTags.xml",
            "Doc_0/Pages/Page_0/Content.xml"} <= set(parts)


def test_doc_info_and_speech_date(seed):
    import xml.etree.ElementTree as ET
    doc, path, _, _ = seed
    with zipfile.ZipFile(path) as z:
        info = next(ET.fromstring(z.read("OFD.xml")).iter(NS + "DocInfo"))
        tag = ET.fromstring(z.read("Doc_0/Tags/Speech.xml"))
    assert info[0].tag == NS + "DocID" and len(info[0].text) == 32
    assert info.find(NS + "Title").text == doc.meta.title
    assert info.find(NS + "Author").text == doc.meta.speaker == "鲍秀英"
    assert info.find(NS + "Subject").text == doc.meta.occasion
    custom = {c.get("Name"): c.text for c in info.iter(NS + "CustomData")}
    assert custom == {"speech_date": "2011-11-21", "language": "zh-CN"}
    assert tag.find("{urn:speechpub:speech}Date").text == "2011-11-21"


def test_fonts_embedded_as_subsets_under_official_names(seed):
    from fontTools.ttLib import TTFont
    import io
    _, path, _, _ = seed
    pages = _glyphs(path)
    used = {name for page in pages for *_, name, _ in page}
    assert {"仿宋_GB2312", "方正小标宋简体", "楷体_GB2312", "黑体"} <= used
    with zipfile.ZipFile(path) as z:
        import xml.etree.ElementTree as ET
        for font in ET.fromstring(z.read("Doc_0/PublicRes.xml")).iter(NS + "Font"):
            data = z.read("Doc_0/Res/" + font.find(NS + "FontFile").text)
            tt = TTFont(io.BytesIO(data))
            chars = {ch for page in pages for ch, *_, name, _ in page if name == font.get("FontName")}
            cmap = tt.getBestCmap()
            assert all(ord(ch) in cmap for ch in chars), font.get("FontName")
            assert tt["maxp"].numGlyphs < len(chars) + 50          # a subset, not the whole font


@pytest.mark.parametrize("text", ["正文，‖∶℅", "¨´−∕楷书"])
def test_subset_glyphs_are_the_source_fonts(text):
    """The subsetter copies outlines and advances as they are (composite glyphs too)."""
    from fontTools.ttLib import TTFont
    import io
    from speechpub.render.ofd.fonts import quick_subset
    from speechpub.render.pdf.fonts import FontSet
    files = FontSet(STYLE).files
    composite = 0
    for cls in ("hei", "kai", "fangsong"):
        ff = files[cls]
        src = TTFont(str(ff.path), fontNumber=ff.subfont_index, lazy=True)
        sub = TTFont(io.BytesIO(quick_subset(str(ff.path), ff.subfont_index, set(text))))
        a, b = src.getBestCmap(), sub.getBestCmap()
        for ch in text:
            if ord(ch) not in a:
                continue
            ga, gb = src["glyf"][a[ord(ch)]], sub["glyf"][b[ord(ch)]]
            composite += ga.isComposite()
            assert list(ga.getCoordinates(src["glyf"])[0]) == list(gb.getCoordinates(sub["glyf"])[0]), (cls, ch)
            assert src["hmtx"][a[ord(ch)]] == sub["hmtx"][b[ord(ch)]]
        sub.saveXML(io.StringIO())                   # every table reads back
        src.close()
    if {files["hei"].path.name, files["kai"].path.name} == {"wqy-zenhei.ttc", "LXGWWenKai-Regular.ttf"}:
        assert composite            # (the free stand-ins: ‖ ∶ ℅ and ¨ ´ − ∕ are composite glyphs there)


def test_glyphs_where_the_pdf_draws_them(seed):
    """One layout, two drawers: every glyph of the OFD at the PDF's glyph position (pdfplumber's
    x0 and baseline), page numbers included, to a hundredth of a millimetre."""
    _, ofd, pdf, _ = seed
    ofd_pages = _glyphs(ofd)
    with pdfplumber.open(pdf) as p:
        assert len(p.pages) == len(ofd_pages)
        for n, (page, glyphs) in enumerate(zip(p.pages, ofd_pages)):
            chars = page.chars
            assert [c["text"] for c in chars] == [g[0] for g in glyphs], n
            for c, (ch, x, y, _, size) in zip(chars, glyphs):
                assert abs(c["x0"] - mm_to_pt(x)) < mm_to_pt(0.01), (n, ch)
                assert abs(page.height - c["matrix"][5] - mm_to_pt(y)) < mm_to_pt(0.01), (n, ch)
                assert abs(c["size"] - mm_to_pt(size)) < 0.01


def test_outline_from_the_headings(seed):
    import xml.etree.ElementTree as ET
    doc, path, _, _ = seed
    with zipfile.ZipFile(path) as z:
        d = ET.fromstring(z.read("Doc_0/Document.xml"))
    page_ids = [p.get("ID") for p in d.iter(NS + "Page")]
    entries = [(o.get("Title"), o.find(f"{NS}Actions/{NS}Action/{NS}Goto/{NS}Dest").get("PageID"))
               for o in d.find(NS + "Outlines")]
    headings = [b.text for b in doc.blocks if b.kind == "heading" and b.level == 1]
    assert [t for t, _ in entries] == headings and len(headings) == 5
    assert all(pid in page_ids for _, pid in entries)
    area = d.find(f"{NS}CommonData/{NS}PageArea/{NS}PhysicalBox").text
    assert area == "0 0 210 297"
    assert int(d.find(f"{NS}CommonData/{NS}MaxUnitID").text) >= max(map(int, page_ids))


def test_page_numbers(seed):
    pages = _glyphs(seed[1])
    for n, glyphs in enumerate(pages, 1):
        folio = "".join(ch for ch, x, y, *_ in glyphs if y > BOTTOM_MM)
        assert folio == f"— {n} —"


@pytest.fixture(scope="module")
def corpus_ofd(tmp_path_factory, corpus_docs):
    """Every fixture as an OFD, written once: name -> (doc, path)."""
    out = tmp_path_factory.mktemp("ofd-corpus")
    result = {}
    for src in ALL_INPUTS:
        doc = corpus_docs[src.name]
        render(doc, "ofd", out / (src.stem + ".ofd"))
        result[src.name] = (doc, out / (src.stem + ".ofd"))
    return result


@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_extracted_text_equals_the_model(corpus_ofd, src):
    doc, path = corpus_ofd[src.name]
    assert compare(doc.text(), extract_text(path)) is None


@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_every_fixture_is_schema_valid(schemas, corpus_ofd, src):
    _validate(schemas, corpus_ofd[src.name][1])


def test_the_check_sees_a_changed_character(tmp_path):
    doc = Document(Meta(title="某某讲话"), (Block("title", "某某讲话"), Block("paragraph", "今天开会，研究工作。")))
    path = tmp_path / "x.ofd"
    render(doc, "ofd", path)
    assert compare(doc.text(), extract_text(path)) is None
    assert compare(doc.text().replace("研究", "研讨"), extract_text(path)) is not None


def test_markup_and_no_font_characters(tmp_path, schemas):
    doc = Document(Meta(), (Block("paragraph", "a<b>&c \"引号\" 𠀀\u4dc0 終"),))
    path = tmp_path / "x.ofd"
    render(doc, "ofd", path)
    _validate(schemas, path)
    assert compare(doc.text(), extract_text(path)) is None


def test_characters_xml_forbids_are_left_out_with_a_warning(tmp_path, schemas):
    doc = Document(Meta(title="标\x0b题", speaker="某\x01人"),
                   (Block("heading", "一、标\x0b题", level=1), Block("paragraph", "正\x0c文，\x1f其余照常。")))
    path = tmp_path / "x.ofd"
    warnings = render(doc, "ofd", path)
    _validate(schemas, path)
    assert [w.code for w in warnings] == ["ofd-control-characters"] and "3 control" in warnings[0].message
    assert compare("一、标题\n正文，其余照常。", extract_text(path)) is None


def test_writes_atomically(tmp_path, monkeypatch):
    from speechpub.render.ofd import package
    doc = Document(Meta(), (Block("paragraph", "正文" * 400),))
    calls = []

    def broken(self, page, *a, **k):
        calls.append(page)
        raise RuntimeError("disk full")
    monkeypatch.setattr(package.Package, "add_page", broken)
    with pytest.raises(RuntimeError):
        render(doc, "ofd", tmp_path / "x.ofd")
    assert calls and list(tmp_path.iterdir()) == []


def test_ofd_is_asked_for_by_name():
    assert "ofd" not in parse_formats(None) and "ofd" in parse_formats("all")
    assert parse_formats("pdf,ofd") == ["pdf", "ofd"]


# ---- an independent reader: easyofd --------------------------------------------------------

def _easyofd(path: Path, workdir: Path, monkeypatch):
    """easyofd's parse of the file. It unpacks into the working folder, hence workdir."""
    monkeypatch.chdir(workdir)
    from easyofd.ofd import OFD
    reader = OFD()
    reader.read(str(path), fmt="path")
    return reader


@pytest.mark.filterwarnings("ignore")
def test_easyofd_reads_the_models_text(seed, tmp_path, monkeypatch):
    doc, path, _, _ = seed
    data = _easyofd(path, tmp_path, monkeypatch).data[0]
    pages = []
    for k in sorted(data["page_info"]):
        cells = data["page_info"][k]["text_list"]
        pages.append("".join(c["text"] for c in cells if c["pos"][1] + float(c["Y"]) < BOTTOM_MM))
    assert len(pages) == len(_glyphs(path))
    assert compare(doc.text(), "\n".join(pages)) is None
    fonts = {v["FontNameORI"] for v in data["fonts"].values()}
    assert {"仿宋_GB2312", "方正小标宋简体", "楷体_GB2312", "黑体"} <= fonts
    assert all(v.get("font_b64") for v in data["fonts"].values())      # it found every embedded file


def _ink(png: Path):
    from PIL import Image
    return Image.open(png).convert("L").point(lambda v: 255 if v < 160 else 0)


def _coverage(a, b, reach: int) -> float:
    """The share of a's ink within `reach` pixels of b's ink."""
    from PIL import ImageChops, ImageFilter
    near = b.filter(ImageFilter.MaxFilter(2 * reach + 1))
    inside = ImageChops.multiply(a, near)
    return sum(inside.histogram()[128:]) / max(1, sum(a.histogram()[128:]))


def _extent(img, top: int, bottom: int):
    band = img.crop((0, top, img.width, bottom)).getbbox()
    return (band[0], band[2]) if band else None


@pytest.mark.slow
@needs_poppler
@pytest.mark.filterwarnings("ignore")
def test_easyofd_draws_the_pdfs_glyphs_in_the_same_places(seed, tmp_path, monkeypatch):
    """easyofd's rendering of the OFD against pdftoppm's of the PDF, both at 100 dpi.

    easyofd (20260427) draws every TextObject with one ReportLab font named 宋体, whatever the
    OFD says, and never registers it: unless the reader's process has a font of that name, it
    falls back to Helvetica and draws no Chinese at all (and its constructor spends minutes
    listing the system's fonts, names it never uses for drawing). So the reader gets the body
    font file under that name, as a user of that reader would install one, and its font list
    is skipped. Text in other fonts (title, headings, dateline) then differs in shape, not in
    place: each text line's ink must start and end where the PDF's does, and nearly all ink
    must lie within half a millimetre of the other image's (0.97 on the seed: the title and
    headings' shapes)."""
    from PIL import Image
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from speechpub.render.pdf.fonts import FontSet
    doc, ofd, pdf, _ = seed
    pdfmetrics.registerFont(TTFont("宋体", str(FontSet(STYLE).files["fangsong"].path)))
    from easyofd.draw import font_tools
    monkeypatch.setattr(font_tools.FontTool, "get_installed_fonts", lambda self: [])
    reader = _easyofd(ofd, tmp_path, monkeypatch)
    (tmp_path / "easyofd.pdf").write_bytes(reader.to_pdf())
    # easyofd's PDF unit is 1/200 inch (its mm * 200/25.4): 36 dpi there is 100 dpi here
    subprocess.run(["pdftoppm", "-r", "36", "-png", "easyofd.pdf", "ofd"], check=True, cwd=tmp_path)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), "pdf"], check=True, cwd=tmp_path)
    ofd_pngs, pdf_pngs = sorted(tmp_path.glob("ofd-*.png")), sorted(tmp_path.glob("pdf-*.png"))
    assert len(ofd_pngs) == len(pdf_pngs) == len(_glyphs(ofd))
    px = 100 / 25.4                                       # pixels per mm
    worst = 1.0
    for n, (a_png, b_png, glyphs) in enumerate(zip(ofd_pngs, pdf_pngs, _glyphs(ofd))):
        a, b = _ink(a_png), _ink(b_png)
        assert a.size == b.size
        worst = min(worst, _coverage(a, b, 2), _coverage(b, a, 2))
        for y in sorted({round(g[2], 2) for g in glyphs}):
            size = max(g[4] for g in glyphs if round(g[2], 2) == y)
            band = (int((y - 0.9 * size) * px), int((y + 0.2 * size) * px))
            ea, eb = _extent(a, *band), _extent(b, *band)
            assert ea and eb and abs(ea[0] - eb[0]) <= 3 and abs(ea[1] - eb[1]) <= 3, (n, y, ea, eb)
        if os.environ.get("SPEECHPUB_KEEP_PNG"):       # to look at: red = PDF only, cyan = OFD only
            keep = Path(os.environ["SPEECHPUB_KEEP_PNG"])
            keep.mkdir(parents=True, exist_ok=True)
            ga, gb = Image.open(a_png).convert("L"), Image.open(b_png).convert("L")
            Image.merge("RGB", (ga, gb, gb)).save(keep / f"overlay-{n + 1}.png")
    print(f"least share of ink within 0.5 mm of the other image's: {worst:.4f}")
    assert worst > 0.95


# ---- books ---------------------------------------------------------------------------------

def test_book(tmp_path, schemas, corpus_docs):
    from speechpub.book import Volume, write
    docs = tuple(corpus_docs[p.name] for p in ALL_INPUTS[:3])
    path = tmp_path / "b.ofd"
    write(Volume("讲话汇编", "编者", docs), path, "ofd", RenderOptions())
    _validate(schemas, path)
    pages = _glyphs(path)
    import xml.etree.ElementTree as ET
    with zipfile.ZipFile(path) as z:
        d = ET.fromstring(z.read("Doc_0/Document.xml"))
    top = list(d.find(NS + "Outlines"))
    assert len(top) == 3 and all(len(o.findall(NS + "OutlineElem")) >= 0 for o in top)
    ids = [p.get("ID") for p in d.iter(NS + "Page")]
    starts = [ids.index(o.find(f"{NS}Actions/{NS}Action/{NS}Goto/{NS}Dest").get("PageID")) for o in top]
    assert starts[0] == 0 and all(s % 2 == 0 for s in starts)          # each speech on a recto
    text = extract_text(path)
    assert all(compare(d.text(), "") is not None for d in docs)
    joined = text.replace("\n", "")
    assert all(b.text in joined for d in docs for b in d.blocks if b.kind == "paragraph")
    assert len(pages) == len(ids)


MEMORY_SCRIPT = r"""
import resource, sys, time
from pathlib import Path
from speechpub.book import Volume, write
from speechpub.pipeline import load
from speechpub.render import RenderOptions, render
docs = [load(f) for f in sorted(Path(sys.argv[1]).glob("*.txt"))[:26]]     # about 575 pages
t0 = time.perf_counter()
write(Volume("汇编", "", tuple(docs)), Path(sys.argv[2]).with_name("half.ofd"), "ofd", RenderOptions())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
write(Volume("汇编", "", tuple(docs * 2)), Path(sys.argv[2]), "ofd", RenderOptions())   # the same, twice
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before // 1024, after // 1024, round(time.perf_counter() - t, 1), round(t - t0, 1))
"""


@pytest.mark.slow
def test_a_500_page_book_in_bounded_memory(tmp_path):
    """Pages are written as they are drawn: a book of 26 speeches (more than 500 pages), then
    the same speeches twice over (more than 1,000): same fonts, characters and largest speech,
    so the second book's extra memory is what grows with the pages alone."""
    import xml.etree.ElementTree as ET
    corpus = Path(__file__).parent / "corpus" / "more"
    out = tmp_path / "big.ofd"
    r = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(corpus), str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    before, after, seconds, small = r.stdout.split()
    with zipfile.ZipFile(out) as z:
        n = len(list(ET.fromstring(z.read("Doc_0/Document.xml")).iter(NS + "Page")))
    print(f"peak RSS {before} MB after a book of {n // 2} pages ({small} s), "
          f"{after} MB after the {n}-page book ({seconds} s)")
    assert n >= 500
    assert int(after) - int(before) < 20
