"""NHS numbers: ten digits, the last a modulus-11 check digit (NHS Data Dictionary, "NHS Number").

Weights 10..2 multiply the first nine digits; 11 minus the remainder of their sum by 11 is the
check digit, where 11 means 0 and 10 means the number can never be valid.
"""

from __future__ import annotations

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"


def check_digit(first_nine: str) -> int | None:
    """The check digit of nine digits, or None when no tenth digit can make them valid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def normalise(value: str) -> str:
    """The digits of an NHS number as people write it ('943 476 5919' -> '9434765919')."""
    return "".join(value.split()).replace("-", "")


def is_valid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    digits = normalise(value)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])
