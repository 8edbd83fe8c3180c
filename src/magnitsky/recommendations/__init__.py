"""Civil society's recommendations of sanctions targets: who was recommended, to which
governments and when, and what each government did (found by matching the recommended
person against the lists).

Recommendations are confidential by default: they live in their own tables (and, with
``MAGNITSKY_RECOMMENDATIONS_DB``, their own store file) and are never read by the exports,
the FollowTheMoney output, the public API or the public pages. ``tracker`` keeps them,
``imports`` reads a CSV or spreadsheet into them, ``outcomes`` matches them against the
lists, ``analysis`` counts what the governments did.
"""
