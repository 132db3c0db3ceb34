// PayloadCodec: turning what was typed into message bytes, or naming the position of the error.
#include "ui/PayloadCodec.h"

#include <QTest>

using namespace duplex;

class TestPayloadCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void json_data();
    void json();
    void jsonKeepsTheBytesAsTyped();
    void prettyKeepsOrderAndNumbers();
    void compact();
    void hex_data();
    void hex();
    void base64_data();
    void base64();
    void toHex();
};

void TestPayloadCodec::json_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    QTest::newRow("object") << QStringLiteral("{\"a\": 1}") << true << 0 << 0;
    QTest::newRow("array") << QStringLiteral("[1, 2, 3]") << true << 0 << 0;
    QTest::newRow("scalar number") << QStringLiteral("42") << true << 0 << 0;
    QTest::newRow("scalar string") << QStringLiteral("\"hi\"") << true << 0 << 0;
    QTest::newRow("unicode") << QStringLiteral("{\"k\": \"ünïcødé ✓\"}") << true << 0 << 0;
    QTest::newRow("empty") << QString() << false << 1 << 1;
    QTest::newRow("missing value") << QStringLiteral("{\n  \"a\": \n}") << false << 3 << 1;
    QTest::newRow("trailing comma") << QStringLiteral("[1, 2,]") << false << 1 << 7;
    QTest::newRow("unterminated") << QStringLiteral("{\"a\": 1") << false << 1 << 8;
    QTest::newRow("bad word") << QStringLiteral("{\"a\": nul}") << false << 1 << 7;
    QTest::newRow("after multibyte") << QStringLiteral("{\"é\": x}") << false << 1 << 7;
    QTest::newRow("two values") << QStringLiteral("{} {}") << false << 1 << 4;
}

void TestPayloadCodec::json()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, line);
    QFETCH(int, column);
    const PayloadParse result = PayloadCodec::parseJson(text);
    QCOMPARE(result.ok, ok);
    if (!ok) {
        QCOMPARE(result.line, line);
        QCOMPARE(result.column, column);
        QVERIFY2(
            result.error.startsWith(QStringLiteral("Line %1, column %2: ").arg(line).arg(column)),
            qPrintable(result.error));
    }
}

void TestPayloadCodec::jsonKeepsTheBytesAsTyped()
{
    const QString text = QStringLiteral("{ \"b\": 1.0, \"a\": 10000000000000000001 }");
    QCOMPARE(PayloadCodec::parseJson(text).bytes, text.toUtf8());
}

void TestPayloadCodec::prettyKeepsOrderAndNumbers()
{
    const QString pretty =
        PayloadCodec::prettyJson(QStringLiteral("{\"z\":1.50,\"a\":[1,{},[]],\"s\":\"x,y:{\"}"));
    QCOMPARE(
        pretty,
        QStringLiteral(
            "{\n  \"z\": 1.50,\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n  \"s\": \"x,y:{\"\n}"));
    QVERIFY(PayloadCodec::prettyJson(QStringLiteral("{oops")).isEmpty());
}

void TestPayloadCodec::compact()
{
    QCOMPARE(
        PayloadCodec::compactJson(QStringLiteral("{\n  \"a\" : [ 1 , 2 ],\n \"b\": \"x y\"\n}")),
        QStringLiteral("{\"a\":[1,2],\"b\":\"x y\"}"));
}

void TestPayloadCodec::hex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("errorColumn");

    QTest::newRow("spaced") << QStringLiteral("de ad be ef") << QByteArray::fromHex("deadbeef")
                            << 0;
    QTest::newRow("packed") << QStringLiteral("DEADbeef") << QByteArray::fromHex("deadbeef") << 0;
    QTest::newRow("0x prefixes") << QStringLiteral("0x01, 0x02,0xff")
                                 << QByteArray::fromHex("0102ff") << 0;
    QTest::newRow("colons") << QStringLiteral("01:02:03") << QByteArray::fromHex("010203") << 0;
    QTest::newRow("lines") << QStringLiteral("00 01\n02 03") << QByteArray::fromHex("00010203")
                           << 0;
    QTest::newRow("empty") << QString() << QByteArray() << 0;
    QTest::newRow("odd") << QStringLiteral("01 2 03") << QByteArray() << 4;
    QTest::newRow("not hex") << QStringLiteral("01 zz") << QByteArray() << 4;
    QTest::newRow("dangling 0x") << QStringLiteral("0x") << QByteArray() << 3;
}

void TestPayloadCodec::hex()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    QFETCH(int, errorColumn);
    const PayloadParse result = PayloadCodec::parseHex(text);
    QCOMPARE(result.ok, errorColumn == 0);
    if (result.ok)
        QCOMPARE(result.bytes, bytes);
    else
        QCOMPARE(result.column, errorColumn);
}

void TestPayloadCodec::base64_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("padded") << QStringLiteral("SGVsbG8=") << true << QByteArray("Hello");
    QTest::newRow("unpadded") << QStringLiteral("SGVsbG8") << true << QByteArray("Hello");
    QTest::newRow("url-safe") << QStringLiteral("-_8") << true << QByteArray::fromHex("fbff");
    QTest::newRow("wrapped") << QStringLiteral("SGVs\nbG8=") << true << QByteArray("Hello");
    QTest::newRow("bad char") << QStringLiteral("SGV*bG8=") << false << QByteArray();
    QTest::newRow("mixed alphabets") << QStringLiteral("+-AA") << false << QByteArray();
    QTest::newRow("one char too many") << QStringLiteral("SGVsb") << false << QByteArray();
    QTest::newRow("after padding") << QStringLiteral("SG==VsbG8") << false << QByteArray();
}

void TestPayloadCodec::base64()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QByteArray, bytes);
    const PayloadParse result = PayloadCodec::parseBase64(text);
    QCOMPARE(result.ok, ok);
    if (ok)
        QCOMPARE(result.bytes, bytes);
    else
        QVERIFY(!result.error.isEmpty());
}

void TestPayloadCodec::toHex()
{
    QCOMPARE(PayloadCodec::toHex(QByteArray::fromHex("0001ff")), QStringLiteral("00 01 ff"));
    QCOMPARE(PayloadCodec::toHex(QByteArray::fromHex("00010203"), 2),
             QStringLiteral("00 01\n02 03"));
}

QTEST_APPLESS_MAIN(TestPayloadCodec)
#include "tst_payloadcodec.moc"
