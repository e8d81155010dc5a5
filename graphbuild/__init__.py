"""perfkg's library: documents → typed records → RDF → stores → analysis.

One package per stage (docs/architecture.md): ``extract`` (text → records), ``graph``
(records → RDF, builds, validation, reasoning), ``stores`` (where the graph lives), ``analysis``
(named queries, the audit, networks) and ``cli`` (the ``perfkg`` command). ``records``,
``vocab`` and ``formats`` are shared by all of them.
"""

__version__ = "0.1.0"
