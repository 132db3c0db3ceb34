// The receive side of the protocol core, rule by rule: raw bytes in, the exact event sequence
// out, each case fed whole, split in two at every byte position, and one byte at a time.

#include "EventLog.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/Connection.h"

#include <QTest>

using namespace duplex;
using namespace duplex::test;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

QByteArray be16(quint16 value)
{
    QByteArray out(2, '\0');
    out[0] = char(value >> 8);
    out[1] = char(value & 0xFF);
    return out;
}

// What failing the connection looks like: the violation, our close frame, the closed state.
QStringList failed(ProtocolError error)
{
    const quint16 code = closeCodeFor(error);
    const int closeLength = 2 + int(qstrlen(describe(error)));
    return { QStringLiteral("violation:%1:%2").arg(code).arg(int(error)),
             QStringLiteral("out:close:FM:%1").arg(closeLength),
             QStringLiteral("closed:local:%1:unclean").arg(code) };
}

QStringList echoedClose(quint16 code, const QString &reason, int payloadLength)
{
    return { QStringLiteral("in:close:F:%1").arg(payloadLength),
             QStringLiteral("close:%1:%2").arg(code).arg(reason),
             QStringLiteral("out:close:FM:%1")
                 .arg(code == CloseCode::NoStatus ? 0 : 2 + int(reason.toUtf8().size())),
             QStringLiteral("closed:remote:%1:clean").arg(code) };
}

Limits tableLimits()
{
    Limits limits;
    limits.maxMessageSize = 70000;
    limits.largeFrameThreshold = 60000;
    return limits;
}

std::unique_ptr<Connection> openClient(const Limits &limits = tableLimits())
{
    auto connection = std::make_unique<Connection>(Role::Client, limits);
    connection->maskKeySource().setGenerator([] { return MaskKey { 0x37, 0xfa, 0x21, 0x3d }; });
    connection->openWithoutHandshake();
    return connection;
}

std::unique_ptr<Connection> openServer(const Limits &limits = tableLimits())
{
    auto connection = std::make_unique<Connection>(Role::Server, limits);
    connection->openWithoutHandshake();
    return connection;
}

// Split positions worth trying: all of them for small inputs, the edges and a stride for large.
QList<qsizetype> splitPositions(qsizetype size)
{
    QList<qsizetype> positions;
    for (qsizetype i = 0; i <= size; ++i) {
        if (size <= 4096 || i < 80 || i > size - 80 || i % 997 == 0)
            positions.append(i);
    }
    return positions;
}

QByteArray masked(QByteArray frame, MaskKey key)
{
    // Turns an unmasked frame with a 7-bit length into the same frame masked with `key`.
    const auto length = quint8(frame[1]) & 0x7F;
    Q_ASSERT(length <= 125);
    QByteArray out = frame.first(2);
    out[1] = char(0x80 | length);
    out.append(reinterpret_cast<const char *>(key.data()), 4);
    for (int i = 0; i < length; ++i)
        out.append(char(quint8(frame[2 + i]) ^ key[i % 4]));
    return out;
}

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clientReceives_data();
    void clientReceives();
    void serverReceives_data();
    void serverReceives();
    void invalidUtf8FailsBeforeTheFrameEnds();
    void largeFrameIsAnnouncedBeforeItsPayload();
    void oversizedFrameFailsWithoutItsPayload();
    void relaxedCloseCodes();
    void manualCloseReply();
    void peerDropsAfterItsClose();
    void localCloseThenPeerReply();
    void noDataAfterOurClose();
    void sendValidation();
    void outgoingFramesAreMaskedWithFreshKeys();
    void rawFrames();
    void viewsSurviveOutputConsumption();
};

