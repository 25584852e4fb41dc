"""The network guard itself: a child process cannot connect outside loopback.

The real connect is replaced by a recorder before the guard wraps it, so no packet can
leave the machine even if the guard were broken.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

GUARD = Path(__file__).resolve().parent / "netguard"

CHILD = r"""
import json, socket, sys
calls = []
socket.socket.connect = lambda self, addr: calls.append(addr)
socket.socket.connect_ex = lambda self, addr: calls.append(addr) or 0
import importlib.util
spec = importlib.util.spec_from_file_location("guard", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
out = {}
for addr in [("192.0.2.1", 80), ("127.0.0.1", 9), ("::1", 9, 0, 0)]:
    fam = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.connect(addr)
        out[addr[0]] = "allowed"
    except OSError:
        out[addr[0]] = "refused"
    s.close()
print(json.dumps({"result": out, "reached": [a[0] for a in calls]}))
"""


def test_guard_refuses_outside_loopback_and_logs(tmp_path):
    log = tmp_path / "net.log"
    env = dict(os.environ, TOOLKIT_NETGUARD_LOG=str(log), PYTHONPATH="")
    res = subprocess.run([sys.executable, "-c", CHILD, str(GUARD / "sitecustomize.py")], capture_output=True, text=True, env=env, timeout=60)
    data = json.loads(res.stdout)
    assert data["result"] == {"192.0.2.1": "refused", "127.0.0.1": "allowed", "::1": "allowed"}
    assert "192.0.2.1" not in data["reached"]  # refused before the real connect
    assert "192.0.2.1" in log.read_text()


def test_children_get_the_guard():
    assert str(GUARD) in os.environ["PYTHONPATH"].split(os.pathsep)
    res = subprocess.run([sys.executable, "-c", "import sitecustomize, socket; print(sitecustomize.__file__)"], capture_output=True, text=True, timeout=60)
    assert "netguard" in res.stdout
