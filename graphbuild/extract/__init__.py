"""Documents → records: everything that reads a document and nothing that writes RDF.

The stages, each a module: ``sources`` (a PDF, workbook, web page or Word file told by its
content and turned into the line model the parsers read), ``read`` (bytes to numbered lines,
encodings, limits), ``detect``
(which family of document), ``cells`` (cleaning cell text), ``levels`` (the 一级/二级指标
vocabulary of ``ontology/levels.ttl``), ``values`` (指标值 parsed), ``fields`` (a table's header
fields), ``tables`` (finding tables and their indicator zones), ``alignment`` (a row's cells onto
the table's columns), ``resolution`` (levels across rows), ``families/`` (one parser per
document family), ``parts`` (what a parser fills in, and the row accounting), ``sweep`` (the
last pass: indicator rows no parser read), ``document`` (one document, start to end) and
``output`` (the records as JSON Lines or CSV).

>>> from graphbuild.extract import extract_file
>>> extraction = extract_file("data/samples/004_5c2b6dad15e272f5.txt")
>>> extraction.document.family, len(extraction.targets) > 100
('henan_budget', True)
"""

from graphbuild.extract.document import extract_file, extract_text

__all__ = ["extract_file", "extract_text"]
