#!/usr/bin/env python3
"""Client-conformance test server for WebSocket clients.

Modelled on the client cases of the Autobahn|Testsuite "fuzzingserver": the server plays one
scripted case per connection (`/runCase?case=ID`), deliberately sending malformed frames where a
case calls for it, and grades what the client does against the same verdict rules.  It starts
the client under test itself, once per case, from a command template (`--client-cmd`), or a
built-in reference echo client written with python3-websockets (`--client-python-reference`),
which validates the server against an independent implementation.

The server side uses the Python standard library only (asyncio and raw TCP): a WebSocket
library would refuse to produce the broken frames the cases are made of.

See README.md beside this file for how to run it by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import fnmatch
import hashlib
import json
import os
import random
import shlex
import signal
import struct
import sys
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Optional

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA
OPCODE_NAMES = {0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong"}

CLOSE_NORMAL = 1000
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_INVALID_PAYLOAD = 1007

# Verdicts, worst last.  NON-STRICT is what Autobahn grades as acceptable but not strict
# (a TCP drop instead of a close frame, a missing echo before failing); this server counts it
# as not passed unless --accept-non-strict is given.
PASS = "PASS"
INFORMATIONAL = "INFORMATIONAL"
NON_STRICT = "NON-STRICT"
FAIL = "FAIL"
SEVERITY = {PASS: 0, INFORMATIONAL: 0, NON_STRICT: 1, FAIL: 2}
ACCEPT_NON_STRICT = False  # --accept-non-strict

MAX_CLIENT_MESSAGE = 64 * 1024 * 1024  # larger echoes than the largest case are a client bug
STREAM_LIMIT = 1 << 20

# Timings of the case scripts, in seconds, before --timeout-scale.
DEFAULT_CASE_TIMEOUT = 10.0
SETTLE_AFTER_ECHO = 0.1  # wait this long after the last expected echo for unexpected extras
SETTLE_NOTHING_EXPECTED = 0.5  # how long "nothing comes back" is watched
FAIL_WAIT = 5.0  # how long a client gets to fail the connection
CLOSE_TCP_WAIT = 5.0  # how long a client gets to close TCP after the closing handshake
FAIL_FAST_WINDOW = 2.0  # 6.4.x: how soon after the invalid bytes the close must come
OCTET_PAUSE = 0.001  # pause between single-octet writes so they reach the client separately


# --------------------------------------------------------------------------------------------
# Wire format


def frame(opcode: int, payload: bytes = b"", fin: bool = True, rsv: int = 0) -> bytes:
    """One unmasked server frame; no check at all, so cases can build invalid ones."""
    first = (0x80 if fin else 0) | ((rsv & 0x7) << 4) | (opcode & 0xF)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, n)
    elif n < 0x10000:
        header = struct.pack("!BBH", first, 126, n)
    else:
        header = struct.pack("!BBQ", first, 127, n)
    return header + payload


def close_payload(code: Optional[int] = None, reason: bytes = b"") -> bytes:
    if code is None:
        return b""
    return struct.pack("!H", code) + reason


def apply_mask(data: bytes, key: bytes) -> bytes:
    n = len(data)
    if n == 0:
        return b""
    repeated = (key * ((n + 3) // 4))[:n]
    value = int.from_bytes(data, "little") ^ int.from_bytes(repeated, "little")
    return value.to_bytes(n, "little")


def is_valid_utf8(data: bytes) -> bool:
    # Python's codec is strict RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF.
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def close_code_may_be_sent(code: int) -> bool:
    """Codes an endpoint may put on the wire (RFC 6455 7.4, IANA registry)."""
    return 1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999


def fragments(data: bytes, size: int) -> list[bytes]:
    if size <= 0 or len(data) <= size:
        return [data]
    return [data[i:i + size] for i in range(0, len(data), size)]


def fragmented_message(opcode: int, payload: bytes, size: int) -> list[bytes]:
    parts = fragments(payload, size)
    out = []
    for i, part in enumerate(parts):
        out.append(frame(opcode if i == 0 else OP_CONTINUATION, part, fin=i == len(parts) - 1))
    return out


def preview(data: bytes, text: bool, limit: int = 40) -> str:
    if not data:
        return ""
    if text:
        s = data.decode("utf-8", errors="backslashreplace")
        return repr(s[:limit] + ("..." if len(s) > limit else ""))
    shown = data[:16].hex(" ")
    return shown + (" ..." if len(data) > 16 else "")


class Event:
    """Something the client sent that the verdict compares: a message, a pong, or a marker
    a script records (Autobahn's "timeout" entries).  Payloads are kept as length + SHA-1 +
    head, so 16 MiB echoes and thousands of messages cost nothing to keep."""

    __slots__ = ("kind", "length", "digest", "head")

    def __init__(self, kind: str, payload: bytes = b""):
        self.kind = kind
        self.length = len(payload)
        self.digest = hashlib.sha1(payload).digest()
        self.head = payload[:64]

    @staticmethod
    def marker(label: str) -> "Event":
        return Event("marker", label.encode())

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Event) and self.kind == other.kind
                and self.length == other.length and self.digest == other.digest)

    def __hash__(self) -> int:
        return hash((self.kind, self.length, self.digest))

    def describe(self) -> str:
        if self.kind == "marker":
            return "<" + self.head.decode() + ">"
        body = preview(self.head, self.kind == "text")
        if self.length > len(self.head):
            body += f" sha1 {self.digest.hex()[:12]}"
        return f"{self.kind}({self.length} B{': ' + body if body else ''})"


def describe_events(events: list[Event], limit: int = 6) -> str:
    if not events:
        return "nothing"
    shown = [e.describe() for e in events[:limit]]
    if len(events) > limit:
        shown.append(f"... ({len(events)} in all)")
    return ", ".join(shown)


def first_difference(expected: list[Event], received: list[Event]) -> str:
    for i, (e, r) in enumerate(zip(expected, received)):
        if e != r:
            return f"#{i + 1}: expected {e.describe()}, got {r.describe()}"
    if len(received) < len(expected):
        missing = expected[len(received)].describe()
        return f"#{len(received) + 1}: expected {missing}, got nothing more"
    if len(received) > len(expected):
        return f"#{len(expected) + 1}: unexpected {received[len(expected)].describe()}"
    return ""


# --------------------------------------------------------------------------------------------
# permessage-deflate (RFC 7692)


@dataclass
class DeflatePlan:
    """How the server answers a permessage-deflate offer, after Autobahn's 13.x acceptors.

    Each choice is (no_context_takeover, max_window_bits); 0 bits means "not requested".  The
    first choice the offer can take wins.  A choice applies to both directions: the server asks
    the client for client_no_context_takeover / client_max_window_bits (the latter only if the
    client offered it) and declares server_no_context_takeover / server_max_window_bits for its
    own messages.  A choice marked `needs_client_window` is skipped unless the client offered
    client_max_window_bits (Autobahn's fallback list of 13.7)."""

    choices: list[tuple[bool, int, bool]]
    summary: str


class DeflateState:
    def __init__(self, server_nct: bool, client_nct: bool, server_bits: int, client_bits: int,
                 response: str, note: str):
        self.server_nct = server_nct
        self.client_nct = client_nct
        self.server_bits = server_bits
        self.client_bits = client_bits
        self.response = response
        self.note = note
        self._compressor = None
        self._decompressor = None
        self.raw_in = 0
        self.wire_in = 0
        self.raw_out = 0
        self.wire_out = 0

    def compress(self, payload: bytes) -> bytes:
        if self._compressor is None or self.server_nct:
            # zlib cannot deflate with a 256-byte window; its 512-byte one never emits a
            # distance past 250, so a peer with an 8-bit window still inflates it.
            self._compressor = zlib.compressobj(6, zlib.DEFLATED, -max(9, self.server_bits))
        data = self._compressor.compress(payload) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
        if data.endswith(b"\x00\x00\xff\xff"):
            data = data[:-4]
        self.raw_out += len(payload)
        self.wire_out += len(data)
        return data

    def decompress(self, payload: bytes) -> bytes:
        if self._decompressor is None or self.client_nct:
            self._decompressor = zlib.decompressobj(-self.client_bits)
        out = self._decompressor.decompress(payload + b"\x00\x00\xff\xff", MAX_CLIENT_MESSAGE + 1)
        if len(out) > MAX_CLIENT_MESSAGE:
            raise zlib.error("inflated message too large")
        self.raw_in += len(out)
        self.wire_in += len(payload)
        return out


def parse_extension_header(values: list[str]) -> list[tuple[str, list[tuple[str, Optional[str]]]]]:
    offers = []
    for value in values:
        for item in value.split(","):
            parts = [p.strip() for p in item.split(";")]
            if not parts[0]:
                continue
            params = []
            for p in parts[1:]:
                if not p:
                    continue
                if "=" in p:
                    k, v = p.split("=", 1)
                    v = v.strip()
                    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
                        v = v[1:-1]
                    params.append((k.strip().lower(), v))
                else:
                    params.append((p.lower(), None))
            offers.append((parts[0].lower(), params))
    return offers


def negotiate_deflate(offers, plan: DeflatePlan) -> tuple[Optional[DeflateState], str]:
    """Returns (state, why-not)."""
    problems = []
    for name, params in offers:
        if name != "permessage-deflate":
            continue
        seen = set()
        offer = {"server_no_context_takeover": False, "client_no_context_takeover": False,
                 "server_max_window_bits": None, "client_max_window_bits": None}
        bad = None
        for key, value in params:
            if key in seen:
                bad = f"parameter {key} given twice"
                break
            seen.add(key)
            if key in ("server_no_context_takeover", "client_no_context_takeover"):
                if value is not None:
                    bad = f"{key} takes no value"
                    break
                offer[key] = True
            elif key in ("server_max_window_bits", "client_max_window_bits"):
                if value is None:
                    if key == "server_max_window_bits":
                        bad = "server_max_window_bits needs a value"
                        break
                    offer[key] = True
                elif value.isdigit() and 8 <= int(value) <= 15 and str(int(value)) == value:
                    offer[key] = int(value)
                else:
                    bad = f"invalid {key}={value}"
                    break
            else:
                bad = f"unknown parameter {key}"
                break
        if bad:
            problems.append(bad)
            continue
        client_window_offered = offer["client_max_window_bits"] is not None
        for nct, bits, needs_client_window in plan.choices:
            if needs_client_window and not client_window_offered:
                continue
            server_nct = nct or offer["server_no_context_takeover"]
            client_nct = nct
            server_bits = 15
            if bits:
                server_bits = bits
            if type(offer["server_max_window_bits"]) is int:
                server_bits = min(server_bits, offer["server_max_window_bits"])
            client_bits = 15
            notes = []
            if type(offer["client_max_window_bits"]) is int:  # not True (offered, no value)
                client_bits = offer["client_max_window_bits"]
            if bits:
                if client_window_offered:
                    client_bits = min(client_bits, bits)
                else:
                    notes.append("client did not offer client_max_window_bits: only the "
                                 "server's window is limited")
            response = ["permessage-deflate"]
            if server_nct:
                response.append("server_no_context_takeover")
            if client_nct:
                response.append("client_no_context_takeover")
            if bits or offer["server_max_window_bits"] is not None:
                response.append(f"server_max_window_bits={server_bits}")
            if client_window_offered and (bits or type(offer["client_max_window_bits"]) is int):
                response.append(f"client_max_window_bits={client_bits}")
            return DeflateState(server_nct, client_nct, server_bits, client_bits,
                                "; ".join(response), "; ".join(notes)), ""
        problems.append("offer cannot take any of the case's parameter sets")
    if not offers or all(name != "permessage-deflate" for name, _ in offers):
        return None, "the client did not offer permessage-deflate"
    return None, "no acceptable permessage-deflate offer (" + "; ".join(problems) + ")"


# --------------------------------------------------------------------------------------------
# Cases


@dataclass
class CloseExpectation:
    by_server: bool  # the server starts the closing handshake (else the client must fail it)
    codes: tuple  # close codes accepted from the client; None stands for an empty close frame
    clean: bool = True  # False: a TCP drop without close frame is a non-strict pass (Autobahn)
    preferred: Optional[int] = None  # another accepted code is only a non-strict pass
    client_fails: bool = False  # the client is expected to fail the connection (exit code 3)
    reason: Optional[bytes] = None  # close reason the client should echo (non-strict otherwise)


Script = Callable[["Session"], Awaitable[None]]


@dataclass
class Case:
    id: str
    description: str
    expectation: str
    script: Script
    timeout: float = DEFAULT_CASE_TIMEOUT
    cost: float = 1.0  # scheduling weight: the costliest cases start first
    deflate: Optional[DeflatePlan] = None

    @property
    def section(self) -> str:
        return self.id.split(".")[0]

    def sort_key(self) -> tuple:
        return tuple(int(p) for p in self.id.split("."))


CASES: list[Case] = []


def add_case(case_id: str, description: str, expectation: str, script: Script, **kw) -> None:
    CASES.append(Case(case_id, description, expectation, script, **kw))


ECHO = "The echoed messages (and pongs) match what was sent, in order; clean close with code 1000."


def expect_echo_script(frames_: list[bytes], expected: list[Event], mode="together",
                       nonstrict: Optional[list[Event]] = None) -> Script:
    async def script(s: "Session") -> None:
        s.expect_ok(*expected)
        if nonstrict is not None:
            s.expect_nonstrict(*nonstrict)
        s.expect_echo_close()
        await s.send_frames(frames_, mode)
    return script


def expect_fail_script(frames_: list[bytes], code: int, mode="together",
                       ok: Optional[list[Event]] = None,
                       nonstrict: Optional[list[Event]] = None) -> Script:
    async def script(s: "Session") -> None:
        s.expect_ok(*(ok or []))
        if nonstrict is not None:
            s.expect_nonstrict(*nonstrict)
        s.expect_fail(code)
        await s.send_frames(frames_, mode)
    return script


def text(payload: bytes) -> Event:
    return Event("text", payload)


def binary(payload: bytes) -> Event:
    return Event("binary", payload)


def pong(payload: bytes) -> Event:
    return Event("pong", payload)


MODE_NAMES = {"together": "in one chop", "frames": "frame-wise chops", "octets": "octet-wise chops"}


def define_section1() -> None:
    sizes = [0, 125, 126, 127, 128, 65535, 65536]
    for sub, (opcode, kind, fill) in enumerate([(OP_TEXT, "text", b"*"),
                                               (OP_BINARY, "binary", b"\xfe")], 1):
        for i, n in enumerate(sizes, 1):
            payload = fill * n
            add_case(f"1.{sub}.{i}", f"Send {kind} message with payload of length {n}.", ECHO,
                     expect_echo_script([frame(opcode, payload)], [Event(kind, payload)]))
        payload = fill * 65536
        add_case(f"1.{sub}.8", f"Send {kind} message with payload of length 65536, written in "
                 "chops of 997 octets.", ECHO,
                 expect_echo_script([frame(opcode, payload)], [Event(kind, payload)], mode=997))


def define_section2() -> None:
    fail = "The client fails the connection with close 1002; no pong."
    binary_payload = b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"
    add_case("2.1", "Send ping without payload.", "Pong with empty payload.",
             expect_echo_script([frame(OP_PING)], [pong(b"")]))
    add_case("2.2", "Send ping with small text payload.", "Pong with the same payload.",
             expect_echo_script([frame(OP_PING, b"Hello, world!")], [pong(b"Hello, world!")]))
    add_case("2.3", "Send ping with small binary (not UTF-8) payload.",
             "Pong with the same payload.",
             expect_echo_script([frame(OP_PING, binary_payload)], [pong(binary_payload)]))
    add_case("2.4", "Send ping with binary payload of 125 octets.", "Pong with the same payload.",
             expect_echo_script([frame(OP_PING, b"\xfe" * 125)], [pong(b"\xfe" * 125)]))
    add_case("2.5", "Send ping with binary payload of 126 octets (control frame too long).", fail,
             expect_fail_script([frame(OP_PING, b"\xfe" * 126)], CLOSE_PROTOCOL_ERROR))
    add_case("2.6", "Send ping with binary payload of 125 octets, written octet by octet.",
             "Pong with the same payload.",
             expect_echo_script([frame(OP_PING, b"\xfe" * 125)], [pong(b"\xfe" * 125)],
                                mode="octets"))
    add_case("2.7", "Send unsolicited pong without payload.",
             "Nothing comes back; clean close 1000.",
             expect_echo_script([frame(OP_PONG)], []))
    add_case("2.8", "Send unsolicited pong with payload.", "Nothing comes back; clean close 1000.",
             expect_echo_script([frame(OP_PONG, b"unsolicited pong payload")], []))
    add_case("2.9", "Send unsolicited pong with payload, then ping with payload.",
             "Only the pong answering the ping comes back.",
             expect_echo_script([frame(OP_PONG, b"unsolicited pong payload"),
                                 frame(OP_PING, b"ping payload")], [pong(b"ping payload")]))
    pings = [f"payload-{i}".encode() for i in range(10)]
    add_case("2.10", "Send 10 pings with payload.", "10 pongs with the payloads, in order.",
             expect_echo_script([frame(OP_PING, p) for p in pings], [pong(p) for p in pings]))
    add_case("2.11", "Send 10 pings with payload, written octet by octet.",
             "10 pongs with the payloads, in order.",
             expect_echo_script([frame(OP_PING, p) for p in pings], [pong(p) for p in pings],
                                mode="octets"))


def define_section3() -> None:
    fail = "The client fails the connection with close 1002 (RSV bits without an extension)."
    fail_after_echo = ("The first message is echoed, then the client fails the connection with "
                       "close 1002 and does not answer the ping.")
    hello = b"Hello, world!"
    add_case("3.1", "Send small text message with RSV = 1.", fail,
             expect_fail_script([frame(OP_TEXT, hello, rsv=1)], CLOSE_PROTOCOL_ERROR))
    for case_id, rsv, mode in (("3.2", 2, "together"), ("3.3", 3, "frames"), ("3.4", 4, "octets")):
        add_case(case_id, f"Send small text message, then again with RSV = {rsv}, then a ping "
                 f"({MODE_NAMES[mode]}).", fail_after_echo,
                 expect_fail_script([frame(OP_TEXT, hello), frame(OP_TEXT, hello, rsv=rsv),
                                     frame(OP_PING, hello)], CLOSE_PROTOCOL_ERROR, mode=mode,
                                    ok=[text(hello)], nonstrict=[]))
    add_case("3.5", "Send small binary message with RSV = 5.", fail,
             expect_fail_script([frame(OP_BINARY, b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff", rsv=5)],
                                CLOSE_PROTOCOL_ERROR))
    add_case("3.6", "Send ping with RSV = 6.", fail,
             expect_fail_script([frame(OP_PING, hello, rsv=6)], CLOSE_PROTOCOL_ERROR))
    add_case("3.7", "Send close with RSV = 7.", fail,
             expect_fail_script([frame(OP_CLOSE, close_payload(1000), rsv=7)],
                                CLOSE_PROTOCOL_ERROR))


def define_section4() -> None:
    hello = b"Hello, world!"
    for sub, opcodes, kind in ((1, (3, 4, 5, 6, 7), "non-control"),
                               (2, (11, 12, 13, 14, 15), "control")):
        for i, opcode in enumerate(opcodes, 1):
            payload = b"" if i in (1, 3) else b"reserved opcode payload"
            with_payload = " and non-empty payload" if payload else ""
            if i <= 2:
                add_case(f"4.{sub}.{i}",
                         f"Send frame with reserved {kind} opcode {opcode}{with_payload}.",
                         "The client fails the connection with close 1002.",
                         expect_fail_script([frame(opcode, payload)], CLOSE_PROTOCOL_ERROR))
            else:
                add_case(f"4.{sub}.{i}", f"Send small text message, then frame with reserved "
                         f"{kind} opcode {opcode}{with_payload}, then ping.",
                         "The text message is echoed, then the client fails the connection with "
                         "close 1002 and does not answer the ping.",
                         expect_fail_script([frame(OP_TEXT, hello), frame(opcode, payload),
                                             frame(OP_PING, hello)], CLOSE_PROTOCOL_ERROR,
                                            ok=[text(hello)], nonstrict=[]))


def define_section5() -> None:
    fail = "The client fails the connection with close 1002."
    f1, f2 = b"fragment1", b"fragment2"
    add_case("5.1", "Send ping fragmented into 2 fragments.", fail,
             expect_fail_script([frame(OP_PING, f1, fin=False), frame(OP_CONTINUATION, f2)],
                                CLOSE_PROTOCOL_ERROR))
    add_case("5.2", "Send pong fragmented into 2 fragments.", fail,
             expect_fail_script([frame(OP_PONG, f1, fin=False), frame(OP_CONTINUATION, f2)],
                                CLOSE_PROTOCOL_ERROR))
    two = [frame(OP_TEXT, f1, fin=False), frame(OP_CONTINUATION, f2)]
    for case_id, mode in (("5.3", "together"), ("5.4", "frames"), ("5.5", "octets")):
        add_case(case_id, f"Send text message fragmented into 2 fragments ({MODE_NAMES[mode]}).",
                 ECHO, expect_echo_script(two, [text(f1 + f2)], mode=mode))
    with_ping = [frame(OP_TEXT, f1, fin=False), frame(OP_PING, b"ping payload"),
                 frame(OP_CONTINUATION, f2)]
    for case_id, mode in (("5.6", "together"), ("5.7", "frames"), ("5.8", "octets")):
        add_case(case_id, "Send text message fragmented into 2 fragments, a ping with payload "
                 f"in between ({MODE_NAMES[mode]}).", "The pong, then the echoed message.",
                 expect_echo_script(with_ping, [pong(b"ping payload"), text(f1 + f2)], mode=mode))
    for first_id, fin in ((9, True), (12, False)):
        stray = [frame(OP_CONTINUATION, b"non-continuation payload", fin=fin),
                 frame(OP_TEXT, b"Hello, world!")]
        for offset, mode in enumerate(("together", "frames", "octets")):
            add_case(f"5.{first_id + offset}",
                     f"Send continuation frame with FIN = {str(fin).lower()} "
                     "when there is nothing to continue, then a text message "
                     f"({MODE_NAMES[mode]}).", fail,
                     expect_fail_script(stray, CLOSE_PROTOCOL_ERROR, mode=mode))
    add_case("5.15", "Send text message fragmented into 2 fragments, then continuation frame with "
             "FIN = false where there is nothing to continue, then a text message.",
             "The fragmented message is echoed, then the client fails the connection with 1002.",
             expect_fail_script([frame(OP_TEXT, f1, fin=False), frame(OP_CONTINUATION, f2),
                                 frame(OP_CONTINUATION, b"fragment3", fin=False),
                                 frame(OP_TEXT, b"fragment4")], CLOSE_PROTOCOL_ERROR,
                                ok=[text(f1 + f2)], nonstrict=[]))
    for case_id, fin in (("5.16", False), ("5.17", True)):
        seq = [frame(OP_CONTINUATION, f1, fin=fin), frame(OP_TEXT, f2, fin=False),
               frame(OP_CONTINUATION, b"fragment3")] * 2
        add_case(case_id, f"Twice: continuation frame with FIN = {str(fin).lower()} where there is "
                 "nothing to continue, then a text message fragmented into 2 fragments.", fail,
                 expect_fail_script(seq, CLOSE_PROTOCOL_ERROR))
    add_case("5.18",
             "Send text message fragmented into 2 fragments, both frames with the text opcode.",
             fail, expect_fail_script([frame(OP_TEXT, f1, fin=False), frame(OP_TEXT, f2)],
                                      CLOSE_PROTOCOL_ERROR))

    def interleaved(mode: str) -> Script:
        async def script(s: Session) -> None:
            s.expect_ok(pong(b"pongme 1!"), pong(b"pongme 2!"),
                        text(b"fragment1fragment2fragment3fragment4fragment5"))
            s.expect_echo_close()
            await s.send_frames([frame(OP_TEXT, b"fragment1", fin=False),
                                 frame(OP_CONTINUATION, b"fragment2", fin=False),
                                 frame(OP_PING, b"pongme 1!")], mode)
            await s.sleep(0.5)
            await s.send_frames([frame(OP_CONTINUATION, b"fragment3", fin=False),
                                 frame(OP_CONTINUATION, b"fragment4", fin=False),
                                 frame(OP_PING, b"pongme 2!"),
                                 frame(OP_CONTINUATION, b"fragment5")], mode)
        return script
    desc = ("Send a text message in 5 fragments: 2 fragments, a ping, a pause, 2 fragments, "
            "another ping, the last fragment")
    add_case("5.19", desc + ".", "Both pongs, then the echoed message.", interleaved("together"))
    add_case("5.20", desc + " (frame-wise chops).", "Both pongs, then the echoed message.",
             interleaved("frames"))

    # Beyond Autobahn's section 5, which fragments text only.
    b1, b2 = b"\x00\xff\xfe\xfd", b"\xfc\xfb\x00\xff"
    add_case("5.21", "Send binary message fragmented into 2 fragments.", ECHO,
             expect_echo_script([frame(OP_BINARY, b1, fin=False), frame(OP_CONTINUATION, b2)],
                                [binary(b1 + b2)]))
    add_case("5.22", "Send binary message fragmented into 2 fragments, a ping in between "
             "(octet-wise chops).", "The pong, then the echoed message.",
             expect_echo_script([frame(OP_BINARY, b1, fin=False), frame(OP_PING, b"ping payload"),
                                 frame(OP_CONTINUATION, b2)],
                                [pong(b"ping payload"), binary(b1 + b2)], mode="octets"))
    tiny = text_payload(1000)
    add_case("5.23", "Send text message of 1000 octets in 1000 fragments of 1 octet.", ECHO,
             expect_echo_script(fragmented_message(OP_TEXT, tiny, 1), [text(tiny)]))
    tiny_bin = binary_payload(1000)
    frames_ = []
    pings = []
    for i, f in enumerate(fragmented_message(OP_BINARY, tiny_bin, 1), 1):
        frames_.append(f)
        if i % 100 == 0 and i < 1000:
            pings.append(f"ping after fragment {i}".encode())
            frames_.append(frame(OP_PING, pings[-1]))
    add_case("5.24", "Send binary message of 1000 octets in 1000 fragments of 1 octet, a ping "
             "after every 100th fragment.", "9 pongs in order, then the echoed message.",
             expect_echo_script(frames_, [pong(p) for p in pings] + [binary(tiny_bin)]))


# Markus Kuhn's UTF-8 decoder stress test, as grouped by Autobahn's 6.5 .. 6.23.
KAPPA = bytes.fromhex("cebae1bdb9cf83cebcceb5")  # "κόσμε"


def utf8_groups() -> list[tuple[str, list[bytes]]]:
    groups: list[tuple[str, list[bytes]]] = []
    groups.append(("Some valid UTF-8 sequences",
                   [b"hello\x24world", b"hello\xc2\xa2world", b"hello\xe2\x82\xacworld",
                    b"hello\xf0\xa4\xad\xa2world", KAPPA]))
    groups.append(("All prefixes of a valid string of multi-byte code points",
                   [KAPPA[:i] for i in range(1, len(KAPPA) + 1)]))
    groups.append(("First possible sequence of each length",
                   [b"\x00", b"\xc2\x80", b"\xe0\xa0\x80", b"\xf0\x90\x80\x80"]))
    groups.append(("First possible sequence of length 5 and 6 (beyond U+10FFFF)",
                   [b"\xf8\x88\x80\x80\x80", b"\xfc\x84\x80\x80\x80\x80"]))
    groups.append(("Last possible sequence of each length",
                   [b"\x7f", b"\xdf\xbf", b"\xef\xbf\xbf", b"\xf4\x8f\xbf\xbf"]))
    groups.append(("Last possible sequence of length 4, 5 and 6 (beyond U+10FFFF)",
                   [b"\xf7\xbf\xbf\xbf", b"\xfb\xbf\xbf\xbf\xbf", b"\xfd\xbf\xbf\xbf\xbf\xbf"]))
    groups.append(("Other boundary conditions",
                   [b"\xed\x9f\xbf", b"\xee\x80\x80", b"\xef\xbf\xbd", b"\xf4\x8f\xbf\xbf",
                    b"\xf4\x90\x80\x80"]))
    groups.append(("Unexpected continuation bytes",
                   [b"\x80", b"\xbf", b"\x80\xbf", b"\x80\xbf\x80", b"\x80\xbf\x80\xbf",
                    b"\x80\xbf\x80\xbf\x80", b"\x80\xbf\x80\xbf\x80\xbf",
                    bytes(range(0x80, 0xc0))]))
    groups.append(("Lonely start bytes, each followed by a space",
                   [b"".join(bytes([b, 0x20]) for b in range(lo, hi + 1))
                    for lo, hi in ((0xc0, 0xdf), (0xe0, 0xef), (0xf0, 0xf7), (0xf8, 0xfb),
                                   (0xfc, 0xfd))]))
    truncated = [bytes.fromhex(h) for h in ("c0", "e080", "f08080", "f8808080", "fc80808080",
                                            "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf")]
    groups.append(("Sequences with the last continuation byte missing", truncated))
    groups.append(("Concatenation of incomplete sequences", [b"".join(truncated)]))
    groups.append(("Impossible bytes", [b"\xfe", b"\xff", b"\xfe\xfe\xff\xff"]))
    groups.append(("Overlong forms of '/'",
                   [b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf", b"\xf8\x80\x80\x80\xaf",
                    b"\xfc\x80\x80\x80\x80\xaf"]))
    groups.append(("Maximum overlong sequences",
                   [b"\xc1\xbf", b"\xe0\x9f\xbf", b"\xf0\x8f\xbf\xbf", b"\xf8\x87\xbf\xbf\xbf",
                    b"\xfc\x83\xbf\xbf\xbf\xbf"]))
    groups.append(("Overlong forms of NUL",
                   [b"\xc0\x80", b"\xe0\x80\x80", b"\xf0\x80\x80\x80", b"\xf8\x80\x80\x80\x80",
                    b"\xfc\x80\x80\x80\x80\x80"]))
    groups.append(("Single UTF-16 surrogates",
                   [bytes.fromhex(h) for h in ("eda080", "edadbf", "edae80", "edafbf", "edb080",
                                               "edbe80", "edbfbf")]))
    groups.append(("Paired UTF-16 surrogates",
                   [bytes.fromhex(hi + lo) for hi in ("eda080", "edadbf", "edae80", "edafbf")
                    for lo in ("edb080", "edbfbf")]))
    nonchars = [b"\xef\xbf\xbe", b"\xef\xbf\xbf"]
    for plane in range(1, 17):  # U+nFFFE and U+nFFFF of every supplementary plane
        for last in (0xFFFE, 0xFFFF):
            nonchars.append(chr((plane << 16) | last).encode("utf-8"))
    groups.append(("Non-character code points (valid UTF-8)", nonchars))
    groups.append(("Unicode specials, the replacement character among them",
                   [chr(c).encode("utf-8") for c in range(0xFFF9, 0x10000)]))
    return groups


def define_section6() -> None:
    echo = "The message is echoed."
    add_case("6.1.1", "Send text message of length 0.", echo,
             expect_echo_script([frame(OP_TEXT)], [text(b"")]))
    add_case("6.1.2", "Send fragmented text message, 3 fragments each of length 0.", echo,
             expect_echo_script([frame(OP_TEXT, fin=False), frame(OP_CONTINUATION, fin=False),
                                 frame(OP_CONTINUATION)], [text(b"")]))
    middle = b"middle frame payload"
    add_case("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0.",
             echo,
             expect_echo_script([frame(OP_TEXT, fin=False),
                                 frame(OP_CONTINUATION, middle, fin=False),
                                 frame(OP_CONTINUATION)], [text(middle)]))
    hello = "Hello-µ@ßöäüàá-UTF-8!!".encode("utf-8")
    add_case("6.2.1", "Send valid UTF-8 text message in one fragment.", echo,
             expect_echo_script([frame(OP_TEXT, hello)], [text(hello)]))
    cut = len("Hello-µ@ßöä".encode("utf-8"))
    add_case("6.2.2",
             "Send valid UTF-8 text message in 2 fragments, split on a code point boundary.",
             echo, expect_echo_script([frame(OP_TEXT, hello[:cut], fin=False),
                                       frame(OP_CONTINUATION, hello[cut:])], [text(hello)]))
    add_case("6.2.3",
             "Send valid UTF-8 text message in fragments of 1 octet (splitting code points).",
             echo, expect_echo_script(fragmented_message(OP_TEXT, hello, 1), [text(hello)]))
    add_case("6.2.4", "Send valid UTF-8 text message (κόσμε) in fragments of 1 octet.", echo,
             expect_echo_script(fragmented_message(OP_TEXT, KAPPA, 1), [text(KAPPA)]))
    invalid = KAPPA + b"\xed\xa0\x80" + b"edited"
    fail = "The client fails the connection with close 1007."
    add_case("6.3.1", "Send invalid UTF-8 text message unfragmented (a surrogate inside).", fail,
             expect_fail_script([frame(OP_TEXT, invalid)], CLOSE_INVALID_PAYLOAD))
    add_case("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet.", fail,
             expect_fail_script(fragmented_message(OP_TEXT, invalid, 1), CLOSE_INVALID_PAYLOAD))

    def fail_fast(parts: tuple[bytes, bytes, bytes], as_frames: bool) -> Script:
        async def script(s: Session) -> None:
            # Autobahn's rule: after the valid first part nothing may happen ("timeout A"); the
            # close 1007 must follow the invalid second part before the rest is sent; a close
            # only after the third part ("timeout B") is non-strict.
            s.expect_ok(Event.marker("no close after the valid first part"))
            s.expect_nonstrict(Event.marker("no close after the valid first part"),
                               Event.marker("no close after the invalid second part"))
            s.expect_fail(CLOSE_INVALID_PAYLOAD)
            p1, p2, p3 = parts
            if as_frames:
                chunks = [frame(OP_TEXT, p1, fin=False), frame(OP_CONTINUATION, p2, fin=False),
                          frame(OP_CONTINUATION, p3)]
                mid = [False, False, False]
            else:
                whole = frame(OP_TEXT, p1 + p2 + p3)
                header = len(whole) - len(p1 + p2 + p3)
                chunks = [whole[:header + len(p1)], whole[header + len(p1):header + len(p1 + p2)],
                          whole[header + len(p1 + p2):]]
                mid = [True, True, False]
            await s.send(chunks[0], completes_frame=not mid[0])
            if await s.wait_client_gone(0.5):
                return
            s.record(Event.marker("no close after the valid first part"))
            await s.send(chunks[1], completes_frame=not mid[1])
            if await s.wait_client_gone(FAIL_FAST_WINDOW * s.scale):
                return
            s.record(Event.marker("no close after the invalid second part"))
            await s.send(chunks[2], completes_frame=True)
        return script

    parts_a = (KAPPA, b"\xf4\x90\x80\x80", b"edited")
    parts_b = (KAPPA + b"\xf4", b"\x90", b"\x80\x80edited")
    expect = ("Fail fast: no close after the valid first part, close 1007 right after the invalid "
              "second part, before the message is complete (1007 only after the third part is "
              "non-strict).")
    add_case("6.4.1",
             "Send invalid UTF-8 text message in 3 frames with pauses; the 2nd frame holds "
             "the code point beyond U+10FFFF, the last frame is only sent if nothing happened.",
             expect, fail_fast(parts_a, True))
    add_case("6.4.2",
             "As 6.4.1, but the 2nd frame ends on the octet that makes the payload invalid.",
             expect, fail_fast(parts_b, True))
    add_case("6.4.3", "As 6.4.1, but in 3 chops of one frame.", expect, fail_fast(parts_a, False))
    add_case("6.4.4", "As 6.4.2, but in 3 chops of one frame.", expect, fail_fast(parts_b, False))

    for g, (title, payloads) in enumerate(utf8_groups(), 5):
        for i, payload in enumerate(payloads, 1):
            valid = is_valid_utf8(payload)
            desc = (f"{title}: text message in one frame, payload 0x{payload.hex()} "
                    f"({'valid' if valid else 'invalid'} UTF-8).")
            if valid:
                add_case(f"6.{g}.{i}", desc, echo,
                         expect_echo_script([frame(OP_TEXT, payload)], [text(payload)]))
            else:
                add_case(f"6.{g}.{i}", desc, fail,
                         expect_fail_script([frame(OP_TEXT, payload)], CLOSE_INVALID_PAYLOAD))


def define_section7() -> None:
    def closing(frames_: list[bytes], ok: list[Event], codes=(CLOSE_NORMAL,), preferred=None,
                clean=True, client_fails=False, reason=None, informational=None) -> Script:
        async def script(s: Session) -> None:
            s.expect_ok(*ok)
            if informational is not None:
                s.informational = informational
            s.expect_close_reply(codes, preferred=preferred, clean=clean,
                                 client_fails=client_fails, reason=reason)
            s.close_sent = True  # the frames below hold the server's close
            await s.send_frames(frames_, "together")
        return script

    normal = "Clean close with code 1000; nothing else comes back."
    close = frame(OP_CLOSE, close_payload(1000))
    add_case("7.1.1", "Send a text message, then a close frame once it is echoed.",
             "The message is echoed, then a clean close with code 1000.",
             expect_echo_script([frame(OP_TEXT, b"Hello World!")], [text(b"Hello World!")]))
    add_case("7.1.2", "Send two close frames.", normal, closing([close, close], []))
    add_case("7.1.3", "Send a ping after the close frame.", normal + " No pong.",
             closing([close, frame(OP_PING, b"Hello World!")], []))
    add_case("7.1.4", "Send a text message after the close frame.", normal + " No echo.",
             closing([close, frame(OP_TEXT, b"Hello World!")], []))
    add_case("7.1.5", "Send a message fragment, a close frame, then the last fragment.", normal,
             closing([frame(OP_TEXT, b"fragment1", fin=False), close,
                      frame(OP_CONTINUATION, b"fragment2")], []))
    big = (b"BAsd7&jh23" * 26215)[:262144]
    small = b"Hello World!"
    add_case("7.1.6", "Send a 256 KiB text message, a small one, a close frame, then a ping.",
             "Informational: whether the messages are echoed before the close depends on the "
             "client's close behaviour; the close must be clean with code 1000 and no pong.",
             closing([frame(OP_TEXT, big), frame(OP_TEXT, small), close,
                      frame(OP_PING, small)], [text(big), text(small)],
                     informational=[[], [text(big)]]))
    add_case("7.3.1", "Send a close frame with payload length 0 (no code, no reason).",
             "Clean close, the client replies with an empty close frame or code 1000.",
             closing([frame(OP_CLOSE)], [], codes=(None, CLOSE_NORMAL)))
    add_case("7.3.2", "Send a close frame with payload length 1.",
             "The client fails the connection with close 1002.",
             closing([frame(OP_CLOSE, b"a")], [], codes=(CLOSE_PROTOCOL_ERROR,), clean=False,
                     client_fails=True))
    add_case("7.3.3", "Send a close frame with code 1000 and no reason.",
             "Clean close with code 1000.",
             closing([frame(OP_CLOSE, close_payload(1000))], []))
    add_case("7.3.4", "Send a close frame with code 1000 and a reason.",
             "Clean close with code 1000, the reason echoed.",
             closing([frame(OP_CLOSE, close_payload(1000, b"Hello World!"))], [],
                     reason=b"Hello World!"))
    reason123 = b"*" * 123
    add_case("7.3.5", "Send a close frame with code 1000 and a reason of 123 octets (the maximum).",
             "Clean close with code 1000, the reason echoed.",
             closing([frame(OP_CLOSE, close_payload(1000, reason123))], [], reason=reason123))
    add_case("7.3.6",
             "Send a close frame with code 1000 and a reason of 124 octets (frame too long).",
             "The client fails the connection with close 1002.",
             closing([frame(OP_CLOSE, close_payload(1000, b"*" * 124))], [],
                     codes=(CLOSE_PROTOCOL_ERROR,), clean=False, client_fails=True))
    add_case("7.5.1", "Send a close frame with a reason that is not valid UTF-8.",
             "The client fails the connection with close 1007.",
             closing([frame(OP_CLOSE, close_payload(1000, KAPPA + b"\xed\xa0\x80edited"))], [],
                     codes=(CLOSE_INVALID_PAYLOAD,), clean=False, client_fails=True))
    valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
             3000, 3999, 4000, 4999]
    for i, code in enumerate(valid, 1):
        add_case(f"7.7.{i}", f"Send a close frame with valid close code {code}.",
                 f"Clean close, the client echoes code {code} (1000 instead is non-strict).",
                 closing([frame(OP_CLOSE, close_payload(code))], [], codes=(code, CLOSE_NORMAL),
                         preferred=code))
    invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999]
    for i, code in enumerate(invalid, 1):
        add_case(f"7.9.{i}", f"Send a close frame with invalid close code {code}.",
                 "The client fails the connection with close 1002.",
                 closing([frame(OP_CLOSE, close_payload(code))], [], codes=(CLOSE_PROTOCOL_ERROR,),
                         clean=False, client_fails=True))
    for i, code in enumerate([5000, 65535], 1):
        add_case(f"7.13.{i}", f"Send a close frame with close code {code} (outside every range).",
                 "The client fails the connection with close 1002.",
                 closing([frame(OP_CLOSE, close_payload(code))], [], codes=(CLOSE_PROTOCOL_ERROR,),
                         clean=False, client_fails=True))


TEXT_PATTERN = b"BAsd7&jh23"


def text_payload(n: int) -> bytes:
    return (TEXT_PATTERN * (n // len(TEXT_PATTERN) + 1))[:n]


_binary_cache: dict[int, bytes] = {}


def binary_payload(n: int) -> bytes:
    if n not in _binary_cache:
        _binary_cache[n] = random.Random(n).randbytes(n)
    return _binary_cache[n]


def size_name(n: int) -> str:
    if n >= 1 << 20:
        return f"{n >> 20} MiB"
    if n >= 1 << 10:
        return f"{n >> 10} KiB"
    return f"{n} octets"


def big_echo_script(opcode: int, n: int, frag: int = 0, chop: int = 0) -> Script:
    async def script(s: Session) -> None:
        payload = text_payload(n) if opcode == OP_TEXT else binary_payload(n)
        kind = "text" if opcode == OP_TEXT else "binary"
        s.expect_ok(Event(kind, payload))
        s.expect_echo_close()
        frames_ = fragmented_message(opcode, payload, frag) if frag else [frame(opcode, payload)]
        started = time.monotonic()
        await s.send_frames(frames_, chop if chop else "together")
        await s.wait_received(1)
        s.info["round_trip_ms"] = round((time.monotonic() - started) * 1000, 1)
    return script


def rtt_script(opcode: int, n: int, count: int) -> Script:
    async def script(s: Session) -> None:
        payload = text_payload(n) if opcode == OP_TEXT else binary_payload(n)
        event = Event("text" if opcode == OP_TEXT else "binary", payload)
        s.expect_echo_close()
        data = frame(opcode, payload)
        times = []
        for i in range(count):
            s.expected_ok.append(event)
            started = time.monotonic()
            await s.send(data)
            if not await s.wait_received(i + 1) or s.received[i] != event:
                return
            times.append(time.monotonic() - started)
        times.sort()
        s.info["rtt_ms_mean"] = round(sum(times) / len(times) * 1000, 3)
        s.info["rtt_ms_median"] = round(times[len(times) // 2] * 1000, 3)
    return script


def timeout_for(total_bytes: int, base: float = 20.0, per_mib: float = 4.0) -> float:
    return base + per_mib * total_bytes / (1 << 20)


def define_section9() -> None:
    sizes = [64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20]
    echo = "The message is echoed (same payload); clean close with code 1000."
    for sub, opcode, kind in ((1, OP_TEXT, "text"), (2, OP_BINARY, "binary")):
        for i, n in enumerate(sizes, 1):
            add_case(f"9.{sub}.{i}", f"Send {kind} message of {size_name(n)} in one frame.", echo,
                     big_echo_script(opcode, n), timeout=timeout_for(n), cost=2 + n / (1 << 20))
    frag_sizes = [64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20]
    n = 4 << 20
    for sub, opcode, kind in ((3, OP_TEXT, "text"), (4, OP_BINARY, "binary")):
        for i, f in enumerate(frag_sizes, 1):
            add_case(f"9.{sub}.{i}", f"Send {kind} message of {size_name(n)} in fragments of "
                     f"{size_name(f)}.", echo, big_echo_script(opcode, n, frag=f),
                     timeout=timeout_for(n) + n / f / 20000, cost=2 + 4 + n / f / 10000)
    n = 1 << 20
    for sub, opcode, kind in ((5, OP_TEXT, "text"), (6, OP_BINARY, "binary")):
        for i, c in enumerate([64, 128, 256, 512, 1024, 2048], 1):
            add_case(f"9.{sub}.{i}", f"Send {kind} message of {size_name(n)} in one frame, written "
                     f"in chops of {c} octets.", echo, big_echo_script(opcode, n, chop=c),
                     timeout=timeout_for(n) + n / c / 5000, cost=2 + n / c / 10000)
    for sub, opcode, kind in ((7, OP_TEXT, "text"), (8, OP_BINARY, "binary")):
        for i, size in enumerate([0, 16, 64, 256, 1024, 4096], 1):
            add_case(f"9.{sub}.{i}", f"Send 1000 {kind} messages of {size} octets one after the "
                     "other, each after the previous echo (round-trip time).",
                     "Every message is echoed; clean close with code 1000.",
                     rtt_script(opcode, size, 1000), timeout=60.0, cost=3)


def define_section10() -> None:
    payload = text_payload(65536)
    add_case("10.1.1",
             "Send text message of 65536 octets auto-fragmented into frames of 1300 octets.",
             ECHO, expect_echo_script(fragmented_message(OP_TEXT, payload, 1300), [text(payload)]))


# Compression cases (12.x, 13.x): only run with --deflate-cases.

DEFLATE_SIZES = [  # (message length, auto-fragment size of the compressed payload)
    (16, 0), (64, 0), (256, 0), (1024, 0), (4096, 0), (8192, 0), (16384, 0), (32768, 0),
    (65536, 0), (131072, 0), (8192, 256), (16384, 256), (32768, 256), (65536, 256),
    (131072, 256), (131072, 1024), (131072, 4096), (131072, 32768),
]


def _dataset_json() -> bytes:
    rng = random.Random(12)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
    items = []
    size = 0
    i = 0
    while size < 200_000:
        item = {"id": i, "name": rng.choice(words) + "-" + rng.choice(words),
                "active": rng.random() < 0.5, "score": round(rng.uniform(0, 1000), 3),
                "tags": rng.sample(words, 3), "owner": {"uid": rng.randrange(1 << 20),
                                                        "group": rng.choice(words)}}
        line = json.dumps(item)
        items.append(line)
        size += len(line) + 2
        i += 1
    return ("[\n" + ",\n".join(items) + "\n]\n").encode("ascii")


def _dataset_bitmap() -> bytes:
    # Smooth shading in 4-pixel blocks with sparse noise: compressible like a photograph.
    rng = random.Random(13)
    rows = []
    for y in range(512):
        row = bytearray()
        for x in range(512):
            v = (x // 4) * 3 + (y // 4) * 5 + ((x // 64) * (y // 64) % 7) * 9
            if rng.random() < 0.1:
                v += rng.randrange(-3, 4)
            row.append(v & 0xFF)
        rows.append(bytes(row))
    return b"BM" + b"\x00" * 1076 + b"".join(rows)


def _dataset_prose() -> bytes:
    rng = random.Random(14)
    words = ["Der", "die", "das", "Geist", "Nacht", "Zauber", "Mephistopheles", "Gretchen",
             "Studierzimmer", "Wissenschaft", "Herz", "Grün", "Überall", "schön", "Straße",
             "müde", "größer", "Blüte", "Fröhlich", "träumen", "heißt", "Käfer"]
    out = []
    size = 0
    while size < 220_000:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randrange(5, 14))) + ".\n"
        out.append(sentence)
        size += len(sentence.encode("utf-8"))
    return "".join(out).encode("utf-8")


def _dataset_html() -> bytes:
    rng = random.Random(15)
    out = ["<!DOCTYPE html>\n<html><head><title>Report</title></head><body>\n"]
    size = 0
    while size < 260_000:
        row = (f'<tr class="row-{rng.randrange(3)}"><td>{rng.randrange(100000)}</td>'
               f'<td><a href="/item/{rng.randrange(5000)}">item {rng.randrange(5000)}</a></td>'
               f'<td style="color: #{rng.randrange(1 << 24):06x}">{rng.random():.5f}</td></tr>\n')
        out.append(row)
        size += len(row)
    out.append("</body></html>\n")
    return "".join(out).encode("ascii")


def _dataset_mixed() -> bytes:
    rng = random.Random(16)
    out = bytearray(b"%PDF-1.4\n")
    while len(out) < 1_000_000:
        if rng.random() < 0.5:
            out += rng.randbytes(rng.randrange(500, 4000))  # already-compressed streams
        else:
            out += (f"{rng.randrange(999)} 0 obj << /Type /Page /Parent 3 0 R /Contents "
                    f"{rng.randrange(999)} 0 R >> endobj\n").encode() * rng.randrange(1, 20)
    return bytes(out)


DATASETS = [  # (description, factory, sent as text)
    ("JSON documents (text, ASCII)", _dataset_json, True),
    ("Greyscale bitmap (binary)", _dataset_bitmap, False),
    ("German prose (binary: slices cut code points)", _dataset_prose, False),
    ("HTML table (text, ASCII)", _dataset_html, True),
    ("Mixed binary with incompressible runs (binary)", _dataset_mixed, False),
]
_dataset_cache: dict[int, bytes] = {}


def dataset(index: int) -> bytes:
    if index not in _dataset_cache:
        _dataset_cache[index] = DATASETS[index][1]()
    return _dataset_cache[index]


def deflate_script(data_index: int, length: int, autofrag: int) -> Script:
    async def script(s: Session) -> None:
        s.expect_echo_close()
        if s.deflate is None:
            s.fail_case("permessage-deflate negotiated", s.deflate_problem or "no extension")
            return
        data = dataset(data_index)
        is_text = DATASETS[data_index][2]
        opcode = OP_TEXT if is_text else OP_BINARY
        kind = "text" if is_text else "binary"
        pos = 0
        started = time.monotonic()
        for i in range(s.deflate_messages):
            end = pos + length
            if end <= len(data):
                msg = data[pos:end]
            else:
                end -= len(data)
                msg = data[pos:] + data[:end]
            pos = end
            event = Event(kind, msg)
            s.expected_ok.append(event)
            await s.send_message(opcode, msg, autofrag)
            if not await s.wait_received(i + 1) or s.received[i] != event:
                return
        s.info["seconds"] = round(time.monotonic() - started, 3)
        d = s.deflate
        if d.raw_out:
            s.info["server_compression_ratio"] = round(d.wire_out / d.raw_out, 3)
        if d.raw_in:
            s.info["client_compression_ratio"] = round(d.wire_in / d.raw_in, 3)
    return script


DEFLATE_PLANS = [
    DeflatePlan([(False, 0, False)], "default parameters"),
    DeflatePlan([(True, 0, False)], "no context takeover"),
    DeflatePlan([(False, 8, False)], "max window bits 8"),
    DeflatePlan([(False, 15, False)], "max window bits 15"),
    DeflatePlan([(True, 8, False)], "no context takeover, max window bits 8"),
    DeflatePlan([(True, 15, False)], "no context takeover, max window bits 15"),
    DeflatePlan([(True, 8, True), (True, 0, False), (False, 0, False)],
                "first of: (no context takeover, window 8 if the client offered "
                "client_max_window_bits), (no context takeover), (defaults)"),
]


def define_deflate_sections() -> None:
    expect = "Every message is echoed (same payload), one after the other; clean close with 1000."
    for j, (desc, _, is_text) in enumerate(DATASETS, 1):
        for i, (length, autofrag) in enumerate(DEFLATE_SIZES, 1):
            frag = f", auto-fragmented into frames of {autofrag} octets" if autofrag else ""
            add_case(f"12.{j}.{i}", f"Send compressed {desc} messages of {length} octets{frag}, "
                     "default permessage-deflate parameters.", expect,
                     deflate_script(j - 1, length, autofrag), timeout=60.0,
                     cost=1 + length / 16384, deflate=DEFLATE_PLANS[0])
    for j, plan in enumerate(DEFLATE_PLANS, 1):
        for i, (length, autofrag) in enumerate(DEFLATE_SIZES, 1):
            frag = f", auto-fragmented into frames of {autofrag} octets" if autofrag else ""
            add_case(f"13.{j}.{i}", f"Send compressed JSON messages of {length} octets{frag}; the "
                     f"server accepts permessage-deflate with {plan.summary}.", expect,
                     deflate_script(0, length, autofrag), timeout=60.0, cost=1 + length / 16384,
                     deflate=plan)


def define_cases() -> None:
    define_section1()
    define_section2()
    define_section3()
    define_section4()
    define_section5()
    define_section6()
    define_section7()
    define_section9()
    define_section10()
    define_deflate_sections()


# --------------------------------------------------------------------------------------------
# One connection playing one case


class Session:
    def __init__(self, case: Case, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 deadline: float, scale: float, deflate: Optional[DeflateState],
                 deflate_problem: str, deflate_messages: int):
        self.case = case
        self.reader = reader
        self.writer = writer
        self.deadline = deadline
        self.scale = scale
        self.deflate = deflate
        self.deflate_problem = deflate_problem
        self.deflate_messages = deflate_messages
        self.loop = asyncio.get_running_loop()
        self.started = self.loop.time()

        self.expected_ok: list[Event] = []
        self.expected_nonstrict: Optional[list[Event]] = None
        self.informational: Optional[list[list[Event]]] = None
        self.close_expect = CloseExpectation(True, (CLOSE_NORMAL,))
        self.received: list[Event] = []
        self.info: dict = {}
        self.notes: list[str] = []
        self.forced_failure: Optional[tuple[str, str]] = None

        self.violations: list[str] = []
        self.client_close: Optional[tuple[Optional[int], bytes]] = None
        self.client_closed_first = False  # the client's close frame came before the server's
        self.client_close_after = 0.0
        self.client_pings = 0
        self.eof = False
        self.eof_before_fin = False
        self.close_sent = False
        self.fin_sent = False
        self.mid_frame = False
        self.write_failed = False
        self.timed_out = False
        self.stage = "starting"

        self._activity = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._reader_task: Optional[asyncio.Task] = None
        self._msg_opcode: Optional[int] = None
        self._msg_parts: list[bytes] = []
        self._msg_size = 0
        self._msg_compressed = False

    # --- what a script declares

    def expect_ok(self, *events: Event) -> None:
        self.expected_ok = list(events)

    def expect_nonstrict(self, *events: Event) -> None:
        self.expected_nonstrict = list(events)

    def expect_echo_close(self) -> None:
        self.close_expect = CloseExpectation(True, (CLOSE_NORMAL,))

    def expect_fail(self, code: int) -> None:
        self.close_expect = CloseExpectation(False, (code,), clean=False, client_fails=True)

    def expect_close_reply(self, codes, preferred=None, clean=True, client_fails=False,
                           reason=None) -> None:
        self.close_expect = CloseExpectation(True, tuple(codes), clean=clean, preferred=preferred,
                                             client_fails=client_fails, reason=reason)

    def record(self, event: Event) -> None:
        self.received.append(event)

    def fail_case(self, expected: str, observed: str) -> None:
        self.forced_failure = (expected, observed)

    # --- time

    def remaining(self, reserve: float = 0.5) -> float:
        return max(0.0, self.deadline - reserve - self.loop.time())

    @property
    def client_gone(self) -> bool:
        return self.client_close is not None or self.eof or bool(self.violations)

    async def _wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        end = self.loop.time() + max(0.0, min(timeout, self.remaining()))
        while not condition():
            left = end - self.loop.time()
            if left <= 0:
                return False
            self._activity.clear()
            try:
                await asyncio.wait_for(self._activity.wait(), left)
            except asyncio.TimeoutError:
                return condition()
        return True

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(min(seconds, self.remaining()))

    async def wait_received(self, count: int, timeout: Optional[float] = None) -> bool:
        self.stage = f"waiting for {count} echo(es), got {len(self.received)}"
        return await self._wait_until(lambda: len(self.received) >= count or self.client_gone,
                                      self.remaining() if timeout is None else timeout) \
            and len(self.received) >= count

    async def wait_client_gone(self, timeout: float) -> bool:
        return await self._wait_until(lambda: self.client_gone, timeout)

    # --- sending

    async def send(self, data: bytes, chop: int = 0, pause: float = 0.0,
                   completes_frame: bool = True, force: bool = False) -> bool:
        """Writes bytes as they are; stops early once the client closed or failed (unless
        `force`, for the server's close reply)."""
        chunks = [data] if chop <= 0 else [data[i:i + chop] for i in range(0, len(data), chop)]
        async with self._write_lock:
            for n, chunk in enumerate(chunks):
                if (self.client_gone and not force) or self.eof or self.write_failed \
                        or self.writer.transport.is_closing():
                    if n > 0:
                        self.mid_frame = True
                    return False
                try:
                    self.writer.write(chunk)
                    await self.writer.drain()
                except (ConnectionError, OSError):
                    self.write_failed = True
                    return False
                if pause and n + 1 < len(chunks):
                    await asyncio.sleep(pause)
            self.mid_frame = not completes_frame
        return True

    async def send_frames(self, frames_: list[bytes], mode) -> bool:
        self.stage = "sending"
        if mode == "together":
            return await self.send(b"".join(frames_))
        if mode == "frames":
            for f in frames_:
                if not await self.send(f):
                    return False
                await asyncio.sleep(0.01)
            return True
        if mode == "octets":
            data = b"".join(frames_)
            return await self.send(data, chop=1, pause=OCTET_PAUSE if len(data) <= 4096 else 0.0)
        return await self.send(b"".join(frames_), chop=int(mode))

    async def send_message(self, opcode: int, payload: bytes, autofrag: int = 0) -> bool:
        rsv = 0
        if self.deflate is not None:
            payload = self.deflate.compress(payload)
            rsv = 4
        parts = fragments(payload, autofrag)
        frames_ = [frame(opcode if i == 0 else OP_CONTINUATION, p, fin=i == len(parts) - 1,
                         rsv=rsv if i == 0 else 0) for i, p in enumerate(parts)]
        return await self.send(b"".join(frames_))

    async def send_close(self, code: Optional[int] = CLOSE_NORMAL, reason: bytes = b"",
                         force: bool = False) -> None:
        self.close_sent = True
        await self.send(frame(OP_CLOSE, close_payload(code, reason)), force=force)

    # --- receiving

    def _violation(self, what: str) -> None:
        self.violations.append(what)
        self._activity.set()

    async def _read_loop(self) -> None:
        r = self.reader
        try:
            while True:
                b0, b1 = await r.readexactly(2)
                fin = bool(b0 & 0x80)
                rsv = (b0 >> 4) & 0x7
                opcode = b0 & 0xF
                masked = bool(b1 & 0x80)
                length = b1 & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", await r.readexactly(2))
                    if length < 126:
                        return self._violation(f"length {length} encoded in 16 bits (not minimal)")
                elif length == 127:
                    (length,) = struct.unpack("!Q", await r.readexactly(8))
                    if length >> 63:
                        return self._violation("64-bit length with the most significant bit set")
                    if length < 0x10000:
                        return self._violation(f"length {length} encoded in 64 bits (not minimal)")
                if not masked:
                    return self._violation(f"unmasked {OPCODE_NAMES.get(opcode, opcode)} frame")
                if length > MAX_CLIENT_MESSAGE:
                    return self._violation(f"frame of {length} octets, larger than any echo")
                key = await r.readexactly(4)
                payload = apply_mask(await r.readexactly(length), key)
                if not self._on_frame(fin, rsv, opcode, payload):
                    return
        except asyncio.IncompleteReadError as e:
            if e.partial:
                self._violation("the client's TCP stream ended inside a frame")
            self._on_eof()
        except (ConnectionError, OSError):
            self._on_eof()

    def _on_eof(self) -> None:
        self.eof = True
        self.eof_before_fin = not self.fin_sent
        self._activity.set()

    def _on_frame(self, fin: bool, rsv: int, opcode: int, payload: bytes) -> bool:
        name = OPCODE_NAMES.get(opcode, f"opcode {opcode}")
        if self.client_close is not None:
            self._violation(f"{name} frame after the client's close frame")
            return False
        if opcode >= 8:
            if opcode not in (OP_CLOSE, OP_PING, OP_PONG):
                self._violation(f"frame with reserved opcode {opcode}")
                return False
            if rsv:
                self._violation(f"{name} frame with RSV bits {rsv:03b}")
                return False
            if not fin:
                self._violation(f"fragmented {name} frame")
                return False
            if len(payload) > 125:
                self._violation(f"{name} frame with {len(payload)} octets of payload")
                return False
            if opcode == OP_PONG:
                self.received.append(Event("pong", payload))
                self._activity.set()
            elif opcode == OP_PING:
                self.client_pings += 1
                asyncio.ensure_future(self._answer_ping(payload))
            else:
                return self._on_close(payload)
            return True
        if opcode not in (OP_CONTINUATION, OP_TEXT, OP_BINARY):
            self._violation(f"frame with reserved opcode {opcode}")
            return False
        compressed = False
        if rsv:
            if rsv == 4 and self.deflate is not None and opcode != OP_CONTINUATION:
                compressed = True
            elif rsv == 4 and self.deflate is not None:
                self._violation("RSV1 set on a continuation frame")
                return False
            else:
                why = " and no extension negotiated" if self.deflate is None else ""
                self._violation(f"{name} frame with RSV bits {rsv:03b}{why}")
                return False
        if opcode == OP_CONTINUATION:
            if self._msg_opcode is None:
                self._violation("continuation frame with no message to continue")
                return False
        else:
            if self._msg_opcode is not None:
                self._violation(f"{name} frame inside a fragmented message")
                return False
            self._msg_opcode = opcode
            self._msg_compressed = compressed
            self._msg_parts = []
            self._msg_size = 0
        self._msg_parts.append(payload)
        self._msg_size += len(payload)
        if self._msg_size > MAX_CLIENT_MESSAGE:
            self._violation("message larger than any echo")
            return False
        if not fin:
            return True
        data = b"".join(self._msg_parts)
        opcode = self._msg_opcode
        self._msg_opcode = None
        self._msg_parts = []
        if self._msg_compressed:
            try:
                data = self.deflate.decompress(data)
            except zlib.error as e:
                self._violation(f"compressed message that does not inflate ({e})")
                return False
        if opcode == OP_TEXT and not is_valid_utf8(data):
            self._violation(f"text message that is not valid UTF-8 ({preview(data, False)})")
            return False
        self.received.append(Event("text" if opcode == OP_TEXT else "binary", data))
        self._activity.set()
        return True

    def _on_close(self, payload: bytes) -> bool:
        code = None
        reason = b""
        if len(payload) == 1:
            self._violation("close frame with a 1-octet payload")
            return False
        if len(payload) >= 2:
            (code,) = struct.unpack("!H", payload[:2])
            reason = payload[2:]
        self.client_close = (code, reason)
        self.client_closed_first = not self.close_sent
        self.client_close_after = self.loop.time() - self.started
        if code is not None and not close_code_may_be_sent(code):
            self._violation(f"close frame with code {code}, which an endpoint must not send")
        elif not is_valid_utf8(reason):
            self._violation("close frame whose reason is not valid UTF-8")
        self._activity.set()
        return False  # nothing may follow; the read loop only watches for EOF now

    async def _answer_ping(self, payload: bytes) -> None:
        if not self.close_sent and not self.mid_frame:
            await self.send(frame(OP_PONG, payload))

    async def _watch_eof(self) -> None:
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    break
                if not self.violations:
                    self._violation(f"{len(data)} octets after the client's close frame")
        except (ConnectionError, OSError):
            pass
        self._on_eof()

    # --- the whole case

    async def play(self) -> None:
        self._reader_task = asyncio.ensure_future(self._read_then_watch())
        try:
            await asyncio.wait_for(self._play(), max(0.1, self.deadline - self.loop.time()))
        except asyncio.TimeoutError:
            self.timed_out = True
        finally:
            self.writer.transport.abort()
            if self._reader_task is not None:
                self._reader_task.cancel()
                try:
                    await self._reader_task
                except (asyncio.CancelledError, Exception):
                    pass

    async def _read_then_watch(self) -> None:
        await self._read_loop()
        if self.client_close is not None and not self.eof and not self.violations:
            await self._watch_eof()

    async def _play(self) -> None:
        self.stage = "running the case script"
        await self.case.script(self)
        ce = self.close_expect
        if self.forced_failure is not None:
            if not self.close_sent and not self.client_gone:
                await self.send_close(CLOSE_NORMAL)
        elif ce.by_server:
            wanted = max([len(self.expected_ok), len(self.expected_nonstrict or [])]
                         + [len(x) for x in (self.informational or [])])
            if not self.close_sent:
                # Keep part of the budget for the closing handshake, so a missing echo is
                # reported as such and the client still gets the chance to close cleanly.
                reserve = min(2.0 * self.scale, self.case.timeout * self.scale / 4)
                if not await self.wait_received(wanted, self.remaining(reserve)) \
                        and not self.client_gone:
                    self.notes.append(f"gave up waiting for {wanted} echo(es) or pong(s) after "
                                      f"{self.loop.time() - self.started:.1f} s, got "
                                      f"{len(self.received)}")
                self.stage = "watching for unexpected frames"
                settle = SETTLE_NOTHING_EXPECTED if wanted == 0 else SETTLE_AFTER_ECHO
                await self._wait_until(lambda: self.client_gone, settle)
                if not self.client_gone:
                    await self.send_close(CLOSE_NORMAL)
        else:
            self.stage = "waiting for the client to fail the connection"
            if not await self._wait_until(lambda: self.client_gone, FAIL_WAIT * self.scale):
                self.notes.append(f"the client did not fail the connection within "
                                  f"{FAIL_WAIT * self.scale:g} s; the server closed it")
                await self.send_close(CLOSE_NORMAL)
        self.stage = "waiting for the client's close frame"
        await self._wait_until(lambda: self.client_gone, self.remaining())
        await self._finish_close()

    async def _finish_close(self) -> None:
        self.stage = "closing"
        if not self.mid_frame and not self.write_failed and not self.close_sent and not self.eof:
            if self.violations:
                await self.send_close(CLOSE_PROTOCOL_ERROR, force=True)
            elif self.client_close is not None:
                code, reason = self.client_close
                await self.send_close(code, reason if code is not None else b"", force=True)
        if not self.eof:
            try:
                if self.writer.can_write_eof():
                    self.writer.write_eof()
            except (ConnectionError, OSError, RuntimeError):
                pass
            self.fin_sent = True
            if not self.violations:
                self.stage = "waiting for the client to close TCP"
                await self._wait_until(lambda: self.eof, CLOSE_TCP_WAIT * self.scale)

    # --- verdict

    def evaluate(self) -> tuple[str, str, str, list[str]]:
        """Returns (verdict, expected, observed, notes)."""
        notes = list(self.notes)
        ce = self.close_expect
        if self.deflate is not None and self.deflate.note:
            notes.append(self.deflate.note)
        events_ok = self.received == self.expected_ok
        events_verdict = PASS if events_ok else FAIL
        if not events_ok and self.expected_nonstrict is not None and \
                self.received == self.expected_nonstrict:
            events_verdict = NON_STRICT
        if not events_ok and self.informational is not None and \
                any(self.received == x for x in self.informational):
            events_verdict = INFORMATIONAL
        if events_verdict == PASS and self.informational is not None:
            events_verdict = INFORMATIONAL
        expected_events = describe_events(self.expected_ok)
        observed_events = describe_events(self.received)

        close_desc = self.describe_close()
        expected_close = self.describe_close_expectation()
        if self.forced_failure is not None:
            return FAIL, self.forced_failure[0], self.forced_failure[1], notes
        if self.violations:
            return (FAIL, "valid, masked frames from the client",
                    "client sent " + "; ".join(self.violations) + f" (events: {observed_events})",
                    notes)
        if self.timed_out:
            return (FAIL, f"the case finishes within {self.case.timeout * self.scale:g} s",
                    f"timed out while {self.stage}; events: {observed_events}; {close_desc}", notes)

        verdict = events_verdict
        problems = []
        if events_verdict == FAIL:
            problems.append("events differ: " + first_difference(self.expected_ok, self.received))
        elif events_verdict == NON_STRICT:
            problems.append("events match only the non-strict expectation")
        close_verdict = PASS
        if self.client_close is None:
            if self.eof:
                close_verdict = NON_STRICT if not ce.clean else FAIL
                problems.append("the client dropped TCP without a close frame")
            else:
                close_verdict = FAIL
                problems.append("no close frame from the client")
        else:
            code, reason = self.client_close
            if ce.by_server and self.client_closed_first:
                close_verdict = FAIL
                problems.append("the client failed the connection, but the server was to close it")
            elif not ce.by_server and not self.client_closed_first:
                close_verdict = FAIL
                problems.append("the client did not fail the connection; it only answered the "
                                "server's close")
            elif code not in ce.codes:
                close_verdict = FAIL
                problems.append(f"wrong close code {code if code is not None else '(none)'}")
            elif ce.preferred is not None and code != ce.preferred:
                close_verdict = NON_STRICT
                problems.append(f"close code {code} instead of the echoed {ce.preferred}")
            elif ce.reason is not None and reason != ce.reason:
                close_verdict = NON_STRICT
                problems.append("the close reason was not echoed")
            if close_verdict == PASS and not self.eof:
                close_verdict = FAIL
                problems.append("the client did not close TCP after the closing handshake")
        if self.eof and self.eof_before_fin and self.client_close is not None:
            notes.append("the client closed TCP before the server did (the server should close "
                         "first)")
        if self.client_pings:
            notes.append(f"the client sent {self.client_pings} ping(s)")
        if SEVERITY[close_verdict] > SEVERITY[verdict]:
            verdict = close_verdict
        expected = f"{expected_events}; {expected_close}"
        observed = f"{observed_events}; {close_desc}"
        if problems:
            observed += " [" + "; ".join(problems) + "]"
        return verdict, expected, observed, notes

    def describe_close_expectation(self) -> str:
        ce = self.close_expect
        codes = "/".join("empty" if c is None else str(c) for c in ce.codes)
        if ce.preferred is not None:
            codes = f"{ce.preferred} (or {codes})"
        if not ce.by_server:
            return f"the client fails the connection: close frame {codes}, then TCP closed"
        if ce.client_fails:
            return (f"the client answers the server's invalid close with close {codes}, then "
                    "TCP closed")
        return f"the client answers the server's close with close {codes}, then TCP closed"

    def describe_close(self) -> str:
        if self.client_close is None:
            what = "no close frame from the client"
        else:
            code, reason = self.client_close
            who = "client sent close first" if self.client_closed_first else "client answered close"
            what = f"{who}: code {code if code is not None else '(none)'}"
            if reason:
                what += f" reason {preview(reason, True, 24)}"
            what += f" at {self.client_close_after:.2f} s"
        if self.eof:
            what += ("; client closed TCP before the server" if self.eof_before_fin
                     else "; client closed TCP after the server's FIN")
        else:
            what += "; TCP left open by the client"
        return what


# --------------------------------------------------------------------------------------------
# Handshake


class HandshakeError(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_request(reader: asyncio.StreamReader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise HandshakeError(431, "request head too large")
    except asyncio.IncompleteReadError:
        raise HandshakeError(0, "connection closed during the opening handshake")
    lines = head.decode("latin-1").split("\r\n")[:-2]
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise HandshakeError(400, f"malformed request line {lines[0]!r}")
    method, target, version = parts
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        if ":" not in line or line[0] in " \t":
            raise HandshakeError(400, f"malformed header line {line!r}")
        name, value = line.split(":", 1)
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return method, target, version, headers


def validate_request(method: str, version: str, headers: dict[str, list[str]]) -> str:
    """Returns the Sec-WebSocket-Accept value (RFC 6455 4.2.1 / 4.2.2)."""
    if method != "GET":
        raise HandshakeError(405, f"method {method}, not GET")
    if version != "HTTP/1.1":
        raise HandshakeError(505, f"{version}, not HTTP/1.1")
    if len(headers.get("host", [])) != 1:
        raise HandshakeError(400, "no Host header (or more than one)")

    def tokens(name: str) -> list[str]:
        return [t.strip().lower() for v in headers.get(name, []) for t in v.split(",")]
    if "websocket" not in tokens("upgrade"):
        raise HandshakeError(400, "Upgrade header without websocket")
    if "upgrade" not in tokens("connection"):
        raise HandshakeError(400, "Connection header without upgrade")
    if headers.get("sec-websocket-version") != ["13"]:
        raise HandshakeError(426, f"Sec-WebSocket-Version {headers.get('sec-websocket-version')}")
    keys = headers.get("sec-websocket-key", [])
    if len(keys) != 1:
        raise HandshakeError(400, "no Sec-WebSocket-Key (or more than one)")
    try:
        raw = base64.b64decode(keys[0], validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 16:
        raise HandshakeError(400, f"Sec-WebSocket-Key {keys[0]!r} is not 16 octets in base64")
    digest = hashlib.sha1((keys[0] + WEBSOCKET_GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")


def http_error(status: int, reason: str) -> bytes:
    body = (reason + "\n").encode()
    phrases = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
               409: "Conflict", 426: "Upgrade Required", 431: "Request Header Fields Too Large",
               505: "HTTP Version Not Supported"}
    extra = "Sec-WebSocket-Version: 13\r\n" if status == 426 else ""
    return (f"HTTP/1.1 {status} {phrases.get(status, 'Error')}\r\n{extra}"
            "Content-Type: text/plain\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


# --------------------------------------------------------------------------------------------
# Running cases against a client process


@dataclass
class Options:
    client_cmd: Optional[str]
    reference: bool
    reference_python: str
    jobs: int
    scale: float
    deflate_messages: int
    accept_non_strict: bool
    strict_exit_codes: bool
    verbose: bool
    known_deviations: dict[str, str] = field(default_factory=dict)
    quiet: bool = False


@dataclass
class Result:
    case: Case
    verdict: str
    expected: str = ""
    observed: str = ""
    notes: list[str] = field(default_factory=list)
    exit_code: Optional[int] = None
    expected_exit_code: Optional[int] = None
    duration: float = 0.0
    stdout_tail: str = ""
    stderr_tail: str = ""
    info: dict = field(default_factory=dict)
    deviation: Optional[str] = None
    extension: str = ""

    @property
    def passed(self) -> bool:
        return (SEVERITY[self.verdict] == 0 or self.deviation is not None
                or (self.verdict == NON_STRICT and ACCEPT_NON_STRICT))


async def _tail(stream: Optional[asyncio.StreamReader], keep: int = 2000) -> str:
    if stream is None:
        return ""
    buf = bytearray()
    try:
        while True:
            chunk = await stream.read(65536)
            if not chunk:
                break
            buf += chunk
            if len(buf) > 4 * keep:
                del buf[:-keep]
    except (ConnectionError, OSError):
        pass
    return bytes(buf[-keep:]).decode("utf-8", errors="replace")


class CaseRun:
    def __init__(self, runner: "Runner", case: Case):
        self.runner = runner
        self.case = case
        self.loop = asyncio.get_running_loop()
        self.deadline = 0.0
        self.session: Optional[Session] = None
        self.session_done = self.loop.create_future()
        self.rejections: list[str] = []
        self.started = 0.0

    def argv(self, url: str) -> list[str]:
        deflate = self.case.deflate is not None
        o = self.runner.options
        if o.reference:
            return ([o.reference_python, os.path.abspath(__file__), "--reference-client"]
                    + (["--deflate"] if deflate else []) + [url])
        template = o.client_cmd or ""
        words = shlex.split(template)
        out = []
        for w in words:
            if w == "{deflate}":
                if deflate:
                    out.append("--deflate")
                continue
            out.append(w.replace("{url}", url).replace("{case}", self.case.id)
                       .replace("{port}", str(self.runner.port))
                       .replace("{deflate}", "--deflate" if deflate else ""))
        if deflate and "{deflate}" not in template:
            out.insert(1, "--deflate")
        if "{url}" not in template:
            out.append(url)
        return out

    async def run(self) -> Result:
        o = self.runner.options
        start = self.loop.time()
        self.deadline = start + self.case.timeout * o.scale
        url = f"ws://127.0.0.1:{self.runner.port}/runCase?case={self.case.id}"
        argv = self.argv(url)
        result = Result(self.case, FAIL)
        result.expected_exit_code = None
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, start_new_session=True)
        except OSError as e:
            result.expected = "the client starts"
            result.observed = f"could not start {argv[0]}: {e}"
            return result
        tails = asyncio.gather(_tail(proc.stdout), _tail(proc.stderr))
        proc_wait = asyncio.ensure_future(proc.wait())
        killed = False
        try:
            done, _ = await asyncio.wait({self.session_done, proc_wait},
                                         timeout=max(0.0, self.deadline - self.loop.time()),
                                         return_when=asyncio.FIRST_COMPLETED)
            if self.session is not None and not self.session_done.done():
                # connected; the session keeps its own deadline
                await asyncio.wait({self.session_done},
                                   timeout=max(0.0, self.deadline + 2.0 - self.loop.time()))
            if not proc_wait.done():
                await asyncio.wait({proc_wait},
                                   timeout=max(1.0 if self.session else 0.0,
                                               self.deadline - self.loop.time()))
            if not proc_wait.done():
                killed = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                await proc_wait
        finally:
            if not proc_wait.done():
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                await proc_wait
            self.runner.active.pop(self.case.id, None)
        stdout_tail, stderr_tail = await tails
        result.stdout_tail, result.stderr_tail = stdout_tail, stderr_tail
        result.exit_code = proc.returncode
        result.duration = self.loop.time() - start
        s = self.session
        if s is None:
            result.verdict = FAIL
            result.expected = "the client connects and completes the opening handshake"
            why = "; ".join(self.rejections)
            if killed:
                result.observed = f"no connection within {self.case.timeout * o.scale:g} s"
            else:
                result.observed = (f"the client exited with code {proc.returncode} without "
                                   "connecting")
            if why:
                result.observed += f" (server answered: {why})"
            return result
        if not self.session_done.done():
            s.timed_out = True
        self.fill_from_session(result)
        verdict, expected, observed = result.verdict, result.expected, result.observed
        if killed:
            if SEVERITY[verdict] < SEVERITY[FAIL]:
                expected = "the client exits once the connection is closed"
                observed = (f"the client was still running {self.case.timeout * o.scale:g} s "
                            "after the case started and was killed")
            verdict = FAIL
        elif o.strict_exit_codes and proc.returncode != result.expected_exit_code \
                and SEVERITY[verdict] < SEVERITY[FAIL]:
            verdict = FAIL
            expected = f"exit code {result.expected_exit_code}"
            observed = f"exit code {proc.returncode}"
        result.verdict, result.expected, result.observed = verdict, expected, observed
        return result

    def fill_from_session(self, result: Result) -> None:
        s = self.session
        result.verdict, result.expected, result.observed, result.notes = s.evaluate()
        result.extension = s.deflate.response if s.deflate else ""
        result.expected_exit_code = 3 if s.close_expect.client_fails else 0
        result.info = s.info
        if self.rejections:
            result.notes.append("server refused other connections: " + "; ".join(self.rejections))


class Runner:
    def __init__(self, options: Options, cases: list[Case], serve: bool = False):
        self.options = options
        self.cases = cases
        self.serve = serve  # clients connect on their own; nothing is started
        self.active: dict[str, CaseRun] = {}
        self.port = 0
        self.results: dict[str, Result] = {}
        self.all_played: Optional[asyncio.Future] = None
        self.reports_requested: Optional[asyncio.Event] = None

    def resolve_case(self, value: str) -> Optional[Case]:
        """A case id ("7.7.1") or, as Autobahn's drivers send, a 1-based index."""
        if value.isdigit() and 1 <= int(value) <= len(self.cases):
            return self.cases[int(value) - 1]
        return next((c for c in self.cases if c.id == value), None)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        run: Optional[CaseRun] = None
        try:
            try:
                method, target, version, headers = await asyncio.wait_for(read_request(reader), 10)
            except asyncio.TimeoutError:
                raise HandshakeError(0, "no complete request head within 10 s")
            url = urllib.parse.urlsplit(target)
            query = urllib.parse.parse_qs(url.query)
            value = (query.get("case") or [""])[0]
            if self.serve and url.path in ("/getCaseCount", "/getCaseInfo", "/updateReports"):
                accept = validate_request(method, version, headers)
                await self.answer_driver(reader, writer, accept, url.path, value)
                return
            case = self.resolve_case(value) if self.serve else None
            if self.serve and url.path == "/runCase" and case is not None \
                    and case.id not in self.active:
                run = CaseRun(self, case)
                run.deadline = run.loop.time() + case.timeout * self.options.scale
                run.started = run.loop.time()
                self.active[case.id] = run
            case_id = case.id if case is not None else value
            if url.path != "/runCase" or case_id not in self.active:
                raise HandshakeError(404, f"no case running for {target}")
            run = self.active[case_id]
            try:
                accept = validate_request(method, version, headers)
            except HandshakeError as e:
                run.rejections.append(f"{e.status} to an invalid opening handshake: {e.reason}")
                raise
            if run.session is not None:
                raise HandshakeError(409, f"case {case_id} is already connected")
            deflate, problem = None, ""
            if run.case.deflate is not None:
                offers = parse_extension_header(headers.get("sec-websocket-extensions", []))
                deflate, problem = negotiate_deflate(offers, run.case.deflate)
            response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n")
            if deflate is not None:
                response += f"Sec-WebSocket-Extensions: {deflate.response}\r\n"
            writer.write((response + "\r\n").encode("ascii"))
            session = Session(run.case, reader, writer, run.deadline, self.options.scale, deflate,
                              problem, self.options.deflate_messages)
            run.session = session
            try:
                await session.play()
            finally:
                if not run.session_done.done():
                    run.session_done.set_result(True)
                if self.serve:
                    self.active.pop(run.case.id, None)
                    result = Result(run.case, FAIL)
                    run.fill_from_session(result)
                    result.duration = run.loop.time() - run.started
                    self.record(result)
        except HandshakeError as e:
            if run is not None and not any(e.reason in r for r in run.rejections):
                run.rejections.append(f"{e.status}: {e.reason}")
            if e.status:
                try:
                    writer.write(http_error(e.status, e.reason))
                    await asyncio.wait_for(writer.drain(), 2)
                    writer.close()
                    await asyncio.wait_for(writer.wait_closed(), 2)
                except (ConnectionError, OSError, asyncio.TimeoutError):
                    pass
        except (ConnectionError, OSError):
            pass
        finally:
            if not writer.transport.is_closing():
                writer.transport.abort()

    async def run_case(self, case: Case, sem: asyncio.Semaphore) -> Result:
        async with sem:
            run = CaseRun(self, case)
            self.active[case.id] = run
            result = await run.run()
        self.record(result)
        return result

    def record(self, result: Result) -> None:
        dev = self.options.known_deviations.get(result.case.id)
        if dev is not None and SEVERITY[result.verdict] > 0:
            result.deviation = dev
        self.results[result.case.id] = result
        if not self.options.quiet:
            print_result(result, self.options)
        if self.all_played is not None and not self.all_played.done() \
                and len(self.results) == len(self.cases):
            self.all_played.set_result(True)

    async def answer_driver(self, reader, writer, accept: str, path: str, value: str) -> None:
        """The requests Autobahn-style drivers make besides runCase: one text message (the case
        count, or a case's id and description as JSON), then a normal close."""
        writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        out = b""
        if path == "/getCaseCount":
            out = frame(OP_TEXT, str(len(self.cases)).encode())
        elif path == "/getCaseInfo":
            case = self.resolve_case(value)
            info = {"id": case.id, "description": case.description} if case else {}
            out = frame(OP_TEXT, json.dumps(info).encode())
        writer.write(out + frame(OP_CLOSE, close_payload(CLOSE_NORMAL)))
        await writer.drain()
        if path == "/updateReports" and self.reports_requested is not None:
            self.reports_requested.set()
        try:  # read until the client's close reply and its end of stream, briefly
            await asyncio.wait_for(reader.read(), 2)
        except asyncio.TimeoutError:
            pass

    async def serve_forever(self, port: int) -> list[Result]:
        server = await asyncio.start_server(self.handle, "127.0.0.1", port, limit=STREAM_LIMIT)
        self.port = server.sockets[0].getsockname()[1]
        self.all_played = asyncio.get_running_loop().create_future()
        self.reports_requested = asyncio.Event()
        print(f"Listening on ws://127.0.0.1:{self.port}/runCase?case=ID for {len(self.cases)} "
              "cases (ID: a case id, or a 1-based index as Autobahn drivers send; also "
              "/getCaseCount, /getCaseInfo?case=N, /updateReports). Stops once every case "
              "was played, or on Ctrl-C.", flush=True)
        async with server:
            await self.all_played
            # A driver's closing /updateReports still gets its answer.
            try:
                await asyncio.wait_for(self.reports_requested.wait(), 2)
                await asyncio.sleep(0.2)
            except asyncio.TimeoutError:
                pass
        return [self.results[c.id] for c in self.cases if c.id in self.results]

    async def run_all(self) -> list[Result]:
        server = await asyncio.start_server(self.handle, "127.0.0.1", 0, limit=STREAM_LIMIT)
        self.port = server.sockets[0].getsockname()[1]
        sem = asyncio.Semaphore(max(1, self.options.jobs))
        # The costliest cases start first so the concurrent run ends together.
        order = sorted(self.cases, key=lambda c: -c.cost)
        try:
            async with server:
                tasks = [asyncio.ensure_future(self.run_case(c, sem)) for c in order]
                await asyncio.gather(*tasks)
        finally:
            server.close()
        return [self.results[c.id] for c in self.cases]


def print_result(r: Result, o: Options) -> None:
    exit_info = "" if r.exit_code is None else f", exit {r.exit_code}"
    verdict = r.verdict
    if r.deviation is not None:
        verdict += " (known deviation)"
    line = f"{r.case.id:<9} {verdict:<14} {r.case.description}  [{r.duration:.2f} s{exit_info}]"
    out = [line]
    if SEVERITY[r.verdict] > 0 or o.verbose:
        if r.deviation is not None:
            out.append(f"{'':10}known deviation of the reference client: {r.deviation}")
        if SEVERITY[r.verdict] > 0:
            out.append(f"{'':10}expected: {r.expected}")
            out.append(f"{'':10}observed: {r.observed}")
        for n in r.notes:
            out.append(f"{'':10}note: {n}")
        if r.expected_exit_code is not None and r.exit_code is not None \
                and r.exit_code != r.expected_exit_code:
            out.append(f"{'':10}note: exit code {r.exit_code}, {r.expected_exit_code} expected "
                       "(informational)")
        if SEVERITY[r.verdict] > 0 and r.stderr_tail.strip():
            tail = r.stderr_tail.strip().splitlines()[-4:]
            out.extend(f"{'':10}stderr: {t}" for t in tail)
    print("\n".join(out), flush=True)


# --------------------------------------------------------------------------------------------
# The reference client (python3-websockets, seen by Debian's /usr/bin/python3)

# Cases where the reference client legitimately deviates; only applied with
# --client-python-reference, and each one is still reported.
_ECHO_RACE = ("websockets 10.4 parses every frame that arrived together before its application "
              "task runs; failing the connection on the bad frame makes the pending echo of the "
              "good message raise, so only the close is seen")
_FRAME_WISE_UTF8 = ("websockets 10.4 reads a whole frame before decoding it, so invalid UTF-8 "
                    "inside an unfinished frame is only seen once the frame completes")
_WINDOW_8 = ("websockets 10.4 passes wbits=-8 to zlib, which has refused a 256-byte deflate window "
             "since zlib 1.2.9, so it cannot compress once client_max_window_bits=8 is agreed")
REFERENCE_CLIENT_DEVIATIONS: dict[str, str] = {
    "3.2": _ECHO_RACE,
    "3.3": _ECHO_RACE + " (here only when the chops arrive together, e.g. under load)",
    "3.4": _ECHO_RACE + " (here only when the chops arrive together, e.g. under load)",
    "4.1.3": _ECHO_RACE, "4.1.4": _ECHO_RACE, "4.1.5": _ECHO_RACE,
    "4.2.3": _ECHO_RACE, "4.2.4": _ECHO_RACE, "4.2.5": _ECHO_RACE,
    "5.15": _ECHO_RACE,
    "6.4.3": _FRAME_WISE_UTF8, "6.4.4": _FRAME_WISE_UTF8,
    # Where the server asks for client_max_window_bits=8 (RFC 7692 allows 8..15):
    "13.3.*": _WINDOW_8, "13.5.*": _WINDOW_8, "13.7.*": _WINDOW_8,
}


def reference_client_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="fuzzingserver.py --reference-client",
                                 description="Echo client built on python3-websockets.")
    ap.add_argument("--deflate", action="store_true", help="offer permessage-deflate")
    ap.add_argument("url")
    args = ap.parse_args(argv)
    try:
        import websockets
        from websockets.exceptions import ConnectionClosed, InvalidHandshake
    except ImportError as e:
        print(f"reference client: python3-websockets is missing for {sys.executable}: {e}",
              file=sys.stderr)
        return 1

    async def main() -> int:
        try:
            ws = await websockets.connect(args.url, compression="deflate" if args.deflate else None,
                                          max_size=None, max_queue=None, ping_interval=None,
                                          open_timeout=10, close_timeout=10)
        except (OSError, InvalidHandshake, asyncio.TimeoutError, ValueError) as e:
            print(f"reference client: could not connect: {e!r}", file=sys.stderr)
            return 2
        try:
            async for message in ws:
                await ws.send(message)
        except ConnectionClosed:
            pass
        except Exception as e:  # a bug of the client library: say so and close, do not hang
            print(f"reference client: internal error: {e!r}", file=sys.stderr)
            try:
                await asyncio.wait_for(ws.close(1011, "internal error"), 5)
            except Exception:
                pass
            return 1
        await ws.wait_closed()
        sent, rcvd = ws.close_sent, ws.close_rcvd
        if sent is not None and not ws.close_rcvd_then_sent and sent.code not in (1000, 1001):
            print(f"reference client: failed the connection: {sent.code} {sent.reason}",
                  file=sys.stderr)
            return 3
        if rcvd is None:
            return 4
        return 0

    return asyncio.run(main())


# --------------------------------------------------------------------------------------------
# Fault detection: the server must fail clients that misbehave, not only pass good ones

RAW_CLIENT_FAULTS = ["none", "unmasked", "long-length", "text-as-binary", "duplicate", "no-pong",
                     "close-1000", "drop", "hang", "validating-drop"]


def raw_client_main(argv: list[str]) -> int:
    """A deliberately lenient echo client on a plain socket, with one switchable fault.  It
    checks nothing it receives (no UTF-8, RSV, opcode or close code validation), so it is a
    wrong client for every case where the client must fail the connection."""
    import socket
    ap = argparse.ArgumentParser(prog="fuzzingserver.py --raw-client")
    ap.add_argument("--fault", choices=RAW_CLIENT_FAULTS, default="none")
    ap.add_argument("url")
    args = ap.parse_args(argv)
    fault = args.fault
    url = urllib.parse.urlsplit(args.url)
    sock = socket.create_connection((url.hostname, url.port or 80), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    target = url.path + ("?" + url.query if url.query else "")
    sock.sendall((f"GET {target} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = bytearray()
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            return 2
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        return 2
    buf = bytearray(rest)

    def read_exact(n: int) -> bytes:
        while len(buf) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise EOFError
            buf.extend(chunk)
        out = bytes(buf[:n])
        del buf[:n]
        return out

    def send(opcode: int, payload: bytes) -> None:
        n = len(payload)
        mask_bit = 0 if fault == "unmasked" else 0x80
        if fault == "long-length" or n >= 0x10000:
            header = struct.pack("!BBQ", 0x80 | opcode, mask_bit | 127, n)
        elif n >= 126:
            header = struct.pack("!BBH", 0x80 | opcode, mask_bit | 126, n)
        else:
            header = struct.pack("!BB", 0x80 | opcode, mask_bit | n)
        if mask_bit:
            key = os.urandom(4)
            header += key
            payload = apply_mask(payload, key)
        sock.sendall(header + payload)

    message_opcode, parts = None, []
    try:
        while True:
            b0, b1 = read_exact(2)
            opcode, fin, n = b0 & 0xF, bool(b0 & 0x80), b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", read_exact(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", read_exact(8))
            payload = read_exact(n)
            if opcode == OP_PING:
                if fault != "no-pong":
                    send(OP_PONG, payload)
            elif opcode == OP_CLOSE:
                if fault == "drop":
                    sock.close()
                    return 4
                send(OP_CLOSE, close_payload(CLOSE_NORMAL) if fault == "close-1000" else payload)
                while sock.recv(65536):
                    pass
                sock.close()
                if fault == "hang":
                    time.sleep(3600)
                return 0
            elif opcode in (OP_TEXT, OP_BINARY, OP_CONTINUATION):
                if fault == "validating-drop" and (b0 & 0x70 or opcode not in (0, 1, 2)):
                    sock.close()
                    return 3
                if opcode != OP_CONTINUATION:
                    message_opcode, parts = opcode, []
                parts.append(payload)
                if fin and message_opcode is not None:
                    out = OP_BINARY if fault == "text-as-binary" else message_opcode
                    for _ in range(2 if fault == "duplicate" else 1):
                        send(out, b"".join(parts))
                    message_opcode = None
            elif fault == "validating-drop":
                sock.close()
                return 3
    except (EOFError, ConnectionError):
        return 4


# (fault, case, the verdict the server must give)
FAULT_MATRIX = [
    ("none", "1.1.2", PASS), ("none", "2.2", PASS), ("none", "7.7.9", PASS),
    ("none", "3.1", FAIL), ("none", "4.1.1", FAIL), ("none", "5.18", FAIL), ("none", "6.3.1", FAIL),
    ("none", "6.4.1", FAIL), ("none", "7.3.2", FAIL), ("none", "7.9.1", FAIL),
    ("unmasked", "1.1.2", FAIL), ("long-length", "1.1.2", FAIL),
    ("text-as-binary", "1.1.2", FAIL), ("duplicate", "1.2.1", FAIL), ("no-pong", "2.2", FAIL),
    ("close-1000", "1.1.2", PASS), ("close-1000", "7.7.9", NON_STRICT),
    ("close-1000", "7.3.1", PASS), ("drop", "1.1.2", FAIL), ("hang", "1.1.2", FAIL),
    ("validating-drop", "3.1", NON_STRICT), ("validating-drop", "4.2.1", NON_STRICT),
    ("validating-drop", "1.1.1", PASS),
]


def check_fault_detection(jobs: int, scale: float) -> int:
    define_cases()
    by_id = {c.id: c for c in CASES}
    me = shlex.quote(os.path.abspath(__file__))
    failures = 0
    started = time.monotonic()

    async def run_fault(fault: str, entries: list) -> list:
        cmd = f"{shlex.quote(sys.executable)} {me} --raw-client --fault {fault} {{url}}"
        options = Options(cmd, False, "", jobs, scale, 1, False, False, False, quiet=True)
        cases = [by_id[case_id] for _, case_id, _ in entries]
        results = await Runner(options, cases).run_all()
        return list(zip(entries, results))

    async def run_all() -> list:
        groups: dict[str, list] = {}
        for entry in FAULT_MATRIX:
            groups.setdefault(entry[0], []).append(entry)
        outcome = await asyncio.gather(*(run_fault(f, e) for f, e in groups.items()))
        return [pair for group in outcome for pair in group]

    for (fault, case_id, wanted), result in asyncio.run(run_all()):
        ok = result.verdict == wanted
        failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'BAD '} client fault {fault:<16} case {case_id:<7} -> "
              f"{result.verdict:<10} (must be {wanted})", flush=True)
        if not ok or SEVERITY[result.verdict]:
            print(f"{'':6}observed: {result.observed}")
    print(f"time: {time.monotonic() - started:.1f} s")
    print(f"{len(FAULT_MATRIX) - failures} passed, {failures} failed")
    return 0 if failures == 0 else 1


# --------------------------------------------------------------------------------------------
# Command line


def select_cases(patterns: str, exclude: str, with_deflate: bool) -> list[Case]:
    include = [p.strip() for p in patterns.split(",") if p.strip()] or ["*"]
    skip = [p.strip() for p in exclude.split(",") if p.strip()]
    chosen = []
    for c in CASES:
        if c.deflate is not None and not with_deflate:
            continue
        if any(fnmatch.fnmatchcase(c.id, p) for p in include) and \
                not any(fnmatch.fnmatchcase(c.id, p) for p in skip):
            chosen.append(c)
    return chosen


def write_report(path: str, results: list[Result], o: Options, duration: float,
                 client: str) -> None:
    doc = {
        "client": client,
        "duration_s": round(duration, 2),
        "jobs": o.jobs,
        "timeout_scale": o.scale,
        "summary": summarize(results),
        "cases": [{
            "id": r.case.id,
            "description": r.case.description,
            "expectation": r.case.expectation,
            "verdict": r.verdict,
            "known_deviation": r.deviation,
            "expected": r.expected if SEVERITY[r.verdict] else None,
            "observed": r.observed if SEVERITY[r.verdict] else None,
            "notes": r.notes,
            "exit_code": r.exit_code,
            "expected_exit_code": r.expected_exit_code,
            "duration_s": round(r.duration, 3),
            "extension": r.extension or None,
            "info": r.info,
            "stderr_tail": r.stderr_tail if SEVERITY[r.verdict] else None,
        } for r in results],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


def summarize(results: list[Result]) -> dict:
    by_verdict: dict[str, int] = {}
    by_section: dict[str, dict[str, int]] = {}
    for r in results:
        key = r.verdict + (" (known deviation)" if r.deviation else "")
        by_verdict[key] = by_verdict.get(key, 0) + 1
        sec = by_section.setdefault(r.case.section, {"cases": 0, "passed": 0, "deviations": 0})
        sec["cases"] += 1
        sec["passed"] += 1 if r.passed and not r.deviation else 0
        sec["deviations"] += 1 if r.deviation else 0
    return {"cases": len(results), "verdicts": by_verdict, "sections": by_section,
            "passed": sum(1 for r in results if r.passed and not r.deviation),
            "failed": sum(1 for r in results if not r.passed),
            "known_deviations": sum(1 for r in results if r.deviation)}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--reference-client":
        return reference_client_main(argv[1:])
    if argv and argv[0] == "--raw-client":
        return raw_client_main(argv[1:])
    ap = argparse.ArgumentParser(
        description="Client-conformance test server modelled on the Autobahn|Testsuite "
                    "fuzzingserver client cases.  Runs the client once per case against "
                    "ws://127.0.0.1:PORT/runCase?case=ID and grades what it does.")
    who = ap.add_mutually_exclusive_group()
    who.add_argument("--client-cmd", metavar="CMD",
                     help="client command template: {url} becomes the case URL (appended when "
                          "absent), {deflate} becomes --deflate for compression cases, "
                          "{case} and {port} are also replaced")
    who.add_argument("--client-python-reference", action="store_true",
                     help="run the built-in reference echo client (python3-websockets)")
    ap.add_argument("--reference-python", default="/usr/bin/python3" if os.path.exists(
        "/usr/bin/python3") else sys.executable,
                    help="interpreter that has python3-websockets (default: %(default)s)")
    ap.add_argument("--cases", default="*", metavar="GLOBS",
                    help="comma-separated globs of case ids, e.g. '1.*,2.*' (default: all)")
    ap.add_argument("--exclude", default="", metavar="GLOBS", help="comma-separated globs to skip")
    ap.add_argument("--deflate-cases", action="store_true",
                    help="also run the permessage-deflate cases 12.* and 13.*")
    ap.add_argument("--deflate-messages", type=int, default=100, metavar="N",
                    help="messages per compression case (Autobahn sends 1000; default %(default)s)")
    ap.add_argument("--list", action="store_true", help="list the selected cases and exit")
    ap.add_argument("--report", metavar="FILE", help="write a JSON report")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="cases run at once (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_CASE_TIMEOUT, metavar="SECONDS",
                    help="time budget of a case, from starting the client to its exit "
                         "(default %(default)g; the 9.x, 12.x and 13.x cases have larger "
                         "budgets of their own)")
    ap.add_argument("--timeout-scale", type=float, default=1.0, metavar="X",
                    help="multiply every per-case time budget and wait (default %(default)s)")
    ap.add_argument("--accept-non-strict", action="store_true",
                    help="count NON-STRICT verdicts (Autobahn's lenient passes) as passed")
    ap.add_argument("--strict-exit-codes", action="store_true",
                    help="fail cases whose client exit code is not 0 (normal close) or 3 "
                         "(the client failed the connection) as the case expects")
    ap.add_argument("--no-known-deviations", action="store_true",
                    help="with --client-python-reference, do not excuse its known deviations")
    ap.add_argument("-v", "--verbose", action="store_true", help="print notes of passed cases too")
    ap.add_argument("--serve", action="store_true",
                    help="start no client: listen on --port and play each case a client asks "
                         "for, until every selected case was played once (or Ctrl-C)")
    ap.add_argument("--port", type=int, default=9001,
                    help="port for --serve (default %(default)s, Autobahn's; 0 picks a free one)")
    ap.add_argument("--check-fault-detection", action="store_true",
                    help="check the server itself: run a deliberately faulty built-in client "
                         "and verify that every fault gets the verdict it must")
    args = ap.parse_args(argv)
    if args.check_fault_detection:
        return check_fault_detection(args.jobs, args.timeout_scale)

    define_cases()
    for c in CASES:
        if c.timeout == DEFAULT_CASE_TIMEOUT:
            c.timeout = args.timeout
    cases = select_cases(args.cases, args.exclude, args.deflate_cases)
    if args.list:
        for c in cases:
            print(f"{c.id:<9} {c.description}")
        print(f"{len(cases)} cases")
        return 0
    if not cases:
        print("no case selected" + ("" if args.deflate_cases else
                                    " (compression cases need --deflate-cases)"), file=sys.stderr)
        return 2
    if not args.client_cmd and not args.client_python_reference and not args.serve:
        ap.error("give --client-cmd, --client-python-reference or --serve")
    options = Options(args.client_cmd, args.client_python_reference, args.reference_python,
                      args.jobs, args.timeout_scale, args.deflate_messages, args.accept_non_strict,
                      args.strict_exit_codes, args.verbose)
    if args.client_python_reference and not args.no_known_deviations:
        options.known_deviations = {c.id: reason for c in cases
                                    for pattern, reason in REFERENCE_CLIENT_DEVIATIONS.items()
                                    if fnmatch.fnmatchcase(c.id, pattern)}
    global ACCEPT_NON_STRICT
    ACCEPT_NON_STRICT = args.accept_non_strict
    client = ("reference client (python3-websockets)" if args.client_python_reference
              else args.client_cmd or "clients that connect by themselves")
    started = time.monotonic()
    if args.serve:
        runner = Runner(options, cases, serve=True)
        try:
            results = asyncio.run(runner.serve_forever(args.port))
        except KeyboardInterrupt:
            results = [runner.results[c.id] for c in cases if c.id in runner.results]
            print(f"\ninterrupted after {len(results)} of {len(cases)} cases")
    else:
        print(f"Running {len(cases)} cases against {client}, {args.jobs} at a time", flush=True)
        results = asyncio.run(Runner(options, cases).run_all())
    duration = time.monotonic() - started
    summary = summarize(results)
    print()
    for section, counts in sorted(summary["sections"].items(), key=lambda kv: int(kv[0])):
        dev = f", {counts['deviations']} known deviation(s)" if counts["deviations"] else ""
        print(f"section {section:>2}: {counts['passed']}/{counts['cases']} passed{dev}")
    verdicts = ", ".join(f"{k}: {v}" for k, v in sorted(summary["verdicts"].items()))
    print(f"verdicts: {verdicts}")
    failed = [r.case.id for r in results if not r.passed]
    if failed:
        print("failed: " + " ".join(failed))
    not_played = len(cases) - len(results)
    if not_played:
        print(f"{not_played} selected cases were not played")
    if summary["known_deviations"]:
        print(f"{summary['known_deviations']} known deviations of the reference client (counted "
              f"neither passed nor failed): {' '.join(r.case.id for r in results if r.deviation)}")
    print(f"time: {duration:.1f} s")
    if args.report:
        write_report(args.report, results, options, duration, client)
    print(f"{summary['passed']} passed, {summary['failed']} failed")
    return 0 if summary["failed"] == 0 and not not_played else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
