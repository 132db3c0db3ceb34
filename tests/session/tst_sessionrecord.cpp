// SessionRecord: frames come from a client and a server Connection wired to each other in
// memory, so every row holds real wire bytes.

#include "core/protocol/Connection.h"
#include "core/session/SessionRecord.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace duplex;

namespace {

// A client and a server Connection, open without a handshake. Frames the client sends or
// receives are recorded, as a session would.
struct Pair
{
    explicit Pair(bool deflate = false)
    {
        Negotiated negotiated;
        if (deflate) {
            negotiated.deflate = DeflateParameters {};
            negotiated.extensions = PerMessageDeflateName;
        }
        client.openWithoutHandshake(negotiated);
        server.openWithoutHandshake(negotiated);
    }

    // Records the client's frames, both directions, as a session does.
    void recordClientEvents()
    {
        while (auto event = client.nextEvent()) {
            if (const auto *sent = std::get_if<FrameSent>(&*event))
                record.appendFrame(++clock, 1, sent->frame);
            else if (const auto *received = std::get_if<FrameReceived>(&*event))
                record.appendFrame(++clock, 1, received->frame);
        }
    }

    // Records what the client queued, and delivers it to the server.
    void flushClient()
    {
        recordClientEvents();
        server.receiveData(client.takeOutput());
        while (server.nextEvent()) { }
    }

    // Delivers what the server queued to the client, and records what the client makes of it.
    void flushServer()
    {
        while (server.nextEvent()) { }
        client.receiveData(server.takeOutput());
        recordClientEvents();
    }

    Connection client { Role::Client };
    Connection server { Role::Server };
    SessionRecord record;
    qint64 clock = 1000;
};

FrameHeader header(Opcode opcode, bool fin, bool masked)
{
    FrameHeader h;
    h.opcode = opcode;
    h.fin = fin;
    h.masked = masked;
    return h;
}

// An unmasked binary frame carrying `payload`, as FrameView over `storage`.
FrameView binaryFrame(QByteArray &storage, QByteArrayView payload)
{
    FrameHeader h = header(Opcode::Binary, true, false);
    h.payloadLength = quint64(payload.size());
    storage.resize(MaxFrameHeaderSize + payload.size());
    const int size = encodeFrameHeader(h, storage.data());
    std::memcpy(storage.data() + size, payload.data(), size_t(payload.size()));
    storage.resize(size + payload.size());
    FrameView frame;
    frame.direction = Direction::Incoming;
    frame.header = h;
    frame.wire = storage;
    frame.payload = QByteArrayView(storage).sliced(size);
    return frame;
}

QByteArray indexPayload(qsizetype index, qsizetype size)
{
    QByteArray payload(size, char(index & 0x7F));
    for (int i = 0; i < 8 && i < size; ++i)
        payload[i] = char((quint64(index) >> (8 * i)) & 0xFF);
    return payload;
}

} // namespace

class TestSessionRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupsFragmentsPerDirection();
    void marksCompressedMessages();
    void unmasksOutgoingPayloads();
    void storesEvents();
    void largePayloadsGetTheirOwnChunk();
    void readerSeesConsistentRowsWhileAppending();
    void memoryPerRow();
};

