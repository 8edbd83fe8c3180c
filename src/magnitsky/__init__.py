"""magnitsky: track and analyse Magnitsky-style sanctions from the official list files."""

__version__ = "0.1.0"
