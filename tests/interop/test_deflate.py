"""permessage-deflate (RFC 7692) against python3-websockets and node ws servers that compress.

Each server pushes text and binary messages of 0 B, 125 B, 64 KiB, 1 MiB and 8 MiB, then the
same 200-byte message twice; duplex-cli --echo compresses each back and the server checks it
byte for byte. The --frames log must show RSV1 on every compressed frame in both directions
with "inflatedLength" matching, the negotiated parameters in the open event, and context
takeover doing what was agreed: with it, the repeated message compresses to a few bytes; without
it, both copies compress to the same size. This runs under every context-takeover combination
(asked by the client or imposed by the server) and a few window sizes. A server that declines
the offer leaves the connection uncompressed, --no-compress sends RSV1 clear, and a
decompression bomb is failed with 1009 without the client's memory growing past the limit.
"""

import functools
import json
import os
import random
import re
import subprocess
import time
import unittest
import zlib

import harness
from harness import (CliResult, InteropTestCase, cli_path, messages, node_echo, python_echo,
                     read_client_frame, request_header, server_frame, switching_protocols)

KiB = 1024
MiB = 1024 * KiB
SIZES = [0, 125, 64 * KiB, 1 * MiB, 8 * MiB]
PROBE_SIZE = 200  # fits every window (256 bytes at 8 bits), incompressible on its own


def _structured_bytes(size, seed):
    """Bytes that compress moderately in any window: random runs, copies of what came up to
    240 bytes before (within the smallest window), and copies from up to 32 KiB back (which
    only larger windows reach). A compressor that reaches further back than it agreed to is
    caught by the peer's inflater."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        n = rng.randint(16, 200)
        pick = rng.random()
        if len(out) > 256 and pick < 0.35:
            start = len(out) - rng.randint(n, 240)
            out += out[start:start + n]
        elif len(out) > 64 and pick < 0.7:
            start = len(out) - rng.randint(1, min(len(out), 32 * KiB))
            out += out[start:start + n]
        else:
            out += rng.randbytes(n)
    return bytes(out[:size])


@functools.lru_cache(maxsize=None)
def binary_of_size(size):
    return _structured_bytes(size, seed=size * 2 + 1)


# 256 tokens, some of them 2-, 3- and 4-byte UTF-8 characters.
_TOKENS = [chr(c) for c in range(0x61, 0x7B)] + [" ", ", ", "ü", "ß", "é", "世", "界", "𝄞",
                                                 "→", "\n", '{"k":', "}"]
_TOKENS = (_TOKENS * (256 // len(_TOKENS) + 1))[:256]


@functools.lru_cache(maxsize=None)
def text_of_size(size):
    """UTF-8 of exactly `size` bytes with the structure of binary_of_size."""
    raw = _structured_bytes(size, seed=size * 2)
    data = "".join(map(_TOKENS.__getitem__, raw)).encode()[:size]
    while True:
        try:
            data.decode("utf-8")
            break
        except UnicodeDecodeError:
            data = data[:-1]
    return data + b"x" * (size - len(data))


def run_cli(*args, **kwargs):
    """harness.run_cli, parsing the --frames output once however often it is looked at (a run
    with 8 MiB messages prints some 50 MB of JSON)."""
    result = harness.run_cli(*args, **kwargs)
    parse = result.records
    parsed = []

    def records():
        if not parsed:
            parsed.append(parse())
        return parsed[0]
    result.records = records
    return result


def probe():
    return random.Random(7).randbytes(PROBE_SIZE)


def sequence(sizes):
    """[(opcode, bytes)] the servers push: text and binary of each size, then the probe twice."""
    items = []
    for size in sizes:
        items.append((1, text_of_size(size)))
        items.append((2, binary_of_size(size)))
    items += [(2, probe()), (2, probe())]
    return items


def parameters(extensions):
    """The parameters of the permessage-deflate element of an open event's "extensions"."""
    elements = [e.strip() for e in extensions.split(",") if e.strip()]
    deflate = [e for e in elements if e.split(";")[0].strip() == "permessage-deflate"]
    if not deflate:
        return None
    result = {}
    for part in deflate[0].split(";")[1:]:
        name, _, value = part.strip().partition("=")
        result[name] = int(value) if value else True
    return result