void TestConnection::clientReceives_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("eof");

    // RFC 6455 section 5.7 examples
    QTest::newRow("rfc single-frame unmasked text")
        << hex("81 05 48656c6c6f") << QStringList { "in:text:F:5", "text:Hello" } << false;
    QTest::newRow("rfc fragmented unmasked text")
        << hex("01 03 48656c 80 02 6c6f")
        << QStringList { "in:text::3", "in:continuation:F:2", "text:Hello" } << false;
    QTest::newRow("rfc unmasked ping is answered")
        << hex("89 05 48656c6c6f")
        << QStringList { "in:ping:F:5", "ping:48656c6c6f", "out:pong:FM:5" } << false;
    QTest::newRow("rfc unmasked pong")
        << hex("8a 05 48656c6c6f") << QStringList { "in:pong:F:5", "pong:48656c6c6f" } << false;
    QTest::newRow("rfc 256 bytes binary, 16-bit length")
        << hex("82 7e 0100") + QByteArray(256, char(0xab))
        << QStringList { "in:binary:F:256", "binary:256:abababababababababababababababab..." }
        << false;
    QTest::newRow("rfc 64 KiB binary, 64-bit length")
        << hex("82 7f 0000000000010000") + QByteArray(65536, char(0xcd))
        << QStringList { "started:binary:65536", "in:binary:F:65536",
                         "binary:65536:cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd..." }
        << false;

    QTest::newRow("empty text") << hex("81 00") << QStringList { "in:text:F:0", "text:" } << false;
    QTest::newRow("three frames in one read")
        << hex("810141 810142 820143")
        << QStringList { "in:text:F:1", "text:A",        "in:text:F:1",
                         "text:B",      "in:binary:F:1", "binary:1:43" }
        << false;
    QTest::newRow("ping between fragments")
        << hex("01 01 41 89 00 80 01 42")
        << QStringList { "in:text::1",    "in:ping:F:0",         "ping:",
                         "out:pong:FM:0", "in:continuation:F:1", "text:AB" }
        << false;
    QTest::newRow("utf-8 sequence split across fragments")
        << hex("01 01 ce 80 01 ba")
        << QStringList { "in:text::1", "in:continuation:F:1", QStringLiteral("text:κ") } << false;
    QTest::newRow("125-byte ping")
        << hex("89 7d") + QByteArray(125, 'p')
        << QStringList { "in:ping:F:125",
                         "ping:" + QString::fromLatin1(QByteArray(125, 'p').toHex()),
                         "out:pong:FM:125" }
        << false;

    // Framing violations: 1002
    QTest::newRow("masked frame from a server")
        << hex("81 85 37fa213d 7f9f4d5158") << failed(ProtocolError::MaskedFrameFromServer)
        << false;
    QTest::newRow("rsv1 without extension")
        << hex("c1 00") << failed(ProtocolError::ReservedBitSet) << false;
    QTest::newRow("rsv2") << hex("a1 00") << failed(ProtocolError::ReservedBitSet) << false;
    QTest::newRow("rsv3") << hex("91 00") << failed(ProtocolError::ReservedBitSet) << false;
    QTest::newRow("rsv1 on a ping")
        << hex("c9 00") << failed(ProtocolError::ReservedBitSet) << false;
    for (const char *opcode : { "83", "84", "85", "86", "87", "8b", "8c", "8d", "8e", "8f" }) {
        QTest::newRow(qPrintable(QStringLiteral("reserved opcode %1").arg(QLatin1String(opcode))))
            << hex(opcode) + hex("00") << failed(ProtocolError::ReservedOpcode) << false;
    }
    QTest::newRow("reserved opcode inside a message")
        << hex("01 01 41 03 00")
        << QStringList { "in:text::1" } + failed(ProtocolError::ReservedOpcode) << false;
    QTest::newRow("control frame of 126 bytes") << hex("89 7e 007e") + QByteArray(126, 'x')
                                                << failed(ProtocolError::ControlTooBig) << false;
    QTest::newRow("close frame of 126 bytes") << hex("88 7e 007e") + QByteArray(126, 'x')
                                              << failed(ProtocolError::ControlTooBig) << false;
    QTest::newRow("fragmented ping")
        << hex("09 00") << failed(ProtocolError::FragmentedControl) << false;
    QTest::newRow("fragmented close")
        << hex("08 00") << failed(ProtocolError::FragmentedControl) << false;
    QTest::newRow("continuation without a start")
        << hex("80 01 41") << failed(ProtocolError::UnexpectedContinuation) << false;
    QTest::newRow("continuation after a finished message")
        << hex("81 01 41 80 01 42")
        << QStringList { "in:text:F:1", "text:A" } + failed(ProtocolError::UnexpectedContinuation)
        << false;
    QTest::newRow("new text frame inside a fragmented message")
        << hex("01 01 41 81 01 42")
        << QStringList { "in:text::1" } + failed(ProtocolError::ExpectedContinuation) << false;
    QTest::newRow("new binary frame inside a fragmented message")
        << hex("02 01 41 02 01 42")
        << QStringList { "in:binary::1" } + failed(ProtocolError::ExpectedContinuation) << false;
    QTest::newRow("16-bit length that fits in 7 bits")
        << hex("81 7e 0005 4142434445") << failed(ProtocolError::NonMinimalLength) << false;
    QTest::newRow("64-bit length that fits in 7 bits")
        << hex("81 7f 0000000000000005 4142434445") << failed(ProtocolError::NonMinimalLength)
        << false;
    QTest::newRow("64-bit length that fits in 16 bits")
        << hex("82 7f 000000000000ffff") << failed(ProtocolError::NonMinimalLength) << false;
    QTest::newRow("64-bit length with the top bit set")
        << hex("82 7f 8000000000000000") << failed(ProtocolError::LengthTopBitSet) << false;

    // UTF-8: 1007
    QTest::newRow("overlong in a text frame")
        << hex("81 02 c080") << failed(ProtocolError::BadUtf8) << false;
    QTest::newRow("surrogate in a text frame")
        << hex("81 03 eda080") << failed(ProtocolError::BadUtf8) << false;
    QTest::newRow("above U+10FFFF")
        << hex("81 04 f4908080") << failed(ProtocolError::BadUtf8) << false;
    QTest::newRow("bad byte in the second fragment fails at once")
        << hex("01 02 ceba 00 01 f5")
        << QStringList { "in:text::2" } + failed(ProtocolError::BadUtf8) << false;
    QTest::newRow("sequence cut off at the end of the message")
        << hex("81 01 ce") << QStringList { "in:text:F:1" } + failed(ProtocolError::BadUtf8)
        << false;
    QTest::newRow("sequence cut off across fragments at the end")
        << hex("01 01 41 80 01 e2")
        << QStringList { "in:text::1", "in:continuation:F:1" } + failed(ProtocolError::BadUtf8)
        << false;
    QTest::newRow("invalid utf-8 in binary is fine")
        << hex("82 02 c080") << QStringList { "in:binary:F:2", "binary:2:c080" } << false;

    // Close frames
    QTest::newRow("close without code")
        << hex("88 00") << echoedClose(CloseCode::NoStatus, QString(), 0) << false;
    QTest::newRow("close with reason")
        << hex("88 05 03e8 627965") << echoedClose(1000, QStringLiteral("bye"), 5) << false;
    QTest::newRow("close with a one-byte payload")
        << hex("88 01 03")
        << QStringList { "in:close:F:1" } + failed(ProtocolError::CloseFrameTooShort) << false;
    QTest::newRow("close reason not utf-8")
        << hex("88 04 03e8 c080")
        << QStringList { "in:close:F:4" } + failed(ProtocolError::BadUtf8CloseReason) << false;
    for (const quint16 code : { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
                                1014, 3000, 3999, 4000, 4999 }) {
        QTest::newRow(qPrintable(QStringLiteral("close code %1 is echoed").arg(code)))
            << hex("88 02") + be16(code) << echoedClose(code, QString(), 2) << false;
    }
    for (const quint16 code :
         { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 }) {
        QTest::newRow(qPrintable(QStringLiteral("close code %1 is refused").arg(code)))
            << hex("88 02") + be16(code)
            << QStringList { "in:close:F:2" } + failed(ProtocolError::BadCloseCode) << false;
    }
    QTest::newRow("nothing after a close is read")
        << hex("88 02 03e8 81 01 41") << echoedClose(1000, QString(), 2) << false;

    // Sizes: 1009
    QTest::newRow("frame over the message limit")
        << hex("82 7f 0000000000011171") << failed(ProtocolError::MessageTooBig) << false;
    QTest::newRow("fragments adding up past the limit")
        << hex("02 7e ea60") + QByteArray(60000, 'a') + hex("80 7e 2711")
        << QStringList { "started:binary:60000", "in:binary::60000" }
            + failed(ProtocolError::MessageTooBig)
        << false;
    QTest::newRow("fragments adding up to exactly the limit")
        << hex("02 7e ea60") + QByteArray(60000, 'a') + hex("80 7e 2710") + QByteArray(10000, 'b')
        << QStringList { "started:binary:60000", "in:binary::60000", "in:continuation:F:10000",
                         "binary:70000:61616161616161616161616161616161..." }
        << false;

    // The connection ending
    QTest::newRow("eof mid-frame")
        << hex("81 05 48") << QStringList { "closed:transport:1006:unclean" } << true;
    QTest::newRow("eof between frames")
        << hex("81 01 41")
        << QStringList { "in:text:F:1", "text:A", "closed:transport:1006:unclean" } << true;
    QTest::newRow("eof after a clean close")
        << hex("88 02 03e8") << echoedClose(1000, QString(), 2) << true;
}

