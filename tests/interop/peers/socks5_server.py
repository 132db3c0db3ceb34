#!/usr/bin/env python3
"""A small SOCKS5 proxy (RFC 1928) with username/password authentication (RFC 1929).

The interop tests use it to check the credentials path: dante's username method checks system
accounts, which a test cannot create without root. Listens on 127.0.0.1, prints
"listening PORT" once ready, then one line per event ("auth ok USER", "auth refused USER",
"connect HOST PORT") so a test can see what went through it.
"""

import argparse
import asyncio
import ipaddress
import signal
import struct


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    return parser.parse_args()


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def log(line):
    print(line, flush=True)


async def serve_client(args, reader, writer):
    try:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 5 or 2 not in methods:
            writer.write(b"\x05\xff")
            log("no acceptable method")
            return
        writer.write(b"\x05\x02")
        subversion, length = await reader.readexactly(2)
        user = (await reader.readexactly(length)).decode(errors="replace")
        length = (await reader.readexactly(1))[0]
        password = (await reader.readexactly(length)).decode(errors="replace")
        if subversion != 1 or user != args.user or password != args.password:
            writer.write(b"\x01\x01")
            log(f"auth refused {user}")
            return
        writer.write(b"\x01\x00")
        log(f"auth ok {user}")

        version, command, _, address_type = await reader.readexactly(4)
        if address_type == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif address_type == 4:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        elif address_type == 3:
            length = (await reader.readexactly(1))[0]
            host = (await reader.readexactly(length)).decode()
        else:
            writer.write(b"\x05\x08\x00\x01" + bytes(6))
            return
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        if command != 1:
            writer.write(b"\x05\x07\x00\x01" + bytes(6))
            return
        log(f"connect {host} {port}")
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.write(b"\x05\x05\x00\x01" + bytes(6))
            return
        bound_host, bound_port = upstream_writer.get_extra_info("sockname")[:2]
        writer.write(b"\x05\x00\x00\x01" + ipaddress.IPv4Address(bound_host).packed
                     + struct.pack("!H", bound_port))
        await writer.drain()
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    args = parse_args()
    server = await asyncio.start_server(
        lambda r, w: serve_client(args, r, w), "127.0.0.1", args.port)
    log(f"listening {server.sockets[0].getsockname()[1]}")
    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    async with server:
        await stop


if __name__ == "__main__":
    asyncio.run(main())
