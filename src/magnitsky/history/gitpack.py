"""Reading a git bundle's versions of one file straight from its pack, without
``git clone``.

A clone of the US history's bundle runs ``git index-pack``, which inflates every version
(~900 MB of text for ~300 versions) and hashes each with git's collision-detecting SHA-1:
about two seconds before the first version can be read, and ``git cat-file`` inflates
them all again afterwards. Here the pack is read once in Python: commits and trees are
small and read whole; each version of the file is rebuilt from its delta base (copies of
byte ranges), hashed once with the ordinary SHA-1 to know its blob id, and rebuilt again,
oldest first, as the history is walked.

Only the plain case is read here: a bundle without prerequisites whose references all
name one commit of a linear history (no merges), holding the whole of it, the file at
the top of the tree. Anything else (:class:`Unsupported`) is left to ``git clone``, so
what :func:`versions` gives is always what ``git log --all -- FILE`` and ``git cat-file``
give on a clone.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


class Unsupported(Exception):
    """A bundle this reader leaves to git (the reason says why)."""


_COMMIT, _TREE, _BLOB, _TAG, _OFS_DELTA, _REF_DELTA = 1, 2, 3, 4, 6, 7
_NAMES = {_COMMIT: b"commit", _TREE: b"tree", _BLOB: b"blob", _TAG: b"tag"}
_REGULAR = (b"100644", b"100755")
_BITS = (1, 2, 4, 8, 16, 32, 64)
_CACHED = 16
"""Versions kept rebuilt while walking the history (~3 MB each for sdn.csv)."""
_HASHING = 6
"""Versions rebuilt ahead of their hashing (which runs on another thread: hashlib lets go
of the interpreter while it hashes)."""


@dataclass(frozen=True)
class Version:
    commit: str
    time: int
    """The commit's committer time (seconds since the epoch), as ``git log %ct``."""
    blob: str | None
    """The file's blob id; None in a commit that deleted it."""


class Pack:
    """The objects of a bundle's pack, by offset: base or delta, inflated."""

    def __init__(self, data: bytes, start: int) -> None:
        if data[start : start + 4] != b"PACK":
            raise Unsupported("no pack after the bundle's header")
        if int.from_bytes(data[start + 4 : start + 8], "big") not in (2, 3):
            raise Unsupported("pack version")
        count = int.from_bytes(data[start + 8 : start + 12], "big")
        self.kind: dict[int, int] = {}
        self.base: dict[int, int] = {}
        self.body: dict[int, bytes] = {}
        view = memoryview(data)
        pos = start + 12
        for _ in range(count):
            offset = pos - start
            byte = data[pos]
            pos += 1
            kind, size, shift = (byte >> 4) & 7, byte & 15, 4
            while byte & 0x80:
                byte = data[pos]
                pos += 1
                size |= (byte & 0x7F) << shift
                shift += 7
            if kind == _OFS_DELTA:
                byte = data[pos]
                pos += 1
                back = byte & 0x7F
                while byte & 0x80:
                    byte = data[pos]
                    pos += 1
                    back = ((back + 1) << 7) | (byte & 0x7F)
                self.base[offset] = offset - back
            elif kind not in _NAMES or kind == _TAG:
                raise Unsupported(f"object type {kind} in the pack")
            inflate = zlib.decompressobj()
            chunk = view[pos : pos + size + 1024]
            body = inflate.decompress(chunk)
            while not inflate.eof:
                if pos + len(chunk) >= len(data):
                    raise Unsupported("the pack ends inside an object")
                more = view[pos + len(chunk) : pos + len(chunk) + (1 << 20)]
                body += inflate.decompress(more)
                chunk = view[pos : pos + len(chunk) + len(more)]
            pos += len(chunk) - len(inflate.unused_data)
            if kind != _OFS_DELTA and len(body) != size:
                raise Unsupported("an object's size differs from its header")
            self.kind[offset] = kind
            self.body[offset] = body
        if any(base not in self.kind for base in self.base.values()):
            raise Unsupported("a delta against no object of the pack")
        self.type = {offset: self._type(offset) for offset in self.kind}

    def _type(self, offset: int) -> int:
        seen = 0
        while offset in self.base:
            offset = self.base[offset]
            seen += 1
            if seen > len(self.kind):
                raise Unsupported("a cycle of deltas")
        return self.kind[offset]

    def whole(self, offset: int) -> bytes:
        """An object that is no delta."""
        return self.body[offset]


