"""Every setting is one environment variable with a default, read here and only here.

The command line and (later) the web server read the same settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
    db: Path
    """MAGNITSKY_DB: the store file."""
    data: Path | None
    """MAGNITSKY_DATA: a folder laid out like ../shared/data; the main job builds from it
    instead of downloading."""
    archive: Path
    """MAGNITSKY_ARCHIVE: where `magnitsky fetch` keeps the dated downloads."""
    ofac_base_url: str
    """MAGNITSKY_OFAC_URL: base URL of OFAC's list files (sdn.csv, sdn_advanced.xml …)."""
    max_loss: float
    """MAGNITSKY_MAX_LOSS: share of entries a snapshot may lose against the previous
    accepted one before it is rejected as implausible (a truncated download)."""
    http_timeout: float
    """MAGNITSKY_HTTP_TIMEOUT: seconds before a download is abandoned."""
    recommendations_db: Path | None = None
    """MAGNITSKY_RECOMMENDATIONS_DB: a store file of their own for the civil-society
    recommendations (default: their own tables in the main store)."""


def load() -> Settings:
    data = os.environ.get("MAGNITSKY_DATA", "").strip()
    recommendations = os.environ.get("MAGNITSKY_RECOMMENDATIONS_DB", "").strip()
    return Settings(
        db=Path(_env("MAGNITSKY_DB", "magnitsky.duckdb")),
        data=Path(data) if data else None,
        archive=Path(_env("MAGNITSKY_ARCHIVE", "archive")),
        ofac_base_url=_env(
            "MAGNITSKY_OFAC_URL",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports",
        ),
        max_loss=float(_env("MAGNITSKY_MAX_LOSS", "0.2")),
        http_timeout=float(_env("MAGNITSKY_HTTP_TIMEOUT", "60")),
        recommendations_db=Path(recommendations) if recommendations else None,
    )
