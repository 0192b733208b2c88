"""Static-site generator for timelines of diplomatic events from Arabic news."""

__version__ = "0.1.0"
