// A WebSocket echo peer built on node's `ws`, started by the interop tests.
// Usage: node node_echo.js [--port N] [--cert PEM --key PEM] [--deflate] [--push FILE [--text]]
// Listens on 127.0.0.1 (port 0 picks a free one), prints "listening PORT" once ready, and sends
// every data message back unchanged, text as text and binary as binary. With --push it sends
// FILE's bytes as one message (text with --text) on each connection, expects the same message
// back, and closes with 1000 "verified" or 4000 "mismatch".
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const { WebSocketServer } = require('ws');

function option(name) {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] : undefined;
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
    perMessageDeflate: process.argv.includes('--deflate'),
});

const pushFile = option('--push');
const push = pushFile ? fs.readFileSync(pushFile) : undefined;
const pushText = process.argv.includes('--text');

wss.on('connection', (socket) => {
    socket.on('error', () => {});
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
