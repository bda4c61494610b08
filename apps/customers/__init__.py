"""Customer organisations as a partner holds them: the wholesale customer record, its packages, its
status, and what an existing organisation carries when a partner attaches to it."""