void TestConnection::clientReceives()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QFETCH(bool, eof);

    {
        auto connection = openClient();
        QCOMPARE(feed(*connection, input, {}, eof), expected);
    }
    for (const qsizetype split : splitPositions(input.size())) {
        auto connection = openClient();
        const QStringList log = feed(*connection, input, { split }, eof);
        if (log != expected) {
            qWarning() << "split at" << split;
            QCOMPARE(log, expected);
        }
    }
    {
        auto connection = openClient();
        QList<qsizetype> bytes(input.size(), 1);
        QCOMPARE(feed(*connection, input, bytes, eof), expected);
    }
    // Read in place, as ConnectionSession reads its socket: the same events.
    {
        auto connection = openClient();
        QCOMPARE(feedInPlace(*connection, input, {}, eof), expected);
    }
    for (const qsizetype split : splitPositions(input.size())) {
        auto connection = openClient();
        const QStringList log = feedInPlace(*connection, input, { split }, eof);
        if (log != expected) {
            qWarning() << "read in place, split at" << split;
            QCOMPARE(log, expected);
        }
    }
    {
        auto connection = openClient();
        QList<qsizetype> bytes(input.size(), 1);
        QCOMPARE(feedInPlace(*connection, input, bytes, eof), expected);
    }
}

void TestConnection::serverReceives_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");

    const MaskKey key { 0x37, 0xfa, 0x21, 0x3d };
    QTest::newRow("rfc single-frame masked text")
        << hex("81 85 37fa213d 7f9f4d5158") << QStringList { "in:text:FM:5", "text:Hello" };
    QTest::newRow("masked fragments")
        << masked(hex("01 03 48656c"), key) + masked(hex("80 02 6c6f"), { 1, 2, 3, 4 })
        << QStringList { "in:text:M:3", "in:continuation:FM:2", "text:Hello" };
    QTest::newRow("masked ping is answered unmasked")
        << masked(hex("89 02 6869"), key)
        << QStringList { "in:ping:FM:2", "ping:6869", "out:pong:F:2" };
    QTest::newRow("masked close is echoed")
        << masked(hex("88 02 03e9"), key)
        << QStringList { "in:close:FM:2", "close:1001:", "out:close:F:2",
                         "closed:remote:1001:clean" };
    QTest::newRow("unmasked frame from a client")
        << hex("81 05 48656c6c6f")
        << QStringList {
               QStringLiteral("violation:1002:%1").arg(int(ProtocolError::UnmaskedFrameFromClient)),
               QStringLiteral("out:close:F:%1")
                   .arg(2 + qstrlen(describe(ProtocolError::UnmaskedFrameFromClient))),
               "closed:local:1002:unclean"
           };
    QTest::newRow("masked invalid utf-8")
        << masked(hex("81 02 c080"), key)
        << QStringList {
               QStringLiteral("violation:1007:%1").arg(int(ProtocolError::BadUtf8)),
               QStringLiteral("out:close:F:%1").arg(2 + qstrlen(describe(ProtocolError::BadUtf8))),
               "closed:local:1007:unclean"
           };
}

