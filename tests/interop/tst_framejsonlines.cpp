// FrameJsonLines: the JSON-lines form of frames that duplex-cli --frames prints and the
// history's export writes. Frames come from a real client and server Connection wired to each
// other in memory; every line is also checked against the same frame read back from a
// SessionRecord, and parsed back with QJsonDocument.

#include "core/protocol/Connection.h"
#include "core/session/FrameJsonLines.h"
#include "core/session/SessionRecord.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace duplex;
using namespace Qt::Literals::StringLiterals;

namespace {

// A client and a server Connection joined in memory. Every frame either side sends or receives
// becomes a line, from the FrameView (stateful encoder per side) and from the record.
class Pair
{
public:
    explicit Pair(bool deflate = false)
        : client(Role::Client)
        , server(Role::Server)
    {
        client.maskKeySource().setGenerator([] { return MaskKey { 0x37, 0xfa, 0x21, 0x3d }; });
        HandshakeRequest request;
        request.host = "example.test";
        request.deflate.enabled = deflate;
        if (!client.initiate(request))
            qFatal("initiate failed");
        server.receiveData(client.takeOutput());
        while (auto event = server.nextEvent()) {
            if (std::holds_alternative<HandshakeRequested>(*event)) {
                std::optional<DeflateOptions> policy;
                if (deflate)
                    policy = DeflateOptions { .enabled = true };
                server.acceptHandshake({}, policy);
            }
        }
        client.receiveData(server.takeOutput());
        drain(client);
        if (client.state() != ConnectionState::Open)
            qFatal("the in-memory handshake did not complete");
    }

    // Moves what each side wrote to the other, collecting the client's frame lines.
    void pump()
    {
        drain(client);
        server.receiveData(client.takeOutput());
        drainServer();
        client.receiveData(server.takeOutput());
        drain(client);
    }

    void drain(Connection &connection)
    {
        while (auto event = connection.nextEvent()) {
            const FrameView *frame = nullptr;
            if (auto *sent = std::get_if<FrameSent>(&*event))
                frame = &sent->frame;
            else if (auto *received = std::get_if<FrameReceived>(&*event))
                frame = &received->frame;
            if (!frame)
                continue;
            lines.append(encoder.frameLine(*frame));
            const qsizetype index = record.appendFrame(0, 1, *frame);
            recordLines.append(FrameJsonLines::frameLine(record, record.entry(index)));
        }
    }

    // The server echoes every data message, fragmented and compressed as echoOptions say.
    void drainServer()
    {
        QList<std::pair<bool, QByteArray>> echoes;
        while (auto event = server.nextEvent()) {
            if (auto *text = std::get_if<TextMessage>(&*event))
                echoes.append({ true, text->utf8.toByteArray() });
            else if (auto *binary = std::get_if<BinaryMessage>(&*event))
                echoes.append({ false, binary->data.toByteArray() });
        }
        for (const auto &[text, data] : std::as_const(echoes)) {
            if (text)
                server.sendText(data, echoOptions);
            else
                server.sendBinary(data, echoOptions);
        }
        while (server.nextEvent()) { }
    }

    Connection client;
    Connection server;
    SendOptions echoOptions;
    FrameJsonLines encoder;
    SessionRecord record;
    QList<QByteArray> lines;
    QList<QByteArray> recordLines;
};

QJsonObject parsed(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("not a JSON object: %s (%s)", line.constData(), qPrintable(error.errorString()));
    return document.object();
}

} // namespace

class tst_FrameJsonLines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contractExample();
    void outgoingMaskedFrame();
    void binaryAsHex();
    void escaping_data();
    void escaping();
    void invalidUtf8TextAsHex();
    void fragmentsFollowTheirMessage();
    void controlFrames();
    void compressedFrames();
    void largePayload();
    void recordWithTime();
    void objectWriter();
};

void tst_FrameJsonLines::contractExample()
{
    // The line DESIGN.md section 7 shows, byte for byte.
    FrameHeader header;
    header.opcode = Opcode::Text;
    header.payloadLength = 5;
    QCOMPARE(FrameJsonLines::encode(Direction::Incoming, header, "Hello", false, true),
             QByteArray("{\"dir\":\"in\",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                        "\"opcode\":1,\"masked\":false,\"length\":5,\"payload\":\"Hello\"}"));
}

