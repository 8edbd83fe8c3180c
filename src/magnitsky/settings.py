"""Every setting is one environment variable with a default, read here and only here.

The command line and (later) the web server read the same settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# One base URL per host `magnitsky fetch` talks to: host key -> (environment variable,
# default). The source declarations (data/sources/…toml, [fetch]) name the host key; a
# URL found on a page (a press-release link, the Federal Register API's document URLs)
# under a default base is re-based onto the configured one, so pointing one variable at a
# mirror (or a test server) covers every URL of that host. An empty default means "only
# when a user points at an archive of it" (OFSI's closed list, the EU annex transcription).
HOSTS: dict[str, tuple[str, str]] = {
    "ofac-sls": (
        "MAGNITSKY_OFAC_URL",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports",
    ),
    "ofac-site": ("MAGNITSKY_OFAC_SITE_URL", "https://ofac.treasury.gov"),
    "ofac-downloads": ("MAGNITSKY_OFAC_DOWNLOADS_URL", "https://www.treasury.gov/ofac/downloads"),
    "treasury": ("MAGNITSKY_TREASURY_URL", "https://home.treasury.gov"),
    "federal-register": ("MAGNITSKY_FEDERAL_REGISTER_URL", "https://www.federalregister.gov"),
    "fcdo": ("MAGNITSKY_FCDO_URL", "https://sanctionslist.fcdo.gov.uk/docs"),
    "ofsi": ("MAGNITSKY_OFSI_URL", ""),
    "canada": (
        "MAGNITSKY_CANADA_URL",
        "https://www.international.gc.ca/world-monde/assets/office_docs/"
        "international_relations-relations_internationales/sanctions",
    ),
    "dfat": ("MAGNITSKY_DFAT_URL", "https://www.dfat.gov.au/sites/default/files"),
    "eu-fsf": ("MAGNITSKY_EU_FSF_URL", "https://webgate.ec.europa.eu/fsd/fsf/public/files"),
    "eu-annex": ("MAGNITSKY_EU_ANNEX_URL", ""),
}
# The token the EU's public FSF download URL carries (published on the FSF page).
EU_FSF_TOKEN = "dG9rZW4tMjAxNw"


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
    urls: Mapping[str, str] = field(default_factory=dict)
    """The base URL of each host of :data:`HOSTS` (MAGNITSKY_OFAC_SITE_URL …); a host not
    given here takes its default."""
    eu_fsf_token: str = EU_FSF_TOKEN
    """MAGNITSKY_EU_FSF_TOKEN: the token of the EU FSF download URL."""
    host_interval: float = 1.0
    """MAGNITSKY_FETCH_INTERVAL: seconds between two requests to one host (rate limit)."""
    retries: int = 3
    """MAGNITSKY_FETCH_RETRIES: further tries after a 5xx, 429 or failed connection."""
    backoff: float = 2.0
    """MAGNITSKY_FETCH_BACKOFF: seconds before the first retry, doubled for each next."""

    def url(self, host: str) -> str:
        """The base URL of a host ("" when it has none: nothing to fetch there)."""
        if host == "ofac-sls":
            return self.ofac_base_url.rstrip("/")
        if host in self.urls:
            return self.urls[host].rstrip("/")
        return HOSTS[host][1].rstrip("/")

    def rebase(self, url: str) -> str:
        """A URL under a host's default base, moved onto the configured base."""
        for host, (_variable, default) in HOSTS.items():
            if default and url.startswith(default.rstrip("/")) and self.url(host):
                return self.url(host) + url[len(default.rstrip("/")) :]
        return url


def load() -> Settings:
    data = os.environ.get("MAGNITSKY_DATA", "").strip()
    recommendations = os.environ.get("MAGNITSKY_RECOMMENDATIONS_DB", "").strip()
    return Settings(
        db=Path(_env("MAGNITSKY_DB", "magnitsky.duckdb")),
        data=Path(data) if data else None,
        archive=Path(_env("MAGNITSKY_ARCHIVE", "archive")),
        ofac_base_url=_env("MAGNITSKY_OFAC_URL", HOSTS["ofac-sls"][1]),
        max_loss=float(_env("MAGNITSKY_MAX_LOSS", "0.2")),
        http_timeout=float(_env("MAGNITSKY_HTTP_TIMEOUT", "60")),
        recommendations_db=Path(recommendations) if recommendations else None,
        urls={
            host: _env(variable, default)
            for host, (variable, default) in HOSTS.items()
            if host != "ofac-sls"
        },
        eu_fsf_token=_env("MAGNITSKY_EU_FSF_TOKEN", EU_FSF_TOKEN),
        host_interval=float(_env("MAGNITSKY_FETCH_INTERVAL", "1.0")),
        retries=int(_env("MAGNITSKY_FETCH_RETRIES", "3")),
        backoff=float(_env("MAGNITSKY_FETCH_BACKOFF", "2.0")),
    )
