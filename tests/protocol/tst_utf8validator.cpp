// UTF-8 validation: the Unicode table 3-7 boundaries, failing at the first byte that makes the
// input impossible, any split, and a differential check of the vector path on long inputs.

#include "core/protocol/Utf8Validator.h"

#include <QRandomGenerator>
#include <QTest>

using namespace duplex;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

// An independent reference: decode each code point and check it against the rules.
bool referenceValid(QByteArrayView bytes)
{
    qsizetype i = 0;
    while (i < bytes.size()) {
        const auto lead = quint8(bytes[i]);
        int length = 0;
        quint32 codePoint = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > bytes.size())
            return false;
        for (int k = 1; k < length; ++k) {
            const auto next = quint8(bytes[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        static const quint32 minimum[] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (codePoint < minimum[length] || codePoint > 0x10FFFF
            || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

} // namespace

class TestUtf8Validator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data();
    void table();
    void failsAtFirstImpossibleByte_data();
    void failsAtFirstImpossibleByte();
    void longInputsMatchReference();
    void stateCarriesAcrossLongPieces();
};

void TestUtf8Validator::table_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ascii") << QByteArray("Hello, world") << true;
    QTest::newRow("kosme") << hex("cebae1bdb9cf83cebcceb5") << true;
    QTest::newRow("U+0080") << hex("c280") << true;
    QTest::newRow("U+07FF") << hex("dfbf") << true;
    QTest::newRow("U+0800") << hex("e0a080") << true;
    QTest::newRow("U+D7FF") << hex("ed9fbf") << true;
    QTest::newRow("U+E000") << hex("ee8080") << true;
    QTest::newRow("U+FFFF") << hex("efbfbf") << true;
    QTest::newRow("U+10000") << hex("f0908080") << true;
    QTest::newRow("U+10FFFF") << hex("f48fbfbf") << true;
    QTest::newRow("U+FFFE noncharacter is valid") << hex("efbfbe") << true;
    QTest::newRow("overlong slash 2") << hex("c0af") << false;
    QTest::newRow("overlong slash 3") << hex("e080af") << false;
    QTest::newRow("overlong slash 4") << hex("f08080af") << false;
    QTest::newRow("overlong U+07FF in 3") << hex("e09fbf") << false;
    QTest::newRow("c1") << hex("c1bf") << false;
    QTest::newRow("surrogate D800") << hex("eda080") << false;
    QTest::newRow("surrogate DFFF") << hex("edbfbf") << false;
    QTest::newRow("surrogate pair") << hex("eda0bdedb2a9") << false;
    QTest::newRow("U+110000") << hex("f4908080") << false;
    QTest::newRow("f5") << hex("f5808080") << false;
    QTest::newRow("5-byte form") << hex("f888808080") << false;
    QTest::newRow("6-byte form") << hex("fc8480808080") << false;
    QTest::newRow("fe") << hex("fe") << false;
    QTest::newRow("ff") << hex("ff") << false;
    QTest::newRow("lone continuation") << hex("80") << false;
    QTest::newRow("truncated 2") << hex("c2") << false;
    QTest::newRow("truncated 3") << hex("e282") << false;
    QTest::newRow("truncated 4") << hex("f09f98") << false;
    QTest::newRow("lead then ascii") << hex("e241") << false;
    QTest::newRow("valid then invalid") << QByteArray("abc") + hex("ff") + "def" << false;
}

void TestUtf8Validator::table()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(Utf8Validator::isValid(bytes), valid);
    QCOMPARE(referenceValid(bytes), valid);
    for (qsizetype split = 0; split <= bytes.size(); ++split) {
        Utf8Validator validator;
        const bool ok = validator.feed(QByteArrayView(bytes).first(split))
            && validator.feed(QByteArrayView(bytes).sliced(split)) && validator.isComplete();
        QCOMPARE(ok, valid);
    }
    // Padded to exercise the vector path with the case at the start, middle and end.
    const QByteArray padding(300, 'x');
    for (const QByteArray &padded : { bytes + padding, padding + bytes, padding + bytes + padding })
        QCOMPARE(Utf8Validator::isValid(padded), valid);
}

void TestUtf8Validator::failsAtFirstImpossibleByte_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("failsAt"); // index of the byte whose feed() returns false; -1: never
    QTest::newRow("c0 can never start") << QByteArray("ab") + hex("c0") << 2;
    QTest::newRow("e0 80") << hex("e080") << 1;
    QTest::newRow("ed a0") << hex("eda0") << 1;
    QTest::newRow("f4 90") << hex("f490") << 1;
    QTest::newRow("f0 8f") << hex("f08f") << 1;
    QTest::newRow("f5") << hex("f5") << 0;
    QTest::newRow("e2 82 then ascii") << hex("e28241") << 2;
    QTest::newRow("truncated never fails early") << hex("e282") << -1;
    QTest::newRow("kosme then bad") << hex("ceba") + hex("ff") << 2;
}

