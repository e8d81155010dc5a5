"""The HTTP APIs: ``sparql`` (the SPARQL 1.1 Protocol at ``/sparql``), ``queries`` (named
queries) and ``network`` (graphs for the explorer); each module exposes ``router``."""