def _varint(delta: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = delta[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


_COPY_BYTES = [
    [(bit >= 16, 8 * (bit.bit_length() - 1 - (4 if bit >= 16 else 0))) for bit in _BITS if op & bit]
    for op in range(256)
]
"""For a copy instruction's first byte: which bytes follow (of the start, of the length)
and their place in it."""


def apply_delta(base: bytes, delta: bytes) -> bytes:
    """git's delta format: the base's and the result's sizes, then copies of the base's
    byte ranges and inserted bytes (joined once: no copy of a copy)."""
    size, at = _varint(delta, 0)
    if size != len(base):
        raise Unsupported("a delta for a base of another size")
    size, at = _varint(delta, at)
    source = memoryview(base)
    parts: list[memoryview | bytes] = []
    end = len(delta)
    while at < end:
        op = delta[at]
        at += 1
        if op & 0x80:
            start = length = 0
            for in_length, shift in _COPY_BYTES[op]:
                if in_length:
                    length |= delta[at] << shift
                else:
                    start |= delta[at] << shift
                at += 1
            parts.append(source[start : start + (length or 0x10000)])
        elif op:
            parts.append(delta[at : at + op])
            at += op
        else:
            raise Unsupported("a delta with an empty instruction")
    out = b"".join(parts)
    if len(out) != size:
        raise Unsupported("a delta gives another size than it says")
    return out


def _git_hash(kind: int, data: bytes) -> str:
    digest = hashlib.sha1(b"%s %d\x00" % (_NAMES[kind], len(data)))
    digest.update(data)
    return digest.hexdigest()


def _header(data: bytes) -> tuple[list[str], int]:
    """The references' commits and where the pack starts."""
    first = data.find(b"\n")
    if data[: first + 1] != b"# v2 git bundle\n":
        raise Unsupported("not a version 2 bundle")
    pos = first + 1
    tips: list[str] = []
    while True:
        end = data.find(b"\n", pos)
        if end < 0:
            raise Unsupported("the bundle's header does not end")
        line = data[pos:end]
        pos = end + 1
        if not line:
            return tips, pos
        if line.startswith(b"-"):
            raise Unsupported("a bundle with prerequisites")
        tips.append(line.split(b" ", 1)[0].decode())


def _commit(body: bytes) -> tuple[str, list[str], int]:
    """A commit's tree, parents and committer time."""
    tree, parents, stamp = "", [], None
    for line in body.split(b"\n\n", 1)[0].split(b"\n"):
        if line.startswith(b"tree "):
            tree = line[5:].decode()
        elif line.startswith(b"parent "):
            parents.append(line[7:].decode())
        elif line.startswith(b"committer "):
            stamp = int(line.rsplit(b" ", 2)[1])
    if not tree or stamp is None:
        raise Unsupported("a commit without tree or committer")
    return tree, parents, stamp


def _entry(tree: bytes, name: bytes) -> tuple[bytes, str] | None:
    """The mode and object id of a tree's entry ``name``."""
    at = 0
    while at < len(tree):
        space = tree.index(b" ", at)
        nul = tree.index(b"\x00", space)
        if tree[space + 1 : nul] == name:
            return tree[at:space], tree[nul + 1 : nul + 21].hex()
        at = nul + 21
    return None


class Bundle:
    """A bundle read for the versions of one file."""

    def __init__(self, path: Path, file_path: str) -> None:
        if "/" in file_path or not file_path:
            raise Unsupported("a file below the top of the tree")
        data = path.read_bytes()
        tips, start = _header(data)
        if len(set(tips)) != 1:
            raise Unsupported("references to more than one commit")
        pack = Pack(data, start)
        del data
        self.pack = pack
        small = {
            _git_hash(pack.type[o], self._object(o, {})): o
            for o in pack.kind
            if pack.type[o] in (_COMMIT, _TREE)
        }
        self.history = self._history(tips[0], small, file_path.encode())
        self.blobs = self._blobs({v.blob for v in self.history if v.blob})

    def _object(self, offset: int, cache: dict[int, bytes]) -> bytes:
        found = cache.get(offset)
        if found is not None:
            return found
        chain = []
        at = offset
        while at in self.pack.base and at not in cache:
            chain.append(at)
            at = self.pack.base[at]
        data = cache[at] if at in cache else self.pack.whole(at)
        for at in reversed(chain):
            data = apply_delta(data, self.pack.body[at])
        return data

    def _history(self, tip: str, small: dict[str, int], name: bytes) -> list[Version]:
        """``git log --all --format='%H %ct' -- FILE`` of a linear history, oldest first."""
        newest_first = []
        commit: str | None = tip
        while commit is not None:
            offset = small.get(commit)
            if offset is None or self.pack.type[offset] != _COMMIT:
                raise Unsupported("a commit missing from the bundle")
            tree, parents, stamp = _commit(self._object(offset, {}))
            if len(parents) > 1:
                raise Unsupported("a merge")
            tree_at = small.get(tree)
            if tree_at is None or self.pack.type[tree_at] != _TREE:
                raise Unsupported("a tree missing from the bundle")
            entry = _entry(self._object(tree_at, {}), name)
            if entry is not None and entry[0] not in _REGULAR:
                raise Unsupported("the file is not a regular file in every commit")
            newest_first.append((commit, stamp, entry))
            commit = parents[0] if parents else None
        versions = []
        for n, (commit, stamp, entry) in enumerate(newest_first):
            before = newest_first[n + 1][2] if n + 1 < len(newest_first) else None
            if entry != before:  # TREESAME commits are not in the file's log
                versions.append(Version(commit, stamp, entry[1] if entry else None))
        return versions[::-1]

    def _blobs(self, wanted: set[str]) -> dict[str, int]:
        """Where each wanted blob lies in the pack: every blob rebuilt once, walking each
        delta tree from its base, and hashed (only the bases of deltas still to rebuild
        are held)."""
        pack = self.pack
        children: dict[int, list[int]] = {}
        for offset, base in pack.base.items():
            if pack.type[offset] == _BLOB:
                children.setdefault(base, []).append(offset)
        found: dict[str, int] = {}
        hashes: deque[tuple[int, Future[str]]] = deque()
        with ThreadPoolExecutor(2) as hashing:
            for offset, data in self._rebuilt(children):
                hashes.append((offset, hashing.submit(_git_hash, _BLOB, data)))
                del data
                while len(hashes) > _HASHING or (hashes and hashes[0][1].done()):
                    at, blob = hashes.popleft()
                    if blob.result() in wanted:
                        found.setdefault(blob.result(), at)
            for at, blob in hashes:
                if blob.result() in wanted:
                    found.setdefault(blob.result(), at)
        missing = wanted - set(found)
        if missing:
            raise Unsupported(f"{len(missing)} versions missing from the bundle")
        return found

    def _rebuilt(self, children: dict[int, list[int]]) -> Iterator[tuple[int, bytes]]:
        """Every blob of the pack, each delta tree walked from its base (only the bases of
        deltas still to rebuild are held)."""
        pack = self.pack
        for root in pack.kind:
            if pack.kind[root] != _BLOB:
                continue
            stack: list[tuple[int, bytes | None]] = [(root, None)]
            while stack:
                offset, base = stack.pop()
                data = pack.whole(offset) if base is None else apply_delta(base, pack.body[offset])
                del base
                yield offset, data
                stack += ((child, data) for child in children.get(offset, ()))
                del data

    def contents(self) -> Iterator[tuple[Version, bytes | None]]:
        """Each version with the file's content (None where it was deleted), oldest first;
        rebuilt versions kept for the next few."""
        cache: OrderedDict[int, bytes] = OrderedDict()
        for version in self.history:
            if version.blob is None:
                yield version, None
                continue
            offset = self.blobs[version.blob]
            chain = []
            at = offset
            while at not in cache and at in self.pack.base:
                chain.append(at)
                at = self.pack.base[at]
            data = cache[at] if at in cache else self.pack.whole(at)
            cache[at] = data
            cache.move_to_end(at)
            for at in reversed(chain):
                data = apply_delta(data, self.pack.body[at])
                cache[at] = data
                if len(cache) > _CACHED:
                    cache.popitem(last=False)
            yield version, data
