"""TLS against python3-websockets: certificate errors are each a failure (exit 2) that names
the error; --ca and -k/--insecure make the same connections succeed, and -k still prints what
it ignored."""

import unittest

from harness import Certificates, InteropTestCase, node_echo, python_echo, run_cli

UNKNOWN_CA = r"issuer|not trusted|self.signed|unable to get local issuer"
WRONG_HOST = r"host name did not match|hostname mismatch|does not match"
EXPIRED = r"expired"


class Tls(InteropTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        certs = cls.certificates = Certificates(cls.workdir)
        cls.valid = cls.class_peer(python_echo(cls.workdir, tls=certs.valid, name="valid"))
        cls.wrong_host = cls.class_peer(python_echo(cls.workdir, tls=certs.wrong_host,
                                                    name="wrong-host"))
        cls.expired = cls.class_peer(python_echo(cls.workdir, tls=certs.expired, name="expired"))

    def url(self, peer, host="127.0.0.1"):
        return f"wss://{host}:{peer.port}/"

    def echo(self, *args):
        return run_cli("--frames", "-m", "over tls", "-n", "1", *args)

    def assertEchoed(self, result):
        self.assertExit(result, 0)
        self.assertEqual([f["payload"] for f in result.frames("in") if f["opcode"] == 1],
                         ["over tls"])

    def test_unknown_ca_fails(self):
        result = self.echo(self.url(self.valid))
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "certificate", UNKNOWN_CA)
        self.assertEqual(result.events("open"), [])

    def test_unknown_ca_with_ca_file(self):
        self.assertEchoed(self.echo("--ca", self.certificates.ca, self.url(self.valid)))

    def test_localhost_name_with_ca_file(self):
        self.assertEchoed(self.echo("--ca", self.certificates.ca,
                                    self.url(self.valid, "localhost")))

    def test_unknown_ca_insecure(self):
        result = self.echo("-k", self.url(self.valid))
        self.assertEchoed(result)
        self.assertStderrMentions(result, "ignor", UNKNOWN_CA)

    def test_wrong_host_fails(self):
        result = self.echo("--ca", self.certificates.ca, self.url(self.wrong_host))
        self.assertExit(result, 2)
        self.assertStderrMentions(result, WRONG_HOST)
        self.assertNotRegex(result.stderr.lower(), EXPIRED)

    def test_wrong_host_insecure(self):
        result = self.echo("--ca", self.certificates.ca, "--insecure", self.url(self.wrong_host))
        self.assertEchoed(result)
        self.assertStderrMentions(result, "ignor", WRONG_HOST)

    def test_expired_fails(self):
        result = self.echo("--ca", self.certificates.ca, self.url(self.expired))
        self.assertExit(result, 2)
        self.assertStderrMentions(result, EXPIRED)

    def test_expired_insecure(self):
        result = self.echo("--ca", self.certificates.ca, "-k", self.url(self.expired))
        self.assertEchoed(result)
        self.assertStderrMentions(result, "ignor", EXPIRED)

    def test_tls_details_reported(self):
        result = self.echo("--ca", self.certificates.ca, self.url(self.valid))
        self.assertEchoed(result)
        tls = result.events("open")[0]["tls"]
        self.assertRegex(tls["protocol"], r"TLS ?v?1\.[23]")
        self.assertTrue(tls["cipher"])
        self.assertNotIn("ignoredErrors", tls)

    def test_missing_ca_file(self):
        result = self.echo("--ca", f"{self.workdir}/no-such-ca.pem", self.url(self.valid))
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "no-such-ca.pem")

    def test_node_tls(self):
        node = self.peer(node_echo(self.workdir, tls=self.certificates.valid, name="node-tls"))
        self.assertEchoed(self.echo("--ca", self.certificates.ca, self.url(node)))


class ClientCertificate(InteropTestCase):
    """A server that demands a client certificate signed by the test CA."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.certificates = Certificates(cls.workdir)
        cls.server = cls.class_peer(python_echo(
            cls.workdir, "--client-ca", cls.certificates.ca, tls=cls.certificates.valid))

    def test_with_client_certificate(self):
        cert, key = self.certificates.client
        result = run_cli("-m", "me", "-n", "1", "--ca", self.certificates.ca, "--cert", cert,
                         "--key", key, f"wss://127.0.0.1:{self.server.port}/")
        self.assertExit(result, 0)
        self.assertEqual(result.text_lines(), ["me"])

    def test_without_client_certificate(self):
        result = run_cli("-m", "me", "-n", "1", "--ca", self.certificates.ca,
                         f"wss://127.0.0.1:{self.server.port}/")
        # Under TLS 1.3 the server refuses after the client's side of the TLS handshake is
        # done: the refusal shows as a connection closed before the WebSocket handshake.
        self.assertExit(result, 2)
        self.assertStderrMentions(result, "closed the connection|certificate")
        self.assertEqual(result.stdout, b"")

    def test_key_without_certificate(self):
        _, key = self.certificates.client
        result = run_cli("--key", key, f"wss://127.0.0.1:{self.server.port}/")
        self.assertExit(result, 1)
        self.assertStderrMentions(result, "--cert")


if __name__ == "__main__":
    unittest.main()
