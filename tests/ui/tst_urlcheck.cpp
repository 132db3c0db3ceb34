// UrlCheck: what the request bar says about a URL as it is typed.
#include "ui/UrlCheck.h"

#include <QTest>

using namespace duplex;

class TestUrlCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data();
    void verdicts();
};

void TestUrlCheck::verdicts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("suggestion");

    const int empty = int(UrlCheck::Verdict::Empty);
    const int valid = int(UrlCheck::Verdict::Valid);
    const int invalid = int(UrlCheck::Verdict::Invalid);
    QTest::newRow("empty") << QString() << empty << QString() << QString();
    QTest::newRow("blank") << QStringLiteral("   ") << empty << QString() << QString();
    QTest::newRow("ws") << QStringLiteral("ws://localhost:8080/socket") << valid << QString()
                        << QString();
    QTest::newRow("wss") << QStringLiteral("wss://echo.example.com/") << valid << QString()
                         << QString();
    QTest::newRow("ipv6") << QStringLiteral("ws://[::1]:9001/x?y=1") << valid << QString()
                          << QString();
    QTest::newRow("spaces around")
        << QStringLiteral("  ws://h/  ") << valid << QString() << QString();
    QTest::newRow("user info") << QStringLiteral("ws://user:pw@host:81/") << valid << QString()
                               << QString();
    QTest::newRow("upper-case scheme")
        << QStringLiteral("WS://host/") << valid << QString() << QString();
    QTest::newRow("http") << QStringLiteral("http://example.com/socket") << invalid
                          << QStringLiteral("use ws://")
                          << QStringLiteral("ws://example.com/socket");
    QTest::newRow("https") << QStringLiteral("https://example.com/") << invalid
                           << QStringLiteral("use wss://") << QStringLiteral("wss://example.com/");
    QTest::newRow("no scheme") << QStringLiteral("localhost:8080/chat") << invalid
                               << QStringLiteral("needs a scheme")
                               << QStringLiteral("ws://localhost:8080/chat");
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/") << invalid
                         << QStringLiteral("Unsupported scheme \"ftp\"") << QString();
    QTest::newRow("no host") << QStringLiteral("ws:///path") << invalid << QStringLiteral("no host")
                             << QString();
    QTest::newRow("port too big") << QStringLiteral("ws://host:70000/") << invalid
                                  << QStringLiteral("port must be a number from 1 to 65535")
                                  << QString();
    QTest::newRow("port not a number")
        << QStringLiteral("ws://host:80a/") << invalid << QStringLiteral("port") << QString();
    QTest::newRow("space inside") << QStringLiteral("ws://host/a b") << invalid
                                  << QStringLiteral("contains a space") << QString();
    QTest::newRow("fragment") << QStringLiteral("ws://host/a#frag") << invalid
                              << QStringLiteral("#fragment") << QStringLiteral("ws://host/a");
    QTest::newRow("garbage") << QStringLiteral("/just/a/path") << invalid
                             << QStringLiteral("should start with ws://") << QString();
}

void TestUrlCheck::verdicts()
{
    QFETCH(QString, text);
    QFETCH(int, verdict);
    QFETCH(QString, messagePart);
    QFETCH(QString, suggestion);

    const UrlCheck check = UrlCheck::of(text);
    QCOMPARE(int(check.verdict), verdict);
    if (!messagePart.isEmpty())
        QVERIFY2(check.message.contains(messagePart), qPrintable(check.message));
    QCOMPARE(check.suggestion, suggestion);
    if (check.isValid())
        QVERIFY(check.url.isValid());
}

QTEST_APPLESS_MAIN(TestUrlCheck)
#include "tst_urlcheck.moc"
