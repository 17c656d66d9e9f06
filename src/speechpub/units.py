"""Unit conversions, in one place. 1 in = 25.4 mm = 72 pt = 1440 twips = 914400 EMU."""

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0


def mm_to_pt(mm: float) -> float:
    return mm * PT_PER_INCH / MM_PER_INCH


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_INCH / PT_PER_INCH


def pt_to_twips(pt: float) -> int:
    return round(pt * 20)


def twips_to_pt(twips: float) -> float:
    return twips / 20.0


def mm_to_twips(mm: float) -> int:
    return round(mm_to_pt(mm) * 20)


def mm_to_emu(mm: float) -> int:
    return round(mm * 36000)