def first_frames(frames):
    """The first frame of each data message, in order."""
    return [f for f in frames if 1 <= f["opcode"] <= 2]


class DeflateMixin:
    """Starts servers and checks runs; subclasses name the server flavour."""

    server = None  # python_echo or node_echo
    # Extra peer arguments every compressing server of this flavour needs.
    peer_args = ()

    def start_peer(self, *args, name):
        return self.peer(self.server(self.workdir, *self.peer_args, *args, name=name))

    def push_run(self, peer_args, cli_args, sizes=SIZES, expect_server_takeover=True,
                 expect_client_takeover=True, expect=None):
        """The server pushes sequence(sizes); duplex-cli echoes each message back."""
        items = sequence(sizes)
        files = []
        for index, (opcode, data) in enumerate(items):
            path = os.path.join(self.workdir, f"msg-{index}-{len(data)}.{opcode}")
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(data)
            files += ["--sequence", f"{'text' if opcode == 1 else 'binary'}:{path}"]
        mode = ["--mode", "push-verify"] if self.server is python_echo else []
        peer = self.start_peer(*mode, *files, *peer_args, name=self._testMethodName)
        result = run_cli("--echo", "--frames", "-t", "60", *cli_args,
                         f"ws://127.0.0.1:{peer.port}/", timeout=120)
        self.assertExit(result, 0)
        close = result.events("close")[-1]
        self.assertEqual((close["code"], close["reason"]), (1000, f"verified {len(items)}"),
                         f"the server did not get every message back intact{result.describe()}")

        opened = result.events("open")
        self.assertEqual(len(opened), 1, result.describe())
        agreed = parameters(opened[0]["extensions"])
        self.assertIsNotNone(agreed, f"permessage-deflate was not agreed{result.describe()}")
        for name, value in (expect or {}).items():
            self.assertEqual(agreed.get(name), value,
                             f"{name} in {opened[0]['extensions']!r}{result.describe()}")

        for direction in ("in", "out"):
            frames = result.frames(direction)
            got = messages(frames)
            self.assertEqual(len(got), len(items), f"{direction}: message count")
            for index, ((opcode, data), (got_opcode, got_data)) in enumerate(zip(items, got)):
                self.assertEqual((got_opcode, len(got_data)), (opcode, len(data)),
                                 f"{direction} message {index}")
                self.assertTrue(got_data == data,
                                f"{direction} message {index} ({len(data)} bytes) differs")
            firsts = first_frames(frames)
            for index, (frame, (_, data)) in enumerate(zip(firsts, items)):
                self.assertTrue(frame["rsv1"],
                                f"{direction} message {index}: RSV1 clear: {frame['length']}")
                self.assertTrue(frame["fin"], f"{direction} message {index} was fragmented")
                self.assertEqual(frame.get("inflatedLength"), len(data),
                                 f"{direction} message {index}: inflatedLength")
            # Compression did something: the large messages are smaller on the wire.
            for frame, (_, data) in zip(firsts, items):
                if len(data) >= 64 * KiB:
                    self.assertLess(frame["length"], len(data) * 0.9,
                                    f"{direction}: {len(data)} bytes barely compressed")
            # Control frames are never compressed.
            self.assertTrue(all(not f["rsv1"] for f in frames if f["opcode"] >= 8))
            # The probe, twice: the second copy reuses the first only with context takeover.
            first, second = firsts[-2]["length"], firsts[-1]["length"]
            takeover = expect_server_takeover if direction == "in" else expect_client_takeover
            if takeover:
                self.assertLess(second, first // 4,
                                f"{direction}: context takeover should shrink the repeated "
                                f"message ({first} then {second} bytes)")
            else:
                self.assertEqual(second, first,
                                 f"{direction}: without context takeover the repeated message "
                                 f"compresses the same ({first} then {second} bytes)")
        return result, agreed

    # ----- context takeover, as the client asks ---------------------------------------------

    def test_takeover_both_ways(self):
        self.push_run([], ["--deflate"])

    def test_client_asks_server_no_context_takeover(self):
        self.push_run([], ["--deflate-server-no-context-takeover"],
                      expect={"server_no_context_takeover": True},
                      expect_server_takeover=False)

    def test_client_no_context_takeover(self):
        _, agreed = self.push_run([], ["--deflate-client-no-context-takeover"],
                                  expect_client_takeover=False)
        self.assertNotIn("server_no_context_takeover", agreed)

    def test_no_context_takeover_either_way(self):
        self.push_run([], ["--deflate-server-no-context-takeover",
                           "--deflate-client-no-context-takeover"],
                      expect={"server_no_context_takeover": True},
                      expect_server_takeover=False, expect_client_takeover=False)

    # ----- context takeover, as the server imposes it -----------------------------------------

    def test_server_imposes_no_context_takeover(self):
        """The client did not ask; the server's answer binds it all the same."""
        self.push_run(["--deflate-server-no-context-takeover",
                       "--deflate-client-no-context-takeover"], ["--deflate"], sizes=SIZES[:4],
                      expect={"server_no_context_takeover": True,
                              "client_no_context_takeover": True},
                      expect_server_takeover=False, expect_client_takeover=False)

    def test_server_imposes_client_no_context_takeover(self):
        self.push_run(["--deflate-client-no-context-takeover"], ["--deflate"],
                      sizes=SIZES[:3], expect={"client_no_context_takeover": True},
                      expect_client_takeover=False)

    # ----- window sizes ----------------------------------------------------------------------

    def test_windows_asked_by_the_client(self):
        self.push_run([], ["--deflate-server-max-window-bits", "9",
                           "--deflate-client-max-window-bits", "10"], sizes=SIZES[:4],
                      expect={"server_max_window_bits": 9, "client_max_window_bits": 10})

    def test_windows_set_by_the_server(self):
        self.push_run(["--deflate-server-max-window-bits", "10",
                       "--deflate-client-max-window-bits", "9"], ["--deflate"], sizes=SIZES[:4],
                      expect={"server_max_window_bits": 10, "client_max_window_bits": 9})

    def test_smallest_windows_without_takeover(self):
        self.push_run([], ["--deflate-server-max-window-bits", "9",
                           "--deflate-client-max-window-bits", "8",
                           "--deflate-server-no-context-takeover",
                           "--deflate-client-no-context-takeover", "--deflate-level", "9"],
                      sizes=SIZES[:4],
                      expect={"server_max_window_bits": 9, "client_max_window_bits": 8,
                              "server_no_context_takeover": True},
                      expect_server_takeover=False, expect_client_takeover=False)

    # ----- what the client sends of its own --------------------------------------------------

    def test_messages_given_on_the_command_line(self):
        """-m and --send-file go out compressed through the session's on-open messages."""
        peer = self.start_peer(name="echo")
        text = text_of_size(64 * KiB).decode()
        path = self.write_file(f"{self._testMethodName}.bin", binary_of_size(1 * MiB))
        result = run_cli("--frames", "--deflate", "-m", text, "--send-file", path,
                         "--send-binary", "", "-n", "3", f"ws://127.0.0.1:{peer.port}/")
        self.assertExit(result, 0)
        expected = [(1, text.encode()), (2, binary_of_size(1 * MiB)), (2, b"")]
        for direction in ("out", "in"):
            self.assertEqual(messages(result.frames(direction)), expected, direction)
            for frame, (_, data) in zip(first_frames(result.frames(direction)), expected):
                self.assertTrue(frame["rsv1"], f"{direction}: {frame['length']}")
                self.assertEqual(frame["inflatedLength"], len(data))

    def test_no_compress(self):
        """--no-compress: what we send goes with RSV1 clear; what the server compresses is
        still inflated. Both the on-open messages and --echo's answers."""
        peer = self.start_peer(name="echo")
        text = text_of_size(64 * KiB).decode()
        result = run_cli("--frames", "--no-compress", "-m", text, "--send-binary", "00ff10",
                         "-n", "2", f"ws://127.0.0.1:{peer.port}/")
        self.assertExit(result, 0)
        self.assertIsNotNone(parameters(result.events("open")[0]["extensions"]),
                             "--no-compress still offers permessage-deflate")
        expected = [(1, text.encode()), (2, bytes.fromhex("00ff10"))]
        out = result.frames("out")
        self.assertEqual(messages(out), expected)
        self.assertTrue(all(not f["rsv1"] and "inflatedLength" not in f for f in out), out[:2])
        self.assertEqual([f["length"] for f in first_frames(out)], [len(text.encode()), 3])
        received = result.frames("in")
        self.assertEqual(messages(received), expected)
        self.assertTrue(all(f["rsv1"] for f in first_frames(received)),
                        "the server's answers are compressed")

        result, _ = self.push_run_no_compress()
        out = first_frames(result.frames("out"))
        self.assertTrue(out and all(not f["rsv1"] for f in out))

    def push_run_no_compress(self):
        items = sequence(SIZES[:3])
        files = []
        for index, (opcode, data) in enumerate(items):
            path = self.write_file(f"nc-{index}", data)
            files += ["--sequence", f"{'text' if opcode == 1 else 'binary'}:{path}"]
        mode = ["--mode", "push-verify"] if self.server is python_echo else []
        peer = self.start_peer(*mode, *files, name="push-no-compress")
        result = run_cli("--echo", "--frames", "--no-compress", f"ws://127.0.0.1:{peer.port}/")
        self.assertExit(result, 0)
        self.assertEqual(result.events("close")[-1]["reason"], f"verified {len(items)}")
        self.assertEqual(messages(result.frames("out")), items)
        self.assertTrue(all(f["rsv1"] for f in first_frames(result.frames("in"))))
        return result, None


