"""The demo world: ``seed_demo`` (imports every app; no app imports it)."""
