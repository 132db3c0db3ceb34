#include "core/protocol/ExtensionHeader.h"

#include <QTest>

using namespace duplex;

namespace {

ExtensionParameter flag(const char *name)
{
    return { QByteArray(name), std::nullopt };
}

ExtensionParameter param(const char *name, const char *value)
{
    return { QByteArray(name), QByteArray(value) };
}

ExtensionElement element(const char *name, QList<ExtensionParameter> parameters = {})
{
    return { QByteArray(name), std::move(parameters) };
}

} // namespace

class TestExtensionHeader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidLists_data();
    void parsesValidLists();
    void rejectsMalformedLists_data();
    void rejectsMalformedLists();
    void combinesHeaderLines();
    void namesTheLineOfAnError();
    void errorKeepsWhatWasRead();
    void writesCanonicalForm_data();
    void writesCanonicalForm();
};

void TestExtensionHeader::parsesValidLists_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QList<ExtensionElement>>("expected");

    QTest::newRow("empty value") << QByteArray() << QList<ExtensionElement> {};
    QTest::newRow("blank value") << QByteArray(" \t ") << QList<ExtensionElement> {};
    QTest::newRow("only commas") << QByteArray(" , ,, ") << QList<ExtensionElement> {};
    QTest::newRow("bare name") << QByteArray("permessage-deflate")
                               << QList { element("permessage-deflate") };
    QTest::newRow("flag parameter")
        << QByteArray("permessage-deflate; client_max_window_bits")
        << QList { element("permessage-deflate", { flag("client_max_window_bits") }) };
    QTest::newRow("token value") << QByteArray("permessage-deflate; server_max_window_bits=10")
                                 << QList { element("permessage-deflate",
                                                    { param("server_max_window_bits", "10") }) };
    QTest::newRow("quoted value") << QByteArray("permessage-deflate; server_max_window_bits=\"10\"")
                                  << QList { element("permessage-deflate",
                                                     { param("server_max_window_bits", "10") }) };
    QTest::newRow("quoted value with escapes")
        << QByteArray("x; a=\"\\1\\0\"") << QList { element("x", { param("a", "10") }) };
    QTest::newRow("no whitespace")
        << QByteArray("a;b;c=1,d")
        << QList { element("a", { flag("b"), param("c", "1") }), element("d") };
    QTest::newRow("whitespace everywhere")
        << QByteArray(" \ta \t; \tb \t= \t1 \t, \tc\t ")
        << QList { element("a", { param("b", "1") }), element("c") };
    QTest::newRow("RFC 7692 fallback offer")
        << QByteArray("permessage-deflate; client_max_window_bits; server_max_window_bits=10, "
                      "permessage-deflate; client_max_window_bits")
        << QList { element(
                       "permessage-deflate",
                       { flag("client_max_window_bits"), param("server_max_window_bits", "10") }),
                   element("permessage-deflate", { flag("client_max_window_bits") }) };
    QTest::newRow("empty elements skipped")
        << QByteArray(", a ,, b ,") << QList { element("a"), element("b") };
    QTest::newRow("every tchar") << QByteArray("!#$%&'*+-.^_`|~09AZaz; x=!#$%&'*+-.^_`|~09AZaz")
                                 << QList { element("!#$%&'*+-.^_`|~09AZaz",
                                                    { param("x", "!#$%&'*+-.^_`|~09AZaz") }) };
    QTest::newRow("parameter twice is kept (extensions judge)")
        << QByteArray("a; b; b=2") << QList { element("a", { flag("b"), param("b", "2") }) };
    QTest::newRow("case kept") << QByteArray("PerMessage-Deflate; Client_Max_Window_Bits")
                               << QList { element("PerMessage-Deflate",
                                                  { flag("Client_Max_Window_Bits") }) };
    QTest::newRow("unknown extensions too")
        << QByteArray("x-webkit-deflate-frame, mux; max-channels=4; flow-control")
        << QList { element("x-webkit-deflate-frame"),
                   element("mux", { param("max-channels", "4"), flag("flow-control") }) };
}

void TestExtensionHeader::parsesValidLists()
{
    QFETCH(QByteArray, value);
    QFETCH(QList<ExtensionElement>, expected);

    const ExtensionList list = parseExtensionList(value);
    QVERIFY2(list.ok(), qPrintable(list.error));
    QCOMPARE(list.elements.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(list.elements[i].name, expected[i].name);
        QCOMPARE(list.elements[i].parameters.size(), expected[i].parameters.size());
        for (qsizetype j = 0; j < expected[i].parameters.size(); ++j) {
            QCOMPARE(list.elements[i].parameters[j].name, expected[i].parameters[j].name);
            QCOMPARE(list.elements[i].parameters[j].value, expected[i].parameters[j].value);
        }
    }
    QVERIFY(list.elements == expected);
}