void tst_FrameJsonLines::outgoingMaskedFrame()
{
    Pair pair;
    QVERIFY(pair.client.sendText("Hello"));
    pair.pump();
    QCOMPARE(pair.lines.size(), 2);
    QCOMPARE(
        pair.lines[0],
        QByteArray("{\"dir\":\"out\",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                   "\"opcode\":1,\"masked\":true,\"mask\":\"37fa213d\",\"length\":5,\"payload\":"
                   "\"Hello\"}"));
    QCOMPARE(pair.lines[1],
             QByteArray("{\"dir\":\"in\",\"fin\":true,\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,"
                        "\"opcode\":1,\"masked\":false,\"length\":5,\"payload\":\"Hello\"}"));
    QCOMPARE(pair.recordLines, pair.lines);
}

void tst_FrameJsonLines::binaryAsHex()
{
    Pair pair;
    QVERIFY(pair.client.sendBinary(QByteArray::fromHex("00ff10")));
    QVERIFY(pair.client.sendBinary({}));
    QVERIFY(pair.client.sendBinary("plain ascii"));
    pair.pump();
    QCOMPARE(pair.lines.size(), 6);
    QCOMPARE(parsed(pair.lines[0]).value("payloadHex"_L1).toString(), u"00ff10"_s);
    QCOMPARE(parsed(pair.lines[1]).value("length"_L1).toInt(), 0);
    QCOMPARE(parsed(pair.lines[1]).value("payloadHex"_L1).toString(), QString());
    // Binary stays hex even when the bytes happen to be readable text.
    const QJsonObject ascii = parsed(pair.lines[2]);
    QVERIFY(!ascii.contains("payload"_L1));
    QCOMPARE(ascii.value("payloadHex"_L1).toString(),
             QString::fromLatin1(QByteArray("plain ascii").toHex()));
    QCOMPARE(pair.recordLines, pair.lines);
}

void tst_FrameJsonLines::escaping_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("quotes and backslash") << QByteArray("say \"hi\" \\ bye");
    QTest::newRow("line breaks and tab") << QByteArray("a\nb\r\nc\td");
    QTest::newRow("every control character") << []() {
        QByteArray all;
        for (int c = 0; c < 0x20; ++c)
            all.append(char(c));
        return all;
    }();
    QTest::newRow("non-ASCII") << QByteArray("Grüße, 世界! 𝄞");
    QTest::newRow("DEL and slash") << QByteArray("\x7f/</script>");
    QTest::newRow("empty") << QByteArray();
}

void tst_FrameJsonLines::escaping()
{
    QFETCH(QByteArray, text);
    Pair pair;
    QVERIFY(pair.client.sendText(text));
    pair.pump();
    QCOMPARE(pair.lines.size(), 2);
    for (const QByteArray &line : std::as_const(pair.lines)) {
        QVERIFY2(!line.contains('\n') && !line.contains('\r'), line.constData());
        QCOMPARE(parsed(line).value("payload"_L1).toString().toUtf8(), text);
    }
    QCOMPARE(pair.recordLines, pair.lines);
}

void tst_FrameJsonLines::invalidUtf8TextAsHex()
{
    // A text frame that is not UTF-8 (a peer's violation, as recorded before it is failed):
    // the line keeps every byte, as hex.
    const QByteArray wire = QByteArray::fromHex("8103cebaff");
    FrameView frame;
    frame.direction = Direction::Incoming;
    frame.header.opcode = Opcode::Text;
    frame.header.payloadLength = 3;
    frame.wire = wire;
    frame.payload = QByteArrayView(wire).sliced(2);
    FrameJsonLines encoder;
    const QJsonObject object = parsed(encoder.frameLine(frame));
    QVERIFY(!object.contains("payload"_L1));
    QCOMPARE(object.value("payloadHex"_L1).toString(), u"cebaff"_s);
}

