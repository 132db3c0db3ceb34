"""ws and wss through real proxies, each started here with its own configuration on a free
port, running as the current user and logging to the test's directory:
  - tinyproxy (HTTP CONNECT), without and with Basic credentials;
  - dante's danted (SOCKS5, no authentication);
  - a small SOCKS5 server of our own (peers/socks5_server.py) for username/password: danted's
    username method checks system accounts, which a test cannot create.
The proxies' logs must show the tunnel, so a client that bypassed the proxy fails."""

import os
import re
import time
import unittest

from harness import (PEERS, PYTHON, Certificates, InteropTestCase, LineProcess, Peer,
                     free_port, python_echo, require_program, run_cli, wait_for_port)

TINYPROXY_CONFIG = """\
Port {port}
Listen 127.0.0.1
Timeout 60
LogFile "{dir}/{name}.log"
LogLevel Info
PidFile "{dir}/{name}.pid"
MaxClients 50
Allow 127.0.0.1
DisableViaHeader Yes
{extra}
"""

DANTE_CONFIG = """\
logoutput: {dir}/danted.log
internal: 127.0.0.1 port = {port}
external: 127.0.0.1
clientmethod: none
socksmethod: none
{users}
client pass {{
    from: 127.0.0.0/8 to: 0.0.0.0/0
    log: error connect disconnect
}}
socks pass {{
    from: 127.0.0.0/8 to: 0.0.0.0/0
    command: connect
    log: error connect disconnect
}}
"""


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


