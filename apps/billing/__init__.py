"""Usage days, billing reconciliation reports, Setup Assist orders, prices and the invoice preview.
Empty until the billing issue fills it."""
