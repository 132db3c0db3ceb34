// A client and a server Connection wired to each other in memory: the handshake, messages of
// every length encoding, fragmentation, pings and both ways of closing.

#include "EventLog.h"
#include "core/protocol/Connection.h"

#include <QRandomGenerator>
#include <QTest>

using namespace duplex;
using namespace duplex::test;

namespace {

struct Pair
{
    Connection client { Role::Client };
    Connection server { Role::Server };
    QStringList clientLog;
    QStringList serverLog;
    QList<QByteArray> serverMessages;
    QList<QByteArray> clientMessages;

    // Moves bytes both ways until neither side has anything left to say.
    void pump(qsizetype chunk = 0)
    {
        for (int round = 0; round < 1000; ++round) {
            const QByteArray toServer = client.takeOutput();
            const QByteArray toClient = server.takeOutput();
            deliver(server, toServer, chunk);
            deliver(client, toClient, chunk);
            collect(server, serverLog, serverMessages);
            collect(client, clientLog, clientMessages);
            if (client.pendingOutput().isEmpty() && server.pendingOutput().isEmpty())
                return;
        }
        QFAIL("the pair never went quiet");
    }

    static void deliver(Connection &to, const QByteArray &bytes, qsizetype chunk)
    {
        if (chunk <= 0) {
            to.receiveData(bytes);
            return;
        }
        for (qsizetype offset = 0; offset < bytes.size(); offset += chunk)
            to.receiveData(
                QByteArrayView(bytes).sliced(offset, qMin(chunk, bytes.size() - offset)));
    }

    void collect(Connection &connection, QStringList &log, QList<QByteArray> &messages)
    {
        while (auto event = connection.nextEvent()) {
            log.append(describeEvent(*event));
            if (const auto *text = std::get_if<TextMessage>(&*event))
                messages.append(text->utf8.toByteArray());
            else if (const auto *binary = std::get_if<BinaryMessage>(&*event))
                messages.append(binary->data.toByteArray());
            else if (std::holds_alternative<HandshakeRequested>(*event) && &connection == &server)
                acceptRequest();
        }
    }

    QByteArray chosenSubprotocol;
    void acceptRequest() { QVERIFY(server.acceptHandshake(chosenSubprotocol)); }

    void open(const HandshakeRequest &request = defaultRequest())
    {
        QVERIFY(client.initiate(request));
        pump();
        QCOMPARE(client.state(), ConnectionState::Open);
        QCOMPARE(server.state(), ConnectionState::Open);
        clientLog.clear();
        serverLog.clear();
    }

    static HandshakeRequest defaultRequest()
    {
        HandshakeRequest request;
        request.host = "example.test";
        request.resource = "/chat?room=1";
        request.subprotocols = { "chat", "superchat" };
        return request;
    }
};

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

QByteArray randomText(qsizetype size)
{
    // Mixed ASCII, 2-, 3- and 4-byte sequences, exactly `size` bytes.
    static const QByteArray pieces[] = { "a", "Z", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
    QByteArray text;
    while (text.size() < size) {
        const QByteArray &piece = pieces[QRandomGenerator::global()->bounded(5)];
        if (text.size() + piece.size() <= size)
            text += piece;
        else
            text += 'x';
    }
    return text;
}

} // namespace

class TestConnectionPair : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handshakeNegotiatesSubprotocol();
    void messagesRoundTrip_data();
    void messagesRoundTrip();
    void pingPong();
    void clientClosesFirst();
    void serverClosesFirst();
    void violationClosesBothEnds();
};

void TestConnectionPair::handshakeNegotiatesSubprotocol()
{
    Pair pair;
    pair.chosenSubprotocol = "superchat";
    QVERIFY(pair.client.initiate(Pair::defaultRequest()));
    pair.pump();
    QCOMPARE(pair.client.negotiated().subprotocol, QByteArray("superchat"));
    QCOMPARE(pair.server.negotiated().subprotocol, QByteArray("superchat"));
    QCOMPARE(pair.clientLog, QStringList { "handshake-completed:superchat:" });
    QCOMPARE(pair.serverLog,
             (QStringList { "handshake-requested", "handshake-completed:superchat:" }));
    QVERIFY(pair.client.handshakeRequestBytes().startsWith("GET /chat?room=1 HTTP/1.1\r\n"));
}

