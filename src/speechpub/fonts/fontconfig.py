"""A fontconfig file that maps the official font names to the resolved stand-ins.

LibreOffice rendering a DOCX (with FONTCONFIG_FILE pointing here) otherwise substitutes
WenQuanYi Zen Hei for every missing Chinese font name.
"""
from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

SYSTEM_CONFIGS = ("/etc/fonts/fonts.conf", "/usr/local/etc/fonts/fonts.conf",
                  "/opt/homebrew/etc/fonts/fonts.conf")
WEIGHTS = {100: "thin", 200: "extralight", 300: "light", 400: "regular", 500: "medium",
           600: "demibold", 700: "bold", 800: "extrabold", 900: "black"}


def _system_config(ours: Path) -> str:
    env = os.environ.get("FONTCONFIG_FILE")
    if env and Path(env).resolve() != ours.resolve():
        return env
    return next((c for c in SYSTEM_CONFIGS if Path(c).exists()), SYSTEM_CONFIGS[0])


def _weight(font) -> int:
    from fontTools.ttLib import TTFont
    with TTFont(str(font.path), fontNumber=font.subfont_index, lazy=True) as f:
        return f["OS/2"].usWeightClass if "OS/2" in f else 400


def fontconfig_file(style) -> Path:
    """Write (when changed) and return fonts/cache/fonts.conf for this style's fonts."""
    from . import GENUINE, cache_dir, norm_name, resolve, user_dirs

    fonts = resolve(style)
    cache = cache_dir()
    out = cache / "fonts.conf"
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
             "<!-- written by speechpub (speechpub.fonts.fontconfig.fontconfig_file); use with FONTCONFIG_FILE -->",
             "<fontconfig>",
             f'  <include ignore_missing="yes">{escape(_system_config(out))}</include>',
             f"  <dir>{escape(str(cache))}</dir>"]
    lines += [f"  <dir>{escape(d)}</dir>" for d in user_dirs(style) if Path(d).is_dir()]
    seen = set()
    for cls, font in fonts.items():
        weight = _weight(font)
        for name in (*style.font_names[cls], *GENUINE[cls]):
            if norm_name(name) in seen or norm_name(name) == norm_name(font.family):
                continue
            seen.add(norm_name(name))
            if weight < 600:
                lines.append(f'  <alias binding="same"><family>{escape(name)}</family>'
                             f"<prefer><family>{escape(font.family)}</family></prefer></alias>")
            else:   # a heavy face that shares its family name with lighter ones: ask for the weight too
                const = WEIGHTS[min(WEIGHTS, key=lambda w: abs(w - weight))]
                lines += ['  <match target="pattern">',
                          f'    <test name="family"><string>{escape(name)}</string></test>',
                          f'    <edit name="family" mode="prepend" binding="same"><string>{escape(font.family)}</string></edit>',
                          f'    <edit name="weight" mode="assign" binding="same"><const>{const}</const></edit>',
                          "  </match>"]
    lines.append("</fontconfig>\n")
    text = "\n".join(lines)
    cache.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        tmp = out.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    return out
