"""Shared pieces of the interop tests: real peers on 127.0.0.1, certificates made with openssl,
raw TCP servers that answer the opening handshake however a test wants, and a runner for
duplex-cli that keeps its exit code, output and timing.

Nothing here reaches beyond 127.0.0.1. A peer program that is missing is an error naming the
Debian package to install, never a silent skip.
"""

import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")
PYTHON = sys.executable
NODE_PATH = "/usr/share/nodejs"
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

# Where each program comes from, for the message when it is missing.
PACKAGES = {
    "node": "nodejs (and node-ws)",
    "tinyproxy": "tinyproxy",
    "danted": "dante-server",
    "openssl": "openssl",
}


def cli_path():
    path = os.environ.get("DUPLEX_CLI")
    if not path or not os.access(path, os.X_OK):
        raise AssertionError(
            f"DUPLEX_CLI must name the duplex-cli executable (got {path!r}); run these tests "
            "through ctest or run.py --cli PATH")
    return path


def require_program(name):
    """The path of a peer program, or an assertion naming the package that provides it."""
    for directory in (None, "/usr/sbin", "/usr/local/sbin"):
        path = shutil.which(name) if directory is None else os.path.join(directory, name)
        if path and os.access(path, os.X_OK):
            return path
    raise AssertionError(
        f"{name} is not installed: install the Debian package {PACKAGES.get(name, name)} "
        "(scripts/install-deps installs every peer the tests use)")


def require_python_websockets():
    try:
        import websockets  # noqa: F401 (only checking that it is there)
    except ImportError as error:
        raise AssertionError(
            f"{PYTHON} cannot import websockets ({error}): install the Debian package "
            "python3-websockets (scripts/install-deps does)") from error


def require_node_ws():
    node = require_program("node")
    check = subprocess.run([node, "-e", "require('ws')"], env=node_env(),
                           capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise AssertionError(
            "node cannot load the ws module: install the Debian package node-ws "
            f"(scripts/install-deps does). node said: {check.stderr.strip()[:300]}")
    return node


def node_env():
    env = dict(os.environ)
    env["NODE_PATH"] = os.pathsep.join(p for p in (env.get("NODE_PATH"), NODE_PATH) if p)
    return env


def free_port():
    """A port nothing listens on right now, for programs that cannot report the one they got."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=10.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the peer exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class LineProcess:
    """A child process whose stdout is collected line by line on a thread, so a test can wait
    for a line while the process runs. stderr goes to a log file in the test's directory."""

    def __init__(self, name, argv, workdir, env=None, binary=False):
        self.name = name
        self.argv = argv
        self.log_path = os.path.join(workdir, f"{name}.stderr.log")
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log,
                                        stdin=subprocess.DEVNULL, env=env)
        self.started = time.monotonic()
        self.lines = []
        self._binary = binary
        self._condition = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for raw in self.process.stdout:
            line = raw.rstrip(b"\n")
            with self._condition:
                self.lines.append(line if self._binary else line.decode("utf-8", "replace"))
                self._condition.notify_all()
        with self._condition:
            self._condition.notify_all()

    def wait_for_line(self, predicate, timeout=10.0, what="the expected line"):
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None
                                      and not self._reader.is_alive()):
                    raise AssertionError(
                        f"{self.name}: no {what} within {timeout} s; stdout so far: "
                        f"{self.lines[-10:]!r}; stderr: {self.stderr()[-2000:]!r}")
                self._condition.wait(min(remaining, 0.1))

    def stderr(self):
        self._log.flush()
        with open(self.log_path, "rb") as log:
            return log.read().decode("utf-8", "replace")

    def wait(self, timeout):
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._reader.join(timeout=10)
        self._log.close()


class Peer(LineProcess):
    """A server that prints "listening PORT" once it accepts connections."""

    def __init__(self, name, argv, workdir, env=None, timeout=15.0):
        super().__init__(name, argv, workdir, env=env)
        line = self.wait_for_line(lambda l: l.startswith("listening "), timeout,
                                  what='"listening PORT" line')
        self.port = int(line.split()[1])


def python_echo(workdir, *args, name="python-echo", tls=None):
    require_python_websockets()
    argv = [PYTHON, os.path.join(PEERS, "python_echo.py"), *args]
    if tls:
        argv += ["--cert", tls[0], "--key", tls[1]]
    return Peer(name, argv, workdir)


def node_echo(workdir, *args, name="node-echo", tls=None):
    node = require_node_ws()
    argv = [node, os.path.join(PEERS, "node_echo.js"), *args]
    if tls:
        argv += ["--cert", tls[0], "--key", tls[1]]
    return Peer(name, argv, workdir, env=node_env())


