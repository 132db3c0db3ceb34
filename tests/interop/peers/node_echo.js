// A WebSocket echo peer built on node's `ws`, started by the interop tests.
// Usage: node node_echo.js [--port N] [--cert PEM --key PEM] [--deflate] [--push FILE [--text]]
//            [--sequence text:PATH|binary:PATH ...] [--deflate-server-no-context-takeover]
//            [--deflate-client-no-context-takeover] [--deflate-server-max-window-bits N]
//            [--deflate-client-max-window-bits N] [--deflate-threshold BYTES]
// Listens on 127.0.0.1 (port 0 picks a free one), prints "listening PORT" once ready, and sends
// every data message back unchanged, text as text and binary as binary. With --push it sends
// FILE's bytes as one message (text with --text) on each connection, expects the same message
// back, and closes with 1000 "verified" or 4000 "mismatch". With --sequence (repeatable) it
// sends each file in turn, expecting each back before the next, and closes with 1000
// "verified N" or 4000 "mismatch at I".
// --deflate accepts permessage-deflate with ws's defaults (which leave messages under 1024
// bytes uncompressed); each --deflate-* option implies it and sets the server's policy.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const { WebSocketServer } = require('ws');

function option(name) {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

function options(name) {
    return process.argv.flatMap((arg, i) => (arg === name ? [process.argv[i + 1]] : []));
}

function deflatePolicy() {
    const policy = {};
    if (process.argv.includes('--deflate-server-no-context-takeover'))
        policy.serverNoContextTakeover = true;
    if (process.argv.includes('--deflate-client-no-context-takeover'))
        policy.clientNoContextTakeover = true;
    const numbers = {
        '--deflate-server-max-window-bits': 'serverMaxWindowBits',
        '--deflate-client-max-window-bits': 'clientMaxWindowBits',
        '--deflate-threshold': 'threshold',
    };
    for (const [flag, field] of Object.entries(numbers)) {
        if (option(flag) !== undefined)
            policy[field] = Number(option(flag));
    }
    if (Object.keys(policy).length > 0)
        return policy;
    return process.argv.includes('--deflate');
}

const port = Number(option('--port') || 0);
const cert = option('--cert');
const key = option('--key');

const server = cert
    ? https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) })
    : http.createServer();
const wss = new WebSocketServer({
    server,
    maxPayload: 64 * 1024 * 1024,
    perMessageDeflate: deflatePolicy(),
});

const pushFile = option('--push');
const push = pushFile ? fs.readFileSync(pushFile) : undefined;
const pushText = process.argv.includes('--text');
const sequence = options('--sequence').map((spec) => {
    const colon = spec.indexOf(':');
    const kind = spec.slice(0, colon);
    if (colon < 0 || (kind !== 'text' && kind !== 'binary'))
        throw new Error(`--sequence ${spec}: expected text:PATH or binary:PATH`);
    return { binary: kind === 'binary', data: fs.readFileSync(spec.slice(colon + 1)) };
});

function pushSequence(socket) {
    let index = 0;
    const next = () => socket.send(sequence[index].data, { binary: sequence[index].binary });
    socket.on('message', (data, isBinary) => {
        const expected = sequence[index];
        if (isBinary !== expected.binary || Buffer.compare(data, expected.data) !== 0) {
            socket.close(4000, `mismatch at ${index}`);
            return;
        }
        if (++index === sequence.length)
            socket.close(1000, `verified ${sequence.length}`);
        else
            next();
    });
    next();
}

wss.on('connection', (socket) => {
    socket.on('error', () => {});
    if (sequence.length > 0) {
        pushSequence(socket);
        return;
    }
    if (push === undefined) {
        socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
        return;
    }
    socket.send(push, { binary: !pushText });
    socket.once('message', (data, isBinary) => {
        const same = isBinary === !pushText && Buffer.compare(data, push) === 0;
        socket.close(same ? 1000 : 4000, same ? 'verified' : 'mismatch');
    });
});

server.listen(port, '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => process.exit(0));
}
