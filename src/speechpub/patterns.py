"""Character classes, heading forms and dates of Chinese speeches, shared by clean and parse."""
from __future__ import annotations

import re
import unicodedata

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")
# Chinese text in the wide sense: hanzi, bopomofo, kana and full-width punctuation.
CJK = HAN + r"\u3000-\u303f\u3100-\u312f\u31a0-\u31bf\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026"

CLOSING = "，。、；：？！）》」』】〕〗〉”’…—·%％"     # may not start a line; ends no sentence-opening
OPENING = "（《「『【〔〖〈“‘"                          # may not end a line
SENTENCE_END = "。！？；：…”’」』）》】〕"                 # a paragraph ending here is complete
CN_DIGITS = "〇一二三四五六七八九十百零两"

_NUM_CN = "一二三四五六七八九十"
# Heading forms by level; the leading number is group 1.
HEADING_FORMS = (
    (1, re.compile(rf"^([{_NUM_CN}]{{1,3}})、")),
    (1, re.compile(rf"^第([{_NUM_CN}]{{1,3}})(?:部分|、)")),
    (2, re.compile(rf"^[（(]([{_NUM_CN}]{{1,3}})[）)]")),
    (3, re.compile(r"^(\d{1,2})[.．](?![\d.．…])")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]")),
)
# Genre words a speech's title or subtitle ends with (meta.kind); longer forms first.
GENRES = ("新年贺词", "答记者问", "开幕词", "闭幕词", "动员令", "慰问信", "公开信",
          "讲话", "致辞", "致词", "报告", "贺信", "贺词", "贺电", "回信", "发言", "演讲", "讲演", "演说", "总结",
          "祝词", "说明", "讲稿")
# Titles a speaker line or a byline gives before the name (省长 王予波, 国家主席习近平).
POSITIONS = ("总书记|国家主席|主席|副主席|总理|副总理|委员长|书记|副书记|省长|副省长|常务副省长|市长|副市长|"
              "常务副市长|区长|副区长|常务副区长|县长|副县长|州长|镇长|乡长|部长|副部长|厅长|局长|主任|"
              "院长|校长|会长|理事长|董事长|总经理|秘书长|总统|副总统|首相|司令员|政委|旗长|盟长|"
              "检察长|庭长|署长|司长|处长|科长|所长|行长|社长|台长|馆长|总编辑|主委|行政长官|特首|校监")
# A speaker line: posts (joined by 、) and a name, 党委书记、董事长　王建华.
SPEAKER_LINE = re.compile(rf"^[\u4e00-\u9fff、]{{0,24}}?(?:{POSITIONS})[ \u3000]*[\u4e00-\u9fff·]{{2,8}}$")
HEADING_MAX = 60        # a standalone heading is at most this long
LEAD_MAX = 50           # a run-in heading part is at most this long
LEAD_END = "。！？"
ITEM_SENTENCE = 30      # a numbered line ending in 。 longer than this is a sentence (a list item)


# The first character of every heading form (tests/test_parse.py checks it): others need no look.
HEADING_OPENERS = frozenset(_NUM_CN + "第（(")


def heading_form(text: str) -> tuple[int, int] | None:
    """(level, number) when the text opens with a heading number such as 一、 or （1）."""
    if text[:1] not in HEADING_OPENERS and not text[:1].isdecimal():
        return None
    for level, rx in HEADING_FORMS:
        m = rx.match(text)
        if m:
            return level, cn_number(m.group(1))
    return None


def classify_heading(text: str) -> tuple[int, int, int | None] | None:
    """For a numbered block: (level, number, lead_length). lead_length is None for a
    standalone heading, the length of the heading part for a run-in heading; None overall
    when the block does not open with a heading number or is too long to be a heading."""
    form = heading_form(text)
    if not form:
        return None
    level, number = form
    cut = min((i for i in (text.find(c) for c in LEAD_END) if i >= 0), default=-1)
    if cut == len(text) - 1 and len(text) > ITEM_SENTENCE:
        return None             # （1）企业达到6100家，实现营业收入2.1万亿元。: a list item, a sentence
    if cut < 0 or cut == len(text) - 1:
        # no sentence end, or only at the very end: a standalone heading if short
        return (level, number, None) if len(text) <= HEADING_MAX else None
    if cut + 1 <= LEAD_MAX:
        return level, number, cut + 1
    return None


