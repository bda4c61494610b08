"""People, roles, the permission function and the visibility door, API tokens, two-factor
authentication, and the hubs' shell (the page guard, navigation, the cross-launch banner)."""
