"""Who gave the speech and when, where the title block does not say: an editorial note
（这是某某同志在…的讲话）, a letter's signature (某某 2020年7月7日), a news lead
（国家主席某某22日在…发表…）, or a news headline (某某致…的贺信). Used by parse only when the title
block names nobody."""
from __future__ import annotations

import re

from .patterns import POSITIONS, find_date

H = "\u4e00-\u9fff"
_TITLES = r"(?:总书记|国家主席|主席|总理|委员长|书记|省长|市长|部长)"
_AFTER = r"(?=同志|\d|[一二三四五六七八九〇○]{4}年|在|于|给|为|同|对|会见|接见|出席|参加|主持|致|向)"
# *这是邓小平同志在…  （这是中共中央总书记、国家主席习近平3月4日…  ※这是习近平总书记2020年6月29日在…
_NOTE = re.compile(rf"(?<=[※*（(])这是(?:[^，。（）]{{0,24}}?{_TITLES}[、，]?)*(?P<name>[{H}]{{2,3}}?)"
                   rf"(?:{_TITLES})?{_AFTER}")
_VERBS = "在|出席|发表|发去|致|向|给|同|对|主持|会见|强调|指出|回信|签署|宣布"
_LEAD = re.compile(rf"{_TITLES}(?P<name>[{H}]{{2,3}}?)(?=\d{{1,2}}日|{_VERBS})")
# A news headline opens with the name: 习近平致国际教育信息化大会的贺信, 习近平：…
_HEADLINE = re.compile(rf"^(?:\[[^\]]{{1,8}}\])?(?P<name>[{H}]{{2,3}}?)(?=[：:]|{_VERBS})")
_SIGNATURE = re.compile(rf"(?:^|(?<=[。！？”]))(?:[{H}]{{0,16}}?(?:{POSITIONS}))?(?P<name>[{H}]{{2,4}})\s*"
                        r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日)$")


def from_note(texts: list[str]) -> tuple[str, str]:
    """(name, date) from an editorial note saying who gave the speech."""
    for t in reversed(texts):
        m = _NOTE.search(t)
        if m:
            return m.group("name"), find_date(t[m.start():m.start() + 60])
    return "", ""


def from_signature(texts: list[str]) -> tuple[str, str]:
    """(name, date) from a letter's signature at the end of its text."""
    tail = "".join(texts[-2:]).rstrip()
    m = _SIGNATURE.search(tail)
    return (m.group("name"), find_date(m.group("date"))) if m else ("", "")


def from_lead(text: str) -> str:
    """The name a news lead gives after a position (国家主席某某22日在…)."""
    m = _LEAD.search(text[:300])
    return m.group("name") if m else ""


def from_headline(text: str) -> str:
    """The name a news headline opens with (习近平致…的贺信)."""
    m = _HEADLINE.search(text)
    return m.group("name") if m else ""


_TODAY = re.compile(r"今天是(?P<date>[^，。！？]{6,16}?日)")


def from_opening(texts: list[str]) -> str:
    """The date a speech gives for its own day (今天是一九八〇年一月十六日), the first one it names."""
    for t in texts:
        m = _TODAY.search(t)
        if m and find_date(m.group("date")):
            return find_date(m.group("date"))
    return ""
