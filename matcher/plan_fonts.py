"""Which fonts draw the PDF plan in a given language, where they are, and whether they hold every letter.

Latin, Greek, Cyrillic, Arabic and Persian text is drawn in DejaVu Sans (Debian's `fonts-dejavu-core`).
Scripts DejaVu lacks are drawn in Google's Noto fonts (SIL Open Font License; Debian's `fonts-noto-core`
and, for Chinese, `fonts-noto-cjk`; scripts/system-deps.sh installs them): Urdu in Noto Nastaliq Urdu
(the style Urdu readers expect), Punjabi in Noto Sans Gurmukhi, Bengali in Noto Sans Bengali, Hindi in Noto
Sans Devanagari, Tigrinya in Noto Sans Ethiopic and Chinese in Noto Sans CJK SC (simplified characters).
DejaVu stays behind each script font as a fallback, so a listing's English name inside an Urdu plan is drawn.

Fonts are looked for in `SIGNPOST_PLAN_FONT_DIR` (one folder, or several separated by ':') first, then
in Debian's font folders. A language whose font is missing, or lacks a letter of its words, is not
offered for the plan (matcher.plan_words.plan_languages); nothing is ever drawn as an empty box.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_DIR_ENV = "SIGNPOST_PLAN_FONT_DIR"
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/noto"),
                    Path("/usr/share/fonts/opentype/noto"))


@dataclass(frozen=True)
class Face:
    """One font family as the plan uses it: its regular and bold files (face `index` of a collection)."""

    family: str
    regular: str
    bold: str
    index: int = 0
    line_factor: float = 1.0  # Nastaliq's tall letters need taller lines than Latin


DEJAVU = Face("DejaVu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
SCRIPT_FACES = {
    "ur": Face("NotoNastaliqUrdu", "NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf", line_factor=1.7),
    "pa": Face("NotoSansGurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", line_factor=1.15),
    "bn": Face("NotoSansBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", line_factor=1.15),
    "hi": Face("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
               line_factor=1.15),
    "ti": Face("NotoSansEthiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    # Face 2 of Noto Sans CJK's collection is SC (simplified Chinese), the form most Chinese readers in the UK
    # learnt; Hong Kong readers may prefer traditional characters (face 3, TC).
    "zh": Face("NotoSansCJKSC", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", index=2),
}


def font_dirs() -> list[Path]:
    extra = [Path(p) for p in (os.environ.get(FONT_DIR_ENV) or "").split(os.pathsep) if p]
    return [*extra, *SYSTEM_FONT_DIRS]


def find_font(name: str) -> Path | None:
    for folder in font_dirs():
        if (folder / name).is_file():
            return folder / name
    return None


def faces(language: str) -> list[Face]:
    """The faces of a plan in `language`, the one drawing its own words first, DejaVu behind it."""
    own = SCRIPT_FACES.get(language)
    return [own, DEJAVU] if own else [DEJAVU]


def require_dejavu() -> None:
    if find_font(DEJAVU.regular) is None or find_font(DEJAVU.bold) is None:
        raise FileNotFoundError(f"The plan's font is missing: {DEJAVU.regular}. Install Debian's fonts-dejavu-core "
                                f"(make system-deps) or set {FONT_DIR_ENV} to a folder holding it.")


@lru_cache(maxsize=32)
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def letters_of(face: Face, bold: bool = False) -> frozenset[int]:
    """The characters a face's file holds (empty when the file is missing)."""
    path = find_font(face.bold if bold else face.regular)
    return _cmap(str(path), face.index) if path else frozenset()


def missing_letters(texts: list[str], language: str) -> set[str]:
    """Characters of `texts` that neither the language's own face nor its fallback holds, in regular or
    bold (headings are bold). Spaces and controls need no glyph."""
    wanted = {ord(c) for t in texts for c in t if not c.isspace() and c.isprintable()}
    missing: set[str] = set()
    for bold in (False, True):
        held = frozenset().union(*(letters_of(f, bold) for f in faces(language)))
        missing |= {chr(c) for c in wanted - held}
    return missing
