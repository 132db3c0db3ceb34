"""Round trips through real echo servers (python3-websockets and node ws, plain and TLS):
messages of 0 B, 125 B, 64 KiB and 8 MiB, text and binary, must come back byte for byte, and
the --frames log must show exactly the frames that crossed the wire."""

import os
import re
import unittest

from harness import (Certificates, InteropTestCase, messages, node_echo, python_echo, run_cli,
                     start_cli)

SIZES = {"0B": 0, "125B": 125, "64KiB": 64 * 1024, "8MiB": 8 * 1024 * 1024}
MASK = re.compile(r"^[0-9a-f]{8}$")


def text_of_size(size):
    """UTF-8 text of exactly `size` bytes mixing 1-, 2-, 3- and 4-byte characters."""
    unit = "Grüße, 世界! 𝄞 "
    text = unit * (size // len(unit.encode()) + 1)
    data = text.encode()[:size]
    # Cut back to a character boundary and pad with ASCII to the exact size.
    while True:
        try:
            data.decode("utf-8")
            break
        except UnicodeDecodeError:
            data = data[:-1]
    return (data + b"x" * (size - len(data))).decode()


def binary_of_size(size):
    return bytes((i * 31 + 7) % 256 for i in range(min(size, 65536))) * (size // 65536) \
        + bytes((i * 31 + 7) % 256 for i in range(size % 65536))


class EchoMixin:
    """Tests shared by every server flavour. Subclasses set `start_server(workdir, *args,
    tls=...)` and `tls`."""

    server = None
    tls = False
    certificates = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.tls:
            cls.certificates = Certificates(cls.workdir)
        cls.echo = cls.class_peer(cls.start(cls.workdir))

    @classmethod
    def start(cls, workdir, *args, name=None):
        tls = cls.certificates.valid if cls.tls else None
        return cls.server(workdir, *args, tls=tls, name=name or cls.__name__)

    @classmethod
    def url(cls, port, path="/echo?x=1"):
        return f"{'wss' if cls.tls else 'ws'}://127.0.0.1:{port}{path}"

    def trust(self):
        return ["--ca", self.certificates.ca] if self.tls else []

    def check_sent_and_echoed(self, result, opcode, payload):
        self.assertExit(result, 0)
        sent = [f for f in result.frames("out") if f["opcode"] < 8]
        self.assertEqual(len(sent), 1, f"one data frame sent{result.describe()}")
        frame = sent[0]
        self.assertEqual((frame["opcode"], frame["fin"], frame["masked"], frame["length"]),
                         (opcode, True, True, len(payload)))
        self.assertRegex(frame["mask"], MASK)
        self.assertEqual(messages(sent), [(opcode, payload)])
        received = [f for f in result.frames("in") if f["opcode"] < 8]
        self.assertTrue(received, f"nothing came back{result.describe()}")
        self.assertTrue(all(not f["masked"] and "mask" not in f for f in received))
        self.assertEqual(messages(received), [(opcode, payload)],
                         "the echoed message differs from the one sent")
        opened = result.events("open")
        self.assertEqual(len(opened), 1, result.describe())
        self.assertEqual(opened[0]["status"], 101)
        self.assertEqual(result.events("close")[-1]["code"], 1000)
        # Our close frame went out, the peer's came back.
        self.assertEqual([f["opcode"] for f in result.frames() if f["opcode"] == 8], [8, 8])

    def binary_round_trip(self, size):
        payload = binary_of_size(size)
        path = self.write_file(f"{self.__class__.__name__}-{size}.bin", payload)
        result = run_cli("--frames", "--send-file", path, "-n", "1", *self.trust(),
                         self.url(self.echo.port))
        self.check_sent_and_echoed(result, 2, payload)

    def text_round_trip(self, size):
        text = text_of_size(size)
        result = run_cli("--frames", "-m", text, "-n", "1", *self.trust(),
                         self.url(self.echo.port))
        self.check_sent_and_echoed(result, 1, text.encode())

    def test_binary_0B(self):
        self.binary_round_trip(SIZES["0B"])

    def test_binary_125B(self):
        self.binary_round_trip(SIZES["125B"])

    def test_binary_64KiB(self):
        self.binary_round_trip(SIZES["64KiB"])

    def test_binary_8MiB(self):
        self.binary_round_trip(SIZES["8MiB"])

    def test_text_0B(self):
        self.text_round_trip(SIZES["0B"])

    def test_text_125B(self):
        self.text_round_trip(SIZES["125B"])

    def test_text_64KiB(self):
        self.text_round_trip(SIZES["64KiB"])

    def pushed_and_echoed(self, data, text):
        """The server sends `data`, --echo sends it back, the server checks it: the other
        direction of the round trip, and the only way to send 8 MiB of text (an argument
        cannot be that long)."""
        path = self.write_file(f"{self.__class__.__name__}-push", data)
        args = ["--mode", "push-verify", "--file", path] if self.server is python_echo \
            else ["--push", path]
        if text:
            args.append("--text")
        pusher = self.peer(self.start(self.workdir, *args, name=f"{self.__class__.__name__}-push"))
        result = run_cli("--echo", "--frames", *self.trust(), self.url(pusher.port))
        self.assertExit(result, 0)
        opcode = 1 if text else 2
        self.assertEqual(messages(result.frames("in")), [(opcode, data)])
        self.assertEqual(messages(result.frames("out")), [(opcode, data)])
        close = result.events("close")[-1]
        self.assertEqual((close["code"], close["reason"]), (1000, "verified"), result.describe())

    def test_text_8MiB(self):
        self.pushed_and_echoed(text_of_size(SIZES["8MiB"]).encode(), text=True)

    def test_binary_8MiB_from_server(self):
        self.pushed_and_echoed(binary_of_size(SIZES["8MiB"]), text=False)

    def test_print_mode(self):
        """Without --frames: one line per text message, binary as hex, in order."""
        result = run_cli("-m", "first", "--send-binary", "00ff10", "-m", "π ≈ 3.14159",
                         "--send-binary", "", "-n", "4", *self.trust(),
                         self.url(self.echo.port))
        self.assertExit(result, 0)
        self.assertEqual(result.stdout.decode(), "first\n00ff10\nπ ≈ 3.14159\n\n")


class PythonPlain(EchoMixin, InteropTestCase):
    server = staticmethod(python_echo)


class PythonTls(EchoMixin, InteropTestCase):
    server = staticmethod(python_echo)
    tls = True


class NodePlain(EchoMixin, InteropTestCase):
    server = staticmethod(node_echo)


class NodeTls(EchoMixin, InteropTestCase):
    server = staticmethod(node_echo)
    tls = True


class Features(InteropTestCase):
    """Options that change what is negotiated or when the client stops."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.python = cls.class_peer(python_echo(cls.workdir, "--subprotocol", "chat",
                                                "--subprotocol", "superchat"))
        cls.node = cls.class_peer(node_echo(cls.workdir, "--deflate", name="node-deflate"))

    def test_subprotocol(self):
        result = run_cli("--frames", "-s", "nope", "-s", "superchat", "-m", "hi", "-n", "1",
                         f"ws://127.0.0.1:{self.python.port}/")
        self.assertExit(result, 0)
        self.assertEqual(result.events("open")[0]["subprotocol"], "superchat")

    def deflate_round_trip(self, port):
        text = "compress me " * 2000
        result = run_cli("--frames", "--deflate", "-m", text, "-n", "1",
                         f"ws://127.0.0.1:{port}/")
        self.assertExit(result, 0)
        self.assertIn("permessage-deflate", result.events("open")[0]["extensions"])
        for direction in ("out", "in"):
            frame = [f for f in result.frames(direction) if f["opcode"] == 1][0]
            self.assertTrue(frame["rsv1"], f"{direction}: not compressed{result.describe()}")
            self.assertEqual(frame["inflatedLength"], len(text))
            self.assertLess(frame["length"], len(text) // 10)
            self.assertEqual(frame["payload"], text)

    def test_deflate_python(self):
        self.deflate_round_trip(self.python.port)

    def test_deflate_node(self):
        self.deflate_round_trip(self.node.port)

    def test_no_deflate_unless_asked(self):
        result = run_cli("--frames", "-m", "x" * 1000, "-n", "1",
                         f"ws://127.0.0.1:{self.python.port}/")
        self.assertExit(result, 0)
        self.assertNotIn("permessage-deflate", result.events("open")[0].get("extensions", ""))
        self.assertTrue(all(not f["rsv1"] and "inflatedLength" not in f
                            for f in result.frames()))

    def test_count_stops_after_n_messages(self):
        result = run_cli("-m", "a", "-m", "b", "-m", "c", "-n", "2",
                         f"ws://127.0.0.1:{self.python.port}/")
        self.assertExit(result, 0)
        self.assertEqual(result.text_lines(), ["a", "b"])

    def test_close_code_and_reason(self):
        result = run_cli("--frames", "-m", "a", "-n", "1", "--close", "4001:done here",
                         f"ws://127.0.0.1:{self.python.port}/")
        self.assertExit(result, 0)
        ours = [f for f in result.frames("out") if f["opcode"] == 8][0]
        self.assertEqual(ours["payloadHex"], (4001).to_bytes(2, "big").hex()
                         + "done here".encode().hex())
        close = result.events("close")[-1]
        self.assertEqual((close["code"], close["reason"]), (4001, "done here"))

    def test_idle_timeout(self):
        result = run_cli("-t", "0.5", f"ws://127.0.0.1:{self.python.port}/", timeout=20)
        self.assertExit(result, 5)
        self.assertStderrMentions(result, r"no traffic|timed out|timeout", r"0\.5")
        self.assertLess(result.elapsed, 5)

    def test_ipv6_literal(self):
        server = self.peer(python_echo(self.workdir, "--host", "::1", name="ipv6"))
        result = run_cli("--frames", "-m", "over IPv6", "-n", "1",
                         f"ws://[::1]:{server.port}/v6")
        self.assertExit(result, 0)
        self.assertEqual([f["payload"] for f in result.frames("in") if f["opcode"] == 1],
                         ["over IPv6"])

    def test_interrupt_closes_politely(self):
        import signal
        cli = start_cli(self.workdir, "--frames", f"ws://127.0.0.1:{self.python.port}/")
        self.addCleanup(cli.kill)
        cli.wait_for_line(lambda l: '"event":"open"' in l, 10, "open event")
        cli.process.send_signal(signal.SIGINT)
        self.assertEqual(cli.wait(10), 0, cli.stderr())
        self.assertIn("interrupted", cli.stderr())
        closes = [l for l in cli.lines if '"opcode":8' in l]
        self.assertEqual(len(closes), 2, cli.lines)
        self.assertIn('"dir":"out"', closes[0])
        self.assertIn('"payloadHex":"03e8"', closes[0])

    def test_max_message_size(self):
        result = run_cli("--frames", "--max-message-size", "1000", "-m", "y" * 2000, "-n", "1",
                         f"ws://127.0.0.1:{self.python.port}/")
        self.assertExit(result, 3)
        self.assertStderrMentions(result, "larger than|too big", "1000 bytes",
                                   "--max-message-size")
        ours = [f for f in result.frames("out") if f["opcode"] == 8]
        self.assertEqual(ours[0]["payloadHex"][:4], (1009).to_bytes(2, "big").hex())


if __name__ == "__main__":
    unittest.main()
