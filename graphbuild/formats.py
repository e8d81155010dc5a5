"""The one table of RDF and SPARQL-result formats.

Each :class:`Format` knows its short name (what a user types), media type, file extension,
the matching pyoxigraph format and the rdflib plugin name. ``perfkg export`` looks formats up
by name, the HTTP service by media type (:func:`negotiate` reads an ``Accept`` header) and
file writers by extension.

>>> Format("turtle").media_type
'text/turtle'
>>> Format.from_media_type("application/n-quads; charset=utf-8").value
'nquads'
>>> Format.from_extension("out/store.jsonld") is Format.JSONLD
True
>>> negotiate("text/csv;q=0.5, application/sparql-results+json", Kind.RESULTS).value
'json'
"""

from __future__ import annotations

from enum import Enum, StrEnum
from pathlib import PurePath

from pyoxigraph import QueryResultsFormat, RdfFormat


class Kind(Enum):
    """What a format carries: an RDF graph/dataset or SPARQL SELECT/ASK results."""

    RDF = "rdf"
    RESULTS = "results"


class Format(StrEnum):
    """An RDF or SPARQL-results serialisation; the value is the short name."""

    # name, media type, extension, kind, holds named graphs, pyoxigraph, rdflib, media aliases
    TURTLE = (
        "turtle",
        "text/turtle",
        "ttl",
        Kind.RDF,
        False,
        RdfFormat.TURTLE,
        "turtle",
        ("application/x-turtle",),
    )
    TRIG = ("trig", "application/trig", "trig", Kind.RDF, True, RdfFormat.TRIG, "trig", ())
    NQUADS = (
        "nquads",
        "application/n-quads",
        "nq",
        Kind.RDF,
        True,
        RdfFormat.N_QUADS,
        "nquads",
        ("text/x-nquads",),
    )
    NTRIPLES = (
        "ntriples",
        "application/n-triples",
        "nt",
        Kind.RDF,
        False,
        RdfFormat.N_TRIPLES,
        "nt",
        (),
    )
    JSONLD = (
        "jsonld",
        "application/ld+json",
        "jsonld",
        Kind.RDF,
        True,
        RdfFormat.JSON_LD,
        "json-ld",
        ("application/json",),
    )
    RDFXML = (
        "rdfxml",
        "application/rdf+xml",
        "rdf",
        Kind.RDF,
        False,
        RdfFormat.RDF_XML,
        "xml",
        ("application/xml", "text/xml"),
    )
    JSON = (
        "json",
        "application/sparql-results+json",
        "srj",
        Kind.RESULTS,
        False,
        QueryResultsFormat.JSON,
        "json",
        ("application/json",),
    )
    XML = (
        "xml",
        "application/sparql-results+xml",
        "srx",
        Kind.RESULTS,
        False,
        QueryResultsFormat.XML,
        "xml",
        ("application/xml", "text/xml"),
    )
    CSV = ("csv", "text/csv", "csv", Kind.RESULTS, False, QueryResultsFormat.CSV, "csv", ())
    TSV = (
        "tsv",
        "text/tab-separated-values",
        "tsv",
        Kind.RESULTS,
        False,
        QueryResultsFormat.TSV,
        None,  # rdflib writes no TSV results
        (),
    )

    media_type: str
    extension: str
    kind: Kind
    datasets: bool
    oxigraph: RdfFormat | QueryResultsFormat
    rdflib: str | None
    aliases: tuple[str, ...]

    def __new__(
        cls,
        name: str,
        media_type: str,
        extension: str,
        kind: Kind,
        datasets: bool,
        oxigraph: RdfFormat | QueryResultsFormat,
        rdflib: str | None,
        aliases: tuple[str, ...],
    ) -> Format:
        member = str.__new__(cls, name)
        member._value_ = name
        member.media_type = media_type
        member.extension = extension
        member.kind = kind
        member.datasets = datasets
        member.oxigraph = oxigraph
        member.rdflib = rdflib
        member.aliases = aliases
        return member

    def __str__(self) -> str:
        return self.value

    @property
    def rdf_format(self) -> RdfFormat:
        """The pyoxigraph RDF format (only for RDF formats)."""
        if not isinstance(self.oxigraph, RdfFormat):
            raise ValueError(f"{self.value} is a SPARQL results format, not an RDF format")
        return self.oxigraph

    @property
    def results_format(self) -> QueryResultsFormat:
        """The pyoxigraph results format (only for SPARQL results formats)."""
        if not isinstance(self.oxigraph, QueryResultsFormat):
            raise ValueError(f"{self.value} is an RDF format, not a SPARQL results format")
        return self.oxigraph

    @classmethod
    def names(cls, kind: Kind | None = None) -> list[str]:
        """Short names, in table order, optionally of one kind."""
        return [f.value for f in cls if kind is None or f.kind is kind]

    @classmethod
    def from_name(cls, name: str, kind: Kind | None = None) -> Format:
        """The format called ``name`` (case-insensitive); ``ValueError`` names the choices."""
        for member in cls:
            if member.value == name.strip().lower() and (kind is None or member.kind is kind):
                return member
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(cls.names(kind))}")

    @classmethod
    def from_media_type(cls, media_type: str, kind: Kind | None = None) -> Format:
        """The format of a media type; parameters (``; charset=…``) are ignored.

        The primary media types win over aliases, so ``application/json`` is SPARQL JSON
        results when ``kind`` is RESULTS and JSON-LD when it is RDF.
        """
        essence = media_type.split(";", 1)[0].strip().lower()
        candidates = [f for f in cls if kind is None or f.kind is kind]
        for member in candidates:
            if member.media_type == essence:
                return member
        for member in candidates:
            if essence in member.aliases:
                return member
        raise ValueError(f"no format for media type {media_type!r}")

    @classmethod
    def from_extension(cls, path_or_extension: str, kind: Kind | None = None) -> Format:
        """The format of a file name or extension (``ttl``, ``.ttl`` or ``out/x.ttl``)."""
        text = path_or_extension.strip().lower()
        suffix = PurePath(text).suffix or "." + text.lstrip(".")
        for member in cls:
            if "." + member.extension == suffix and (kind is None or member.kind is kind):
                return member
        raise ValueError(f"no format for file extension {suffix!r}")


