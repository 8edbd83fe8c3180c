"""The analysis layer: what the dated designations say, each number traceable.

``windows`` (where a year begins and ends), ``basis`` (why a person was designated),
``roles`` (what they were), ``countries`` (where they are from), ``designations`` (the rows
of a program with all of that attached), ``measures`` (counts per year as ranges,
averages, changes), ``precedents`` (the first of each kind), ``findings`` (sentences) and
``annual`` (the one entry point of the report).
"""