class Proxies(InteropTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.certificates = Certificates(cls.workdir)
        cls.plain = cls.class_peer(python_echo(cls.workdir, name="echo-plain"))
        cls.secure = cls.class_peer(python_echo(cls.workdir, tls=cls.certificates.valid,
                                                name="echo-tls"))
        cls.tinyproxy = cls.start_tinyproxy("tinyproxy", "")
        cls.tinyproxy_auth = cls.start_tinyproxy("tinyproxy-auth", "BasicAuth duplex s3cret")
        cls.danted = cls.start_danted()
        cls.socks_auth = cls.class_peer(Peer("socks5-auth", [
            PYTHON, os.path.join(PEERS, "socks5_server.py"), "--user", "duplex",
            "--password", "s3cret"], cls.workdir))

    @classmethod
    def start_tinyproxy(cls, name, extra):
        program = require_program("tinyproxy")
        port = free_port()
        config = os.path.join(cls.workdir, f"{name}.conf")
        with open(config, "w") as f:
            f.write(TINYPROXY_CONFIG.format(port=port, dir=cls.workdir, name=name, extra=extra))
        process = cls.class_peer(LineProcess(name, [program, "-d", "-c", config], cls.workdir))
        wait_for_port(port, process=process.process)
        return port

    @classmethod
    def start_danted(cls):
        program = require_program("danted")
        port = free_port()
        # As root, danted wants to know whom to run as; otherwise it stays the current user.
        users = "user.privileged: root\nuser.unprivileged: root\n" if os.geteuid() == 0 else ""
        config = os.path.join(cls.workdir, "danted.conf")
        with open(config, "w") as f:
            f.write(DANTE_CONFIG.format(port=port, dir=cls.workdir, users=users))
        process = cls.class_peer(LineProcess("danted", [
            program, "-f", config, "-p", os.path.join(cls.workdir, "danted.pid"), "-N", "1"],
            cls.workdir))
        wait_for_port(port, process=process.process)
        return port

    def echo_through(self, proxy, secure, message="through the proxy"):
        target = self.secure if secure else self.plain
        scheme = "wss" if secure else "ws"
        extra = ["--ca", self.certificates.ca] if secure else []
        result = run_cli("-m", message, "-n", "1", "--proxy", proxy, *extra,
                         f"{scheme}://127.0.0.1:{target.port}/", timeout=30)
        self.assertExit(result, 0)
        self.assertEqual(result.text_lines(), [message])
        return target.port

    def assertLogShows(self, log_path, pattern, timeout=5.0):
        """Proxies write their logs a moment after the tunnel closes: poll briefly."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, read(log_path)):
                return
            time.sleep(0.1)
        self.fail(f"{os.path.basename(log_path)} does not show {pattern!r}:\n"
                  f"{read(log_path)[-2000:]}")

    def test_http_connect_ws(self):
        port = self.echo_through(f"http://127.0.0.1:{self.tinyproxy}", secure=False)
        self.assertLogShows(os.path.join(self.workdir, "tinyproxy.log"),
                            rf"CONNECT 127\.0\.0\.1:{port}")

    def test_http_connect_wss(self):
        port = self.echo_through(f"http://127.0.0.1:{self.tinyproxy}", secure=True)
        self.assertLogShows(os.path.join(self.workdir, "tinyproxy.log"),
                            rf"CONNECT 127\.0\.0\.1:{port}")

    def test_http_connect_credentials(self):
        port = self.echo_through(f"http://duplex:s3cret@127.0.0.1:{self.tinyproxy_auth}",
                                 secure=False)
        self.assertLogShows(os.path.join(self.workdir, "tinyproxy-auth.log"),
                            rf"CONNECT 127\.0\.0\.1:{port}")

    def test_http_connect_without_credentials(self):
        result = run_cli("-m", "x", "-n", "1", "--proxy", f"http://127.0.0.1:{self.tinyproxy_auth}",
                         f"ws://127.0.0.1:{self.plain.port}/", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "proxy", "requires authentication")

    def test_http_connect_wrong_credentials(self):
        # tinyproxy answers wrong credentials with 401 (not 407), which Qt can only call an
        # unexpected answer; the message must still blame the proxy.
        result = run_cli("-m", "x", "-n", "1", "--proxy",
                         f"http://duplex:wrong@127.0.0.1:{self.tinyproxy_auth}",
                         f"ws://127.0.0.1:{self.plain.port}/", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, rf"through the proxy 127\.0\.0\.1:{self.tinyproxy_auth}",
                                  "authenticat|credentials|unexpected")

    def test_socks5_ws(self):
        port = self.echo_through(f"socks5://127.0.0.1:{self.danted}", secure=False)
        self.assertLogShows(os.path.join(self.workdir, "danted.log"),
                            rf"tcp/connect.*127\.0\.0\.1\.{port}")

    def test_socks5_wss(self):
        port = self.echo_through(f"socks5://127.0.0.1:{self.danted}", secure=True)
        self.assertLogShows(os.path.join(self.workdir, "danted.log"),
                            rf"tcp/connect.*127\.0\.0\.1\.{port}")

    def test_socks5_credentials(self):
        before = len(self.socks_auth.lines)
        port = self.echo_through(f"socks5://duplex:s3cret@127.0.0.1:{self.socks_auth.port}",
                                 secure=True)
        self.socks_auth.wait_for_line(lambda l: l == f"connect 127.0.0.1 {port}", 5,
                                      "connect line")
        self.assertIn("auth ok duplex", self.socks_auth.lines[before:])

    def test_socks5_wrong_credentials(self):
        result = run_cli("-m", "x", "-n", "1", "--proxy",
                         f"socks5://duplex:wrong@127.0.0.1:{self.socks_auth.port}",
                         f"ws://127.0.0.1:{self.plain.port}/", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "proxy", "authenticat|credentials")

    def test_proxy_not_listening(self):
        result = run_cli("--proxy", f"http://127.0.0.1:{free_port()}",
                         f"ws://127.0.0.1:{self.plain.port}/", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "proxy", "refused")

    def test_bad_proxy_url(self):
        for proxy, named in (("ftp://127.0.0.1:21", "ftp"), ("http://", "host"),
                             ("socks5://127.0.0.1:99999", "port")):
            with self.subTest(proxy=proxy):
                result = run_cli("--proxy", proxy, f"ws://127.0.0.1:{self.plain.port}/")
                self.assertExit(result, 1)
                self.assertStderrMentions(result, "--proxy", named)


if __name__ == "__main__":
    unittest.main()
