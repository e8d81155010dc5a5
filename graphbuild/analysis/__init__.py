"""Questions asked of the graph in a store: the named queries of ``queries/`` and their answers
as tables (``named_queries``, ``querying``), the audit rules and report (``audit``,
``audit_report``), networks and their metrics (``network``), indicator-name groups
(``name_groups``) and the explorer's model (``explorer``)."""
