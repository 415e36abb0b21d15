"""The app's helpers (page scripts are in views/): who is signed in, the shared database and
recommender, and safe display of listing text. Pages use them as `ui.require(...)`, `ui.text(...)`."""

from directory.vocabulary import DELIVERY_WORDS, EXCLUSION_WORDS, ROLE_WORDS, RULE_SHORT

from .display import LANGUAGE_OPTIONS, domain_label, language_codes, language_name, language_names, text
from .referral_widgets import gp_refer_panel, gp_request, shortlist_referral_panel
from .session import (
                      LOCAL_USER,
                      current_user,
                      db_url,
                      denied,
                      local_mode,
                      recommender,
                      require,
                      sign_in_form,
                      sign_out,
                      store,
)

__all__ = [
    "DELIVERY_WORDS", "EXCLUSION_WORDS", "ROLE_WORDS", "RULE_SHORT", "LANGUAGE_OPTIONS", "LOCAL_USER",
    "current_user", "db_url", "denied", "domain_label", "language_codes", "language_name", "language_names",
    "local_mode", "recommender", "require", "sign_in_form", "sign_out", "store", "text",
    "gp_refer_panel", "gp_request", "shortlist_referral_panel",
]
