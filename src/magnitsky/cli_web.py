"""``magnitsky serve``: the web pages and the JSON API over the store, with uvicorn.

Registered in :mod:`magnitsky.cli` with ``cli.add_command(serve)``; the web package is
imported only when the command runs (it imports the CLI's column names)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

import click

from magnitsky import settings


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: any free port; read it back from the
    socket)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP: asyncio turns Nagle off only on sockets that say they are TCP; with it
    # on, a keep-alive client waits 40 ms (a delayed ACK) for every answer.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(
    db: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] | None = None,
    access_log: bool = False,
) -> None:
    """Serve the store ``db`` until interrupted; ``ready`` gets the address once bound."""
    import uvicorn

    from magnitsky.web.app import create_app

    app = create_app(db)
    sock = listening_socket(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    if ready:
        ready(f"http://{shown}:{bound}/")
    config = uvicorn.Config(
        app,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        server_header=False,
        proxy_headers=False,
    )
    uvicorn.Server(config).run(sockets=[sock])


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port, printed).",
)
@click.option("--access-log", is_flag=True, help="Log every request.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, access_log: bool) -> None:
    """Browse the store in a web browser, and serve it as a JSON API (docs at /docs).

    Read-only: writing (judging a cross-list match) needs MAGNITSKY_WEB_TOKEN set and
    the header 'Authorization: Bearer <token>'. The store stays open while the server
    runs: stop it before building into the same file."""
    from magnitsky.store import StoreError

    db = Path(getattr(ctx.obj, "db", None) or settings.load().db)
    if not db.exists():
        raise click.ClickException(f"{db}: no store here yet; run 'magnitsky build DATA_DIR' first")
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: the server is reachable from other machines",
            err=True,
        )

    def say(address: str) -> None:
        click.echo(f"serving {db} at {address} (Ctrl-C stops)", err=True)

    try:
        run(db, host, port, say, access_log)
    except (StoreError, ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
