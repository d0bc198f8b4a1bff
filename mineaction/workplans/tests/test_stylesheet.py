"""The timeline's stylesheet mirrors in Arabic: logical properties only."""

import re
from pathlib import Path

from django.conf import settings

STYLESHEET = (
    Path(settings.BASE_DIR) / "mineaction" / "static" / "mineaction" / "workplans-timeline.css"
)


def test_the_timeline_stylesheet_uses_only_logical_properties():
    css = STYLESHEET.read_text()
    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right|top|bottom)\b"
        r"|(?<![\w-])(?:left|right|top|bottom)\s*:"
        r"|text-align:\s*(?:left|right)"
        r"|float:\s*(?:left|right)"
        r"|(?<![\w-])(?:max-|min-)?(?:width|height)\s*:",
        css,
    )
    assert physical == []
    assert ".timeline-swatch.status-cancelled" in css
