// SessionExport and HarReplay: a session's record as JSON Lines and as HAR, and a HAR's
// messages back as a record of reconstructed frames, and the profile its handshake describes.
#include "core/protocol/FrameHeader.h"
#include "core/protocol/Masking.h"
#include "core/session/FrameJsonLines.h"
#include "core/session/HarReplay.h"
#include "core/session/SessionExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

namespace {

constexpr qint64 StartUs = 1'700'000'000'000'000;

// Appends one frame as a Connection would report it; outgoing frames are masked.
void appendFrame(SessionRecord &record, qint64 timeUs, Direction direction, Opcode opcode, bool fin,
                 const QByteArray &payload)
{
    FrameHeader header;
    header.fin = fin;
    header.opcode = opcode;
    header.masked = direction == Direction::Outgoing;
    header.maskKey = { 0x37, 0xfa, 0x21, 0x3d };
    header.payloadLength = quint64(payload.size());
    QByteArray wire(MaxFrameHeaderSize, Qt::Uninitialized);
    wire.truncate(encodeFrameHeader(header, wire.data()));
    const qsizetype start = wire.size();
    wire += payload;
    if (header.masked)
        applyMask(wire.data() + start, payload.size(), header.maskKey);
    FrameView frame;
    frame.direction = direction;
    frame.header = header;
    frame.wire = wire;
    if (!header.masked)
        frame.payload = QByteArrayView(wire).sliced(start);
    QVERIFY(record.appendFrame(timeUs, 1, frame) >= 0);
}

// A session: connecting, open, a text each way, a ping, a binary message in two fragments,
// close.
void fillSession(SessionRecord &record)
{
    record.appendEvent(StartUs, 1, SessionEventKind::Connecting,
                       R"({"event":"connecting","url":"ws://127.0.0.1:9001/chat","attempt":1})");
    record.appendEvent(StartUs + 2000, 1, SessionEventKind::Open,
                       R"({"event":"open","status":101,"subprotocol":"","extensions":"",)"
                       R"("url":"ws://127.0.0.1:9001/chat","timings":{"dnsUs":100,)"
                       R"("connectUs":300,"tlsUs":-1,"handshakeUs":900}})");
    appendFrame(record, StartUs + 10'000, Direction::Outgoing, Opcode::Text, true, "hello");
    appendFrame(record, StartUs + 11'000, Direction::Incoming, Opcode::Text, true, "hello");
    appendFrame(record, StartUs + 12'000, Direction::Outgoing, Opcode::Ping, true, "p");
    appendFrame(record, StartUs + 13'000, Direction::Incoming, Opcode::Binary, false,
                QByteArray("\x01\x02", 2));
    appendFrame(record, StartUs + 14'000, Direction::Incoming, Opcode::Continuation, true,
                QByteArray("\x03", 1));
    record.appendEvent(StartUs + 20'000, 1, SessionEventKind::Close,
                       R"({"event":"close","code":1000,"reason":"","clean":true})");
}

} // namespace

class TestSessionExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLinesAreTheFramesLines();
    void harHoldsEveryDataMessage();
    void harTakesTheHandshakeHeaders();
    void nothingOpenedNoEntry();
    void writeFileIsAtomic();
    void replayRebuildsTheMessages();
    void replayedProfile();
};

void TestSessionExport::jsonLinesAreTheFramesLines()
{
    SessionRecord record;
    fillSession(record);
    const QList<QByteArray> lines = SessionExport::jsonLines(record).split('\n');
    QCOMPARE(lines.size(), record.size() + 1); // each line ends with a newline
    QVERIFY(lines.last().isEmpty());
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        const QJsonObject object = QJsonDocument::fromJson(lines.at(i)).object();
        QVERIFY2(!object.isEmpty(), lines.at(i).constData());
        QCOMPARE(object.value(QStringLiteral("timeUs")).toInteger(), entry.timeUs);
        QCOMPARE(object.value(QStringLiteral("generation")).toInt(), 1);
        if (entry.type == RecordType::Frame) {
            QCOMPARE(lines.at(i),
                     FrameJsonLines::frameLine(record, entry, FrameJsonLines::WithTime));
        } else {
            QJsonObject event = object;
            event.remove(QStringLiteral("timeUs"));
            event.remove(QStringLiteral("generation"));
            QCOMPARE(event, QJsonDocument::fromJson(record.data(entry).toByteArray()).object());
        }
    }
    // The masked outgoing text shows in clear with its mask; the continuation as hex.
    QVERIFY(lines.at(2).contains(R"("payload":"hello")"));
    QVERIFY(lines.at(2).contains(R"("mask":"37fa213d")"));
    QVERIFY(lines.at(6).contains(R"("payloadHex":"03")"));
}

void TestSessionExport::harHoldsEveryDataMessage()
{
    SessionRecord record;
    fillSession(record);
    const HarDocument document = SessionExport::har(record);
    QCOMPARE(document.entries.size(), 1);
    const HarDocument::Entry &entry = document.entries.first();
    QCOMPARE(entry.handshake.url, QStringLiteral("ws://127.0.0.1:9001/chat"));
    QCOMPARE(entry.handshake.status, 101);
    QCOMPARE(entry.handshake.timings.dns, 0.1);
    QCOMPARE(entry.handshake.timings.connect, 0.3);
    QCOMPARE(entry.handshake.timings.ssl, -1.0);
    QCOMPARE(entry.handshake.timings.wait, 0.9);
    QCOMPARE(entry.messages.size(), 3); // the ping is not a message; two fragments make one
    QCOMPARE(entry.messages.at(0).direction, Direction::Outgoing);
    QCOMPARE(entry.messages.at(0).data, QByteArray("hello"));
    QCOMPARE(entry.messages.at(0).opcode, quint8(1));
    QCOMPARE(entry.messages.at(0).time, double(StartUs + 10'000) / 1e6);
    QCOMPARE(entry.messages.at(1).direction, Direction::Incoming);
    QCOMPARE(entry.messages.at(2).opcode, quint8(2));
    QCOMPARE(entry.messages.at(2).data, QByteArray("\x01\x02\x03", 3));
    QCOMPARE(entry.messages.at(2).time, double(StartUs + 13'000) / 1e6);

    // As written: JSON that browsers' devtools read.
    const QJsonObject root = QJsonDocument::fromJson(document.toJson()).object();
    const QJsonArray messages = root.value(QStringLiteral("log"))
                                    .toObject()
                                    .value(QStringLiteral("entries"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("_webSocketMessages"))
                                    .toArray();
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("send"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("type")).toString(),
             QStringLiteral("receive"));
    QCOMPARE(messages.at(2).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("AQID"));
}

void TestSessionExport::harTakesTheHandshakeHeaders()
{
    SessionRecord record;
    fillSession(record);
    SessionExport::HandshakeBytes bytes;
    bytes.request = "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\nX-Token: t\r\n\r\n";
    bytes.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    const HarDocument document = SessionExport::har(record, { { quint16(1), bytes } });
    const HarDocument::Handshake &handshake = document.entries.first().handshake;
    QCOMPARE(handshake.statusText, QStringLiteral("Switching Protocols"));
    QVERIFY(handshake.requestHeaders.contains(
        HarDocument::Header { QStringLiteral("X-Token"), QStringLiteral("t") }));
    QCOMPARE(handshake.responseHeaders.size(), 3);
}

void TestSessionExport::nothingOpenedNoEntry()
{
    SessionRecord record;
    record.appendEvent(StartUs, 1, SessionEventKind::Connecting,
                       R"({"event":"connecting","url":"ws://127.0.0.1:1/"})");
    record.appendEvent(StartUs + 5, 1, SessionEventKind::Error,
                       R"({"event":"error","error":"refused","message":"refused"})");
    QVERIFY(SessionExport::har(record).entries.isEmpty());
}

void TestSessionExport::writeFileIsAtomic()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.har"));
    QString error;
    QVERIFY(SessionExport::writeFile(path, "first", &error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("first"));
    file.close();
    // A directory that does not exist: a sentence naming the file; nothing is left behind.
    const QString bad = dir.filePath(QStringLiteral("missing/out.har"));
    QVERIFY(!SessionExport::writeFile(bad, "x", &error));
    QVERIFY2(error.contains(bad), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("out.har") });
}

void TestSessionExport::replayRebuildsTheMessages()
{
    SessionRecord original;
    fillSession(original);
    const HarDocument document = SessionExport::har(original);
    const auto parsed = HarDocument::fromJson(document.toJson());
    QVERIFY(parsed);

    SessionRecord replayed;
    QCOMPARE(HarReplay::fill(replayed, *parsed, QStringLiteral("capture.har")), 3);
    // connecting, the note, open, then one frame per message.
    QCOMPARE(replayed.size(), 6);
    QCOMPARE(SessionEventKind(replayed.entry(1).group), SessionEventKind::Note);
    QVERIFY(replayed.data(replayed.entry(1)).toByteArray().contains("reconstructed"));
    const QList<HarDocument::Message> &messages = parsed->entries.first().messages;
    for (int i = 0; i < 3; ++i) {
        const RecordEntry &entry = replayed.entry(3 + i);
        QCOMPARE(entry.type, RecordType::Frame);
        QCOMPARE(entry.direction, messages.at(i).direction);
        QCOMPARE(entry.firstByte & 0x0F, messages.at(i).opcode);
        QVERIFY(entry.firstByte & 0x80); // FIN
        QCOMPARE(replayed.payload(entry), messages.at(i).data);
        QCOMPARE(entry.timeUs, qint64(std::llround(messages.at(i).time * 1e6)));
        QVERIFY(!SessionRecord::headerOf(replayed.wire(entry)).masked);
    }
    // And exporting the replay gives the same messages again.
    QCOMPARE(SessionExport::har(replayed).entries.first().messages, messages);
}

void TestSessionExport::replayedProfile()
{
    HarDocument::Entry entry;
    entry.handshake.url = QStringLiteral("wss://api.example.com/feed");
    entry.handshake.requestHeaders = {
        { QStringLiteral("Host"), QStringLiteral("api.example.com") },
        { QStringLiteral("Upgrade"), QStringLiteral("websocket") },
        { QStringLiteral("Sec-WebSocket-Key"), QStringLiteral("x") },
        { QStringLiteral("Sec-WebSocket-Protocol"), QStringLiteral("v2, v1") },
        { QStringLiteral("Sec-WebSocket-Extensions"), QStringLiteral("permessage-deflate") },
        { QStringLiteral("Origin"), QStringLiteral("https://app.example.com") },
        { QStringLiteral("X-Client"), QStringLiteral("7") },
        { QStringLiteral("Authorization"), HarDocument::redactedValue() },
    };
    const Profile profile = HarReplay::profileOf(entry, QStringLiteral("capture"));
    QCOMPARE(profile.name, QStringLiteral("capture"));
    QCOMPARE(profile.url, QStringLiteral("wss://api.example.com/feed"));
    QCOMPARE(profile.subprotocols, (QStringList { QStringLiteral("v2"), QStringLiteral("v1") }));
    QCOMPARE(profile.origin, QStringLiteral("https://app.example.com"));
    QVERIFY(profile.deflate.enabled);
    QCOMPARE(profile.headers.size(), 2);
    QCOMPARE(profile.headers.at(0),
             (Profile::Header { QStringLiteral("X-Client"), QStringLiteral("7"), true, false }));
    QCOMPARE(profile.headers.at(1),
             (Profile::Header { QStringLiteral("Authorization"), QString(), false, true }));
}

QTEST_APPLESS_MAIN(TestSessionExport)
#include "tst_sessionexport.moc"