void TestSessionRecord::groupsFragmentsPerDirection()
{
    Pair pair;
    // Out: a fragmented text message, interleaved with an incoming fragmented binary message
    // and a ping between the incoming fragments.
    QVERIFY(pair.client.sendRawFrame(header(Opcode::Text, false, true), "abc"));
    pair.flushClient(); // 0
    QVERIFY(pair.server.sendRawFrame(header(Opcode::Binary, false, false), "12"));
    pair.flushServer(); // 1
    QVERIFY(pair.client.sendRawFrame(header(Opcode::Continuation, false, true), "def"));
    pair.flushClient(); // 2
    QVERIFY(pair.server.sendPing("p"));
    pair.flushServer(); // 3 (ping), 4 (the client's automatic pong)
    pair.flushClient();
    QVERIFY(pair.server.sendRawFrame(header(Opcode::Continuation, true, false), "34"));
    pair.flushServer(); // 5
    QVERIFY(pair.client.sendRawFrame(header(Opcode::Continuation, true, true), "gh"));
    pair.flushClient(); // 6
    QVERIFY(pair.client.sendText("single"));
    pair.flushClient(); // 7

    const SessionRecord &record = pair.record;
    QCOMPARE(record.size(), qsizetype(8));
    struct Expected
    {
        Direction direction;
        quint32 group;
        quint8 flags;
        QByteArray payload;
    };
    const QList<Expected> expected {
        { Direction::Outgoing, 0, RecordFragment, "abc" },
        { Direction::Incoming, 1, RecordFragment, "12" },
        { Direction::Outgoing, 0, RecordFragment, "def" },
        { Direction::Incoming, 3, 0, "p" },
        { Direction::Outgoing, 4, 0, "p" },
        { Direction::Incoming, 1, RecordFragment | RecordMessageEnd, "34" },
        { Direction::Outgoing, 0, RecordFragment | RecordMessageEnd, "gh" },
        { Direction::Outgoing, 7, RecordMessageEnd, "single" },
    };
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        QCOMPARE(entry.type, RecordType::Frame);
        QCOMPARE(entry.direction, expected[i].direction);
        QCOMPARE(entry.group, expected[i].group);
        QCOMPARE(entry.flags, expected[i].flags);
        QCOMPARE(record.payload(entry), expected[i].payload);
        QCOMPARE(entry.timeUs, qint64(1001 + i));
        QCOMPARE(entry.generation, quint16(1));
        QCOMPARE(quint8(record.wire(entry).at(0)), entry.firstByte);
    }
}

void TestSessionRecord::marksCompressedMessages()
{
    Pair pair(true);
    const QByteArray message =
        QByteArray("hello hello hello hello, compressed world. ").repeated(40);
    SendOptions fragmented;
    fragmented.fragmentSize = 16;
    QVERIFY(pair.server.sendText(message, fragmented));
    pair.flushServer();
    const qsizetype compressedFrames = pair.record.size();
    QVERIFY(compressedFrames > 1);
    SendOptions plain;
    plain.compress = false;
    QVERIFY(pair.server.sendBinary("raw", plain));
    pair.flushServer();
    QVERIFY(pair.client.sendText(message));
    pair.flushClient();

    const SessionRecord &record = pair.record;
    QByteArray inflated;
    for (qsizetype i = 0; i < compressedFrames; ++i) {
        const RecordEntry &entry = record.entry(i);
        QVERIFY(entry.flags & RecordCompressed);
        QCOMPARE(entry.group, quint32(0));
        // Only the first frame has RSV1 on the wire; the record flags all of them.
        QCOMPARE(bool(entry.firstByte & 0x40), i == 0);
        inflated += record.inflated(entry);
    }
    QCOMPARE(inflated, message);
    QVERIFY(record.wire(record.entry(0)).size() < 2 + 16 + 1);

    const RecordEntry &raw = record.entry(compressedFrames);
    QCOMPARE(raw.flags & RecordCompressed, 0);
    QCOMPARE(record.payload(raw), QByteArray("raw"));
    QVERIFY(record.inflated(raw).isEmpty());

    // An outgoing compressed message keeps its clear text beside the masked, deflated wire bytes.
    const RecordEntry &out = record.entry(compressedFrames + 1);
    QCOMPARE(out.direction, Direction::Outgoing);
    QVERIFY(out.flags & RecordCompressed);
    QCOMPARE(record.payload(out), message);
    QVERIFY(record.wire(out).size() < message.size());
}

void TestSessionRecord::unmasksOutgoingPayloads()
{
    Pair pair;
    const QList<QByteArray> messages { "Hello", QByteArray(300, 'x'), QByteArray(70000, 'y') };
    for (const QByteArray &message : messages)
        QVERIFY(pair.client.sendText(message));
    pair.flushClient();
    const SessionRecord &record = pair.record;
    QCOMPARE(record.size(), messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        const QByteArrayView wire = record.wire(entry);
        const FrameHeader h = SessionRecord::headerOf(wire);
        QVERIFY(h.masked);
        QCOMPARE(h.payloadLength, quint64(messages[i].size()));
        QCOMPARE(wire.size(), h.size() + messages[i].size());
        QVERIFY(wire.sliced(h.size()) != QByteArrayView(messages[i])); // masked on the wire
        QCOMPARE(record.payload(entry), messages[i]);
        QCOMPARE(entry.dataSize, quint32(wire.size())); // kept once: no clear copy beside it
    }
}

