"""perfkg graph building: documents → typed records → RDF."""

__version__ = "0.1.0"
