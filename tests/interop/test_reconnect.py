"""--reconnect against a python3-websockets server that is killed mid-session and restarted on
the same port: the client comes back, and its `reconnect` events carry the backoff policy's
delays (no jitter in duplex-cli, so they are exact: initial * multiplier^(attempt-1), capped)."""

import json
import struct
import time
import unittest

from harness import (InteropTestCase, python_echo, read_client_frame, run_cli, server_frame,
                     start_cli, switching_protocols)

BACKOFF = ["--backoff-initial", "100", "--backoff-multiplier", "2", "--backoff-max", "400"]


def policy_delays(count, initial=100, multiplier=2, maximum=400):
    return [min(maximum, initial * multiplier ** attempt) for attempt in range(count)]


class Reconnect(InteropTestCase):
    def test_server_killed_and_restarted(self):
        first = self.peer(python_echo(self.workdir, "--mode", "greet", "--name", "first",
                                      name="first"))
        port = first.port
        cli = start_cli(self.workdir, "--frames", "--reconnect", *BACKOFF, "--max-retries", "50",
                        "-n", "2", f"ws://127.0.0.1:{port}/feed")
        self.addCleanup(cli.kill)
        cli.wait_for_line(lambda l: '"hello 1 from first"' in l, 10, "first greeting")
        first.kill()
        # Let four attempts fail (100 + 200 + 400 + 400 ms) so the cap shows, then come back.
        cli.wait_for_line(lambda l: '"attempt":4' in l, 10, "fourth reconnect attempt")
        second = self.peer(python_echo(self.workdir, "--mode", "greet", "--name", "second",
                                       "--port", str(port), name="second"))
        self.assertEqual(second.port, port)
        code = cli.wait(30)
        self.assertEqual(code, 0, f"exit {code}; stderr: {cli.stderr()}")

        records = [json.loads(line) for line in cli.lines if line]
        received = [r["payload"] for r in records
                    if r.get("dir") == "in" and r.get("opcode") == 1]
        self.assertEqual(received, ["hello 1 from first", "hello 1 from second"])
        events = [r for r in records if "event" in r]
        reconnects = [e for e in events if e["event"] == "reconnect"]
        self.assertGreaterEqual(len(reconnects), 4, events)
        self.assertEqual([e["attempt"] for e in reconnects], list(range(1, len(reconnects) + 1)))
        self.assertEqual([e["delayMs"] for e in reconnects], policy_delays(len(reconnects)))
        self.assertEqual(len([e for e in events if e["event"] == "open"]), 2, events)
        drop = [e for e in events if e["event"] == "close"][0]
        self.assertEqual(drop["code"], 1006)
        # The order tells the story: open, the drop, the attempts, open again, the final close.
        kinds = [e["event"] for e in events if e["event"] in ("open", "close", "reconnect")]
        self.assertEqual(kinds[:2], ["open", "close"])
        self.assertEqual(kinds[-2:], ["open", "close"])
        self.assertTrue(all(k == "reconnect" for k in kinds[2:-2]), kinds)

    def test_gives_up_after_max_retries(self):
        server = self.peer(python_echo(self.workdir, "--mode", "greet", name="short-lived"))
        cli = start_cli(self.workdir, "--frames", "--reconnect", *BACKOFF, "--max-retries", "3",
                        f"ws://127.0.0.1:{server.port}/")
        self.addCleanup(cli.kill)
        cli.wait_for_line(lambda l: "hello 1" in l, 10, "greeting")
        server.kill()
        started = time.monotonic()
        code = cli.wait(30)
        self.assertEqual(code, 4, cli.stderr())
        self.assertRegex(cli.stderr(), r"(?i)gave up|giving up")
        self.assertIn("3", cli.stderr())
        delays = [json.loads(l)["delayMs"] for l in cli.lines if '"reconnect"' in l]
        self.assertEqual(delays, policy_delays(3))
        self.assertLess(time.monotonic() - started, 10)

    def test_no_reconnect_without_flag(self):
        server = self.peer(python_echo(self.workdir, "--mode", "greet", name="once"))
        cli = start_cli(self.workdir, "--frames", f"ws://127.0.0.1:{server.port}/")
        self.addCleanup(cli.kill)
        cli.wait_for_line(lambda l: "hello 1" in l, 10, "greeting")
        server.kill()
        self.assertEqual(cli.wait(15), 4, cli.stderr())
        self.assertRegex(cli.stderr(), r"(?i)lost|without a close|abnormal")
        self.assertFalse([l for l in cli.lines if '"reconnect"' in l])

    def closing_server(self, first_close_code):
        """A raw server that closes its first connection with `first_close_code` and greets
        the next ones."""
        connections = []

        def handler(connection, request):
            connections.append(request)
            connection.sendall(switching_protocols(request))
            if len(connections) == 1:
                time.sleep(0.2)  # let the client send what it sends once open
                connection.sendall(server_frame(8, struct.pack("!H", first_close_code)))
            else:
                connection.sendall(server_frame(1, b"welcome back"))
            while (frame := read_client_frame(connection)) is not None:
                if frame[0] == 8:
                    if len(connections) > 1:
                        connection.sendall(server_frame(8, frame[2]))
                    return

        return self.raw_server(handler), connections

    def test_reconnects_after_service_restart_close(self):
        server, connections = self.closing_server(1012)
        result = run_cli("--frames", "--reconnect", *BACKOFF, "-n", "1",
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 0)
        self.assertEqual(len(connections), 2)
        self.assertEqual([e["delayMs"] for e in result.events("reconnect")], [100])

    def test_no_reconnect_after_normal_close(self):
        server, connections = self.closing_server(1000)
        result = run_cli("--frames", "--reconnect", *BACKOFF, "-n", "1",
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 0)
        self.assertEqual(len(connections), 1)
        self.assertEqual(result.events("reconnect"), [])

    def test_resends_messages_after_reconnect(self):
        server, connections = self.closing_server(1012)
        result = run_cli("--frames", "--reconnect", *BACKOFF, "-m", "subscribe", "-n", "1",
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 0)
        sent = [f["payload"] for f in result.frames("out") if f["opcode"] == 1]
        self.assertEqual(sent, ["subscribe", "subscribe"])


if __name__ == "__main__":
    unittest.main()
