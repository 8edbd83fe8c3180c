"""Reading a bundle's versions straight from its pack gives exactly what git gives on a
clone (the real US history, and small histories made here with git), and leaves to git
every bundle it does not read itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from magnitsky.history import gitpack
from magnitsky.history import snapshots as snaps


def _fields(inputs: list[snaps.SnapshotInput]) -> list[tuple[object, ...]]:
    return [(s.source, s.as_of, s.origin, s.data, s.format, s.known_hash) for s in inputs]


def test_the_real_bundle_reads_as_git_reads_it(shared_data: Path) -> None:
    bundle = shared_data / "us" / "ofac" / "sdn-csv-history.bundle"
    assert gitpack.Bundle(bundle, "sdn.csv").history  # read from the pack, not by git
    ours = _fields(list(snaps.git_snapshots(bundle, "sdn.csv")))
    assert len(ours) > 300
    assert ours == _fields(list(snaps.through_git(bundle, "sdn.csv")))


def _git(repo: Path, *args: str, stamp: int = 1_600_000_000) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@localhost",
        "GIT_COMMITTER_NAME": "t <odd> name",
        "GIT_COMMITTER_EMAIL": "t@localhost",
        "GIT_AUTHOR_DATE": f"{stamp} +0000",
        "GIT_COMMITTER_DATE": f"{stamp} +0200",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def _commit(repo: Path, files: dict[str, bytes | None], stamp: int, message: str = "v") -> None:
    for name, data in files.items():
        path = repo / name
        if data is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", message, stamp=stamp)


def _version(n: int, lines: int = 400) -> bytes:
    """A CSV whose consecutive versions share most lines (so that git deltifies them)."""
    rows = [f'{i},"NAME {i}","individual","PROG-{i % 7}",-0- ' for i in range(lines)]
    rows[n % lines] = f'{n % lines},"NAME {n % lines} CHANGED {n}","individual","X",-0- '
    rows += [f'{lines + k},"NEW {k}","entity","Y",-0- ' for k in range(n)]
    return ("\r\n".join(rows) + "\r\n").encode()


@pytest.fixture()
def history(tmp_path: Path) -> Path:
    """A linear history with what a log of one file must get right: versions that
    change, a commit that leaves the file as it was, a commit that deletes it and one
    that brings it back, a version identical to an older one, a file added later."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, {"other.txt": b"before the file"}, 1_500_000_000)
    stamp = 1_500_100_000
    for n in range(12):
        _commit(repo, {"sdn.csv": _version(n)}, stamp + n * 3600)
    _commit(repo, {"other.txt": b"only this"}, stamp + 20 * 3600)
    _commit(repo, {"sdn.csv": None}, stamp + 21 * 3600)
    _commit(repo, {"sdn.csv": _version(3)}, stamp + 22 * 3600)
    _commit(repo, {"sdn.csv": b""}, stamp + 23 * 3600)
    _git(repo, "repack", "-adq", "--depth=50", "--window=50")
    return repo


def _bundle(repo: Path, name: str, *refs: str) -> Path:
    path = repo.parent / name
    _git(repo, "bundle", "create", "-q", str(path), *(refs or ("--all",)))
    return path


def test_a_linear_history_reads_from_the_pack_as_git_reads_it(history: Path) -> None:
    bundle = _bundle(history, "plain.bundle")
    read = gitpack.Bundle(bundle, "sdn.csv")
    assert len(read.history) == 15  # 12 versions, deleted, back, emptied; not the others
    assert [v.blob is None for v in read.history].count(True) == 1
    ours = list(snaps.git_snapshots(bundle, "sdn.csv"))
    assert _fields(ours) == _fields(list(snaps.through_git(bundle, "sdn.csv")))
    assert ours[-1].data == b"" and ours[-2].data == _version(3)


@pytest.mark.parametrize("case", ["merge", "two branches", "prerequisites", "below the top"])
def test_what_the_pack_reader_leaves_to_git_reads_as_before(history: Path, case: str) -> None:
    file_path = "sdn.csv"
    refs: tuple[str, ...] = ()
    if case in ("merge", "two branches"):
        _git(history, "checkout", "-q", "-b", "side", "HEAD~3")
        _commit(history, {"sdn.csv": _version(40)}, 1_500_300_000)
        _git(history, "checkout", "-q", "main")
        if case == "merge":
            _git(history, "merge", "-q", "-s", "ours", "-m", "m", "side", stamp=1_500_400_000)
            _git(history, "branch", "-q", "-D", "side")
    elif case == "prerequisites":
        refs = ("HEAD~4..main",)
    else:
        _commit(history, {"lists/sdn.csv": _version(5)}, 1_500_500_000)
        _commit(history, {"lists/sdn.csv": _version(6)}, 1_500_600_000)
        file_path = "lists/sdn.csv"
    bundle = _bundle(history, "odd.bundle", *refs)
    if case != "prerequisites":  # a thin bundle cannot even be cloned
        with pytest.raises(gitpack.Unsupported):
            gitpack.Bundle(bundle, file_path)
        ours = list(snaps.git_snapshots(bundle, file_path))
        assert ours and _fields(ours) == _fields(list(snaps.through_git(bundle, file_path)))
    else:
        with pytest.raises(gitpack.Unsupported, match="prerequisites"):
            gitpack.Bundle(bundle, file_path)


@pytest.mark.parametrize(
    "content",
    [b"ent_num,name\n1,A\n", b"# v2 git bundle\nnot a pack at all", b"# v2 git bundle\n\nPACK\0"],
)
def test_a_file_that_is_no_bundle_fails_as_git_says(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.bundle"
    path.write_bytes(content)
    with pytest.raises(snaps.ReaderError) as by_git:
        list(snaps.through_git(path, "sdn.csv"))
    with pytest.raises(snaps.ReaderError) as ours:
        list(snaps.git_snapshots(path, "sdn.csv"))
    assert str(ours.value) == str(by_git.value)
    if not content.startswith(b"#"):
        assert "not a git bundle or repository" in str(ours.value)


def test_differences_of_two_versions_are_those_of_missing_from() -> None:
    rng = np.random.default_rng(7)
    for size, gone, came in [(5000, 40, 35), (50, 50, 3), (1, 1, 0), (300, 0, 0), (9, 0, 400)]:
        old = np.unique(rng.integers(-(2**63), 2**63 - 1, size, dtype=np.int64))
        kept = np.delete(old, rng.choice(len(old), min(gone, len(old)), replace=False))
        new = snaps.sorted_hashes(np.concatenate((kept, rng.integers(-(2**40), 2**40, came))))
        went, added = snaps.differences(old, new)
        assert went.tolist() == snaps.missing_from(old, new).tolist()
        assert added.tolist() == snaps.missing_from(new, old).tolist()
        assert len(went) == min(gone, len(old)) and len(added) == len(new) - len(kept)
    empty = np.empty(0, dtype=np.int64)
    some = np.array([1, 5, 9], dtype=np.int64)
    for old, new in [(empty, some), (some, empty), (empty, empty)]:
        went, added = snaps.differences(old, new)
        assert (went.tolist(), added.tolist()) == (old.tolist(), new.tolist())
