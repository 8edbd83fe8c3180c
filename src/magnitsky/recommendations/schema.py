"""The tracker's own tables, as numbered migrations of their own (recorded in
``recommendation_meta``), so they can live in the main store file or in a file of their
own (``MAGNITSKY_RECOMMENDATIONS_DB``) and never share a version number with the store's
schema. Append new migrations; never edit one that has shipped.

``recommendations``, ``recommendation_submissions`` and ``recommendation_judgements`` are
kept by the user; ``recommendation_matches`` and ``recommendation_outcomes`` are derived
(recomputed at every build and after every change to the recommendations).
"""

from __future__ import annotations

import duckdb

MIGRATIONS: list[str] = [
    """
    CREATE TABLE recommendation_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE recommendations (
        ref VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,           -- Person | Organization
        aliases VARCHAR[] NOT NULL,
        birth_dates VARCHAR[] NOT NULL,
        nationalities VARCHAR[] NOT NULL,  -- ISO 3166-1 alpha-2
        identifiers VARCHAR[] NOT NULL,
        country VARCHAR NOT NULL,          -- of the conduct, ISO 3166-1 alpha-2
        conduct VARCHAR[] NOT NULL,        -- human_rights | corruption
        themes VARCHAR[] NOT NULL,         -- labels of data/evidence/themes.toml
        victim_groups VARCHAR[] NOT NULL,  -- labels of data/evidence/victims.toml
        organisations VARCHAR[] NOT NULL,
        confidentiality VARCHAR NOT NULL,  -- public | coalition | private
        notes VARCHAR NOT NULL,
        withdrawn_on DATE,
        withdrawn_reason VARCHAR NOT NULL,
        origin VARCHAR NOT NULL,
        added_at TIMESTAMP NOT NULL        -- UTC
    );
    CREATE TABLE recommendation_submissions (
        ref VARCHAR NOT NULL,
        government VARCHAR NOT NULL,       -- US | GB | CA | EU | AU
        submitted DATE NOT NULL,
        PRIMARY KEY (ref, government)
    );
    CREATE TABLE recommendation_judgements (
        ref VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        judgement VARCHAR NOT NULL,        -- confirmed | rejected
        decided_at TIMESTAMP NOT NULL,     -- UTC
        note VARCHAR,
        PRIMARY KEY (ref, source, source_id)
    );
    CREATE TABLE recommendation_matches (
        ref VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        person_id VARCHAR,
        matcher VARCHAR NOT NULL,
        score DOUBLE NOT NULL,
        status VARCHAR NOT NULL,           -- automatic | possible
        evidence JSON NOT NULL
    );
    CREATE TABLE recommendation_outcomes (
        ref VARCHAR NOT NULL,
        government VARCHAR NOT NULL,
        submitted DATE NOT NULL,
        outcome VARCHAR NOT NULL,
        program VARCHAR,
        source VARCHAR,
        source_id VARCHAR,
        listed_on DATE,
        listed_not_before DATE,
        listed_not_after DATE,
        date_quality VARCHAR,
        days INTEGER,
        days_min INTEGER,
        days_max INTEGER,
        others VARCHAR[] NOT NULL,         -- the other governments that sanctioned the person
        first_other DATE,
        as_of DATE,                        -- the government's last list read
        evaluated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (ref, government)
    );
    """,
    # 2: when each other government first sanctioned the person, in the order of
    # ``others``: a report of an earlier year names only those that had acted by its end
    """
    ALTER TABLE recommendation_outcomes ADD COLUMN others_first DATE[];
    """,
]

VERSION_KEY = "schema_version"


def version(con: duckdb.DuckDBPyConnection) -> int:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'recommendation_meta'"
    ).fetchone()
    if not found or not found[0]:
        return 0
    row = con.execute(
        "SELECT value FROM recommendation_meta WHERE key = ?", [VERSION_KEY]
    ).fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the tracker's tables up to date in one transaction."""
    current = version(con)
    if current > len(MIGRATIONS):
        from magnitsky.store import StoreError

        raise StoreError(
            f"the recommendations tables are at version {current}, newer than this program"
            f" ({len(MIGRATIONS)}): upgrade magnitsky"
        )
    if current == len(MIGRATIONS):
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for sql in MIGRATIONS[current:]:
            con.execute(sql)
        con.execute(
            "INSERT OR REPLACE INTO recommendation_meta VALUES (?, ?)",
            [VERSION_KEY, str(len(MIGRATIONS))],
        )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
