"""Text as the readers and checks compare it: whitespace removed (Word and PDF producers put
spaces around digits and between CJK characters)."""
from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    return _SPACE.sub("", text or "")
