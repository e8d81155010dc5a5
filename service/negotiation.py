"""HTTP content negotiation over the one format table (:mod:`graphbuild.formats`).

An ``Accept`` header is a list of media ranges with quality values. Each candidate format
takes the quality of the *most specific* range that matches its media type or one of its
aliases (``text/csv`` beats ``text/*`` beats ``*/*``, RFC 9110 §12.5.1). The best format has
the highest quality; ties go to the range named more specifically, then to the one written
first, then to the server's preference (JSON results, Turtle graphs). ``q=0`` excludes.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", Kind.RESULTS).value
'json'
>>> negotiate("text/*", Kind.RESULTS).value
'csv'
>>> negotiate("*/*;q=0.1, text/turtle", Kind.RDF).value
'turtle'
>>> negotiate("application/sparql-results+json;q=0, */*", Kind.RESULTS).value
'xml'
>>> negotiate("image/png", Kind.RDF) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from graphbuild.formats import DEFAULTS, Format, Kind

HTML = "text/html"


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    quality: float
    position: int

    def specificity(self, media_type: str) -> int:
        """How specifically this range names ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``,
        -1 no match."""
        major, _, minor = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != major:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == minor else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header (malformed entries are skipped).

    >>> [(r.type, r.subtype, r.quality) for r in parse_accept("text/*;q=0.3, */*;q=bad")]
    [('text', '*', 0.3), ('*', '*', 0.0)]
    """
    ranges: list[MediaRange] = []
    for position, item in enumerate((header or "").split(",")):
        parts = [part.strip() for part in item.split(";")]
        media = parts[0].lower()
        if media == "*":
            media = "*/*"
        major, slash, minor = media.partition("/")
        if not slash or not major or not minor or (major == "*" and minor != "*"):
            continue
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(major, minor, quality, position))
    return ranges


def _score(
    ranges: list[MediaRange], media_type: str, aliases: tuple[str, ...] = ()
) -> tuple[float, int, int] | None:
    """(quality, specificity, -position) of the most specific range matching the media type.

    Aliases (``application/json`` for JSON results) count only when named exactly, so that
    ``text/*`` does not select SPARQL XML results through their ``text/xml`` alias.
    """
    best: tuple[int, float, int] | None = None  # (specificity, quality, -position)
    for media_range in ranges:
        for candidate_type in (media_type, *aliases):
            specificity = media_range.specificity(candidate_type)
            if specificity < 0 or (candidate_type != media_type and specificity < 2):
                continue
            candidate = (specificity, media_range.quality, -media_range.position)
            if (
                best is None
                or candidate[0] > best[0]
                or (candidate[0] == best[0] and candidate[1] > best[1])
            ):
                best = candidate
    if best is None:
        return None
    return best[1], best[0], best[2]


def negotiate(accept: str | None, kind: Kind) -> Format | None:
    """The best format of ``kind`` for an ``Accept`` header; None if none is acceptable.

    No header, or one without a readable media range, means anything: the kind's default.
    """
    ranges = parse_accept(accept)
    if not ranges:
        return DEFAULTS[kind]
    preference = served_formats(kind)
    scored: list[tuple[tuple[float, int, int, int], Format]] = []
    for rank, fmt in enumerate(preference):
        score = _score(ranges, fmt.media_type, fmt.aliases)
        if score is not None and score[0] > 0:
            scored.append(((*score, -rank), fmt))
    if not scored:
        return None
    return max(scored, key=lambda item: item[0])[1]


def prefers_html(accept: str | None) -> bool:
    """Whether the client (a browser) asks for HTML by name in preference to JSON.

    >>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> prefers_html("*/*"), prefers_html(None), prefers_html("application/json, text/html")
    (False, False, False)
    """
    ranges = parse_accept(accept)
    html = _score(ranges, HTML, ("application/xhtml+xml",))
    if html is None or html[0] <= 0 or html[1] == 0:
        return False
    json = _score(ranges, "application/json")
    return json is None or (html[0], html[1], html[2]) > (json[0], json[1], json[2])


def from_parameter(value: str, kind: Kind | None = None) -> Format:
    """The format a ``format=`` parameter names: a short name or a media type.

    >>> from_parameter("csv").value, from_parameter("text/turtle").value
    ('csv', 'turtle')
    >>> from_parameter("application/json", Kind.RDF).value
    'jsonld'
    """
    try:
        return Format.from_name(value, kind)
    except ValueError:
        return Format.from_media_type(value, kind)


def served_formats(kind: Kind) -> list[Format]:
    """The formats ``/sparql`` writes for a kind, the default first.

    Results: JSON, XML, CSV, TSV. Graphs: Turtle, N-Triples, JSON-LD, RDF/XML (TriG and
    N-Quads carry graph names that a CONSTRUCT result does not have; the dumps offer them).

    >>> [f.value for f in served_formats(Kind.RDF)]
    ['turtle', 'ntriples', 'jsonld', 'rdfxml']
    """
    default = DEFAULTS[kind]
    others = [
        f
        for f in Format
        if f.kind is kind and f is not default and (not f.datasets or f is Format.JSONLD)
    ]
    return [default, *others]


def media_types(kind: Kind) -> list[str]:
    """The media types ``/sparql`` offers for a kind, default first."""
    return [f.media_type for f in served_formats(kind)]


def preferred(accept: str | None, offers: list[str]) -> str | None:
    """The offer the ``Accept`` header prefers, or None; a missing or empty header (or a tie)
    gets the first offer. Each offer takes the quality of the most specific range naming it.

    >>> preferred("text/html;q=0.9, text/turtle", ["text/html", "text/turtle"])
    'text/turtle'
    >>> preferred("*/*", ["text/html", "text/turtle"]), preferred("image/png", ["text/html"])
    ('text/html', None)
    """
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        score = _score(ranges, offer.lower())
        if score is None or score[0] <= 0:
            continue
        if best is None or (score[0], -index) > best:
            best, chosen = (score[0], -index), offer
    return chosen
