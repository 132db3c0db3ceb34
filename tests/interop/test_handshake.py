"""A raw TCP server (Python sockets) answers the opening handshake wrongly in every way the
client must notice, then breaks the protocol after a good one. Each refused handshake is
exit 2 with a message naming the problem; each violation is exit 3 with the close code RFC 6455
asks for; a connection that just ends is exit 4."""

import struct
import threading
import time
import unittest

from harness import (InteropTestCase, free_port, read_client_frame, request_header, run_cli,
                     server_frame, switching_protocols)


def answer(response, then=None):
    """A handler sending `response` (bytes, or a function of the request) and then running
    `then(connection)`, or waiting for the client to go away."""
    def handler(connection, request):
        connection.sendall(response(request) if callable(response) else response)
        if then:
            then(connection)
        else:
            while connection.recv(65536):
                pass
    return handler


def serve_until_close(connection):
    """Reads client frames, answering a close with a close, until EOF."""
    while True:
        frame = read_client_frame(connection)
        if frame is None:
            return
        if frame[0] == 8:
            connection.sendall(server_frame(8, frame[2]))
            return


class BadHandshakes(InteropTestCase):
    def refused(self, handler, *patterns, extra=()):
        server = self.raw_server(handler)
        result = run_cli("--frames", *extra, "-m", "never sent",
                         f"ws://127.0.0.1:{server.port}/chat", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, *patterns)
        self.assertEqual(result.events("open"), [])
        self.assertEqual(result.frames(), [], "no frame may cross a refused handshake")
        self.assertEqual(server.errors, [])
        return result

    def test_non_101_status(self):
        body = b"not for you: missing token\n" + b"x" * 5000
        response = (b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        result = self.refused(answer(response), "403 Forbidden", "not for you: missing token")
        self.assertLess(len(result.stderr), 4000, "the body is cut to its first bytes")

    def test_ok_status(self):
        self.refused(answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), "200 OK",
                     "hello")

    def test_wrong_accept(self):
        self.refused(answer(lambda r: switching_protocols(r, accept="dGhlIHNhbXBsZSBub25jZQ==")),
                     "Sec-WebSocket-Accept")

    def test_missing_accept(self):
        self.refused(answer(lambda r: switching_protocols(r, omit=("Sec-WebSocket-Accept",))),
                     "Sec-WebSocket-Accept")

    def test_missing_upgrade(self):
        self.refused(answer(lambda r: switching_protocols(r, omit=("Upgrade",))), "Upgrade")

    def test_missing_connection_upgrade(self):
        self.refused(answer(lambda r: switching_protocols(r, omit=("Connection",))),
                     "Connection")

    def test_unrequested_subprotocol(self):
        self.refused(answer(lambda r: switching_protocols(
            r, extra=["Sec-WebSocket-Protocol: mqtt"])), "subprotocol", "mqtt")

    def test_subprotocol_not_offered(self):
        self.refused(answer(lambda r: switching_protocols(
            r, extra=["Sec-WebSocket-Protocol: mqtt"])), "subprotocol", "mqtt",
            extra=("-s", "chat"))

    def test_unrequested_extension(self):
        self.refused(answer(lambda r: switching_protocols(
            r, extra=["Sec-WebSocket-Extensions: x-webkit-deflate-frame"])),
            "extension", "x-webkit-deflate-frame")

    def test_unrequested_deflate(self):
        self.refused(answer(lambda r: switching_protocols(
            r, extra=["Sec-WebSocket-Extensions: permessage-deflate"])),
            "extension", "permessage-deflate")

    def test_headers_over_limit(self):
        filler = [f"X-Filler-{i}: {'y' * 100}" for i in range(200)]
        self.refused(answer(lambda r: switching_protocols(r, extra=filler)),
                     r"too large|too long|limit|exceed")

    def test_garbage_response(self):
        self.refused(answer(b"SSH-2.0-OpenSSH_9.2\r\n\r\n"), r"malformed|not an HTTP|invalid")

    def test_closed_before_response(self):
        self.refused(lambda connection, request: None, r"closed")

    def test_never_answers(self):
        def hold(connection, request):
            server.wait_closing(30)
        server = self.raw_server(hold)
        started = time.monotonic()
        result = run_cli("--connect-timeout", "1", f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "handshake", r"\b1 s")
        self.assertLess(time.monotonic() - started, 5)

    def test_connection_refused(self):
        result = run_cli(f"ws://127.0.0.1:{free_port()}/")
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "refused", "127.0.0.1")

    def test_tls_to_plain_server(self):
        server = self.raw_server(answer(b"HTTP/1.1 400 Bad Request\r\n\r\n"))
        result = run_cli("--connect-timeout", "5", f"wss://127.0.0.1:{server.port}/",
                         timeout=30)
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "TLS|SSL")

    def test_redirect_is_reported(self):
        result = self.refused(answer(
            b"HTTP/1.1 301 Moved Permanently\r\nLocation: ws://127.0.0.1:1/elsewhere\r\n"
            b"Content-Length: 0\r\n\r\n"), "301", "ws://127.0.0.1:1/elsewhere")
        self.assertNotIn("connection refused", result.stderr.lower(),
                         "a redirect is not followed unless asked for")


