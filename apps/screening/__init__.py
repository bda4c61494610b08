"""Denied-party screening: the operator's list, matching, holds and the review queue."""
