"""The history importer's line diff: only the lines that differ between two versions of
sdn.csv are split and parsed, so its answer must be exactly the multiset difference of
the two versions' lines, wherever the changes fall."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from magnitsky.history import snapshots as snaps
from magnitsky.readers import ofac_csv


def _body(lines: list[bytes]) -> ofac_csv.Body:
    return ofac_csv.entry_body(b"\n".join(lines) + b"\n\x1a", "test")


def _expected(old: list[bytes], new: list[bytes]) -> tuple[Counter[bytes], Counter[bytes]]:
    went, came = Counter(old), Counter(new)
    went.subtract(Counter(new))
    came.subtract(Counter(old))
    return +went, +came


def _line(n: int, extra: str = "") -> bytes:
    return (
        f'{n},"NAME {n}{extra}",individual,"GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        f'"DOB 01 Jan 19{n % 90 + 10}."'
    ).encode()


def _diff(old: list[bytes], new: list[bytes]) -> tuple[Counter[bytes], Counter[bytes]]:
    went, came = snaps._changed_lines(_body(old), _body(new))
    return Counter(went), Counter(came)


def test_changes_at_both_ends_and_between_are_all_found() -> None:
    old = [_line(n) for n in range(1, 400)]
    new = list(old)
    new[0] = _line(1, " CHANGED")  # first line
    new[150] = _line(151, " CHANGED")  # in the middle
    del new[300:305]  # five lines gone
    new.insert(200, _line(1000))  # one came
    new[-1] = _line(399, " CHANGED")  # last line
    new.append(_line(2000))
    assert _diff(old, new) == _expected(old, new)
    assert len(_diff(old, new)[0]) == 3 + 5


def test_random_edits_give_exactly_the_lines_that_went_and_came() -> None:
    rng = random.Random(14)
    for _ in range(200):
        old = [_line(n) for n in range(1, rng.randint(2, 120))]
        new = list(old)
        for _ in range(rng.randint(0, 6)):
            at = rng.randrange(len(new) + 1)
            kind = rng.choice(["change", "insert", "delete", "move", "twice"])
            if kind == "insert" or not new:
                new.insert(at, _line(rng.randint(1, 5000)))
            elif kind == "delete" and len(new) > 1:
                del new[min(at, len(new) - 1)]
            elif kind == "move":
                new.insert(at, new.pop(rng.randrange(len(new))))
            elif kind == "twice":  # the same line twice (a damaged file): counted
                new.insert(at, new[rng.randrange(len(new))])
            else:
                i = min(at, len(new) - 1)
                new[i] = new[i] + b" x"
        assert _diff(old, new) == _expected(old, new), (old, new)
        assert _diff(new, old) == _expected(new, old), (new, old)


def test_a_line_that_only_grows_at_the_end_is_a_change() -> None:
    old = [_line(1), _line(2), _line(3)]
    new = [_line(1), _line(2), _line(3) + b" MORE"]
    assert _diff(old, new) == _expected(old, new)
    new = [_line(1), _line(2), _line(3), _line(4)]
    assert _diff(old, new) == _expected(old, new)
    assert _diff(new, old) == _expected(new, old)


def test_importing_versions_in_step_gives_the_members_of_reading_each_whole(
    tmp_path: Path,
) -> None:
    """The members derived from diffs, version after version, are those of each version
    read on its own."""
    from magnitsky.store import open_store

    rng = random.Random(7)
    lines = [_line(n) for n in range(1, 60)]
    versions = []
    for _ in range(12):
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(lines))
            lines[at] = lines[at] + b" v"
        lines.insert(rng.randrange(len(lines)), _line(rng.randint(100, 999)))
        lines = list(dict.fromkeys(lines))
        ids = [x.split(b",", 1)[0] for x in lines]
        lines = [x for x, i in zip(lines, ids, strict=True) if ids.count(i) == 1]
        versions.append(list(lines))
    with open_store(tmp_path / "s.duckdb") as store:
        reader = snaps.SnapshotReader(store, "us-ofac-sdn")
        alone = snaps.SnapshotReader(store, "us-ofac-sdn")
        for n, version in enumerate(versions):
            path = tmp_path / f"sdn_2024-01-{n + 1:02d}.csv"
            path.write_bytes(b"\r\n".join(version) + b"\r\n")
            snap = snaps.file_snapshot(path)
            alone.previous = None
            assert sorted(reader.members(snap)) == sorted(alone.members(snap))


def test_stored_members_are_the_same_in_any_order_of_reading(tmp_path: Path) -> None:
    """Members stored as chains of changes (a whole snapshot every few) read back the
    same oldest first, newest first (each chain met from its end) and in any order."""
    from magnitsky.store import open_store

    rng = random.Random(11)
    lines = [_line(n) for n in range(1, 40)]
    inputs = []
    for n in range(3 * snaps._CHAIN + 5):
        at = rng.randrange(len(lines))
        lines[at] = lines[at] + b" v"
        if rng.random() < 0.5:
            lines.pop(rng.randrange(len(lines)))
        lines.append(_line(1000 + n))
        path = tmp_path / f"sdn_2024-{1 + n // 28:02d}-{1 + n % 28:02d}.csv"
        path.write_bytes(b"\r\n".join(lines) + b"\r\n")
        inputs.append(snaps.file_snapshot(path))
    with open_store(tmp_path / "s.duckdb") as store:
        reader = snaps.SnapshotReader(store, "us-ofac-sdn")
        expected = [sorted(reader.members(snap)) for snap in inputs]
        added = snaps.store_snapshots(store, inputs).added
        bases = store.rows("SELECT count(*) FROM snapshots WHERE members_base IS NULL")
        assert 1 < bases[0][0] < len(inputs)  # chains, more than one
        orders = [added, added[::-1], rng.sample(added, len(added))]
        for order in orders:
            found = snaps.StoredMembers(store, keep=4).of(order)
            by_id = {sid: arr.tolist() for sid, arr in zip(order, found, strict=True)}
            assert [by_id[sid] for sid in added] == expected