class PythonDeflate(DeflateMixin, InteropTestCase):
    server = staticmethod(python_echo)

    def test_declined(self):
        """A server that declines the offer answers without the extension: no compression."""
        peer = self.start_peer("--no-deflate", name="declines")
        self.declined(self, peer.port)

    @staticmethod
    def declined(case, port):
        text = text_of_size(64 * KiB).decode()
        result = run_cli("--frames", "--deflate-server-max-window-bits", "10",
                         "--deflate-server-no-context-takeover",
                         "--deflate-client-no-context-takeover", "-m", text,
                         "--send-binary", "00ff", "-n", "2", f"ws://127.0.0.1:{port}/")
        case.assertExit(result, 0)
        case.assertEqual(result.events("open")[0]["extensions"], "")
        case.assertEqual(messages(result.frames("in")), [(1, text.encode()), (2, b"\x00\xff")])
        case.assertTrue(all(not f["rsv1"] and "inflatedLength" not in f
                            for f in result.frames()), result.describe())
        case.assertEqual(first_frames(result.frames("out"))[0]["length"], len(text.encode()))


class NodeDeflate(DeflateMixin, InteropTestCase):
    server = staticmethod(node_echo)
    # ws leaves messages under 1024 bytes uncompressed unless told otherwise.
    peer_args = ("--deflate-threshold", "0")

    def test_declined(self):
        peer = self.peer(node_echo(self.workdir, name="declines"))
        PythonDeflate.declined(self, peer.port)

    def test_default_threshold_leaves_small_messages_uncompressed(self):
        """A server may compress some messages and not others: RSV1 is per message. (ws
        leaves messages under its threshold uncompressed when it does not take over its
        context.)"""
        peer = self.peer(node_echo(self.workdir, "--deflate", name="threshold"))
        big = text_of_size(4 * KiB).decode()
        result = run_cli("--frames", "--deflate-server-no-context-takeover", "-m", "small",
                         "-m", big, "-n", "2", f"ws://127.0.0.1:{peer.port}/")
        self.assertExit(result, 0)
        received = first_frames(result.frames("in"))
        self.assertEqual([(f["rsv1"], f.get("inflatedLength")) for f in received],
                         [(False, None), (True, len(big.encode()))])
        self.assertEqual(messages(result.frames("in")), [(1, b"small"), (1, big.encode())])


