#!/usr/bin/env python3
"""Runs interop test modules against a duplex-cli executable.

    run.py --cli build/cli/app/cli/duplex-cli test_echo [test_tls ...] [-k PATTERN]

ctest runs one module per test (interop_echo, interop_tls, ...) so they run in parallel and a
failure names its area. Set DUPLEX_KEEP_TEMP=1 to keep the certificates, configurations and
peer logs each test class writes to its temporary directory.
"""

import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", required=True, help="the duplex-cli executable")
    parser.add_argument("-k", dest="patterns", action="append", default=None,
                        help="only run tests whose name contains this (repeatable)")
    parser.add_argument("modules", nargs="+", help="test modules, e.g. test_echo")
    args = parser.parse_args()

    cli = os.path.abspath(args.cli)
    if not os.access(cli, os.X_OK):
        print(f"run.py: {cli} is not an executable; build duplex-cli first", file=sys.stderr)
        return 2
    os.environ["DUPLEX_CLI"] = cli
    sys.path.insert(0, HERE)

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [f"*{p}*" for p in args.patterns]
    suite = unittest.TestSuite(loader.loadTestsFromName(m) for m in args.modules)
    if suite.countTestCases() == 0:
        print("run.py: no test matched", file=sys.stderr)
        return 2
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
