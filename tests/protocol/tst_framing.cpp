// The frame header codec and masking: RFC 6455 section 5.7 vectors, every length encoding,
// the encoding rules a header can break, and the vectorised mask against the byte loop.

#include "core/protocol/FrameHeader.h"
#include "core/protocol/MaskKeySource.h"
#include "core/protocol/Masking.h"

#include <QRandomGenerator>
#include <QTest>

using namespace duplex;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

QByteArray encode(const FrameHeader &header)
{
    QByteArray out(MaxFrameHeaderSize, '\0');
    out.resize(encodeFrameHeader(header, out.data()));
    return out;
}

} // namespace

class TestFraming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcHeaders_data();
    void rfcHeaders();
    void lengthEncodings_data();
    void lengthEncodings();
    void needsWholeHeader();
    void encodingViolations_data();
    void encodingViolations();
    void layout();
    void rfcMaskedHello();
    void maskMatchesByteLoop();
    void maskInPiecesMatchesWhole();
    void maskKeysDiffer();
};

void TestFraming::rfcHeaders_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<quint64>("length");
    QTest::addColumn<int>("headerSize");
    QTest::newRow("unmasked text") << hex("8105") << true << 1 << false << quint64(5) << 2;
    QTest::newRow("masked text") << hex("818537fa213d") << true << 1 << true << quint64(5) << 6;
    QTest::newRow("first fragment") << hex("0103") << false << 1 << false << quint64(3) << 2;
    QTest::newRow("last fragment") << hex("8002") << true << 0 << false << quint64(2) << 2;
    QTest::newRow("unmasked ping") << hex("8905") << true << 9 << false << quint64(5) << 2;
    QTest::newRow("masked pong") << hex("8a8537fa213d") << true << 10 << true << quint64(5) << 6;
    QTest::newRow("256 bytes") << hex("827e0100") << true << 2 << false << quint64(256) << 4;
    QTest::newRow("64 KiB") << hex("827f0000000000010000") << true << 2 << false << quint64(65536)
                            << 10;
}

void TestFraming::rfcHeaders()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, fin);
    QFETCH(int, opcode);
    QFETCH(bool, masked);
    QFETCH(quint64, length);
    QFETCH(int, headerSize);
    const HeaderParse parsed = parseFrameHeader(bytes);
    QCOMPARE(parsed.status, HeaderParse::Status::Complete);
    QCOMPARE(parsed.headerSize, headerSize);
    QCOMPARE(parsed.header.fin, fin);
    QCOMPARE(int(parsed.header.opcode), opcode);
    QCOMPARE(parsed.header.masked, masked);
    QCOMPARE(parsed.header.payloadLength, length);
    QCOMPARE(parsed.header.size(), headerSize);
    QCOMPARE(encode(parsed.header), bytes);
}

void TestFraming::lengthEncodings_data()
{
    QTest::addColumn<quint64>("length");
    QTest::addColumn<int>("extended");
    for (const quint64 length : { 0ULL, 1ULL, 125ULL })
        QTest::addRow("%llu", length) << length << 0;
    for (const quint64 length : { 126ULL, 127ULL, 65535ULL })
        QTest::addRow("%llu", length) << length << 2;
    for (const quint64 length : { 65536ULL, 1ULL << 32, (1ULL << 63) - 1 })
        QTest::addRow("%llu", length) << length << 8;
}

void TestFraming::lengthEncodings()
{
    QFETCH(quint64, length);
    QFETCH(int, extended);
    for (const bool masked : { false, true }) {
        FrameHeader header;
        header.opcode = Opcode::Binary;
        header.fin = false;
        header.rsv1 = true;
        header.rsv3 = true;
        header.masked = masked;
        if (masked)
            header.maskKey = { 1, 2, 3, 4 };
        header.payloadLength = length;
        QCOMPARE(header.extendedLengthSize(), extended);
        const QByteArray bytes = encode(header);
        QCOMPARE(bytes.size(), 2 + extended + (masked ? 4 : 0));
        const HeaderParse parsed = parseFrameHeader(bytes);
        QCOMPARE(parsed.status, HeaderParse::Status::Complete);
        QVERIFY(parsed.header == header);
    }
}

void TestFraming::needsWholeHeader()
{
    const QByteArray bytes = hex("82ff00000000000100000a0b0c0d");
    for (qsizetype size = 0; size < bytes.size(); ++size) {
        const HeaderParse parsed = parseFrameHeader(QByteArrayView(bytes).first(size));
        QCOMPARE(parsed.status, HeaderParse::Status::NeedMore);
        QCOMPARE(parsed.bytesNeeded, size < 2 ? 2 : 14);
    }
    QCOMPARE(parseFrameHeader(bytes).status, HeaderParse::Status::Complete);
}

