"""The overview (home) pages of Partner Hub and Control Hub."""
