"""Loaded by the bot process under test: any connection outside 127.0.0.1 fails loudly."""

from __future__ import annotations

import ipaddress
import socket
import sys

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _local(host: object) -> bool:
    if host in (None, "localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _connect(self: socket.socket, address: object) -> None:
    if isinstance(address, tuple) and not _local(address[0]):
        print(f"OFFLINE GUARD: the bot tried to reach {address!r}", file=sys.stderr, flush=True)
        raise OSError(f"network access outside 127.0.0.1 is forbidden in tests: {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    if not _local(host):
        print(f"OFFLINE GUARD: the bot tried to resolve {host!r}", file=sys.stderr, flush=True)
        raise OSError(f"name resolution is forbidden in tests: {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.getaddrinfo = _getaddrinfo  # type: ignore[assignment]
