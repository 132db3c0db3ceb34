// permessage-deflate through the Connection: RFC 7692 section 7.2.3 frames as a server sends
// them (whole, split at every byte, one byte at a time), the rules on RSV1, inflate limits, and
// client/server pairs negotiating every context-takeover and window combination.

#include "EventLog.h"
#include "core/protocol/Connection.h"

#include <QRandomGenerator>
#include <QTest>

#include <zlib.h>

using namespace duplex;
using namespace duplex::test;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

QStringList failed(ProtocolError error)
{
    const quint16 code = closeCodeFor(error);
    return { QStringLiteral("violation:%1:%2").arg(code).arg(int(error)),
             QStringLiteral("out:close:FM:%1").arg(2 + qstrlen(describe(error))),
             QStringLiteral("closed:local:%1:unclean").arg(code) };
}

std::unique_ptr<Connection> compressingClient(quint64 maxMessageSize = 1 << 20)
{
    Limits limits;
    limits.maxMessageSize = maxMessageSize;
    auto connection = std::make_unique<Connection>(Role::Client, limits);
    connection->maskKeySource().setGenerator([] { return MaskKey { 0x37, 0xfa, 0x21, 0x3d }; });
    Negotiated negotiated;
    negotiated.deflate = DeflateParameters {};
    connection->openWithoutHandshake(negotiated);
    return connection;
}

// Raw deflate of `data` with the trailing 00 00 ff ff removed, as a server would send it.
QByteArray compressed(const QByteArray &data)
{
    z_stream stream {};
    deflateInit2(&stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&stream, uLong(data.size()))) + 16, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_SYNC_FLUSH);
    out.resize(out.size() - stream.avail_out);
    deflateEnd(&stream);
    out.chop(4);
    return out;
}

QByteArray serverFrame(quint8 first, const QByteArray &payload)
{
    FrameHeader header;
    header.fin = first & 0x80;
    header.rsv1 = first & 0x40;
    header.opcode = Opcode(first & 0x0F);
    header.payloadLength = quint64(payload.size());
    QByteArray frame(MaxFrameHeaderSize, Qt::Uninitialized);
    frame.resize(encodeFrameHeader(header, frame.data()));
    return frame + payload;
}

} // namespace

class TestConnectionDeflate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clientReceives_data();
    void clientReceives();
    void inflatedBytesAreReportedPerFrame();
    void bombFailsWithMessageTooBig();
    void negotiatedPairsRoundTrip_data();
    void negotiatedPairsRoundTrip();
    void uncompressedOnRequest();
    void offerRefusedCleanly();
};

void TestConnectionDeflate::clientReceives_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("7.2.3.1 a message in one compressed frame")
        << hex("c1 07 f248cdc9c90700") << QStringList { "in:text:F1:7", "text:Hello" };
    QTest::newRow("7.2.3.1 the same message in two fragments")
        << hex("41 03 f248cd 80 04 c9c90700")
        << QStringList { "in:text:1:3", "in:continuation:F:4", "text:Hello" };
    QTest::newRow("7.2.3.2 context taken over by the second message")
        << hex("c1 07 f248cdc9c90700 c1 05 f200110000")
        << QStringList { "in:text:F1:7", "text:Hello", "in:text:F1:5", "text:Hello" };
    QTest::newRow("7.2.3.3 an uncompressed (stored) block")
        << hex("c1 0b 0005 00faff 48656c6c6f 00") << QStringList { "in:text:F1:11", "text:Hello" };
    QTest::newRow("7.2.3.4 a block with BFINAL set")
        << hex("c1 08 f348cdc9c90700 00") << QStringList { "in:text:F1:8", "text:Hello" };
    QTest::newRow("compressed binary")
        << hex("c2 07 f248cdc9c90700") << QStringList { "in:binary:F1:7", "binary:5:48656c6c6f" };
    QTest::newRow("uncompressed message between compressed ones")
        << hex("c1 07 f248cdc9c90700 81 02 6869 c1 05 f200110000")
        << QStringList { "in:text:F1:7", "text:Hello",   "in:text:F:2",
                         "text:hi",      "in:text:F1:5", "text:Hello" };
    QTest::newRow("ping between compressed fragments")
        << hex("41 03 f248cd 89 00 80 04 c9c90700")
        << QStringList { "in:text:1:3",   "in:ping:F:0",         "ping:",
                         "out:pong:FM:0", "in:continuation:F:4", "text:Hello" };
    QTest::newRow("RSV1 on a continuation frame")
        << hex("41 03 f248cd c0 04 c9c90700")
        << QStringList { "in:text:1:3" } + failed(ProtocolError::CompressedControlOrContinuation);
    QTest::newRow("RSV1 on a ping")
        << hex("c9 00") << failed(ProtocolError::CompressedControlOrContinuation);
    QTest::newRow("RSV2 stays reserved") << hex("e1 00") << failed(ProtocolError::ReservedBitSet);
    QTest::newRow("data that does not inflate")
        << hex("c1 03 ffffff") << failed(ProtocolError::BadCompressedData);
    QTest::newRow("inflates to invalid UTF-8")
        << serverFrame(0xc1, compressed(hex("48 c0 80"))) << failed(ProtocolError::BadUtf8);
}