DEFAULTS = {Kind.RDF: Format.TURTLE, Kind.RESULTS: Format.JSON}


def choose(media_type: str | None, kind: Kind) -> Format:
    """The format of ``media_type`` if it is one of ``kind``, else the kind's default.

    >>> choose("text/csv", Kind.RESULTS).value, choose("text/csv", Kind.RDF).value
    ('csv', 'turtle')
    """
    try:
        return Format.from_media_type(media_type or "", kind)
    except ValueError:
        return DEFAULTS[kind]


def negotiate(accept: str | None, kind: Kind) -> Format | None:
    """The best format of ``kind`` for an HTTP ``Accept`` header, or None if none is acceptable.

    A missing header or ``*/*`` gives the default (Turtle for RDF, JSON for results). Among
    equal quality values the header's order wins.

    >>> negotiate(None, Kind.RDF).value
    'turtle'
    >>> negotiate("application/rdf+xml;q=0.9, application/ld+json", Kind.RDF).value
    'jsonld'
    >>> negotiate("image/png", Kind.RDF) is None
    True
    """
    if not accept or not accept.strip():
        return DEFAULTS[kind]
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if parts[0] and quality > 0:
            ranges.append((-quality, position, parts[0].lower()))
    for _, _, media_range in sorted(ranges):
        if media_range in ("*/*", "*"):
            return DEFAULTS[kind]
        if media_range.endswith("/*"):
            major = media_range[:-1]
            for member in Format:
                if member.kind is kind and member.media_type.startswith(major):
                    return member
            continue
        try:
            return Format.from_media_type(media_range, kind)
        except ValueError:
            continue
    return None
