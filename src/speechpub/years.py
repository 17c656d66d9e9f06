"""The year of a speech whose text gives only a month and a day (新华社北京3月13日电).

News items about a speech often date it by a dispatch line without the year. The year is then
a calendar fact of the occasion the lead names: a numbered national session (十二届全国人大四次
会议: the terms start every five years, one session a year), a plenary session of the Central
Committee or the discipline commission (from their calendar), a party congress (党的十九大), an
anniversary of a well-known founding or victory (联合国成立70周年), or a page path filed by day
(/upload/ori/20151201/). parse uses it only when the text has no full date and says so in an
info warning; without such evidence the date stays empty rather than guessed.
"""
from __future__ import annotations

import re
from datetime import date

from .patterns import cn_number

_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_OCCASION = "在|出席|参加|召开|举行|开幕|闭幕|期间|之际|纪念|庆祝|联组会|代表团"

# 十二届全国人大四次会议, 第十二届全国人民代表大会第四次会议, 全国政协十二届四次会议,
# 中国人民政治协商会议第十二届全国委员会第四次会议. Standing committees are numbered otherwise.
_SESSION = re.compile(
    rf"第?(?P<t1>{_N})届全国(?:人大|人民代表大会|政协)第?(?P<s1>{_N})次(?:全体)?会议"
    rf"|全国(?:人大|人民代表大会|政协)第?(?P<t2>{_N})届第?(?P<s2>{_N})次(?:全体)?会议"
    rf"|政(?:治协商会议|协)第(?P<t3>{_N})届全国委员会第(?P<s3>{_N})次(?:全体)?会议")
_FIRST_TERMS = {1: 1954, 2: 1959, 3: 1964, 4: 1975, 5: 1978}     # then every five years from 1983

# 党的十九大, 中国共产党第十九次全国代表大会
_CONGRESS = re.compile(rf"(?:党的(?P<c1>{_N})大|中国共产党第(?P<c2>{_N})次全国代表大会)")

# Plenary sessions, held on no fixed cycle: the calendar of the Central Committee's (中全会) and
# the discipline commission's (中央纪委全会) sessions since 1997, as (year, month). A speech's
# month must agree with the session's, so an entry can only confirm a date, never invent one.
PLENUMS = {
    "中央": {15: "1997-09 1998-02 1998-10 1999-09 2000-10 2001-09 2002-11",
             16: "2002-11 2003-02 2003-10 2004-09 2005-10 2006-10 2007-10",
             17: "2007-10 2008-02 2008-10 2009-09 2010-10 2011-10 2012-11",
             18: "2012-11 2013-02 2013-11 2014-10 2015-10 2016-10 2017-10",
             19: "2017-10 2018-01 2018-02 2019-10 2020-10 2021-11 2022-10",
             20: "2022-10 2023-02 2024-07 2025-10"},
    "纪委": {17: "2007-10 2008-01 2009-01 2009-09 2010-01 2011-01 2012-01",
             18: "2012-11 2013-01 2014-01 2014-10 2015-01 2016-01 2017-01",
             19: "2017-10 2018-01 2019-01 2020-01 2021-01 2022-01",
             20: "2022-10 2023-01 2024-01 2025-01 2026-01"},
}
# 十八届五中全会, 中国共产党第十八届中央委员会第五次全体会议, 十八届中央纪委六次全会,
# 第十八届中央纪律检查委员会第六次全体会议
_PLENUM = re.compile(
    rf"第?(?P<t1>{_N})届(?P<n1>{_N})中全会|第(?P<t2>{_N})届中央委员会第(?P<n2>{_N})次全体会议"
    rf"|第?(?P<t3>{_N})届中央纪委第?(?P<n3>{_N})次全(?:体)?会|第(?P<t4>{_N})届中央纪律检查委员会第(?P<n4>{_N})次全体会议")

