#!/usr/bin/env python3
"""A WebSocket peer built on python3-websockets, started by the interop tests.

It listens on 127.0.0.1 (or --host; port 0 picks a free one) and prints "listening PORT" once ready.
Modes:
  echo         send every data message back unchanged (the default)
  greet        send "hello N from NAME" (N counts connections since start) on every connection,
               then echo
  push-verify  send the bytes of --file as one message (text with --text), expect the same
               message back, and close with 1000 "verified" or 4000 "mismatch"; with
               --sequence, send each message in turn, expecting each back before the next,
               and close with 1000 "verified N" or 4000 "mismatch at I"

Compression: permessage-deflate is accepted with websockets' defaults (windows of 12 bits)
unless --no-deflate declines every offer, or the --deflate-* options set the server's policy.
"""

import argparse
import asyncio
import os
import signal
import ssl
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on, e.g. ::1")
    parser.add_argument("--cert", help="PEM certificate chain: serve wss")
    parser.add_argument("--key", help="PEM private key of --cert")
    parser.add_argument("--client-ca", help="PEM CA file: demand a client certificate it signed")
    parser.add_argument("--mode", choices=["echo", "greet", "push-verify"], default="echo")
    parser.add_argument("--file", help="push-verify: the message to send")
    parser.add_argument("--text", action="store_true", help="push-verify: send as text")
    parser.add_argument("--greet-after", type=float, default=0.0,
                        help="greet: wait this many seconds before the greeting")
    parser.add_argument("--name", default="server", help="greet: who says hello")
    parser.add_argument("--subprotocol", action="append", default=[],
                        help="subprotocols the server accepts")
    parser.add_argument("--sequence", action="append", default=[], metavar="KIND:PATH",
                        help="push-verify: send PATH's bytes as text or binary (repeatable, "
                             "in order)")
    parser.add_argument("--no-deflate", action="store_true",
                        help="decline permessage-deflate: the answer names no extension")
    parser.add_argument("--deflate-server-no-context-takeover", action="store_true",
                        help="compress each message on its own, and say so")
    parser.add_argument("--deflate-client-no-context-takeover", action="store_true",
                        help="require the client to compress each message on its own")
    parser.add_argument("--deflate-server-max-window-bits", type=int,
                        help="compress with at most this window, and say so")
    parser.add_argument("--deflate-client-max-window-bits", type=int,
                        help="limit the client's window when its offer lets us")
    return parser.parse_args()


def deflate_settings(args):
    """The compression and extensions arguments of websockets.serve()."""
    if args.no_deflate:
        return {"compression": None}
    if not (args.deflate_server_no_context_takeover or args.deflate_client_no_context_takeover
            or args.deflate_server_max_window_bits or args.deflate_client_max_window_bits):
        return {}  # websockets' default policy
    factory = ServerPerMessageDeflateFactory(
        server_no_context_takeover=args.deflate_server_no_context_takeover,
        client_no_context_takeover=args.deflate_client_no_context_takeover,
        server_max_window_bits=args.deflate_server_max_window_bits,
        client_max_window_bits=args.deflate_client_max_window_bits)
    return {"compression": None, "extensions": [factory]}


def read_sequence(specs):
    """[(message, ...)] from KIND:PATH specs: str for text, bytes for binary."""
    sequence = []
    for spec in specs:
        kind, _, path = spec.partition(":")
        if kind not in ("text", "binary") or not os.path.isfile(path):
            raise SystemExit(f"--sequence {spec!r}: expected text:PATH or binary:PATH")
        with open(path, "rb") as f:
            data = f.read()
        sequence.append(data.decode("utf-8") if kind == "text" else data)
    return sequence


async def main():
    args = parse_args()
    connections = 0
    push = None
    sequence = read_sequence(args.sequence)
    if args.mode == "push-verify" and not sequence:
        with open(args.file, "rb") as f:
            push = f.read()
        if args.text:
            push = push.decode("utf-8")

    async def handler(websocket, *_):
        nonlocal connections
        connections += 1
        if args.mode == "greet":
            if args.greet_after:
                await asyncio.sleep(args.greet_after)
            await websocket.send(f"hello {connections} from {args.name}")
        elif args.mode == "push-verify" and sequence:
            for index, message in enumerate(sequence):
                await websocket.send(message)
                if await websocket.recv() != message:
                    await websocket.close(4000, f"mismatch at {index}")
                    return
            await websocket.close(1000, f"verified {len(sequence)}")
            return
        elif args.mode == "push-verify":
            await websocket.send(push)
            answer = await websocket.recv()
            if answer == push:
                await websocket.close(1000, "verified")
            else:
                await websocket.close(4000, "mismatch")
            return
        try:
            async for message in websocket:
                await websocket.send(message)
        except websockets.ConnectionClosed:
            pass

    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)

    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)

    async with websockets.serve(handler, args.host, args.port, ssl=context, max_size=None,
                                subprotocols=args.subprotocol or None,
                                **deflate_settings(args)) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"listening {port}", flush=True)
        await stop


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
