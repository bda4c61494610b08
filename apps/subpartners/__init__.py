"""Indirect providers (sub-partners, one level) and acting on behalf of one."""
