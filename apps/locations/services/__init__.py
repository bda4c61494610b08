"""Writes about locations and the number inventory (``locations``, ``numbers``)."""