void TestConnection::serverReceives()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    for (const qsizetype split : splitPositions(input.size())) {
        auto connection = openServer();
        QCOMPARE(feed(*connection, input, { split }), expected);
    }
    auto connection = openServer();
    QCOMPARE(feed(*connection, input, QList<qsizetype>(input.size(), 1)), expected);
}

void TestConnection::invalidUtf8FailsBeforeTheFrameEnds()
{
    // A 1000-byte text frame whose 10th byte is invalid: the connection fails as soon as that
    // byte arrives, without waiting for the remaining 990.
    QByteArray payload(1000, 'a');
    payload[9] = char(0xff);
    const QByteArray frame = hex("81 7e 03e8") + payload;
    auto connection = openClient();
    connection->receiveData(QByteArrayView(frame).first(4 + 9));
    QVERIFY(drain(*connection).isEmpty());
    connection->receiveData(QByteArrayView(frame).sliced(4 + 9, 1));
    QCOMPARE(drain(*connection), failed(ProtocolError::BadUtf8));
    QCOMPARE(connection->state(), ConnectionState::Closed);
    QCOMPARE(connection->closeInfo().code, quint16(1007));
    QCOMPARE(connection->closeInfo().violation, ProtocolError::BadUtf8);
}

void TestConnection::largeFrameIsAnnouncedBeforeItsPayload()
{
    auto connection = openClient();
    QCOMPARE(connection->frameBytesMissing(), qsizetype(0));
    connection->receiveData(hex("82 7f 0000000000010000"));
    QCOMPARE(drain(*connection), QStringList { "started:binary:65536" });
    QCOMPARE(connection->frameBytesMissing(), qsizetype(65536));
    connection->receiveData(QByteArray(65535, 'x'));
    QVERIFY(drain(*connection).isEmpty());
    QCOMPARE(connection->frameBytesMissing(), qsizetype(1));
    connection->receiveData(QByteArray(1, 'y'));
    const QStringList log = drain(*connection);
    QCOMPARE(log.size(), 2);
    QCOMPARE(log[0], QStringLiteral("in:binary:F:65536"));
    QCOMPARE(connection->frameBytesMissing(), qsizetype(0));
}

