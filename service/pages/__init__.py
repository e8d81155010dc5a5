"""The HTML and linked-data views (each module exposes ``router``), with their ``templates/``
and ``static/`` files; ``rendering`` renders a template as a page, ``entity`` and
``statistics`` read what the pages show."""
