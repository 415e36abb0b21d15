"""UK postcodes, read one way everywhere: the key they are compared by and their district.

Used by curation (which area a listing meets in) and by the matcher's gazetteer (where a person
lives), so a listing's area and a person's district always agree.
"""

from __future__ import annotations

import re

# Outward code (area letters, district digits, optional letter), then an optional inward code
# (a digit and two letters), compared without spaces.
_FULL = re.compile(r"([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})")
_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")


def normalise_postcode(text: str) -> str:
    """'g51 3ab' → 'G513AB' (upper case, no spaces): the key postcodes are compared by."""
    return re.sub(r"\s+", "", text).upper()


def postcode_district(text: str) -> str | None:
    """The outward code of a postcode ('G51 3AB' → 'G51', 'G51' → 'G51'), or None if it is not shaped like one."""
    compact = normalise_postcode(text)
    full = _FULL.fullmatch(compact)
    if full:
        return full.group(1)
    return compact if _OUTWARD.fullmatch(compact) else None
