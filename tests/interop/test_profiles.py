"""Profiles and HAR from the command line: --save-profile stores a command line, --profile runs
it again with flags on top and {{variables}} from --env, --export-har writes what crossed the
wire. The profile store lives in a temporary XDG_CONFIG_HOME, never the user's."""

import base64
import json
import os
import unittest
import uuid

from harness import InteropTestCase, python_echo, run_cli


class Profiles(InteropTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.echo = cls.class_peer(python_echo(cls.workdir, "--mode", "greet"))

    def setUp(self):
        self.config = os.path.join(self.workdir, f"config-{self._testMethodName}")
        os.makedirs(self.config)
        self.env = dict(os.environ, XDG_CONFIG_HOME=self.config, HOME=self.config)

    def cli(self, *args, **kwargs):
        return run_cli(*args, env=self.env, **kwargs)

    def profiles_file(self):
        for root, _, files in os.walk(self.config):
            if "profiles.json" in files:
                with open(os.path.join(root, "profiles.json"), encoding="utf-8") as f:
                    return root, json.load(f)
        self.fail(f"no profiles.json under {self.config}")

    def url(self, path="/feed"):
        return f"ws://127.0.0.1:{self.echo.port}{path}"

    def test_save_then_run(self):
        saved = self.cli("--save-profile", "team/feed", "-H", "X-Team: blue", "-s", "chat",
                         "-m", "subscribe", "--ping-interval", "30", self.url("/feed?x=1"))
        self.assertExit(saved, 0)
        self.assertStderrMentions(saved, 'saved the profile "team/feed"')
        self.assertEqual(saved.stdout, b"", "--save-profile connects to nothing")
        _, document = self.profiles_file()
        [profile] = document["profiles"]
        self.assertEqual((profile["folder"], profile["name"]), ("team", "feed"))
        self.assertEqual(profile["url"], self.url("/feed?x=1"))
        self.assertEqual([(h["name"], h["value"]) for h in profile["headers"]],
                         [("X-Team", "blue")])
        self.assertEqual(profile["subprotocols"], ["chat"])
        self.assertEqual(profile["keepalive"]["pingIntervalMs"], 30000)

        # Run it: the greeting, then the echo of the on-connect message.
        result = self.cli("--frames", "--profile", "feed", "-n", "2")
        self.assertExit(result, 0)
        received = [f["payload"] for f in result.frames("in") if f["opcode"] == 1]
        self.assertEqual(received[1], "subscribe")
        self.assertEqual(result.events("open")[0]["url"], self.url("/feed?x=1"))

    def test_flags_override_the_profile(self):
        self.assertExit(self.cli("--save-profile", "p", "-m", "from profile", self.url()), 0)
        result = self.cli("--profile", "p", "-m", "from the command line", "-n", "2")
        self.assertExit(result, 0)
        self.assertEqual(result.text_lines()[1], "from the command line")

    def test_save_updates_an_existing_profile(self):
        self.assertExit(self.cli("--save-profile", "p", "-m", "one", self.url()), 0)
        again = self.cli("--save-profile", "p", "-m", "two", self.url())
        self.assertExit(again, 0)
        self.assertStderrMentions(again, 'updated the profile "p"')
        _, document = self.profiles_file()
        self.assertEqual([p["onConnect"][0]["body"] for p in document["profiles"]], ["two"])

    def test_environment_fills_variables(self):
        self.assertExit(self.cli("--save-profile", "templated", "-m", "hello {{who}}",
                                 f"ws://{{{{host}}}}:{self.echo.port}/"), 0)
        directory, _ = self.profiles_file()
        with open(os.path.join(directory, "environments.json"), "w", encoding="utf-8") as f:
            json.dump({"format": "duplex-environments", "environments": [{
                "schemaVersion": 1, "id": str(uuid.uuid4()), "name": "local",
                "variables": [{"name": "host", "value": "127.0.0.1", "secret": False},
                              {"name": "who", "value": "world", "secret": False}]}]}, f)
        result = self.cli("--profile", "templated", "--env", "local", "-n", "2")
        self.assertExit(result, 0)
        self.assertEqual(result.text_lines()[1], "hello world")

        unknown = self.cli("--profile", "templated", "--env", "prod", "-n", "1")
        self.assertExit(unknown, 1)
        self.assertStderrMentions(unknown, "--env", "prod", "local")

        missing = self.cli("--profile", "templated", "-n", "1")
        self.assertExit(missing, 1)
        self.assertStderrMentions(missing, r"\{\{host\}\}")

        # Saved again from the profile with an environment: the copy keeps its placeholders,
        # never the values the environment filled in.
        self.assertExit(self.cli("--profile", "templated", "--env", "local",
                                 "--save-profile", "copy", "-H", "X-Who: {{who}}"), 0)
        _, document = self.profiles_file()
        copy = next(p for p in document["profiles"] if p["name"] == "copy")
        self.assertEqual(copy["url"], f"ws://{{{{host}}}}:{self.echo.port}/")
        self.assertEqual(copy["onConnect"][0]["body"], "hello {{who}}")
        self.assertEqual([(h["name"], h["value"]) for h in copy["headers"]],
                         [("X-Who", "{{who}}")])

    def test_profile_follows_redirects(self):
        """duplex-cli has no flag for it: a profile that follows redirects does, and each hop
        is a redirect event."""
        target = f"ws://127.0.0.1:{self.echo.port}/moved"

        def redirect(connection, request):
            connection.sendall(f"HTTP/1.1 302 Found\r\nLocation: {target}\r\n"
                               "Content-Length: 0\r\n\r\n".encode())

        server = self.raw_server(redirect)
        start = f"ws://127.0.0.1:{server.port}/old"
        self.assertExit(self.cli("--save-profile", "moving", start), 0)
        plain = self.cli("--profile", "moving", "-n", "1")
        self.assertExit(plain, 2)
        self.assertStderrMentions(plain, "302", "redirects is off")

        directory, document = self.profiles_file()
        document["profiles"][0]["redirects"] = {"follow": True, "maxHops": 3}
        with open(os.path.join(directory, "profiles.json"), "w", encoding="utf-8") as f:
            json.dump(document, f)
        result = self.cli("--frames", "--profile", "moving", "-n", "1")
        self.assertExit(result, 0)
        [hop] = result.events("redirect")
        self.assertEqual((hop["status"], hop["from"], hop["to"]), (302, start, target))
        self.assertEqual(result.events("open")[0]["url"], target)

    def test_backoff_flags_on_a_profile(self):
        """Backoff flags apply when the profile reconnects, even without --reconnect here, and
        are refused with the reason when it does not."""
        self.assertExit(self.cli("--save-profile", "again", "--reconnect", self.url()), 0)
        self.assertExit(self.cli("--save-profile", "once", self.url()), 0)
        tuned = self.cli("--profile", "again", "--backoff-max", "5000", "-n", "1")
        self.assertExit(tuned, 0)
        refused = self.cli("--profile", "once", "--backoff-max", "5000", "-n", "1")
        self.assertExit(refused, 1)
        self.assertStderrMentions(refused, "--backoff-max", "only applies with --reconnect",
                                  "once")

    def test_unknown_profile(self):
        result = self.cli("--profile", "nope", "-n", "1")
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "--profile", "nope")

    def test_saved_tls_files(self):
        """A profile holds one CA file, and keeps file paths absolute so that it runs from any
        directory; a second --ca is refused, not dropped."""
        for name in ("a.pem", "b.pem"):
            with open(os.path.join(self.config, name), "w", encoding="utf-8") as f:
                f.write("not read when saving\n")
        two = run_cli("--save-profile", "tls", "--ca", "a.pem", "--ca", "b.pem", self.url(),
                      env=self.env, cwd=self.config)
        self.assertExit(two, 1)
        self.assertStderrMentions(two, "one CA file", "--ca was given 2 times")

        one = run_cli("--save-profile", "tls", "--ca", "a.pem", self.url(), env=self.env,
                      cwd=self.config)
        self.assertExit(one, 0)
        _, document = self.profiles_file()
        self.assertEqual(document["profiles"][0]["tls"]["caFile"],
                         os.path.join(os.path.realpath(self.config), "a.pem"))

    def test_save_needs_a_url(self):
        result = self.cli("--save-profile", "empty")
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "URL")