void TestSessionRecord::storesEvents()
{
    SessionRecord record;
    const QByteArray json = R"({"event":"close","code":1000,"reason":""})";
    QCOMPARE(record.appendEvent(5, 3, SessionEventKind::Close, json), qsizetype(0));
    const RecordEntry &entry = record.entry(0);
    QCOMPARE(entry.type, RecordType::SessionEvent);
    QCOMPARE(entry.group, quint32(SessionEventKind::Close));
    QCOMPARE(entry.generation, quint16(3));
    QCOMPARE(record.data(entry), QByteArrayView(json));
    QVERIFY(record.wire(entry).isEmpty());
    QVERIFY(record.inflated(entry).isEmpty());
    QCOMPARE(record.payload(entry), json);
    QVERIFY(SessionRecord::nowUs() > 1'600'000'000'000'000LL);
}

void TestSessionRecord::largePayloadsGetTheirOwnChunk()
{
    SessionRecord record;
    QByteArray storage;
    record.appendFrame(1, 1, binaryFrame(storage, "small"));
    const quint64 before = record.allocatedBytes();
    const QByteArray big(3 * 1024 * 1024, 'z');
    record.appendFrame(2, 1, binaryFrame(storage, big));
    const qsizetype wireSize = storage.size();
    QCOMPARE(record.allocatedBytes() - before, quint64(wireSize));
    record.appendFrame(3, 1, binaryFrame(storage, "after")); // still packed in the shared chunk
    QCOMPARE(record.allocatedBytes() - before, quint64(wireSize));
    QCOMPARE(record.payload(record.entry(1)), big);
    QCOMPARE(record.payload(record.entry(2)), QByteArray("after"));
}

void TestSessionRecord::readerSeesConsistentRowsWhileAppending()
{
    constexpr qsizetype Rows = 300'000; // 18 chunks of rows, 2 chunks of bytes
    constexpr qsizetype PayloadSize = 16;
    SessionRecord record;
    std::atomic<bool> failed { false };
    std::atomic<qsizetype> checked { 0 };

    std::thread reader([&] {
        qsizetype next = 0;
        while (next < Rows && !failed.load()) {
            const qsizetype size = record.size();
            for (; next < size; ++next) {
                const RecordEntry &entry = record.entry(next);
                const QByteArray expected = indexPayload(next, PayloadSize);
                if (entry.timeUs != next || record.payload(entry) != expected
                    || entry.dataSize != 2 + PayloadSize) {
                    failed = true;
                    break;
                }
            }
            checked = next;
        }
    });
    QByteArray storage;
    for (qsizetype i = 0; i < Rows; ++i)
        QCOMPARE(record.appendFrame(i, 1, binaryFrame(storage, indexPayload(i, PayloadSize))), i);
    reader.join();
    QVERIFY(!failed);
    QCOMPARE(checked.load(), Rows);
}

void TestSessionRecord::memoryPerRow()
{
    constexpr qsizetype Rows = 1'000'000;
    SessionRecord record;
    QByteArray storage;
    const QByteArray payload(8, 'm');
    const FrameView frame = binaryFrame(storage, payload);
    for (qsizetype i = 0; i < Rows; ++i)
        record.appendFrame(i, 1, frame);
    QCOMPARE(record.size(), Rows);
    QCOMPARE(record.payloadBytes(), quint64(Rows * 10));
    // 32 bytes of row, 10 bytes of frame, and the unused tail of the last chunks.
    const double perRow = double(record.allocatedBytes()) / double(Rows);
    QVERIFY2(perRow < 48.0, qPrintable(QString::number(perRow)));
    QVERIFY(perRow >= 42.0);
}

QTEST_APPLESS_MAIN(TestSessionRecord)
#include "tst_sessionrecord.moc"
