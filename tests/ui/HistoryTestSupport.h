// Frames and records for the history tests: hand-encoded frames (any bits, any opcode) and a
// client/server Connection pair in memory whose client side fills a SessionRecord the way a
// session does.

#pragma once

#include "core/protocol/Connection.h"
#include "core/protocol/Masking.h"
#include "core/session/SessionRecord.h"

#include <QTest>

#include <memory>
#include <optional>

namespace duplex::test {

struct FrameBits
{
    bool fin = true;
    bool rsv1 = false;
    std::optional<MaskKey> mask;
};

inline QByteArray encodeFrame(Opcode opcode, QByteArrayView payload, FrameBits bits = {})
{
    FrameHeader header;
    header.fin = bits.fin;
    header.rsv1 = bits.rsv1;
    header.opcode = opcode;
    header.payloadLength = quint64(payload.size());
    if (bits.mask) {
        header.masked = true;
        header.maskKey = *bits.mask;
    }
    char head[MaxFrameHeaderSize];
    QByteArray wire(head, encodeFrameHeader(header, head));
    QByteArray body = payload.toByteArray();
    if (bits.mask)
        applyMask(body.data(), body.size(), *bits.mask);
    return wire + body;
}

inline qsizetype recordFrame(SessionRecord &record, Direction direction, const QByteArray &wire,
                             const QByteArray &inflated = {}, qint64 timeUs = 1700000000000000)
{
    FrameView view;
    view.direction = direction;
    view.header = parseFrameHeader(wire).header;
    view.wire = wire;
    view.inflated = inflated;
    return record.appendFrame(timeUs, 0, view);
}

inline qsizetype recordText(SessionRecord &record, Direction direction, QByteArrayView text)
{
    FrameBits bits;
    if (direction == Direction::Outgoing)
        bits.mask = MaskKey { 0x37, 0xfa, 0x21, 0x3d };
    return recordFrame(record, direction, encodeFrame(Opcode::Text, text, bits));
}

inline qsizetype recordEvent(SessionRecord &record, SessionEventKind kind, QByteArrayView json)
{
    return record.appendEvent(1700000000000000, 0, kind, json);
}

// A client and a server in memory; every frame the client sends or receives goes into `record`.
struct RecordingPair
{
    Connection client { Role::Client };
    Connection server { Role::Server };
    std::shared_ptr<SessionRecord> record = std::make_shared<SessionRecord>();
    std::optional<DeflateOptions> serverDeflate;
    QList<QByteArray> serverMessages;
    bool echo = false; // the server sends every data message back

    void open(bool deflate = false)
    {
        HandshakeRequest request;
        request.host = "example.test";
        request.deflate.enabled = deflate;
        if (deflate) {
            DeflateOptions policy;
            policy.enabled = true;
            serverDeflate = policy;
        }
        QVERIFY(client.initiate(request));
        pump();
        QCOMPARE(client.state(), ConnectionState::Open);
    }

    void pump()
    {
        for (int round = 0; round < 1000; ++round) {
            // Events first: their views may point into the output about to be taken.
            drainClient();
            drainServer();
            server.receiveData(client.takeOutput());
            drainServer();
            client.receiveData(server.takeOutput());
            drainClient();
            if (client.pendingOutput().isEmpty() && server.pendingOutput().isEmpty())
                return;
        }
    }

    void drainClient()
    {
        while (auto event = client.nextEvent()) {
            if (const auto *sent = std::get_if<FrameSent>(&*event))
                record->appendFrame(SessionRecord::nowUs(), 0, sent->frame);
            else if (const auto *received = std::get_if<FrameReceived>(&*event))
                record->appendFrame(SessionRecord::nowUs(), 0, received->frame);
        }
    }

    void drainServer()
    {
        while (auto event = server.nextEvent()) {
            if (std::holds_alternative<HandshakeRequested>(*event)) {
                QVERIFY(server.acceptHandshake({}, serverDeflate));
                continue;
            }
            if (const auto *text = std::get_if<TextMessage>(&*event))
                serverMessages.append(text->utf8.toByteArray());
            else if (const auto *binary = std::get_if<BinaryMessage>(&*event))
                serverMessages.append(binary->data.toByteArray());
            else
                continue;
            if (echo && !serverMessages.isEmpty() && std::holds_alternative<TextMessage>(*event))
                QVERIFY(server.sendText(serverMessages.last()));
            else if (echo && std::holds_alternative<BinaryMessage>(*event))
                QVERIFY(server.sendBinary(serverMessages.last()));
        }
    }
};

} // namespace duplex::test
