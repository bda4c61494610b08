"""Control Hub pages of a customer organisation, one module per area."""