void TestConnectionDeflate::clientReceives()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    for (qsizetype split = 0; split <= input.size(); ++split) {
        auto connection = compressingClient();
        QCOMPARE(feed(*connection, input, { split }), expected);
    }
    auto connection = compressingClient();
    QCOMPARE(feed(*connection, input, QList<qsizetype>(input.size(), 1)), expected);
}

void TestConnectionDeflate::inflatedBytesAreReportedPerFrame()
{
    auto connection = compressingClient();
    connection->receiveData(hex("41 03 f248cd 80 04 c9c90700"));
    QByteArray inflated;
    while (auto event = connection->nextEvent()) {
        if (const auto *frame = std::get_if<FrameReceived>(&*event))
            inflated += frame->frame.inflated.toByteArray();
        if (const auto *text = std::get_if<TextMessage>(&*event)) {
            QCOMPARE(text->utf8.toByteArray(), QByteArray("Hello"));
            QVERIFY(text->compressed);
        }
    }
    QCOMPARE(inflated, QByteArray("Hello"));
}

void TestConnectionDeflate::bombFailsWithMessageTooBig()
{
    // 16 MiB of zeros deflate to about 16 KiB; the limit is 1 MiB.
    const QByteArray bomb = compressed(QByteArray(16 << 20, '\0'));
    QVERIFY(bomb.size() < 64 * 1024);
    auto connection = compressingClient(1 << 20);
    connection->receiveData(serverFrame(0xc2, bomb));
    QCOMPARE(drain(*connection), failed(ProtocolError::InflatedTooBig));
    QCOMPARE(connection->closeInfo().code, quint16(1009));
}

void TestConnectionDeflate::negotiatedPairsRoundTrip_data()
{
    QTest::addColumn<bool>("serverNoContextTakeover");
    QTest::addColumn<bool>("clientNoContextTakeover");
    QTest::addColumn<int>("serverWindow");
    QTest::addColumn<int>("clientWindow");
    for (const bool server : { false, true }) {
        for (const bool client : { false, true }) {
            for (const int window : { 15, 9, 8 }) {
                QTest::addRow("server takeover %s, client takeover %s, windows %d",
                              server ? "off" : "on", client ? "off" : "on", window)
                    << server << client << window << window;
            }
        }
    }
}