class CliResult:
    def __init__(self, argv, returncode, stdout, stderr, elapsed):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed

    def text_lines(self):
        return self.stdout.decode("utf-8").splitlines()

    def records(self):
        """The JSON objects of a --frames run, one per line; a line that is not JSON fails."""
        records = []
        for number, line in enumerate(self.stdout.split(b"\n"), 1):
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except ValueError as error:
                raise AssertionError(
                    f"stdout line {number} is not JSON ({error}): {line[:200]!r}") from error
        return records

    def events(self, name=None):
        return [r for r in self.records() if "event" in r and (name is None or r["event"] == name)]

    def frames(self, direction=None):
        return [r for r in self.records()
                if "dir" in r and (direction is None or r["dir"] == direction)]

    def describe(self):
        out = self.stdout[-1500:].decode("utf-8", "replace")
        shown = " ".join(a if len(a) <= 200 else f"{a[:200]}...({len(a)} chars)"
                         for a in self.argv)
        return (f"\n  command: {shown}\n  exit: {self.returncode} after "
                f"{self.elapsed:.2f} s\n  stderr: {self.stderr[-3000:]}\n  stdout (end): {out}")


def run_cli(*args, timeout=60.0, env=None, cwd=None):
    argv = [cli_path(), *[str(a) for a in args]]
    started = time.monotonic()
    try:
        completed = subprocess.run(argv, capture_output=True, timeout=timeout, env=env,
                                   cwd=cwd, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(
            f"duplex-cli did not finish within {timeout} s: {' '.join(argv)}\n"
            f"stderr: {(expired.stderr or b'').decode('utf-8', 'replace')[-2000:]}") from None
    return CliResult(argv, completed.returncode, completed.stdout,
                     completed.stderr.decode("utf-8", "replace"), time.monotonic() - started)


def start_cli(workdir, *args, name="duplex-cli"):
    """duplex-cli in the background, for tests that act on a peer while it runs."""
    return LineProcess(name, [cli_path(), *[str(a) for a in args]], workdir)


def frame_payload(record):
    """The payload bytes of a --frames frame line."""
    if "payload" in record:
        return record["payload"].encode("utf-8")
    return bytes.fromhex(record.get("payloadHex", ""))


def messages(frames):
    """Joins data frames (and their continuations) into (opcode, bytes) messages."""
    result = []
    current = None
    for frame in frames:
        opcode = frame["opcode"]
        if opcode >= 8:
            continue
        if opcode != 0:
            current = [opcode, bytearray()]
        current[1] += frame_payload(frame)
        if frame["fin"]:
            result.append((current[0], bytes(current[1])))
            current = None
    return result


# ----- certificates -------------------------------------------------------------------------

CA_CONFIG = """\
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/issued
serial = {dir}/serial
certificate = {dir}/ca.pem
private_key = {dir}/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
"""


class Certificates:
    """A throw-away certificate authority and the certificates the TLS tests need, all made
    with the openssl command in `directory`: `valid` (127.0.0.1 and localhost), `wrong_host`
    (only wrong.example), `expired` (valid for 127.0.0.1, but only in January 2020) and
    `client` (a client certificate). Each is a (certificate, key) pair of paths."""

    def __init__(self, directory):
        self.openssl = require_program("openssl")
        self.dir = os.path.join(directory, "pki")
        os.makedirs(os.path.join(self.dir, "issued"))
        with open(os.path.join(self.dir, "index.txt"), "w"):
            pass
        with open(os.path.join(self.dir, "serial"), "w") as serial:
            serial.write("1000\n")
        with open(os.path.join(self.dir, "ca.cnf"), "w") as config:
            config.write(CA_CONFIG.format(dir=self.dir))
        self.ca = self._path("ca.pem")
        self._run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-keyout", self._path("ca.key"), "-out", self.ca, "-days", "30",
                  "-subj", "/CN=Duplex Interop Test CA",
                  "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self.valid = self._issue("valid", "localhost", "DNS:localhost,IP:127.0.0.1")
        self.wrong_host = self._issue("wrong-host", "wrong.example", "DNS:wrong.example")
        self.expired = self._issue("expired", "localhost", "DNS:localhost,IP:127.0.0.1",
                                   dates=("20200101000000Z", "20200201000000Z"))
        self.client = self._issue("client", "duplex client", None, usage="clientAuth")

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _run(self, *args):
        completed = subprocess.run([self.openssl, *args], capture_output=True, text=True,
                                   timeout=60)
        if completed.returncode != 0:
            raise AssertionError(f"openssl {args[0]} failed: {completed.stderr.strip()}")

    def _issue(self, name, common_name, alt_names, dates=None, usage="serverAuth"):
        key, request, certificate = (self._path(f"{name}{ext}") for ext in
                                     (".key", ".csr", ".pem"))
        extensions = self._path(f"{name}.ext")
        with open(extensions, "w") as ext:
            ext.write("basicConstraints = CA:FALSE\n")
            ext.write("keyUsage = critical, digitalSignature, keyAgreement\n")
            ext.write(f"extendedKeyUsage = {usage}\n")
            if alt_names:
                ext.write(f"subjectAltName = {alt_names}\n")
        self._run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                  "-nodes", "-keyout", key, "-out", request, "-subj", f"/CN={common_name}")
        validity = (["-startdate", dates[0], "-enddate", dates[1]] if dates
                    else ["-days", "30"])
        self._run("ca", "-batch", "-notext", "-config", self._path("ca.cnf"), "-in", request,
                  "-out", certificate, "-extfile", extensions, *validity)
        return certificate, key