void TestFraming::encodingViolations_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<ProtocolError>("error");
    QTest::newRow("16-bit length 0") << hex("827e0000") << ProtocolError::NonMinimalLength;
    QTest::newRow("16-bit length 125") << hex("827e007d") << ProtocolError::NonMinimalLength;
    QTest::newRow("64-bit length 125")
        << hex("827f000000000000007d") << ProtocolError::NonMinimalLength;
    QTest::newRow("64-bit length 65535")
        << hex("827f000000000000ffff") << ProtocolError::NonMinimalLength;
    QTest::newRow("64-bit top bit")
        << hex("827f8000000000000000") << ProtocolError::LengthTopBitSet;
    QTest::newRow("64-bit all ones")
        << hex("827fffffffffffffffff") << ProtocolError::LengthTopBitSet;
}

void TestFraming::encodingViolations()
{
    QFETCH(QByteArray, bytes);
    QFETCH(ProtocolError, error);
    const HeaderParse parsed = parseFrameHeader(bytes);
    QCOMPARE(parsed.status, HeaderParse::Status::Invalid);
    QCOMPARE(parsed.error, error);
}

void TestFraming::layout()
{
    FrameHeader header;
    header.masked = true;
    header.payloadLength = 300;
    const FrameLayout layout = layoutOf(header);
    QCOMPARE(layout.flagsAndOpcode, (ByteRange { 0, 1 }));
    QCOMPARE(layout.maskAndLength, (ByteRange { 1, 1 }));
    QCOMPARE(layout.extendedLength, (ByteRange { 2, 2 }));
    QCOMPARE(layout.maskKey, (ByteRange { 4, 4 }));
    QCOMPARE(layout.payload, (ByteRange { 8, 300 }));
    header.masked = false;
    header.payloadLength = 5;
    QCOMPARE(layoutOf(header).extendedLength.length, 0);
    QCOMPARE(layoutOf(header).maskKey.length, 0);
    QCOMPARE(layoutOf(header).payload, (ByteRange { 2, 5 }));
}

void TestFraming::rfcMaskedHello()
{
    QByteArray payload = "Hello";
    const MaskKey key { 0x37, 0xfa, 0x21, 0x3d };
    applyMask(payload.data(), payload.size(), key);
    QCOMPARE(payload, hex("7f9f4d5158"));
    QByteArray copy(5, '\0');
    copyMasked(copy.data(), payload.constData(), 5, key);
    QCOMPARE(copy, QByteArray("Hello"));
}

void TestFraming::maskMatchesByteLoop()
{
    auto *random = QRandomGenerator::global();
    QByteArray storage(5000 + 64, Qt::Uninitialized);
    for (qsizetype i = 0; i < storage.size(); ++i)
        storage[i] = char(random->bounded(256));
    for (int size = 0; size <= 600; size += (size < 140 ? 1 : 37)) {
        for (int alignment = 0; alignment < 8; ++alignment) {
            for (quint64 offset = 0; offset < 4; ++offset) {
                const MaskKey key { quint8(random->bounded(256)), quint8(random->bounded(256)),
                                    quint8(random->bounded(256)), quint8(random->bounded(256)) };
                QByteArray fast = storage;
                QByteArray slow = storage;
                applyMask(fast.data() + alignment, size, key, offset);
                applyMaskBytewise(slow.data() + alignment, size, key, offset);
                QVERIFY2(fast == slow,
                         qPrintable(QStringLiteral("size %1 alignment %2 offset %3")
                                        .arg(size)
                                        .arg(alignment)
                                        .arg(offset)));
                QByteArray copied(storage.size(), '\0');
                copyMasked(copied.data(), storage.constData() + alignment, size, key, offset);
                QVERIFY(QByteArrayView(copied).first(size)
                        == QByteArrayView(slow).sliced(alignment, size));
            }
        }
    }
}

void TestFraming::maskInPiecesMatchesWhole()
{
    QByteArray whole(1 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < whole.size(); ++i)
        whole[i] = char(i * 7);
    const MaskKey key { 0xde, 0xad, 0xbe, 0xef };
    QByteArray pieces = whole;
    applyMask(whole.data(), whole.size(), key);
    qsizetype offset = 0;
    for (const qsizetype piece : { 1, 3, 7, 64, 1000, 65537, 3 }) {
        applyMask(pieces.data() + offset, piece, key, quint64(offset));
        offset += piece;
    }
    applyMask(pieces.data() + offset, pieces.size() - offset, key, quint64(offset));
    QVERIFY(whole == pieces);
}

void TestFraming::maskKeysDiffer()
{
    MaskKeySource source;
    QSet<quint32> seen;
    for (int i = 0; i < 2000; ++i) {
        const MaskKey key = source.next();
        seen.insert(quint32(key[0]) | quint32(key[1]) << 8 | quint32(key[2]) << 16
                    | quint32(key[3]) << 24);
    }
    // 2000 draws from 2^32 values: a repeat is a one-in-two-thousand event at most.
    QVERIFY(seen.size() >= 1999);
}

QTEST_APPLESS_MAIN(TestFraming)
#include "tst_framing.moc"