void tst_FrameJsonLines::fragmentsFollowTheirMessage()
{
    Pair pair;
    // "κόσμε" split inside a character: the first fragment alone is not UTF-8.
    const QByteArray text("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");
    pair.echoOptions.fragmentSize = 3;
    QVERIFY(pair.client.sendText(text, { .compress = true, .fragmentSize = 3 }));
    QVERIFY(pair.client.sendBinary("abcdef", { .compress = true, .fragmentSize = 3 }));
    pair.pump();
    QList<QJsonObject> out;
    for (const QByteArray &line : std::as_const(pair.lines)) {
        const QJsonObject object = parsed(line);
        if (object.value("dir"_L1).toString() == u"out"_s)
            out.append(object);
    }
    QCOMPARE(out.size(), 4 + 2);
    // Text fragments: readable where they hold whole characters, hex where one is cut.
    QCOMPARE(out[0].value("opcode"_L1).toInt(), 1);
    QCOMPARE(out[0].value("payloadHex"_L1).toString(), u"cebae1"_s);
    QCOMPARE(out[1].value("opcode"_L1).toInt(), 0);
    QCOMPARE(out[1].value("payloadHex"_L1).toString(), u"bdb9cf"_s);
    QCOMPARE(out[3].value("payload"_L1).toString(), u"\u03b5"_s);
    QVERIFY(out[3].value("fin"_L1).toBool());
    // Continuations of a binary message stay hex.
    QCOMPARE(out[5].value("opcode"_L1).toInt(), 0);
    QCOMPARE(out[5].value("payloadHex"_L1).toString(), u"646566"_s);
    QCOMPARE(pair.recordLines, pair.lines);

    // Reassembled, the incoming fragments of the text message give it back.
    QByteArray incoming;
    int inFrames = 0;
    for (const QByteArray &line : std::as_const(pair.lines)) {
        const QJsonObject object = parsed(line);
        if (object.value("dir"_L1).toString() != u"in"_s || ++inFrames > 4)
            continue;
        incoming += object.contains("payload"_L1)
            ? object.value("payload"_L1).toString().toUtf8()
            : QByteArray::fromHex(object.value("payloadHex"_L1).toString().toLatin1());
    }
    QCOMPARE(incoming, text);
}

void tst_FrameJsonLines::controlFrames()
{
    Pair pair;
    QVERIFY(pair.client.sendPing("are you there"));
    QVERIFY(pair.client.close(4001, "done"));
    pair.pump();
    QCOMPARE(pair.lines.size(), 4); // ping and close out, then pong and close in
    const QJsonObject ping = parsed(pair.lines[0]);
    QCOMPARE(ping.value("opcode"_L1).toInt(), 9);
    QCOMPARE(ping.value("payloadHex"_L1).toString(),
             QString::fromLatin1(QByteArray("are you there").toHex()));
    const QJsonObject close = parsed(pair.lines[1]);
    QCOMPARE(close.value("opcode"_L1).toInt(), 8);
    QCOMPARE(close.value("payloadHex"_L1).toString(), u"0fa1646f6e65"_s);
    const QJsonObject pong = parsed(pair.lines[2]);
    QCOMPARE(pong.value("opcode"_L1).toInt(), 10);
    QCOMPARE(pong.value("dir"_L1).toString(), u"in"_s);
    QCOMPARE(pong.value("payloadHex"_L1).toString(), ping.value("payloadHex"_L1).toString());
    QCOMPARE(parsed(pair.lines[3]).value("opcode"_L1).toInt(), 8);
    QCOMPARE(pair.recordLines, pair.lines);
}

