"""Matching the same person across lists."""