void TestConnectionPair::messagesRoundTrip_data()
{
    QTest::addColumn<bool>("text");
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<qsizetype>("fragmentSize");
    QTest::addColumn<qsizetype>("chunk");

    for (const qsizetype size : { 0, 1, 125, 126, 127, 65535, 65536, 65537, 1 << 20 }) {
        for (const bool text : { true, false }) {
            QTest::addRow("%s %lld", text ? "text" : "binary", qlonglong(size))
                << text << size << qsizetype(0) << qsizetype(0);
        }
    }
    QTest::newRow("text fragmented by 1000")
        << true << qsizetype(100000) << qsizetype(1000) << qsizetype(0);
    QTest::newRow("binary fragmented by 1")
        << false << qsizetype(300) << qsizetype(1) << qsizetype(0);
    QTest::newRow("text delivered byte by byte")
        << true << qsizetype(3000) << qsizetype(0) << qsizetype(1);
    QTest::newRow("fragmented text delivered by 7")
        << true << qsizetype(5000) << qsizetype(333) << qsizetype(7);
}

void TestConnectionPair::messagesRoundTrip()
{
    QFETCH(bool, text);
    QFETCH(qsizetype, size);
    QFETCH(qsizetype, fragmentSize);
    QFETCH(qsizetype, chunk);

    Pair pair;
    pair.open();
    const QByteArray message = text ? randomText(size) : randomBytes(size);
    SendOptions options;
    options.fragmentSize = fragmentSize;
    QVERIFY(text ? pair.client.sendText(message, options)
                 : pair.client.sendBinary(message, options));
    QVERIFY(text ? pair.server.sendText(message, options)
                 : pair.server.sendBinary(message, options));
    pair.pump(chunk);
    QCOMPARE(pair.serverMessages.size(), 1);
    QCOMPARE(pair.clientMessages.size(), 1);
    QVERIFY(pair.serverMessages.front() == message);
    QVERIFY(pair.clientMessages.front() == message);
}

void TestConnectionPair::pingPong()
{
    Pair pair;
    pair.open();
    QVERIFY(pair.client.sendPing("1234"));
    pair.pump();
    QCOMPARE(pair.serverLog, (QStringList { "in:ping:FM:4", "ping:31323334", "out:pong:F:4" }));
    QCOMPARE(pair.clientLog, (QStringList { "out:ping:FM:4", "in:pong:F:4", "pong:31323334" }));
}

void TestConnectionPair::clientClosesFirst()
{
    Pair pair;
    pair.open();
    QVERIFY(pair.client.close(4001, "bye"));
    pair.pump();
    QCOMPARE(pair.client.state(), ConnectionState::Closed);
    QCOMPARE(pair.server.state(), ConnectionState::Closed);
    const CloseInfo client = pair.client.closeInfo();
    QCOMPARE(client.origin, CloseOrigin::Local);
    QCOMPARE(client.code, quint16(4001));
    QCOMPARE(client.reason, QByteArray("bye"));
    QVERIFY(client.clean);
    const CloseInfo server = pair.server.closeInfo();
    QCOMPARE(server.origin, CloseOrigin::Remote);
    QCOMPARE(server.code, quint16(4001));
    QCOMPARE(server.reason, QByteArray("bye"));
    QVERIFY(server.clean);
}

void TestConnectionPair::serverClosesFirst()
{
    Pair pair;
    pair.open();
    QVERIFY(pair.server.close(1001));
    pair.pump();
    QCOMPARE(pair.client.closeInfo().origin, CloseOrigin::Remote);
    QCOMPARE(pair.client.closeInfo().code, quint16(1001));
    QCOMPARE(pair.server.closeInfo().origin, CloseOrigin::Local);
    QVERIFY(pair.client.closeInfo().clean && pair.server.closeInfo().clean);
}

void TestConnectionPair::violationClosesBothEnds()
{
    Pair pair;
    pair.open();
    FrameHeader bad;
    bad.opcode = Opcode::ReservedControlB;
    bad.masked = true;
    QVERIFY(pair.client.sendRawFrame(bad, {}));
    pair.pump();
    QCOMPARE(pair.server.closeInfo().violation, ProtocolError::ReservedOpcode);
    QCOMPARE(pair.client.closeInfo().origin, CloseOrigin::Remote);
    QCOMPARE(pair.client.closeInfo().code, quint16(1002));
}

QTEST_APPLESS_MAIN(TestConnectionPair)
#include "tst_connectionpair.moc"