void tst_FrameJsonLines::compressedFrames()
{
    Pair pair(true);
    const QByteArray text = QByteArray("compress me ").repeated(500);
    QVERIFY(pair.client.sendText(text));
    pair.pump();
    QCOMPARE(pair.lines.size(), 2);
    for (const QByteArray &line : std::as_const(pair.lines)) {
        const QJsonObject object = parsed(line);
        QVERIFY(object.value("rsv1"_L1).toBool());
        QCOMPARE(object.value("inflatedLength"_L1).toInt(), text.size());
        QVERIFY(object.value("length"_L1).toInt() < text.size() / 10);
        QCOMPARE(object.value("payload"_L1).toString().toUtf8(), text);
    }
    // inflatedLength comes right after length.
    QVERIFY(pair.lines[0].contains(",\"length\":"));
    QVERIFY(pair.lines[0].indexOf("\"length\"") < pair.lines[0].indexOf("\"inflatedLength\""));
    QCOMPARE(pair.recordLines, pair.lines);

    // An uncompressed frame on the same connection has no inflatedLength.
    pair.lines.clear();
    pair.recordLines.clear();
    pair.echoOptions.compress = false;
    QVERIFY(pair.client.sendBinary("raw", { .compress = false }));
    pair.pump();
    for (const QByteArray &line : std::as_const(pair.lines))
        QVERIFY2(!line.contains("inflatedLength"), line.constData());
    QCOMPARE(pair.recordLines, pair.lines);
}

void tst_FrameJsonLines::largePayload()
{
    Pair pair;
    QByteArray data(3 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 31 + 7) & 0xFF);
    QVERIFY(pair.client.sendBinary(data));
    pair.pump();
    QCOMPARE(pair.lines.size(), 2);
    for (const QByteArray &line : std::as_const(pair.lines)) {
        const QJsonObject object = parsed(line);
        QCOMPARE(object.value("length"_L1).toInteger(), data.size());
        QCOMPARE(QByteArray::fromHex(object.value("payloadHex"_L1).toString().toLatin1()), data);
    }
    QCOMPARE(pair.recordLines, pair.lines);
}

void tst_FrameJsonLines::recordWithTime()
{
    SessionRecord record;
    FrameView frame;
    frame.direction = Direction::Incoming;
    frame.header.opcode = Opcode::Text;
    frame.header.payloadLength = 2;
    const QByteArray wire = QByteArray::fromHex("81026869");
    frame.wire = wire;
    frame.payload = QByteArrayView(wire).sliced(2);
    const qsizetype index = record.appendFrame(1700000000123456, 3, frame);
    QCOMPARE(
        FrameJsonLines::frameLine(record, record.entry(index), FrameJsonLines::WithTime),
        QByteArray("{\"timeUs\":1700000000123456,\"generation\":3,\"dir\":\"in\",\"fin\":true,"
                   "\"rsv1\":false,\"rsv2\":false,\"rsv3\":false,\"opcode\":1,\"masked\":false,"
                   "\"length\":2,\"payload\":\"hi\"}"));
    const qsizetype event = record.appendEvent(0, 3, SessionEventKind::Note, "{}");
    QCOMPARE(FrameJsonLines::frameLine(record, record.entry(event)), QByteArray());
}

void tst_FrameJsonLines::objectWriter()
{
    FrameJsonLines::Object object;
    QCOMPARE(object.toByteArray(), QByteArray("{}"));
    object.addString("event"_L1, QByteArrayView("pong"))
        .add("rttMs"_L1, 0.0345)
        .add("whole"_L1, 12.0)
        .add("half"_L1, 2.5)
        .add("negative"_L1, qint64(-3))
        .add("big"_L1, quint64(18446744073709551615ULL))
        .add("nan"_L1, std::nan(""))
        .addNull("none"_L1)
        .addString("text"_L1, u"ü\"\n"_s)
        .addHex("hex"_L1, QByteArrayView("\x01\xab", 2))
        .addRaw("list"_L1, "[1,2]");
    QCOMPARE(
        object.take(),
        QByteArray("{\"event\":\"pong\",\"rttMs\":0.035,\"whole\":12,\"half\":2.5,\"negative\":-3,"
                   "\"big\":18446744073709551615,\"nan\":null,\"none\":null,\"text\":\"ü\\\"\\n\","
                   "\"hex\":\"01ab\",\"list\":[1,2]}"));
    QCOMPARE(object.take(), QByteArray("{}"));
}

QTEST_APPLESS_MAIN(tst_FrameJsonLines)
#include "tst_framejsonlines.moc"