# Founding and victory years that speeches commemorate by 周年; a calendar, not the corpus.
EVENTS = {
    "联合国成立": 1945, "教科文组织成立": 1945, "反法西斯战争胜利": 1945, "抗日战争胜利": 1945,
    "抗战胜利": 1945, "中华人民共和国成立": 1949, "新中国成立": 1949, "中国共产党成立": 1921,
    "建党": 1921, "建军": 1927, "改革开放": 1978, "香港回归": 1997, "澳门回归": 1999,
    "五四运动": 1919, "辛亥革命": 1911, "长征胜利": 1936, "世界妇女大会": 1995,
    "抗美援朝": 1950, "西藏和平解放": 1951, "毛泽东同志诞辰": 1893, "邓小平同志诞辰": 1904,
    "周恩来同志诞辰": 1898, "刘少奇同志诞辰": 1898, "朱德同志诞辰": 1886, "孙中山先生诞辰": 1866,
    "马克思诞辰": 1818,
}
_EVENT = "|".join(sorted(map(re.escape, EVENTS), key=len, reverse=True))
_ANNIVERSARY = re.compile(rf"(?P<event>{_EVENT})[^，。；]{{0,8}}?(?P<n>\d{{1,3}}|[一二三四五六七八九十百]{{1,4}})周年")
_PATH_DATE = re.compile(r"/(20\d\d)(\d\d)(\d\d)/")
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")


def _number(s: str) -> int:
    return int(s) if s.isdigit() else cn_number(s)


def _term_start(term: int) -> int:
    return _FIRST_TERMS.get(term) or 1983 + 5 * (term - 6)


def _clause(text: str, m: re.Match) -> str:
    start = max(text.rfind(p, 0, m.start()) for p in "，。；！")
    ends = [i for i in (text.find(p, m.end()) for p in "，。；！") if i >= 0]
    return text[start + 1: min(ends) if ends else len(text)]


def event_year(texts: list[str], month: int) -> tuple[int, str]:
    """(year, evidence) from the occasion the texts name, or (0, '')."""
    for text in texts:
        text = text.translate(_WIDE)
        for m in _SESSION.finditer(text):
            term = _number(m.group("t1") or m.group("t2") or m.group("t3"))
            session = _number(m.group("s1") or m.group("s2") or m.group("s3"))
            if 1 <= session <= 5 and term >= 1 and 2 <= month <= 3 and re.search(_OCCASION, _clause(text, m)):
                return _term_start(term) + session - 1, m.group(0)
        for m in _PLENUM.finditer(text):
            body = "中央" if m.group("t1") or m.group("t2") else "纪委"
            term = _number(next(g for g in (m.group(f"t{k}") for k in range(1, 5)) if g))
            n = _number(next(g for g in (m.group(f"n{k}") for k in range(1, 5)) if g))
            held = PLENUMS[body].get(term, "").split()
            clause = _clause(text, m)
            if 1 <= n <= len(held) and re.search(_OCCASION, clause) and "以来" not in clause:
                year, at = (int(x) for x in held[n - 1].split("-"))
                if (month - at) % 12 <= 1:       # in the session's month or the next
                    return year + (month < at), m.group(0)
        for m in _CONGRESS.finditer(text):
            n = _number(m.group("c1") or m.group("c2"))
            clause = _clause(text, m)
            if n >= 12 and re.search(_OCCASION, clause) and "以来" not in clause:
                return 1982 + 5 * (n - 12), m.group(0)
        for m in _ANNIVERSARY.finditer(text):
            return EVENTS[m.group("event")] + _number(m.group("n")), m.group(0)
    return 0, ""


def path_year(texts: list[str], month: int, day: int) -> tuple[int, str]:
    """(year, path) from a page path filed by day, when month/day fall up to 40 days before it."""
    for text in texts:
        for m in _PATH_DATE.finditer(text):
            y, mo, d = (int(g) for g in m.groups())
            try:
                filed = date(y, mo, d)
            except ValueError:
                continue
            for year in (y, y - 1):
                try:
                    gap = (filed - date(year, month, day)).days
                except ValueError:
                    continue
                if 0 <= gap <= 40:
                    return year, m.group(0)
    return 0, ""