void TestUtf8Validator::failsAtFirstImpossibleByte()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, failsAt);
    Utf8Validator validator;
    int failedAt = -1;
    for (int i = 0; i < bytes.size(); ++i) {
        if (!validator.feed(QByteArrayView(bytes).sliced(i, 1))) {
            failedAt = i;
            break;
        }
    }
    QCOMPARE(failedAt, failsAt);
    QCOMPARE(validator.hasFailed(), failsAt >= 0);
}

void TestUtf8Validator::longInputsMatchReference()
{
    auto *random = QRandomGenerator::global();
    static const QByteArray valid[] = { "a",           "json\"{}",      hex("c3a9"),
                                        hex("e282ac"), hex("f09f9880"), hex("d0b6"),
                                        hex("e4b8ad"), hex("f48fbfbf"), hex("ed9fbf") };
    static const QByteArray invalid[] = { hex("c0af"),   hex("eda080"), hex("f4908080"),
                                          hex("ff"),     hex("80"),     hex("e282"),
                                          hex("f09f98"), hex("e080af"), hex("c2") };
    for (int round = 0; round < 3000; ++round) {
        QByteArray text;
        const int length = random->bounded(1, 1200);
        while (text.size() < length)
            text += valid[random->bounded(int(std::size(valid)))];
        const bool corrupt = random->bounded(2) == 1;
        if (corrupt) {
            const int at = random->bounded(int(text.size()) + 1);
            text.insert(at, invalid[random->bounded(int(std::size(invalid)))]);
        }
        const bool expected = referenceValid(text);
        QVERIFY2(Utf8Validator::isValid(text) == expected, text.toHex().constData());
        const qsizetype split = random->bounded(int(text.size()) + 1);
        Utf8Validator validator;
        const bool pieces = validator.feed(QByteArrayView(text).first(split))
            && validator.feed(QByteArrayView(text).sliced(split)) && validator.isComplete();
        QVERIFY2(pieces == expected, text.toHex().constData());
    }
}

void TestUtf8Validator::stateCarriesAcrossLongPieces()
{
    // A 4-byte sequence split across two 300-byte pieces, both long enough for the vector path (256
    // bytes and up).
    const QByteArray first = QByteArray(298, 'a') + hex("f09f");
    const QByteArray second = hex("9880") + QByteArray(298, 'b');
    Utf8Validator validator;
    QVERIFY(validator.feed(first));
    QVERIFY(!validator.isComplete());
    QVERIFY(validator.feed(second));
    QVERIFY(validator.isComplete());

    Utf8Validator broken;
    QVERIFY(broken.feed(first));
    QVERIFY(!broken.feed(QByteArray(300, 'c')));
}

QTEST_APPLESS_MAIN(TestUtf8Validator)
#include "tst_utf8validator.moc"
