"""Wholesale provisioning: the customer state machine (create, update, remove), attaching to an
existing organisation, the Partner Hub customer list, wizards and panel, and the Wholesale Customers API."""
