"""Interview practice for the design choices of a DCGAN, in Korean and English."""

__version__ = "0.1.0"
