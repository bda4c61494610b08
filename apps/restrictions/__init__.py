"""What is taken from role grants: restricted-by-partner mode (the control registry and its state)
and a partner's reach into an organisation it attached to. It subtracts from the permission function
through ``accounts.permissions.register_restriction``."""
