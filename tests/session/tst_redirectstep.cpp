// RedirectStep is pure: where a 3xx answer to the opening handshake leads, or why not.

#include "core/session/RedirectStep.h"

#include <QTest>

using namespace duplex;

class TestRedirectStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redirectStatuses_data();
    void redirectStatuses();
    void followsRelativeAndAbsoluteLocations();
    void mapsHttpSchemesToWebSocketSchemes();
    void stopsAfterMaxHops();
    void explainsAMissingLocation();
};

void TestRedirectStep::redirectStatuses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("redirect");
    for (int status : { 301, 302, 303, 307, 308 })
        QTest::addRow("%d", status) << status << true;
    for (int status : { 101, 200, 300, 304, 305, 400, 404, 500 })
        QTest::addRow("%d", status) << status << false;
}

void TestRedirectStep::redirectStatuses()
{
    QFETCH(int, status);
    QFETCH(bool, redirect);
    QCOMPARE(RedirectStep::isRedirectStatus(status), redirect);
}

void TestRedirectStep::followsRelativeAndAbsoluteLocations()
{
    const WebSocketUrl from = WebSocketUrl::fromText(QStringLiteral("ws://example.com:8080/a/b"));
    const RedirectStep relative = RedirectStep::decide(from, 302, "/c?x=1", 0, RedirectOptions {});
    QVERIFY2(relative.follows(), qPrintable(relative.error));
    QCOMPARE(relative.next.host, QByteArray("example.com"));
    QCOMPARE(relative.next.port, quint16(8080));
    QCOMPARE(relative.next.resource, QByteArray("/c?x=1"));

    const RedirectStep absolute =
        RedirectStep::decide(from, 301, "wss://other.example.org/d", 2, RedirectOptions {});
    QVERIFY2(absolute.follows(), qPrintable(absolute.error));
    QVERIFY(absolute.next.secure);
    QCOMPARE(absolute.next.host, QByteArray("other.example.org"));
    QCOMPARE(absolute.next.port, quint16(443));
    QCOMPARE(absolute.next.resource, QByteArray("/d"));
}

void TestRedirectStep::mapsHttpSchemesToWebSocketSchemes()
{
    const WebSocketUrl from = WebSocketUrl::fromText(QStringLiteral("ws://example.com/"));
    const RedirectStep step =
        RedirectStep::decide(from, 307, "https://secure.example.com/ws", 0, RedirectOptions {});
    QVERIFY2(step.follows(), qPrintable(step.error));
    QVERIFY(step.next.secure);
    QCOMPARE(step.next.url.scheme(), QStringLiteral("wss"));
}

void TestRedirectStep::stopsAfterMaxHops()
{
    const WebSocketUrl from = WebSocketUrl::fromText(QStringLiteral("ws://example.com/"));
    RedirectOptions options;
    options.maxHops = 2;
    QVERIFY(RedirectStep::decide(from, 302, "/next", 1, options).follows());
    const RedirectStep step = RedirectStep::decide(from, 302, "/next", 2, options);
    QVERIFY(!step.follows());
    QCOMPARE(step.error,
             QStringLiteral("handshake: more than 2 redirects; the last one (302) pointed to "
                            "/next"));
}

void TestRedirectStep::explainsAMissingLocation()
{
    const WebSocketUrl from = WebSocketUrl::fromText(QStringLiteral("ws://example.com/start"));
    const RedirectStep step = RedirectStep::decide(from, 301, QByteArray(), 0, RedirectOptions {});
    QVERIFY(!step.follows());
    QCOMPARE(step.error,
             QStringLiteral("handshake: cannot follow the 301 redirect from "
                            "ws://example.com/start: the redirect has no Location header"));
}

QTEST_APPLESS_MAIN(TestRedirectStep)
#include "tst_redirectstep.moc"