void TestConnectionDeflate::negotiatedPairsRoundTrip()
{
    QFETCH(bool, serverNoContextTakeover);
    QFETCH(bool, clientNoContextTakeover);
    QFETCH(int, serverWindow);
    QFETCH(int, clientWindow);

    Limits limits;
    limits.maxMessageSize = 8 << 20;
    Connection client(Role::Client, limits);
    Connection server(Role::Server, limits);
    HandshakeRequest request;
    request.host = "deflate.test";
    request.deflate.enabled = true;
    request.deflate.serverNoContextTakeover = serverNoContextTakeover;
    request.deflate.clientNoContextTakeover = clientNoContextTakeover;
    request.deflate.serverMaxWindowBits = serverWindow;
    request.deflate.clientMaxWindowBits = clientWindow;
    QVERIFY(client.initiate(request));
    server.receiveData(client.takeOutput());
    QVERIFY(std::holds_alternative<HandshakeRequested>(*server.nextEvent()));
    DeflateOptions policy;
    policy.enabled = true;
    QVERIFY(server.acceptHandshake({}, policy));
    drain(server);
    client.receiveData(server.takeOutput());
    drain(client);
    QCOMPARE(client.state(), ConnectionState::Open);
    QVERIFY(client.negotiated().deflate.has_value());
    QVERIFY(server.negotiated().deflate.has_value());
    QVERIFY(client.negotiated().extensions.startsWith("permessage-deflate"));

    QRandomGenerator generator(7);
    QList<QByteArray> messages;
    for (const qsizetype size : { 0, 1, 5, 125, 126, 4096, 65536, 1 << 20 }) {
        QByteArray json;
        while (json.size() < size)
            json += "{\"n\":" + QByteArray::number(generator.bounded(1000)) + ",\"v\":\"abcabc\"}";
        json.truncate(size);
        messages.append(json);
    }
    for (const QByteArray &message : messages) {
        QVERIFY(client.sendText(message));
        QVERIFY(server.sendBinary(message));
    }
    // Outgoing frames carry their uncompressed message for the record.
    QList<QByteArray> clientSent;
    while (auto event = client.nextEvent()) {
        if (const auto *sent = std::get_if<FrameSent>(&*event)) {
            QVERIFY(sent->frame.header.rsv1);
            clientSent.append(sent->frame.inflated.toByteArray());
        }
    }
    QCOMPARE(clientSent, messages);
    drain(server);

    server.receiveData(client.takeOutput());
    client.receiveData(server.takeOutput());
    QList<QByteArray> atServer;
    while (auto event = server.nextEvent()) {
        if (const auto *text = std::get_if<TextMessage>(&*event)) {
            QVERIFY(text->compressed);
            atServer.append(text->utf8.toByteArray());
        }
    }
    QList<QByteArray> atClient;
    while (auto event = client.nextEvent()) {
        if (const auto *binary = std::get_if<BinaryMessage>(&*event))
            atClient.append(binary->data.toByteArray());
    }
    QCOMPARE(atServer, messages);
    QCOMPARE(atClient, messages);
}

void TestConnectionDeflate::uncompressedOnRequest()
{
    auto connection = compressingClient();
    SendOptions options;
    options.compress = false;
    QVERIFY(connection->sendText("plain", options));
    QVERIFY(connection->sendText("packed"));
    QStringList log = drain(*connection);
    QCOMPARE(log,
             (QStringList { "out:text:FM:5",
                            QStringLiteral("out:text:F1M:%1").arg(compressed("packed").size()) }));
}

void TestConnectionDeflate::offerRefusedCleanly()
{
    // A server that ignores the offer: the connection opens without compression, and a
    // compressed frame from it is then a protocol error.
    Connection client(Role::Client);
    HandshakeRequest request;
    request.host = "deflate.test";
    request.deflate.enabled = true;
    QVERIFY(client.initiate(request, "dGhlIHNhbXBsZSBub25jZQ=="));
    client.receiveData(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    QCOMPARE(drain(client), QStringList { "handshake-completed::" });
    QVERIFY(!client.negotiated().deflate);
    client.receiveData(hex("c1 07 f248cdc9c90700"));
    QCOMPARE(drain(client), failed(ProtocolError::ReservedBitSet));
}

QTEST_APPLESS_MAIN(TestConnectionDeflate)
#include "tst_connectiondeflate.moc"
