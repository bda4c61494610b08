"""A customer's locations, their phone-number inventory and the organisation's extensions."""