def cn_number(s: str) -> int:
    """'十二' -> 12, '2' -> 2, '二〇一一' (digit by digit) -> 2011."""
    if s.isdigit():
        return int(s)
    digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if "十" not in s and "百" not in s:
        n = 0
        for ch in s:
            n = n * 10 + digits.get(ch, 0)
        return n
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = digits.get(ch, 0)
    return total + cur


_Y = rf"(\d{{4}}|[{CN_DIGITS}○OＯ0]{{4}})"
_MD = rf"(\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
DATE_RE = re.compile(rf"{_Y}\s*年\s*{_MD}\s*月\s*{_MD}\s*日")
ISO_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
MONTH_DAY_RE = re.compile(rf"{_MD}\s*月\s*{_MD}\s*日")


def _year(s: str) -> int:
    if s.isdigit():
        return int(s)
    return cn_number(s.replace("○", "〇").replace("O", "〇").replace("Ｏ", "〇").replace("0", "〇"))


def find_date(text: str) -> str:
    """The first full date in the text as ISO YYYY-MM-DD, or ''."""
    m = DATE_RE.search(text)
    if m:
        y, mo, d = _year(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3))
    else:
        m = ISO_DATE_RE.search(text)
        if not m:
            return ""
        y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31 and 1800 <= y <= 2200:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return ""


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


SENTENCE_PUNCT = "，。；：？！、,.;:?!"
SHORT_TITLE_MAX = 25
_CLAUSE_PARTS = re.compile("[，：:,]")
_CLAUSE_END = re.compile(r"[\u4e00-\u9fff0-9A-Za-z”」）)]$")
CLAUSE_HEADING_MAX = 30
SECTION_NUMBER = re.compile(r"^\s*\d{1,2}\s*$")      # 01 alone over a heading (a WeChat layout)


def is_heading_clause(text: str) -> bool:
    """坚持政治引领，筑牢思想根基 / 第一个问题：准确把握当前形势: two or three short phrases, no
    sentence end, ending on a word."""
    if not 6 <= len(text) <= CLAUSE_HEADING_MAX or not _CLAUSE_END.search(text) or \
            any(c in "。！？；;!?…" for c in text):
        return False
    parts = _CLAUSE_PARTS.split(text)
    return 2 <= len(parts) <= 3 and all(2 <= len(p.strip()) <= 16 for p in parts)


def heading_clauses(texts: list[str]) -> set[int]:
    """The lines that are unnumbered headings with a comma or colon inside: short phrase lines,
    each after a finished paragraph and over a longer one. It takes two of them at least (sibling
    headings of one shape): one such line alone may be a sentence the page broke in two."""
    found = set()
    for k, t in enumerate(texts[:-1]):
        nxt = texts[k + 1]
        if is_heading_clause(t) and (k == 0 or ends_sentence(texts[k - 1]) or SECTION_NUMBER.match(texts[k - 1])) \
                and len(nxt) > 2 * len(t) \
                and not classify_heading(t):
            found.add(k)
    return found if len(found) >= 2 else set()


def is_title_like(text: str, limit: int = SHORT_TITLE_MAX) -> bool:
    """A short line without sentence punctuation: a title, an unnumbered heading, a name line."""
    return 0 < len(text) <= limit and not any(c in SENTENCE_PUNCT for c in text) and \
        any(c.isalnum() for c in text) and not ends_open(text)


def ends_sentence(text: str) -> bool:
    """Does the text end where a paragraph may end (closing punctuation)?"""
    t = text.rstrip()
    if t[-1:] in ('"', "'"):        # a straight quote closes when it pairs one before it
        return quote_count(t, t[-1]) % 2 == 0
    return bool(t) and (t[-1] in SENTENCE_END or t[-1] in ".!?;:)")


def ends_open(text: str) -> bool:
    """Does the text end with an opening mark (which can never end a paragraph)?"""
    t = text.rstrip()
    return bool(t) and (t[-1] in OPENING + "(" or (t[-1] in "\"'" and quote_count(t, t[-1]) % 2 == 1))


def quote_count(t: str, q: str) -> int:
    """Straight quotes of kind q that pair up; an apostrophe inside a Latin word (it's) does not."""
    if q not in t:
        return 0
    return sum(1 for i, c in enumerate(t) if c == q and not (
        q == "'" and t[i - 1:i].isascii() and t[i - 1:i].isalpha() and t[i + 1:i + 2].isascii()
        and t[i + 1:i + 2].isalpha()))


def fold(text: str) -> str:
    """A comparison key: NFKC (full- and half-width alike) without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
