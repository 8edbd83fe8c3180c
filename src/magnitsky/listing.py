"""The common listing record every reader yields, whatever the official format."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

Schema = Literal["Person", "Organization", "Vessel", "Airplane"]
SCHEMAS: tuple[Schema, ...] = ("Person", "Organization", "Vessel", "Airplane")


@dataclass(frozen=True)
class Listing:
    """One entry of one official list, as that list states it.

    `programs` hold the raw tags of the source (``GLOMAG``, ``SDGT``); the program keys of
    the analysis (``US-GLOMAG``) come from :mod:`magnitsky.programs`.
    """

    source: str
    source_id: str
    name: str
    schema: Schema
    programs: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    title: str | None = None
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    linked_to: tuple[str, ...] = ()
    remarks: str | None = None
    listed_on: date | None = None
    """Listing date, where the format itself states one (advanced XML, UK, EU …)."""
    extra: tuple[tuple[str, str], ...] = field(default=())

    def content(self) -> dict[str, Any]:
        """The fields that make a change of this entry an amendment (JSON-able)."""
        data = {name: getattr(self, name) for name in _FIELDS}
        data["listed_on"] = self.listed_on.isoformat() if self.listed_on else None
        return data

    def content_hash(self) -> str:
        blob = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()

    @classmethod
    def from_content(cls, data: dict[str, Any]) -> Listing:
        values = dict(data)
        for key, value in values.items():
            if isinstance(value, list):
                values[key] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        if values.get("listed_on"):
            values["listed_on"] = date.fromisoformat(values["listed_on"])
        return cls(**values)


_FIELDS = tuple(f.name for f in fields(Listing))
"""The fields of a listing, in their order (``dataclasses.fields`` builds them anew on
every call: a tenth of storing a history's records)."""


class ReaderError(ValueError):
    """A file could not be read as the format it claims to be. The message names the file."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
