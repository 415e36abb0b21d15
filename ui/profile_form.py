"""The link worker's profile form: its choices and their words. The form's values become a profile
in `matcher.profile.profile_from_form`; they live in st.session_state only and are never logged."""

from __future__ import annotations

from directory.vocabulary import AFFORD_WORDS, DIGITAL_WORDS, GENDER_WORDS, PROFILE_FIELD_LABELS

NEED_CHOICES: list[int | None] = [None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
GENDER_CHOICES: list[str | None] = [None, "female", "male", "other"]
DIGITAL_CHOICES = ["online", "phone", "none"]
COST_CHOICES = ["paid", "low_cost", "free"]
COST_WORDS = AFFORD_WORDS

def need_label(value: int | None) -> str:
    if value is None:
        return "Not a need"
    if value == 1:
        return "1 greatest"
    if value == 10:
        return "10 none"
    return str(value)


def field_label(column: str | None) -> str:
    if not column:
        return "Profile"
    head = column.split(".")[0]
    if head == "needs" and "." in column:
        return f"Need: {column.split('.', 1)[1].replace('_', ' ')}"
    return PROFILE_FIELD_LABELS.get(head, column)


__all__ = ["NEED_CHOICES", "GENDER_CHOICES", "GENDER_WORDS", "DIGITAL_CHOICES", "DIGITAL_WORDS", "COST_CHOICES",
           "COST_WORDS", "need_label", "field_label"]
