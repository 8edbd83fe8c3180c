"""Readers: one module per official file format, each yielding common listing records."""
