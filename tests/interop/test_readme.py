"""The examples of app/cli/README.md work as shown.

Every ```console block is run: each "$ " line is a bash command (run in a scratch directory,
with duplex-cli first on PATH and localhost:8765 pointing at an echo server of this test), and
the lines under it are its output, stdout and stderr together, where "..." stands for anything.
"""

import os
import re
import subprocess
import unittest

from harness import HERE, InteropTestCase, cli_path, python_echo

README = os.path.join(HERE, "..", "..", "app", "cli", "README.md")
EXAMPLE_HOST = "localhost:8765"


def console_examples(text):
    """[(command, [expected output lines])] of every ```console block, in order."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples and examples[-1][0].endswith("\\"):
                examples[-1] = (examples[-1][0][:-1] + line.strip(), examples[-1][1])
            elif examples:
                examples[-1][1].append(line)
    return examples


def matches(pattern, line):
    regex = ".*".join(re.escape(part) for part in pattern.split("..."))
    return re.fullmatch(regex, line) is not None


class Readme(InteropTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.echo = cls.class_peer(python_echo(cls.workdir))
        with open(README, encoding="utf-8") as f:
            cls.examples = console_examples(f.read())

    def test_there_are_examples(self):
        self.assertGreaterEqual(len(self.examples), 5, "the README lost its console examples")

    def test_examples(self):
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(cli_path()) + os.pathsep + env.get("PATH", "")
        # Profiles saved by the examples go to the scratch directory, not the user's.
        env["XDG_CONFIG_HOME"] = os.path.join(self.workdir, "config")
        env["HOME"] = self.workdir
        host = f"127.0.0.1:{self.echo.port}"
        # One shell for all of them, as a reader would type them ("echo $?" sees the last
        # command); a marker line ends each command's output.
        marker = "@@duplex-readme-example-done@@"
        script = "".join(f"{command.replace(EXAMPLE_HOST, host)}\n__rc=$?\necho '{marker}'\n"
                         "(exit $__rc)\n" for command, _ in self.examples)
        completed = subprocess.run(["bash", "-c", script], cwd=self.workdir, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        outputs = completed.stdout.decode("utf-8", "replace").split(marker + "\n")
        self.assertEqual(len(outputs), len(self.examples) + 1, completed.stdout[-2000:])
        for (command, expected), text in zip(self.examples, outputs):
            with self.subTest(command=command):
                output = text.splitlines()
                wanted = [line.replace(EXAMPLE_HOST, host) for line in expected]
                self.assertEqual(len(output), len(wanted),
                                 f"{command}\n  expected: {wanted}\n  got: {output}")
                for want, got in zip(wanted, output):
                    self.assertTrue(matches(want, got), f"{command}\n  expected: {want}\n"
                                                        f"  got:      {got}")

if __name__ == "__main__":
    unittest.main()