# ----- raw TCP servers ----------------------------------------------------------------------

def accept_for(key):
    return base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()


def request_header(request, name):
    """A header's value in a raw HTTP request, or None."""
    for line in request.split(b"\r\n")[1:]:
        field, _, value = line.partition(b":")
        if field.strip().lower() == name.lower().encode():
            return value.strip().decode("latin-1")
    return None


def switching_protocols(request, extra=(), accept=None, omit=()):
    """A 101 answer to `request`, with the accept key computed unless given, extra header lines
    appended and the named headers left out."""
    key = request_header(request, "Sec-WebSocket-Key") or ""
    headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"),
               ("Sec-WebSocket-Accept", accept or accept_for(key.encode()))]
    lines = ["HTTP/1.1 101 Switching Protocols"]
    lines += [f"{n}: {v}" for n, v in headers if n not in omit]
    lines += list(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def server_frame(opcode, payload=b"", fin=True, rsv=0, mask=None):
    """One frame as a server sends it (unmasked unless a mask key is given)."""
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    length = len(payload)
    mask_bit = 0x80 if mask else 0
    if length <= 125:
        header = struct.pack("!BB", first, mask_bit | length)
    elif length <= 0xFFFF:
        header = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, length)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        header += mask
    return header + payload


def read_client_frame(connection):
    """Reads one masked client frame: (opcode, fin, payload), or None at EOF."""
    def exactly(count):
        data = b""
        while len(data) < count:
            chunk = connection.recv(count - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    head = exactly(2)
    if head is None:
        return None
    fin, opcode = bool(head[0] & 0x80), head[0] & 0x0F
    length = head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", exactly(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", exactly(8))[0]
    mask = exactly(4) if head[1] & 0x80 else b"\0\0\0\0"
    payload = exactly(length) if length else b""
    if mask is None or payload is None:
        return None
    return opcode, fin, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class RawServer:
    """A TCP server on 127.0.0.1 that reads each connection's request head and hands the socket
    and the head to `handler(connection, request)`. Requests are kept in `requests`."""

    def __init__(self, handler):
        self.handler = handler
        self.requests = []
        self.errors = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._closing = threading.Event()
        self._connections = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._closing.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                request += chunk
            self.requests.append(request)
            self.handler(connection, request)
        except OSError:
            pass
        except Exception as error:  # reported by the test through `errors`
            self.errors.append(repr(error))
        finally:
            try:
                connection.close()
            except OSError:
                pass

    def wait_closing(self, timeout):
        """For handlers: waits until the server closes, or `timeout` seconds."""
        self._closing.wait(timeout)

    def close(self):
        self._closing.set()
        self._listener.close()
        for connection in self._connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# ----- test case base -----------------------------------------------------------------------

class InteropTestCase(unittest.TestCase):
    """Gives each test class a temporary directory (kept when DUPLEX_KEEP_TEMP is set) and
    stops the peers it started."""

    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix=f"duplex-{cls.__name__}-")
        cls._class_peers = []

    @classmethod
    def tearDownClass(cls):
        for peer in cls._class_peers:
            peer.stop()
        if not os.environ.get("DUPLEX_KEEP_TEMP"):
            shutil.rmtree(cls.workdir, ignore_errors=True)
        else:
            print(f"kept {cls.workdir}", file=sys.stderr)

    @classmethod
    def class_peer(cls, peer):
        cls._class_peers.append(peer)
        return peer

    def peer(self, peer):
        """Stops `peer` when the test ends."""
        self.addCleanup(peer.stop)
        return peer

    def raw_server(self, handler):
        server = RawServer(handler)
        self.addCleanup(server.close)
        return server

    def write_file(self, name, data):
        path = os.path.join(self.workdir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def assertExit(self, result, code):
        self.assertEqual(result.returncode, code,
                         f"expected exit {code}, got {result.returncode}{result.describe()}")

    def assertStderrMentions(self, result, *patterns):
        """Each pattern (a regular expression, case-insensitive) must match stderr."""
        import re
        for pattern in patterns:
            self.assertRegex(result.stderr, re.compile(pattern, re.IGNORECASE),
                             f"stderr does not mention {pattern!r}{result.describe()}")


def terminate_quietly(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