void TestExtensionHeader::rejectsMalformedLists_data()
{
    QTest::addColumn<QByteArray>("value");
    // Fragments the error must contain: the offset, and what was found there.
    QTest::addColumn<QStringList>("mentions");

    const auto row = [](const char *name, const char *value, QStringList mentions) {
        QTest::newRow(name) << QByteArray(value) << mentions;
    };
    row("leading semicolon", "; a", { QStringLiteral("offset 0"), QStringLiteral("\";") });
    row("trailing semicolon", "a;",
        { QStringLiteral("offset 2"), QStringLiteral("parameter name"),
          QStringLiteral("end of the value") });
    row("missing parameter name", "a; =1",
        { QStringLiteral("offset 3"), QStringLiteral("parameter name") });
    row("missing value", "a; b=", { QStringLiteral("offset 5"), QStringLiteral("\"b\"") });
    row("missing value before comma", "a; b= , c",
        { QStringLiteral("offset 6"), QStringLiteral("\", c\"") });
    row("space inside a name", "a b", { QStringLiteral("offset 2"), QStringLiteral("\"b\"") });
    row("space inside a parameter name", "a; b c",
        { QStringLiteral("offset 5"), QStringLiteral("\"c\"") });
    row("two equals signs", "a; b=1=2", { QStringLiteral("offset 6"), QStringLiteral("\"=2\"") });
    row("separator in a name", "a@b", { QStringLiteral("offset 1"), QStringLiteral("\"@b\"") });
    row("slash in a value", "a; b=1/2", { QStringLiteral("offset 6") });
    row("quoted name", "\"a\"", { QStringLiteral("offset 0"), QStringLiteral("extension name") });
    row("quoted parameter name", "a; \"b\"=1", { QStringLiteral("offset 3") });
    row("unterminated quoted-string", "a; b=\"10",
        { QStringLiteral("offset 5"), QStringLiteral("no closing quote") });
    row("escape at the end", "a; b=\"1\\", { QStringLiteral("no closing quote") });
    row("quoted value with a space", "a; b=\"1 0\"",
        { QStringLiteral("offset 5"), QStringLiteral("not a token") });
    row("quoted value empty", "a; b=\"\"", { QStringLiteral("not a token") });
    row("quoted value with a comma", "a; b=\"1,0\"", { QStringLiteral("not a token") });
    row("control character in a quoted-string", "a; b=\"1\x01\"",
        { QStringLiteral("offset 7"), QStringLiteral("\\x01") });
    row("control character between elements", "a,\x7f b",
        { QStringLiteral("offset 2"), QStringLiteral("\\x7f") });
    row("newline", "a;\r\n b", { QStringLiteral("offset 2"), QStringLiteral("\\x0d\\x0a") });
    row("non-ASCII name",
        "d\xc3\xa9"
        "flate",
        { QStringLiteral("offset 1"), QStringLiteral("\\xc3\\xa9") });
    row("element after garbage", "a, b c, d", { QStringLiteral("offset 5") });
    row("semicolon after comma", "a,;b", { QStringLiteral("offset 2") });
}

void TestExtensionHeader::rejectsMalformedLists()
{
    QFETCH(QByteArray, value);
    QFETCH(QStringList, mentions);

    const ExtensionList list = parseExtensionList(value);
    QVERIFY(!list.ok());
    for (const QString &mention : mentions)
        QVERIFY2(list.error.contains(mention), qPrintable(list.error));
}

void TestExtensionHeader::combinesHeaderLines()
{
    const ExtensionList list = parseExtensionList(
        QList<QByteArray> { QByteArrayLiteral("permessage-deflate; client_max_window_bits"),
                            QByteArray(), QByteArrayLiteral("x-a, x-b; p=\"1\"") });
    QVERIFY2(list.ok(), qPrintable(list.error));
    const QList expected {
        element("permessage-deflate", { flag("client_max_window_bits") }),
        element("x-a"),
        element("x-b", { param("p", "1") }),
    };
    QVERIFY(list.elements == expected);
}

void TestExtensionHeader::namesTheLineOfAnError()
{
    const ExtensionList list =
        parseExtensionList(QList<QByteArray> { QByteArrayLiteral("a"), QByteArrayLiteral("b;") });
    QVERIFY(!list.ok());
    QVERIFY2(list.error.startsWith(QStringLiteral("header line 2, offset 2")),
             qPrintable(list.error));
    QCOMPARE(list.elements.size(), 1);
}

void TestExtensionHeader::errorKeepsWhatWasRead()
{
    const ExtensionList list = parseExtensionList("a; x=1, b, c d; e");
    QVERIFY(!list.ok());
    const QList expected { element("a", { param("x", "1") }), element("b"), element("c") };
    QVERIFY(list.elements == expected);
}

void TestExtensionHeader::writesCanonicalForm_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("canonical");

    QTest::newRow("bare") << QByteArray("a") << QByteArray("a");
    QTest::newRow("spaced") << QByteArray("  a ;b;  c = 1 ,d") << QByteArray("a; b; c=1, d");
    QTest::newRow("quoted becomes token")
        << QByteArray("permessage-deflate;server_max_window_bits=\"9\"")
        << QByteArray("permessage-deflate; server_max_window_bits=9");
    QTest::newRow("empty elements dropped") << QByteArray(",a,,b,") << QByteArray("a, b");
}

void TestExtensionHeader::writesCanonicalForm()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, canonical);

    const ExtensionList list = parseExtensionList(value);
    QVERIFY2(list.ok(), qPrintable(list.error));
    QCOMPARE(list.toHeaderValue(), canonical);
    // The canonical form reads back as the same list.
    const ExtensionList again = parseExtensionList(canonical);
    QVERIFY(again.ok());
    QVERIFY(again.elements == list.elements);
    if (!list.elements.isEmpty())
        QCOMPARE(list.elements.first().toHeaderValue(), canonical.split(',').first());
}

QTEST_APPLESS_MAIN(TestExtensionHeader)
#include "tst_extensionheader.moc"
