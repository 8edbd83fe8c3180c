"""Readers: one module per official file format, each yielding :class:`~magnitsky.listing.Listing`."""