void TestConnection::oversizedFrameFailsWithoutItsPayload()
{
    Limits limits;
    limits.maxMessageSize = 1024;
    auto connection = openClient(limits);
    connection->receiveData(hex("82 7f 7fffffffffffffff"));
    QCOMPARE(drain(*connection), failed(ProtocolError::MessageTooBig));
    QCOMPARE(connection->closeInfo().code, quint16(1009));
}

void TestConnection::relaxedCloseCodes()
{
    Limits limits = tableLimits();
    limits.strictCloseCodes = false;
    auto connection = openClient(limits);
    QCOMPARE(feed(*connection, hex("88 02 1388"), {}), echoedClose(5000, QString(), 2));
}

void TestConnection::manualCloseReply()
{
    Limits limits = tableLimits();
    limits.autoCloseReply = false;
    auto connection = openClient(limits);
    QCOMPARE(feed(*connection, hex("88 02 0fa0"), {}),
             (QStringList { "in:close:F:2", "close:4000:" }));
    QCOMPARE(connection->state(), ConnectionState::RemoteClosing);
    QCOMPARE(connection->sendText("late").error, LocalError::WrongState);
    QVERIFY(connection->close(1000));
    QCOMPARE(drain(*connection), (QStringList { "out:close:FM:2", "closed:remote:4000:clean" }));
    QCOMPARE(connection->closeInfo().origin, CloseOrigin::Remote);
    QVERIFY(connection->closeInfo().clean);
}

void TestConnection::peerDropsAfterItsClose()
{
    Limits limits = tableLimits();
    limits.autoCloseReply = false;
    auto connection = openClient(limits);
    connection->receiveData(hex("88 02 03e8"));
    drain(*connection);
    connection->receiveEof();
    QCOMPARE(drain(*connection), QStringList { "closed:remote:1000:unclean" });
}

