"""Keepalive: --ping-interval sends pings and reports each pong's round-trip time; a peer that
stops answering is a dead connection, detected before the next ping is due (exit 4), or a
reason to reconnect with --reconnect."""

import time
import unittest

from harness import (InteropTestCase, python_echo, read_client_frame, run_cli, server_frame,
                     switching_protocols)


class Keepalive(InteropTestCase):
    def silent_server(self, answer_pings=0, then_greet=False):
        """A raw server that answers the first `answer_pings` pings of its first connection and
        then goes silent; with then_greet, later connections greet and answer everything."""
        connections = []

        def handler(connection, request):
            connections.append(time.monotonic())
            connection.sendall(switching_protocols(request))
            first = len(connections) == 1
            if not first and then_greet:
                connection.sendall(server_frame(1, b"hello again"))
            answered = 0
            while (frame := read_client_frame(connection)) is not None:
                opcode, _, payload = frame
                if opcode == 9 and (not first or answered < answer_pings):
                    answered += 1
                    connection.sendall(server_frame(10, payload))
                elif opcode == 8:
                    if not first:
                        connection.sendall(server_frame(8, payload))
                    return

        return self.raw_server(handler), connections

    def test_pongs_report_round_trip_time(self):
        server = self.peer(python_echo(self.workdir, "--mode", "greet", "--greet-after", "1.2"))
        result = run_cli("--frames", "--ping-interval", "0.25", "-n", "1",
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 0)
        pongs = result.events("pong")
        self.assertGreaterEqual(len(pongs), 3, result.describe())
        for pong in pongs:
            self.assertIsInstance(pong["rttMs"], (int, float))
            self.assertTrue(0 <= pong["rttMs"] < 250, pong)
        pings = [f for f in result.frames("out") if f["opcode"] == 9]
        self.assertGreaterEqual(len(pings), len(pongs))

    def test_dead_peer_detected(self):
        server, _ = self.silent_server(answer_pings=2)
        started = time.monotonic()
        result = run_cli("--frames", "--ping-interval", "0.4", f"ws://127.0.0.1:{server.port}/",
                         timeout=30)
        elapsed = time.monotonic() - started
        self.assertExit(result, 4)
        self.assertStderrMentions(result, "pong", r"0\.4 s|400 ms")
        self.assertEqual(len(result.events("pong")), 2, result.describe())
        # Pings at 0.4, 0.8 and 1.2 s; the third goes unanswered until 1.6 s.
        self.assertGreater(elapsed, 1.5)
        self.assertLess(elapsed, 4.0, f"detected after {elapsed:.2f} s")

    def test_dead_peer_triggers_reconnect(self):
        server, connections = self.silent_server(then_greet=True)
        result = run_cli("--frames", "--ping-interval", "0.3", "--reconnect",
                         "--backoff-initial", "50", "-n", "1",
                         f"ws://127.0.0.1:{server.port}/", timeout=30)
        self.assertExit(result, 0)
        self.assertEqual(len(connections), 2)
        self.assertEqual([e["delayMs"] for e in result.events("reconnect")], [50])
        self.assertEqual([f["payload"] for f in result.frames("in") if f["opcode"] == 1],
                         ["hello again"])


if __name__ == "__main__":
    unittest.main()
