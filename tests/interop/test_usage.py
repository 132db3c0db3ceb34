"""The command line itself: --help documents the whole contract (DESIGN.md section 7), and
every bad argument is exit 1 with a message naming the option and what was wrong with it."""

import os
import re
import unittest

from harness import InteropTestCase, free_port, run_cli

CONTRACT_FLAGS = [
    "-H, --header", "-s, --subprotocol", "--origin", "--deflate", "-m, --send", "--send-binary",
    "--send-file", "-n, --count", "-t, --timeout", "--close", "--echo", "--frames",
    "--ping-interval", "--reconnect", "--backoff-initial", "--backoff-max",
    "--backoff-multiplier", "--max-retries", "--ca", "--cert", "--key", "-k, --insecure",
    "--proxy", "--max-message-size", "--connect-timeout", "--profile", "--env",
    "--save-profile", "--export-har",
]


class Usage(InteropTestCase):
    def test_help_documents_the_contract(self):
        result = run_cli("--help")
        self.assertExit(result, 0)
        text = result.stdout.decode()
        for flag in CONTRACT_FLAGS:
            self.assertIn(flag, text, f"--help does not document {flag}")
        for code in range(6):
            self.assertRegex(text, rf"\b{code}\s+\w", f"--help does not explain exit code {code}")
        self.assertIn("Examples", text)
        self.assertIn('"dir":"in"', text, "--help shows the --frames line format")

    def test_version(self):
        result = run_cli("--version")
        self.assertExit(result, 0)
        self.assertRegex(result.stdout.decode(), r"duplex-cli \d+\.\d+\.\d+")

    def usage_error(self, args, *patterns):
        result = run_cli(*args)
        self.assertExit(result, 1)
        for pattern in patterns:
            self.assertRegex(result.stderr, re.compile(pattern, re.IGNORECASE),
                             f"{args}: stderr does not mention {pattern!r}{result.describe()}")
        self.assertEqual(result.stdout, b"")
        self.assertLess(result.stderr.count("\n"), 6, "a usage error is a short message")

    def test_bad_arguments(self):
        port = free_port()
        url = f"ws://127.0.0.1:{port}/"
        missing = os.path.join(self.workdir, "missing.bin")
        cases = [
            ([], "URL"),
            ([url, url], "one URL"),
            (["--no-such-flag", url], "no-such-flag"),
            (["http://127.0.0.1/"], "http", "ws://"),
            (["https://127.0.0.1/"], "https", "wss://"),
            (["ftp://127.0.0.1/"], "ftp"),
            (["ws://"], "host"),
            (["ws://127.0.0.1:70000/"], "port"),
            (["not a url"], "URL"),
            (["-n", "abc", url], "--count", "abc"),
            (["-n", "0", url], "--count"),
            (["-t", "soon", url], "--timeout", "soon"),
            (["-t", "-1", url], "--timeout"),
            (["--close", "99999", url], "--close", "99999"),
            (["--close", "1005", url], "--close", "1005"),
            (["--close", "abc:reason", url], "--close", "abc"),
            (["--close", "1000:" + "r" * 124, url], "--close", "123|reason"),
            (["--send-binary", "zz", url], "--send-binary", "zz"),
            (["--send-binary", "abc", url], "--send-binary", "abc"),
            (["--send-file", missing, url], "--send-file", "missing.bin"),
            (["--ping-interval", "x", url], "--ping-interval"),
            (["--ping-interval", "0", url], "--ping-interval"),
            (["--backoff-initial", "-5", url], "--backoff-initial"),
            (["--backoff-multiplier", "0.5", url], "--backoff-multiplier", "0.5"),
            (["--backoff-max", "10", "--backoff-initial", "100", url], "--backoff-max"),
            (["--max-retries", "many", url], "--max-retries"),
            (["--max-message-size", "0", url], "--max-message-size"),
            (["--max-message-size", "1e", url], "--max-message-size"),
            (["--connect-timeout", "0", url], "--connect-timeout"),
            (["--proxy", "gopher://h:1", url], "--proxy", "gopher"),
            (["--cert", missing, "--key", missing, url], "--cert", "missing.bin"),
            (["--env", "staging", url], "--env", "--profile"),
        ]
        for args, *patterns in cases:
            with self.subTest(args=args):
                self.usage_error(args, *patterns)


if __name__ == "__main__":
    unittest.main()
