"""The fonts bundled from PyPI packages, for PDF documents and charts: Noto Sans (Latin and
Cyrillic), Amiri (Arabic) and Noto Sans CJK (Chinese). No font is fetched at run time."""

import importlib.resources
from pathlib import Path

LATIN_FONT = "Noto Sans"
ARABIC_FONT = "Amiri"
CJK_FONT = "Noto Sans CJK TC"
# (family, package, path inside the package)
FONT_FILES = [
    (LATIN_FONT, "fontpkg_noto_sans", ("files", "NotoSans[wdth,wght].ttf")),
    (ARABIC_FONT, "fontpkg_amiri", ("files", "Amiri-Regular.ttf")),
    (CJK_FONT, "cvttf_NotoSansCJK_Regular", ("NotoSansCJKtc-Regular.otf",)),
]


def font_files():
    """{family: path} of the bundled fonts, located inside their installed packages."""
    files = {}
    for family, package, parts in FONT_FILES:
        resource = importlib.resources.files(package).joinpath(*parts)
        files[family] = Path(str(resource))
    return files
