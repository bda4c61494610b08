"""Partner organisations, their settings and the operator's partner management."""