# ----- decompression bombs from a raw server ---------------------------------------------------

def bomb(inflated_mib):
    """A raw deflate payload of zeros inflating to `inflated_mib` MiB: 16 KiB per 16 MiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    if inflated_mib < 16:
        data = compressor.compress(bytes(inflated_mib * MiB)) + compressor.flush(zlib.Z_SYNC_FLUSH)
        return data[:-4] if data.endswith(b"\x00\x00\xff\xff") else data
    # After a full flush the compressor starts afresh on a byte boundary, so every 16 MiB of
    # zeros compresses to the same bytes.
    piece = compressor.compress(bytes(16 * MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return piece * (inflated_mib // 16)


def run_measured(*args, timeout=60.0):
    """duplex-cli with the peak resident memory of that one process, in bytes."""
    argv = [cli_path(), *[str(a) for a in args]]
    started = time.monotonic()
    out_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"duplex-bomb-{os.getpid()}")
    with open(out_path + ".out", "wb") as out, open(out_path + ".err", "wb") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise AssertionError(f"duplex-cli did not finish within {timeout} s")
            time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path + ".out", "rb") as out, open(out_path + ".err", "rb") as err:
        stdout, stderr = out.read(), err.read().decode("utf-8", "replace")
    os.unlink(out_path + ".out")
    os.unlink(out_path + ".err")
    result = CliResult(argv, process.returncode, stdout, stderr, time.monotonic() - started)
    return result, usage.ru_maxrss * 1024  # kilobytes on Linux


class Bombs(InteropTestCase):
    """A raw server agrees to permessage-deflate and sends one compressed message that
    inflates far past --max-message-size."""

    def bomb_server(self, payload, frames=1):
        def handler(connection, request):
            offer = request_header(request, "Sec-WebSocket-Extensions") or ""
            if "permessage-deflate" not in offer:
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                return
            connection.sendall(switching_protocols(
                request, extra=["Sec-WebSocket-Extensions: permessage-deflate"]))
            # Fragmented when asked: RSV1 on the first frame only.
            step = -(-len(payload) // frames)
            pieces = [payload[i:i + step] for i in range(0, len(payload), step)] or [b""]
            try:
                for index, piece in enumerate(pieces):
                    connection.sendall(server_frame(0 if index else 2, piece,
                                                    fin=index == len(pieces) - 1,
                                                    rsv=4 if index == 0 else 0))
            except OSError:
                pass  # the client may fail the connection before the last frame
            while True:
                frame = read_client_frame(connection)
                if frame is None:
                    return
                if frame[0] == 8:
                    self.client_close = frame[2]
                    connection.sendall(server_frame(8, frame[2][:2]))
                    return
        self.client_close = None
        return self.raw_server(handler)

    def assertClosedWith1009(self):
        # The server sees the close unless the client's socket went away first, with some of
        # the bomb still unread (the kernel then resets the connection).
        if self.client_close is not None:
            self.assertEqual(self.client_close[:2], (1009).to_bytes(2, "big"))

    def test_small_bomb_fails_with_1009(self):
        payload = bomb(8)
        self.assertLess(len(payload), 16 * KiB, "a few KiB")
        server = self.bomb_server(payload)
        result = run_cli("--frames", "--deflate", "--max-message-size", str(1 * MiB),
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 3)
        self.assertStderrMentions(result, "1048576 bytes", "--max-message-size")
        ours = [f for f in result.frames("out") if f["opcode"] == 8]
        self.assertEqual(len(ours), 1, result.describe())
        self.assertEqual(ours[0]["payloadHex"][:4], (1009).to_bytes(2, "big").hex())
        self.assertClosedWith1009()
        self.assertEqual(messages(result.frames("in")), [], "no message was delivered")

    def test_memory_stays_near_the_limit(self):
        """1 MiB on the wire inflating to 1 GiB, in one frame and then in 64 fragments: the
        client's peak memory stays within what a 1 MiB message needs plus the limit and 16 MiB.
        (Relative to that baseline, so a build whose floor is higher, such as one with
        AddressSanitizer, is held to the same bound.)"""
        limit = 8 * MiB
        payload = bomb(1024)
        baseline_server = self.bomb_server(bomb(1))
        baseline, baseline_rss = run_measured("--deflate", "--max-message-size", str(limit),
                                              "-n", "1", f"ws://127.0.0.1:{baseline_server.port}/")
        self.assertExit(baseline, 0)  # 1 MiB fits
        for frames in (1, 64):
            with self.subTest(frames=frames):
                server = self.bomb_server(payload, frames=frames)
                result, rss = run_measured("--deflate", "--max-message-size", str(limit),
                                           f"ws://127.0.0.1:{server.port}/")
                self.assertExit(result, 3)
                self.assertStderrMentions(result, f"{limit} bytes")
                self.assertClosedWith1009()
                if os.environ.get("DUPLEX_SHOW_RSS"):
                    print(f"\n  peak RSS: {rss / MiB:.1f} MiB ({frames} frames), "
                          f"{baseline_rss / MiB:.1f} MiB for a 1 MiB message", end=" ")
                self.assertLess(rss, baseline_rss + limit + 16 * MiB,
                                f"peak RSS {rss / MiB:.1f} MiB (a 1 MiB message needed "
                                f"{baseline_rss / MiB:.1f} MiB){result.describe()}")


class BadAnswers(InteropTestCase):
    """A server's answer that breaks RFC 7692's rules fails the handshake (exit 2)."""

    def refused(self, answer, cli_args, *patterns):
        def handler(connection, request):
            connection.sendall(switching_protocols(
                request, extra=[f"Sec-WebSocket-Extensions: {answer}"]))
            while connection.recv(65536):
                pass
        server = self.raw_server(handler)
        result = run_cli("--frames", *cli_args, "-m", "never sent",
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, *patterns)
        self.assertEqual(result.frames(), [], "no frame may cross a refused handshake")

    def test_window_larger_than_allowed(self):
        self.refused("permessage-deflate; server_max_window_bits=12",
                     ["--deflate-server-max-window-bits", "10"], "server_max_window_bits", "12")

    def test_client_window_larger_than_offered(self):
        self.refused("permessage-deflate; client_max_window_bits=12",
                     ["--deflate-client-max-window-bits", "10"], "client_max_window_bits")

    def test_unknown_parameter(self):
        self.refused("permessage-deflate; mystery=1", ["--deflate"], "mystery")

    def test_not_offered(self):
        self.refused("permessage-deflate", [], "permessage-deflate")


# ----- the command line ---------------------------------------------------------------------

class Flags(InteropTestCase):
    FLAGS = ["--deflate-client-max-window-bits", "--deflate-server-max-window-bits",
             "--deflate-server-no-context-takeover", "--deflate-client-no-context-takeover",
             "--deflate-level", "--no-compress"]

    def test_help_documents_the_flags(self):
        result = run_cli("--help")
        self.assertExit(result, 0)
        text = result.stdout.decode()
        for flag in self.FLAGS:
            self.assertIn(flag, text)
        flat = re.sub(r"\s+", " ", text)  # the descriptions wrap
        for flag in self.FLAGS[:2]:
            self.assertRegex(flat, rf"{flag} <N> [^<]*N from 8 to 15")
        self.assertRegex(flat, r"--deflate-level <N> [^<]*0 [^<]*to 9")

    def test_bad_values(self):
        url = "ws://127.0.0.1:9/"
        cases = [
            (["--deflate-client-max-window-bits", "16"], "--deflate-client-max-window-bits",
             '"16"', "8 to 15"),
            (["--deflate-client-max-window-bits", "7"], "--deflate-client-max-window-bits",
             "8 to 15"),
            (["--deflate-server-max-window-bits", "ten"], "--deflate-server-max-window-bits",
             '"ten"', "8 to 15"),
            (["--deflate-level", "10"], "--deflate-level", "0", "9"),
            (["--deflate-level", "-1"], "--deflate-level", "0", "9"),
            (["--deflate-server-no-context-takeover=yes"], "deflate-server-no-context-takeover"),
        ]
        for args, *patterns in cases:
            with self.subTest(args=args):
                result = run_cli(*args, url)
                self.assertExit(result, 1)
                for pattern in patterns:
                    self.assertIn(pattern, result.stderr, result.describe())
                self.assertEqual(result.stdout, b"")

    def test_each_flag_implies_deflate(self):
        peer = self.peer(python_echo(self.workdir, name="echo"))
        for flag in [["--deflate-client-max-window-bits", "12"],
                     ["--deflate-server-max-window-bits", "12"],
                     ["--deflate-server-no-context-takeover"],
                     ["--deflate-client-no-context-takeover"], ["--deflate-level", "1"],
                     ["--no-compress"]]:
            with self.subTest(flag=flag):
                result = run_cli("--frames", *flag, "-m", "x" * 500, "-n", "1",
                                 f"ws://127.0.0.1:{peer.port}/")
                self.assertExit(result, 0)
                self.assertIsNotNone(parameters(result.events("open")[0]["extensions"]),
                                     result.describe())

    def test_level(self):
        """Level 0 still compresses (stored blocks, RSV1 set) and 9 beats 1."""
        peer = self.peer(python_echo(self.workdir, name="echo"))
        path = self.write_file("level.bin", binary_of_size(256 * KiB))
        lengths = {}
        for level in ("0", "1", "9"):
            result = run_cli("--frames", "--deflate-level", level, "--send-file", path, "-n",
                             "1", f"ws://127.0.0.1:{peer.port}/")
            self.assertExit(result, 0)
            [frame] = first_frames(result.frames("out"))
            self.assertTrue(frame["rsv1"])
            self.assertEqual(frame["inflatedLength"], 256 * KiB)
            lengths[level] = frame["length"]
        self.assertGreater(lengths["0"], 256 * KiB)
        self.assertLess(lengths["9"], lengths["1"])

    def test_saved_in_a_profile(self):
        config = os.path.join(self.workdir, "config")
        env = dict(os.environ, XDG_CONFIG_HOME=config, HOME=config)
        peer = self.peer(python_echo(self.workdir, name="echo"))
        url = f"ws://127.0.0.1:{peer.port}/"
        saved = run_cli("--save-profile", "squeezed", "--deflate-server-max-window-bits", "10",
                        "--deflate-client-max-window-bits", "11",
                        "--deflate-server-no-context-takeover",
                        "--deflate-client-no-context-takeover", "--deflate-level", "1",
                        "-m", "hello " * 100, url, env=env)
        self.assertExit(saved, 0)
        document = None
        for root, _, files in os.walk(config):
            if "profiles.json" in files:
                with open(os.path.join(root, "profiles.json"), encoding="utf-8") as f:
                    document = json.load(f)
        self.assertIsNotNone(document, "no profiles.json written")
        [profile] = document["profiles"]
        self.assertEqual(profile["deflate"], {
            "enabled": True, "clientMaxWindowBits": 11, "serverMaxWindowBits": 10,
            "clientNoContextTakeover": True, "serverNoContextTakeover": True})

        result = run_cli("--frames", "--profile", "squeezed", "-n", "1", env=env)
        self.assertExit(result, 0)
        self.assertEqual(parameters(result.events("open")[0]["extensions"]), {
            "server_no_context_takeover": True, "client_no_context_takeover": True,
            "server_max_window_bits": 10, "client_max_window_bits": 11})
        [sent] = first_frames(result.frames("out"))
        self.assertTrue(sent["rsv1"])

        # Run-only flags on top of the profile: --no-compress reaches its on-connect message.
        result = run_cli("--frames", "--profile", "squeezed", "--no-compress", "-n", "1",
                         env=env)
        self.assertExit(result, 0)
        [sent] = first_frames(result.frames("out"))
        self.assertFalse(sent["rsv1"])
        self.assertEqual(sent["length"], len("hello " * 100))


if __name__ == "__main__":
    unittest.main()
