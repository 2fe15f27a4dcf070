"""eom: software for election observation missions."""

__version__ = "0.1.0"
