"""The analysis layer: what the dated designations say, each number traceable.

``windows`` (where a year begins and ends), ``basis`` (why a person was designated),
``roles`` (what they were), ``countries`` (where they are from), ``texts`` (what the
official texts read say of each designation), ``designations`` (the rows of a program
with all of that attached), ``measures`` (counts per year as ranges, averages, changes),
``themes`` (abuses, corruption types and victim groups per year, and what was never
addressed), ``precedents`` (the first of each kind), ``findings`` (sentences),
``multilateral`` (the same persons across jurisdictions; ``multilateral_section``, the
report's part of it) and ``annual`` (the one entry point of the report).
"""
