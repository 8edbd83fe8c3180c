"""The store's schema, as numbered migrations.

A store file records the version it is at (``meta.schema_version``); opening it applies
every later migration in one transaction, so an older file is upgraded, never broken.
Append new migrations; never edit one that has shipped.

Raw tables (``snapshots``, ``records``, ``documents``, ``actions``) hold what was read
from official files and are only ever added to. Derived tables (``events``,
``designations``, ``action_links``, ``date_conflicts``) are recomputed from them, which is
what makes the result independent of the order of imports.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE snapshots (
        snapshot_id INTEGER PRIMARY KEY,
        source VARCHAR NOT NULL,
        as_of TIMESTAMP NOT NULL,          -- UTC
        as_of_date DATE NOT NULL,          -- the list's own day (US Eastern for OFAC)
        content_hash VARCHAR NOT NULL,
        format VARCHAR,
        origin VARCHAR NOT NULL,           -- file path, or repository:commit:path
        rows INTEGER NOT NULL,
        readable BOOLEAN NOT NULL,         -- false: the file could not be parsed
        problem VARCHAR,                   -- why it could not be parsed
        forced BOOLEAN NOT NULL DEFAULT false,
        imported_at TIMESTAMP NOT NULL,
        members BLOB NOT NULL,             -- record hashes of its entries, packed int64
        status VARCHAR,                    -- derived: accepted | rejected
        reason VARCHAR,                    -- derived: why rejected
        UNIQUE (source, as_of, content_hash)
    );
    CREATE TABLE records (
        source VARCHAR NOT NULL,
        record_hash BIGINT NOT NULL,
        source_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        programs VARCHAR[] NOT NULL,
        aliases VARCHAR[] NOT NULL,
        birth_dates VARCHAR[] NOT NULL,
        identifiers VARCHAR[] NOT NULL,
        linked_to VARCHAR[] NOT NULL,
        countries VARCHAR[] NOT NULL,
        title VARCHAR,
        content JSON NOT NULL,             -- the whole record, as read
        PRIMARY KEY (source, record_hash)
    );
    CREATE TABLE documents (
        document_id INTEGER PRIMARY KEY,
        source VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL UNIQUE,
        imported_at TIMESTAMP NOT NULL,
        actions INTEGER NOT NULL
    );
    CREATE TABLE actions (
        document_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        document VARCHAR NOT NULL,
        action_date DATE NOT NULL,
        action VARCHAR NOT NULL,
        tags VARCHAR[] NOT NULL,
        source_id VARCHAR,                 -- as the document gives it (advanced XML)
        name VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        content JSON NOT NULL,
        text VARCHAR NOT NULL,
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE events (
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        program VARCHAR NOT NULL,
        tag VARCHAR NOT NULL,
        event_type VARCHAR NOT NULL,
        not_before DATE,
        not_after DATE NOT NULL,
        snapshot_before INTEGER,
        snapshot_after INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        record_hash BIGINT
    );
    CREATE TABLE action_links (
        document_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        source_id VARCHAR,
        method VARCHAR NOT NULL,           -- how it was linked, or why not
        PRIMARY KEY (document_id, seq)
    );
    CREATE TABLE designations (
        jurisdiction VARCHAR NOT NULL,
        program VARCHAR NOT NULL,
        tag VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        listed_on DATE,
        listed_not_before DATE,
        listed_not_after DATE,
        date_quality VARCHAR NOT NULL,     -- exact | bracket | baseline | text_only
        date_source VARCHAR NOT NULL,
        delisted_on DATE,
        delisted_not_before DATE,
        delisted_quality VARCHAR,
        delisted_source VARCHAR,
        linked_to VARCHAR[],
        title VARCHAR,
        countries VARCHAR[],
        aliases VARCHAR[],
        record_hash BIGINT
    );
    CREATE TABLE date_conflicts (
        source VARCHAR, source_id VARCHAR, program VARCHAR, kind VARCHAR,
        dates VARCHAR, documents VARCHAR, note VARCHAR
    );
    """,
    # 2: indexes for the listings the CLI and the web filter by program
    """
    CREATE INDEX designations_program ON designations (program);
    CREATE INDEX events_program ON events (program);
    """,
    # 3: the listing date a source states for each program of a record (UK "Listed On",
    # Canadian DateOfListing, EU designationDate, OFAC advanced XML entry events), as
    # {tag: date}. Records stored before have none: they came from sdn.csv, which states
    # no dates.
    """
    ALTER TABLE records ADD COLUMN stated_dates JSON;
    """,
    # 4: official texts (press releases, Federal Register notices): the text verbatim with
    # its address and date, and the facts read from each designee's passage, each with
    # the sentence and span that show it. Designees are also stored as dated actions, so
    # they are linked to list entries and date them like the other official documents.
    """
    CREATE TABLE texts (
        document_id INTEGER PRIMARY KEY,
        kind VARCHAR NOT NULL,             -- press_release | federal_register
        url VARCHAR,
        title VARCHAR,
        published DATE NOT NULL,
        content VARCHAR NOT NULL           -- the file as read, verbatim
    );
    CREATE TABLE facts (
        document_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,              -- the designee: the action of the same seq
        kind VARCHAR NOT NULL,             -- basis | abuse | corruption | victim | role
        label VARCHAR NOT NULL,
        coarse VARCHAR,                    -- basis only: human_rights | corruption | ties | unknown
        section VARCHAR,                   -- basis only: E.O. 13818 section
        sentence VARCHAR NOT NULL,
        start_at INTEGER NOT NULL,
        end_at INTEGER NOT NULL,
        matched VARCHAR NOT NULL
    );
    """,
    # 5: persons across lists. match_judgements is kept by the user (magnitsky match
    # review) and never derived: no build deletes it; a judgement names its two listings
    # by (source, source_id), the pair ordered. match_pairs and persons are derived
    # (matching/persons.py): every pair scored automatic or possible with its evidence,
    # and each listing's person.
    """
    CREATE TABLE match_judgements (
        left_source VARCHAR NOT NULL,
        left_id VARCHAR NOT NULL,
        right_source VARCHAR NOT NULL,
        right_id VARCHAR NOT NULL,
        judgement VARCHAR NOT NULL,        -- confirmed | rejected
        decided_at TIMESTAMP NOT NULL,     -- UTC
        note VARCHAR,
        PRIMARY KEY (left_source, left_id, right_source, right_id)
    );
    CREATE TABLE match_pairs (
        left_source VARCHAR NOT NULL,
        left_id VARCHAR NOT NULL,
        right_source VARCHAR NOT NULL,
        right_id VARCHAR NOT NULL,
        matcher VARCHAR NOT NULL,
        score DOUBLE NOT NULL,
        status VARCHAR NOT NULL,           -- automatic | possible | no_match
        primary_score DOUBLE,              -- the listings' own names aligned, aliases aside
        evidence JSON NOT NULL             -- [{feature, weight, value, evidence}]
    );
    CREATE TABLE persons (
        person_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        match_score DOUBLE,
        match_status VARCHAR NOT NULL,     -- automatic | confirmed | possible | single
        PRIMARY KEY (source, source_id)
    );
    """,
    # 6: durable person addresses. A person keeps their id across rebuilds
    # (matching/persons.py); an id that no longer names a person (merged into another)
    # maps to the person who now holds its listings. Kept, never derived from scratch.
    """
    CREATE TABLE person_redirects (
        old_id VARCHAR PRIMARY KEY,
        person_id VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL     -- UTC
    );
    """,
    # 7: a snapshot's members stored as its changes to an earlier snapshot of the same
    # list (members_base): members then holds the record hashes it adds, members_gone
    # those it drops (history/snapshots.py, StoredMembers). A history of thousands of
    # versions costs its changes, not thousands of copies of the list.
    """
    ALTER TABLE snapshots ADD COLUMN members_base INTEGER;
    ALTER TABLE snapshots ADD COLUMN members_gone BLOB;
    """,
    # 8: the containers a build read whole (a git bundle of a list's history), by the
    # hash of their content: a build skips one it has read, without cloning it again.
    """
    CREATE TABLE inputs_read (
        content_hash VARCHAR PRIMARY KEY,  -- sha256 of the file
        kind VARCHAR NOT NULL,             -- git-bundle
        path VARCHAR NOT NULL,
        read_at TIMESTAMP NOT NULL         -- UTC
    );
    """,
    # 9: what the matcher read of each listing when it last matched it (a hash): the
    # next matching scores only the listings that are new or changed (matching/persons.py).
    """
    CREATE TABLE match_listings (
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        fingerprint VARCHAR NOT NULL,
        PRIMARY KEY (source, source_id)
    );
    """,
    # 10: what the search box reads, kept at build time (search.py, remember_names): each
    # listing's names read into tokens, keyed by the names themselves (schema, then the
    # name and aliases joined by U+001F), the tokens' Metaphone keys, and each country
    # text of the lists with its code. A cache: a key missing here is read when the
    # index is built.
    """
    CREATE TABLE search_forms (
        key VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        original VARCHAR NOT NULL,
        texts VARCHAR NOT NULL,            -- the tokens, joined by U+001F
        PRIMARY KEY (key, seq)
    );
    CREATE TABLE search_tokens (text VARCHAR PRIMARY KEY, phonetic VARCHAR);
    CREATE TABLE search_countries (text VARCHAR PRIMARY KEY, code VARCHAR);
    -- the analysis of the Magnitsky-style designations (analysis/stored.py): what it adds
    -- to each row, for the code and rules of one fingerprint; the web reads it at start
    CREATE TABLE analysed_designations (
        source VARCHAR NOT NULL,
        source_id VARCHAR NOT NULL,
        program VARCHAR NOT NULL,
        listed_not_before DATE,
        listed_not_after DATE,
        fingerprint VARCHAR NOT NULL,
        fields JSON NOT NULL
    );
    """,
    # 11: the years a complete change archive closes inside a designation's listing bracket
    # (history/closed_years.py): the listing lies in [listed_not_before, listed_not_after]
    # but in none of these calendar years.
    """
    ALTER TABLE designations ADD COLUMN listed_not_in INTEGER[];
    """,
]
