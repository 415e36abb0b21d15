"""Click-to-call and e-mail links from a listing's contact details, only when the details are plainly
a phone number or an e-mail address: anything else stays text and no link is made of it."""

from __future__ import annotations

import re
from urllib.parse import quote

_PHONE = re.compile(r"\+?[0-9][0-9 ]{4,22}[0-9]")
_EMAIL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                    r"[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")


def tel_href(phone: str | None) -> str | None:
    """'tel:+441410000001'-style link for a number of digits, spaces and a leading '+' (6-15 digits)."""
    text = (phone or "").strip()
    if not _PHONE.fullmatch(text):
        return None
    digits = text.replace(" ", "")
    if not 6 <= len(digits.lstrip("+")) <= 15:
        return None
    return "tel:" + digits


def mailto_href(email: str | None) -> str | None:
    """'mailto:' link for a plain address (no name, no query, no spaces); None for anything else."""
    text = (email or "").strip()
    if len(text) > 254 or ".." in text or not _EMAIL.fullmatch(text):
        return None
    return "mailto:" + quote(text, safe="@.+-_")