class Request(InteropTestCase):
    """What the client puts in its opening handshake."""

    def test_request_carries_options(self):
        server = self.raw_server(answer(switching_protocols, serve_until_close))
        url = f"ws://127.0.0.1:{server.port}/a%20b/c?x=1&y=%2F&z"
        result = run_cli("-H", "Authorization: Bearer abc", "-H", "X-Empty:", "-s", "chat",
                         "-s", "v2.chat", "--origin", "https://example.test", "--deflate",
                         "--close", "1000", "-t", "1", url, timeout=20)
        self.assertIn(result.returncode, (0, 5), result.describe())
        request = server.requests[0]
        self.assertTrue(request.startswith(b"GET /a%20b/c?x=1&y=%2F&z HTTP/1.1\r\n"), request)
        self.assertEqual(request_header(request, "Host"), f"127.0.0.1:{server.port}")
        self.assertEqual(request_header(request, "Authorization"), "Bearer abc")
        self.assertEqual(request_header(request, "X-Empty"), "")
        self.assertEqual(request_header(request, "Sec-WebSocket-Protocol"), "chat, v2.chat")
        self.assertEqual(request_header(request, "Origin"), "https://example.test")
        self.assertIn("permessage-deflate", request_header(request, "Sec-WebSocket-Extensions"))
        self.assertEqual(request_header(request, "Sec-WebSocket-Version"), "13")

    def test_header_that_replaces_a_handshake_header(self):
        result = run_cli("-H", "Sec-WebSocket-Key: abc", f"ws://127.0.0.1:{free_port()}/")
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "Sec-WebSocket-Key")

    def test_header_without_colon(self):
        result = run_cli("-H", "NoColonHere", f"ws://127.0.0.1:{free_port()}/")
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "-H|--header", "NoColonHere")


class Violations(InteropTestCase):
    """A good handshake, then a frame the client must fail the connection for."""

    def violated(self, frames, close_code, *patterns):
        closes = []
        served = threading.Event()

        def misbehave(connection, request):
            try:
                connection.sendall(switching_protocols(request) + frames)
                connection.settimeout(10)
                while (frame := read_client_frame(connection)) is not None:
                    if frame[0] == 8:
                        closes.append(frame[2])
                        connection.sendall(server_frame(8, frame[2][:2]))
                        return
            finally:
                served.set()

        server = self.raw_server(misbehave)
        result = run_cli("--frames", f"ws://127.0.0.1:{server.port}/", timeout=30)
        # The client may exit before this thread has read its close frame.
        served.wait(10)
        self.assertExit(result, 3)
        self.assertStderrMentions(result, *patterns)
        self.assertTrue(closes, f"no close frame sent{result.describe()}")
        self.assertEqual(struct.unpack("!H", closes[0][:2])[0], close_code)
        return result

    def test_masked_server_frame(self):
        self.violated(server_frame(1, b"hi", mask=b"\x01\x02\x03\x04"), 1002, "mask")

    def test_reserved_opcode(self):
        self.violated(server_frame(3, b""), 1002, "opcode")

    def test_reserved_bit(self):
        self.violated(server_frame(1, b"x", rsv=1), 1002, "reserved|RSV")

    def test_fragmented_ping(self):
        self.violated(server_frame(9, b"", fin=False), 1002, "fragment|control")

    def test_invalid_utf8(self):
        self.violated(server_frame(1, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xed\xa0\x80"), 1007,
                      "UTF-8")

    def test_bad_close_code(self):
        self.violated(server_frame(8, struct.pack("!H", 999)), 1002, "close code|999")

    def test_continuation_without_start(self):
        self.violated(server_frame(0, b"orphan"), 1002, "continuation")


class AbnormalEnds(InteropTestCase):
    def test_tcp_drop_after_open(self):
        server = self.raw_server(answer(switching_protocols, lambda connection: None))
        result = run_cli("--frames", f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 4)
        self.assertStderrMentions(result, r"without a close|closed abnormally|lost|1006")
        self.assertEqual(result.events("close")[-1]["code"], 1006)

    def test_peer_closes_with_error_code(self):
        def close_1011(connection):
            connection.sendall(server_frame(8, struct.pack("!H", 1011) + b"oops"))
            read_client_frame(connection)

        server = self.raw_server(answer(switching_protocols, close_1011))
        result = run_cli("--frames", f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 0)
        close = result.events("close")[-1]
        self.assertEqual((close["code"], close["reason"]), (1011, "oops"))
        self.assertStderrMentions(result, "1011", "oops")

    def test_close_reply_never_comes(self):
        def ignore_close(connection):
            connection.sendall(server_frame(1, b"one"))
            while read_client_frame(connection) is not None:
                pass

        server = self.raw_server(answer(switching_protocols, ignore_close))
        result = run_cli("-n", "1", f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 4)
        self.assertStderrMentions(result, "close")
        self.assertLess(result.elapsed, 15)


if __name__ == "__main__":
    unittest.main()