void TestConnection::localCloseThenPeerReply()
{
    auto connection = openClient();
    QVERIFY(connection->close(4000, "done"));
    QCOMPARE(connection->state(), ConnectionState::LocalClosing);
    QCOMPARE(drain(*connection), QStringList { "out:close:FM:6" });
    // The peer may still send data before it sees our close: it is delivered.
    connection->receiveData(hex("81 01 41 88 02 0fa0"));
    QCOMPARE(drain(*connection),
             (QStringList { "in:text:F:1", "text:A", "in:close:F:2",
                            "close:4000:", "closed:local:4000:clean" }));
    const CloseInfo &info = connection->closeInfo();
    QCOMPARE(info.origin, CloseOrigin::Local);
    QCOMPARE(info.code, quint16(4000));
    QCOMPARE(info.reason, QByteArray("done"));
    QVERIFY(info.clean);
}

void TestConnection::noDataAfterOurClose()
{
    auto connection = openClient();
    QVERIFY(connection->close(1000));
    const LocalResult text = connection->sendText("x");
    QCOMPARE(text.error, LocalError::WrongState);
    QVERIFY(text.message.contains(QStringLiteral("closing")));
    QCOMPARE(connection->sendPing().error, LocalError::WrongState);
    QCOMPARE(connection->close(1000).error, LocalError::WrongState);
}

void TestConnection::sendValidation()
{
    auto connection = openClient();
    QCOMPARE(connection->sendText(hex("c080")).error, LocalError::InvalidUtf8);
    QCOMPARE(connection->sendPing(QByteArray(126, 'x')).error, LocalError::ControlTooLong);
    QCOMPARE(connection->close(1005).error, LocalError::InvalidCloseCode);
    QCOMPARE(connection->close(999).error, LocalError::InvalidCloseCode);
    QCOMPARE(connection->close(1000, QByteArray(124, 'r')).error, LocalError::ControlTooLong);
    QCOMPARE(connection->close(1000, hex("c0")).error, LocalError::InvalidUtf8);
    QVERIFY(drain(*connection).isEmpty());
    QVERIFY(connection->pendingOutput().isEmpty());

    Connection notOpen(Role::Client);
    QCOMPARE(notOpen.sendText("x").error, LocalError::WrongState);
}

void TestConnection::outgoingFramesAreMaskedWithFreshKeys()
{
    Connection connection(Role::Client);
    connection.openWithoutHandshake();
    QVERIFY(connection.sendText("Hello"));
    QVERIFY(connection.sendText("Hello"));
    QList<MaskKey> keys;
    while (auto event = connection.nextEvent()) {
        const auto *sent = std::get_if<FrameSent>(&*event);
        QVERIFY(sent);
        QVERIFY(sent->frame.header.masked);
        QCOMPARE(sent->frame.payloadInClear(), QByteArray("Hello"));
        keys.append(sent->frame.header.maskKey);
    }
    QCOMPARE(keys.size(), 2);
    QVERIFY(keys[0] != keys[1]);

    // With the RFC's key the bytes are the RFC's.
    auto fixed = openClient();
    QVERIFY(fixed->sendText("Hello"));
    QCOMPARE(fixed->pendingOutput().toByteArray(), hex("81 85 37fa213d 7f9f4d5158"));
}

void TestConnection::rawFrames()
{
    auto connection = openClient();
    FrameHeader header;
    header.fin = false;
    header.rsv2 = true;
    header.opcode = Opcode::ReservedData3;
    QVERIFY(connection->sendRawFrame(header, "x"));
    QCOMPARE(connection->pendingOutput().toByteArray(), hex("23 01 78"));
    QCOMPARE(drain(*connection), QStringList { "out:reserved-0x3:2:1" });
    QCOMPARE(connection->state(), ConnectionState::Open);
}

void TestConnection::viewsSurviveOutputConsumption()
{
    // Events point into the output by offset: consuming the output before draining the events
    // must not leave them pointing at moved bytes.
    auto connection = openClient();
    QVERIFY(connection->sendBinary("abc"));
    const QByteArray wire = connection->takeOutput();
    QVERIFY(connection->sendBinary("defg"));
    auto first = connection->nextEvent();
    QVERIFY(first);
    QCOMPARE(std::get<FrameSent>(*first).frame.wire.toByteArray(), wire);
    auto second = connection->nextEvent();
    QVERIFY(second);
    QCOMPARE(std::get<FrameSent>(*second).frame.payloadInClear(), QByteArray("defg"));
}

QTEST_APPLESS_MAIN(TestConnection)
#include "tst_connection.moc"