class ExportHar(InteropTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.echo = cls.class_peer(python_echo(cls.workdir))

    def test_messages_and_handshake(self):
        path = os.path.join(self.workdir, "run.har")
        result = run_cli("-H", "Authorization: Bearer secret-token", "-H", "X-Trace: 7",
                         "-m", "hello", "--send-binary", "00ff", "-n", "2", "--export-har", path,
                         f"ws://127.0.0.1:{self.echo.port}/chat?room=1")
        self.assertExit(result, 0)
        with open(path, encoding="utf-8") as f:
            har = json.load(f)
        [entry] = har["log"]["entries"]
        self.assertEqual(entry["_resourceType"], "websocket")
        self.assertEqual(entry["request"]["url"], f"ws://127.0.0.1:{self.echo.port}/chat?room=1")
        self.assertEqual(entry["response"]["status"], 101)
        headers = {h["name"]: h["value"] for h in entry["request"]["headers"]}
        self.assertEqual(headers["X-Trace"], "7")
        self.assertNotIn("secret-token", json.dumps(har), "credentials are redacted")
        messages = [(m["type"], m["opcode"], m["data"]) for m in entry["_webSocketMessages"]]
        binary = base64.b64encode(bytes.fromhex("00ff")).decode()
        self.assertEqual(sorted(messages), sorted([
            ("send", 1, "hello"), ("send", 2, binary),
            ("receive", 1, "hello"), ("receive", 2, binary)]))

    def test_refused_handshake_is_an_entry(self):
        def refuse(connection, request):
            connection.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")

        server = self.raw_server(refuse)
        path = os.path.join(self.workdir, "refused.har")
        result = run_cli("--export-har", path, f"ws://127.0.0.1:{server.port}/")
        self.assertExit(result, 2)
        with open(path, encoding="utf-8") as f:
            [entry] = json.load(f)["log"]["entries"]
        self.assertEqual(entry["response"]["status"], 401)
        self.assertEqual(entry["_webSocketMessages"], [])

    def test_unwritable_target(self):
        result = run_cli("--export-har", os.path.join(self.workdir, "no", "such", "dir.har"),
                         f"ws://127.0.0.1:{self.echo.port}/")
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "--export-har", "does not exist")


if __name__ == "__main__":
    unittest.main()
