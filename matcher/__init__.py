"""Signpost's matcher: from a needs profile to a safe, diverse, explained shortlist."""
