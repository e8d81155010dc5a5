"""Records → RDF, and the graph in its store: IRIs, the mapping, provenance, the build, export,
validation and reasoning.

``iris`` mints the IRIs, ``mapping`` turns records into triples and ``reading`` turns them back,
``provenance`` describes each build with PROV-O, ``build`` writes documents into a store (one
named graph per document), ``validate`` checks them with SHACL and ``reason`` adds the OWL 2 RL
closure. Vocabulary terms and the format table are shared with the stores
(:mod:`graphbuild.vocab`, :mod:`graphbuild.formats`).
"""

from graphbuild.graph.build import build

__all__ = ["build"]
