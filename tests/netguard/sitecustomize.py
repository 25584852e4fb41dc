"""Network guard for every Python process the tests start (kernels, Voila, the CLI).

pytest-socket guards the test process itself; notebooks run in separate kernel processes,
so this file is put on PYTHONPATH by tests/conftest.py and Python imports it at start-up in
each child. Any connection to an address outside the loopback range is refused and logged
to the file named by TOOLKIT_NETGUARD_LOG; the suite fails if that log is not empty.
"""

import ipaddress
import os
import socket

_LOG = os.environ.get("TOOLKIT_NETGUARD_LOG")


def _loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:  # a host name: allowed only if it resolves to loopback, without asking DNS
            return host in ("localhost", "localhost.localdomain", "ip6-localhost")
        except Exception:  # noqa: BLE001
            return False


def _refuse(address) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {address!r}\n")
    raise OSError(f"network access is disabled in the toolkit's tests (tried {address!r})")


if _LOG:
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex

    def connect(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
            _refuse(address)
        return _connect(self, address)

    def connect_ex(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
            _refuse(address)
        return _connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
