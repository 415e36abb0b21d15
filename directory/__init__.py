"""Signpost's directory: listings, their storage and audit trail, import/export and curation."""
