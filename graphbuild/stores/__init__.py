"""Where the graph lives: an embedded Oxigraph store, rdflib in memory, or a remote SPARQL server."""
