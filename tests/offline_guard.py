"""The tests' network guard: any connection or name lookup beyond this machine fails at once.

The test process installs it per test (conftest's ``no_network``); every Python subprocess the
tests start (the Streamlit server, the CLI, ``bash dashboard/run.sh`` and the pip it runs) loads
it through ``tests/offline/sitecustomize.py``, which the session puts first on ``PYTHONPATH``
and which installs it when ``GEODATA_OFFLINE_GUARD=1``. Loopback stays open: the browser talks
to the local server.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable, Iterator
from typing import Any

ENV = "GEODATA_OFFLINE_GUARD"
MESSAGE = "network access blocked in tests"

#: The functions the guard wraps, as they were. The guard calls them through this dict, looked up
#: at call time, so a test can swap one for a tripwire and prove nothing gets through.
REAL: dict[str, Callable[..., Any]] = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "create_connection": socket.create_connection,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "gethostbyaddr": socket.gethostbyaddr,
}


def is_local(host: object) -> bool:
    """Whether ``host`` names this machine: loopback, ``localhost``, or no host at all (a bind)."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip().rstrip(".").lower()
    if name in ("", "localhost") or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _check_address(sock: socket.socket, address: object) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # Unix sockets, netlink: never leave the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_local(host):
        raise OSError(errno.ENETUNREACH, f"{MESSAGE}: connect to {address!r}")


def _check_name(host: object) -> None:
    if not is_local(host):
        raise socket.gaierror(socket.EAI_NONAME, f"{MESSAGE}: look up {host!r}")


def connect(self: socket.socket, address: Any) -> None:
    _check_address(self, address)
    REAL["connect"](self, address)


def connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(self, address)
    return int(REAL["connect_ex"](self, address))


def create_connection(address: tuple[str | None, int], *args: Any, **kwargs: Any) -> socket.socket:
    if not is_local(address[0]):
        raise OSError(errno.ENETUNREACH, f"{MESSAGE}: connect to {address!r}")
    sock: socket.socket = REAL["create_connection"](address, *args, **kwargs)
    return sock


def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    _check_name(host)
    return REAL["getaddrinfo"](host, *args, **kwargs)


def gethostbyname(host: str) -> str:
    _check_name(host)
    return str(REAL["gethostbyname"](host))


def gethostbyname_ex(host: str) -> Any:
    _check_name(host)
    return REAL["gethostbyname_ex"](host)


def gethostbyaddr(host: str) -> Any:
    _check_name(host)
    return REAL["gethostbyaddr"](host)


def replacements() -> Iterator[tuple[object, str, Callable[..., Any]]]:
    """(owner, attribute, guard) for each function the guard replaces."""
    yield socket.socket, "connect", connect
    yield socket.socket, "connect_ex", connect_ex
    for name, guard in (
        ("create_connection", create_connection),
        ("getaddrinfo", getaddrinfo),
        ("gethostbyname", gethostbyname),
        ("gethostbyname_ex", gethostbyname_ex),
        ("gethostbyaddr", gethostbyaddr),
    ):
        yield socket, name, guard


def install() -> None:
    """Guard this process for good (a subprocess's whole life)."""
    for owner, name, guard in replacements():
        setattr(owner, name, guard)


def installed() -> bool:
    """Whether this process is guarded."""
    return socket.socket.connect is connect and socket.getaddrinfo is getaddrinfo
