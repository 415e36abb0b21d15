"""The one identity rule for account names: every path that finds an account (adding, removing,
signing in, unlocking, single sign-on e-mails, the app's look-up of who is signed in) compares
`identity_key(name)`, and the users table holds that key under a UNIQUE constraint.

Two names are one account when they differ only in case or in Unicode compatibility forms: "Ada"
and "ada", fullwidth "Ａｄａ", the Kelvin sign "K" and "K", the ligature "ﬁ" and "fi". NFKC folds the
compatibility forms, casefold the case (ß → ss), and NFKC once more because casefolding can leave
a string that is no longer normalised (the Unicode "NFKC_Casefold" idea). Surrounding space is
not part of a name.
"""

from __future__ import annotations

import unicodedata


def normalised_name(name: str) -> str:
    """The name as stored and shown: NFKC (fullwidth letters become ASCII), surrounding space removed."""
    return unicodedata.normalize("NFKC", name).strip()


def identity_key(name: str) -> str:
    """The account a name means: NFKC, casefolded, NFKC again, surrounding space removed."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()
