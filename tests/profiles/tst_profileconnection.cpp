// ProfileConnection: the one mapping from a profile (with its {{variables}} filled) onto the
// options a ConnectionSession starts with, shared by duplex-cli and the window.
#include "core/session/ProfileConnection.h"
#include "core/session/VariableSubstitution.h"

#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

class TestProfileConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFieldMapsOntoTheSession();
    void closeCodeRangesBecomeCodes();
    void noMessageSizeLimit();
    void proxyDetailsOnlyForAProxy();
    void onConnectMessagesOfEveryKind();
    void refusesWithAReason_data();
    void refusesWithAReason();
    void variablesAreFilledFirst();
    void builtInVariables();
    void connectionProblemsLeaveNameAndTemplatesAlone();

private:
    static Profile sample();
};

Profile TestProfileConnection::sample()
{
    Profile p = Profile::create(QStringLiteral("Prices"));
    p.url = QStringLiteral("wss://stream.example.com:8443/v1?x=%41");
    p.headers = { { QStringLiteral("Authorization"), QStringLiteral("Bearer abc"), true, true },
                  { QStringLiteral("X-Off"), QStringLiteral("1"), false, false },
                  { QStringLiteral(" X-Trim "), QStringLiteral("v"), true, false } };
    p.subprotocols = { QStringLiteral("v2.prices"), QStringLiteral("v1.prices") };
    p.origin = QStringLiteral(" https://app.example.com ");
    p.deflate = { true, 12, 10, true, false };
    p.reconnect.enabled = true;
    p.reconnect.initialDelayMs = 250;
    p.reconnect.maxDelayMs = 8000;
    p.reconnect.multiplier = 1.5;
    p.reconnect.jitter = Profile::Jitter::Equal;
    p.reconnect.maxAttempts = 7;
    p.reconnect.resetAfterMs = 12000;
    p.keepalive = { 15000, 4000 };
    p.timeouts = { 3000, 4000, 2000 };
    p.redirects = { true, 3 };
    p.tls = { QStringLiteral("/ca.pem"), QString(), QString(), true };
    p.proxy = { Profile::ProxyType::Socks5, QStringLiteral(" proxy "), 1080, QStringLiteral("me"),
                QStringLiteral("pw") };
    p.maxMessageSize = 1234567;
    return p;
}

void TestProfileConnection::everyFieldMapsOntoTheSession()
{
    QStringList problems;
    const auto o = ProfileConnection::sessionOptions(sample(), &problems);
    QVERIFY2(o, qPrintable(problems.join(QLatin1Char('|'))));
    QCOMPARE(o->url.host(), QStringLiteral("stream.example.com"));
    QCOMPARE(o->resource, QByteArray("/v1?x=%41")); // byte for byte, as typed
    QCOMPARE(o->headers.size(), 2); // the disabled header is not sent
    QCOMPARE(o->headers.at(0).name, QByteArray("Authorization"));
    QCOMPARE(o->headers.at(0).value, QByteArray("Bearer abc"));
    QCOMPARE(o->headers.at(1).name, QByteArray("X-Trim"));
    QCOMPARE(o->subprotocols, (QList<QByteArray> { "v2.prices", "v1.prices" }));
    QCOMPARE(o->origin, QByteArray("https://app.example.com"));
    QVERIFY(o->deflate.enabled);
    QCOMPARE(o->deflate.clientMaxWindowBits, 12);
    QCOMPARE(o->deflate.serverMaxWindowBits, 10);
    QVERIFY(o->deflate.clientNoContextTakeover);
    QVERIFY(!o->deflate.serverNoContextTakeover);
    QVERIFY(o->reconnect.enabled);
    QCOMPARE(o->reconnect.backoff.initialDelayMs, qint64(250));
    QCOMPARE(o->reconnect.backoff.maxDelayMs, qint64(8000));
    QCOMPARE(o->reconnect.backoff.multiplier, 1.5);
    QCOMPARE(o->reconnect.backoff.jitter, Jitter::Equal);
    QCOMPARE(o->reconnect.backoff.maxAttempts, 7);
    QCOMPARE(o->reconnect.backoff.resetAfterMs, qint64(12000));
    QCOMPARE(o->keepalive.pingIntervalMs, 15000);
    QCOMPARE(o->keepalive.pongTimeoutMs, 4000);
    QCOMPARE(o->timeouts.connectMs, 3000);
    QCOMPARE(o->timeouts.handshakeMs, 4000);
    QCOMPARE(o->timeouts.closeMs, 2000);
    QVERIFY(o->redirects.follow);
    QCOMPARE(o->redirects.maxHops, 3);
    QCOMPARE(o->tls.caFiles, QStringList { QStringLiteral("/ca.pem") });
    QVERIFY(o->tls.allowInvalidCertificates);
    QCOMPARE(o->proxy.type, ProxyType::Socks5);
    QCOMPARE(o->proxy.host, QStringLiteral("proxy"));
    QCOMPARE(o->proxy.port, quint16(1080));
    QCOMPARE(o->proxy.user, QStringLiteral("me"));
    QCOMPARE(o->proxy.password, QStringLiteral("pw"));
    QCOMPARE(o->limits.maxMessageSize, quint64(1234567));
    QVERIFY(o->sendAfterOpen.isEmpty());
}

void TestProfileConnection::closeCodeRangesBecomeCodes()
{
    Profile p = sample();
    p.reconnect.closeCodes = { { 1000, 1001 }, { 1006, 1006 }, { 1008, 1008 }, { 4000, 4002 } };
    QStringList problems;
    const auto o = ProfileConnection::sessionOptions(p, &problems);
    QVERIFY(o);
    // 1000 and 1008 never reconnect, whatever a range says.
    QCOMPARE(o->reconnect.closeCodes, (QList<quint16> { 1001, 1006, 4000, 4001, 4002 }));
}

void TestProfileConnection::noMessageSizeLimit()
{
    Profile p = sample();
    p.maxMessageSize = 0;
    QStringList problems;
    const auto o = ProfileConnection::sessionOptions(p, &problems);
    QVERIFY(o);
    QCOMPARE(o->limits.maxMessageSize, std::numeric_limits<quint64>::max());
}

void TestProfileConnection::proxyDetailsOnlyForAProxy()
{
    Profile p = sample();
    p.proxy.type = Profile::ProxyType::None;
    QStringList problems;
    auto o = ProfileConnection::sessionOptions(p, &problems);
    QVERIFY(o);
    QCOMPARE(o->proxy.type, ProxyType::None);
    QVERIFY(o->proxy.host.isEmpty());
    p.proxy.type = Profile::ProxyType::System;
    QCOMPARE(ProfileConnection::sessionOptions(p, &problems)->proxy.type, ProxyType::System);
    p.proxy.type = Profile::ProxyType::Http;
    QCOMPARE(ProfileConnection::sessionOptions(p, &problems)->proxy.type, ProxyType::HttpConnect);
}

void TestProfileConnection::onConnectMessagesOfEveryKind()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("payload.bin"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x00\x01\x02", 3);
    }
    Profile p = sample();
    p.onConnectMessages = {
        { QStringLiteral("t"), Profile::TemplateKind::Text, QStringLiteral("hello") },
        { QStringLiteral("j"), Profile::TemplateKind::Json, QStringLiteral("{\"a\":1}") },
        { QStringLiteral("h"), Profile::TemplateKind::Hex, QStringLiteral("de ad\nBE EF") },
        { QStringLiteral("b"), Profile::TemplateKind::Base64, QStringLiteral("AAEC") },
        { QStringLiteral("f"), Profile::TemplateKind::File, path },
        // Hex the way the composer accepts it, so a template saved from a tab runs.
        { QStringLiteral("c"), Profile::TemplateKind::Hex, QStringLiteral("0xDE, 0xad:be-ef\t01") },
    };
    for (const QString &problem : p.problems()) // sample() has problems of its own
        QVERIFY2(!problem.contains(QStringLiteral("hexadecimal")), qPrintable(problem));
    QStringList problems;
    const auto o = ProfileConnection::sessionOptions(p, &problems);
    QVERIFY2(o, qPrintable(problems.join(QLatin1Char('|'))));
    QCOMPARE(o->sendAfterOpen.size(), 6);
    QCOMPARE(o->sendAfterOpen.at(5), (OutgoingMessage { true, QByteArray::fromHex("deadbeef01") }));
    QCOMPARE(o->sendAfterOpen.at(0), (OutgoingMessage { false, "hello" }));
    QCOMPARE(o->sendAfterOpen.at(1), (OutgoingMessage { false, "{\"a\":1}" }));
    QCOMPARE(o->sendAfterOpen.at(2), (OutgoingMessage { true, QByteArray::fromHex("deadbeef") }));
    QCOMPARE(o->sendAfterOpen.at(3), (OutgoingMessage { true, QByteArray("\x00\x01\x02", 3) }));
    QCOMPARE(o->sendAfterOpen.at(4), (OutgoingMessage { true, QByteArray("\x00\x01\x02", 3) }));
}

void TestProfileConnection::refusesWithAReason_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("http url") << QStringLiteral("url=http://x/") << QStringLiteral("url:");
    QTest::newRow("empty url") << QStringLiteral("url=") << QStringLiteral("url:");
    QTest::newRow("bad header name") << QStringLiteral("header=X Bad") << QStringLiteral("X Bad");
    QTest::newRow("proxy without host") << QStringLiteral("proxy=") << QStringLiteral("proxy");
    QTest::newRow("certificate without key")
        << QStringLiteral("cert=/c.pem") << QStringLiteral("TLS:");
    QTest::newRow("bad hex message") << QStringLiteral("hex=zz")
                                     << QStringLiteral("onConnectMessages[0] (\"m\"): the body is "
                                                       "not hex");
    QTest::newRow("missing file") << QStringLiteral("file=/no/such/file")
                                  << QStringLiteral("onConnectMessages[0]");
}

void TestProfileConnection::refusesWithAReason()
{
    QFETCH(QString, field);
    QFETCH(QString, expected);
    Profile p = Profile::create(QStringLiteral("x"));
    p.url = QStringLiteral("ws://localhost/");
    const QString key = field.section(QLatin1Char('='), 0, 0);
    const QString value = field.section(QLatin1Char('='), 1);
    if (key == QLatin1String("url"))
        p.url = value;
    else if (key == QLatin1String("header"))
        p.headers = { { value, QStringLiteral("v"), true, false } };
    else if (key == QLatin1String("proxy"))
        p.proxy = { Profile::ProxyType::Http, value, 8080, {}, {} };
    else if (key == QLatin1String("cert"))
        p.tls.certificateFile = value;
    else if (key == QLatin1String("hex"))
        p.onConnectMessages = { { QStringLiteral("m"), Profile::TemplateKind::Hex, value } };
    else if (key == QLatin1String("file"))
        p.onConnectMessages = { { QStringLiteral("m"), Profile::TemplateKind::File, value } };
    QStringList problems;
    QVERIFY(!ProfileConnection::sessionOptions(p, &problems));
    QVERIFY(!problems.isEmpty());
    QVERIFY2(problems.join(QLatin1Char('|')).contains(expected),
             qPrintable(problems.join(QLatin1Char('|'))));
}

void TestProfileConnection::variablesAreFilledFirst()
{
    Environment dev = Environment::create(QStringLiteral("dev"));
    dev.variables = { { QStringLiteral("host"), QStringLiteral("dev.example.com"), false },
                      { QStringLiteral("token"), QStringLiteral("s3cret"), true } };
    Profile p = Profile::create(QStringLiteral("x"));
    p.url = QStringLiteral("wss://{{host}}/feed");
    p.headers = { { QStringLiteral("X-Token"), QStringLiteral("{{token}}"), true, true } };
    p.onConnectMessages = { { QStringLiteral("hi"), Profile::TemplateKind::Text,
                              QStringLiteral("auth {{token}}") } };
    // A template using a variable this environment lacks does not stop the connection.
    p.templates = { { QStringLiteral("later"), Profile::TemplateKind::Text,
                      QStringLiteral("{{missing}}") } };
    QStringList problems;
    Profile resolved;
    const auto o = ProfileConnection::prepare(p, VariableSubstitution(dev), &problems, &resolved);
    QVERIFY2(o, qPrintable(problems.join(QLatin1Char('|'))));
    QCOMPARE(o->url.host(), QStringLiteral("dev.example.com"));
    QCOMPARE(o->headers.at(0).value, QByteArray("s3cret"));
    QCOMPARE(o->sendAfterOpen.at(0).data, QByteArray("auth s3cret"));
    QCOMPARE(resolved.url, QStringLiteral("wss://dev.example.com/feed"));

    // Without the environment: nothing, and the reason names the variable and where.
    problems.clear();
    QVERIFY(!ProfileConnection::prepare(p, VariableSubstitution(), &problems));
    QVERIFY2(
        problems.join(QLatin1Char('|')).contains(QStringLiteral("url: unknown variable {{host}}")),
        qPrintable(problems.join(QLatin1Char('|'))));
    QVERIFY(problems.join(QLatin1Char('|')).contains(QStringLiteral("header X-Token")));
}

void TestProfileConnection::builtInVariables()
{
    Profile p = Profile::create(QStringLiteral("echo"));
    p.url = QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/");
    VariableSubstitution variables;
    variables.setBuiltIn(QStringLiteral("localEchoPort"), QStringLiteral("4242"));
    QStringList problems;
    const auto o = ProfileConnection::prepare(p, variables, &problems);
    QVERIFY2(o, qPrintable(problems.join(QLatin1Char('|'))));
    QCOMPARE(o->url.port(), 4242);
    // An environment's own variable of that name wins over the built-in one.
    Environment env = Environment::create(QStringLiteral("e"));
    env.setValue(QStringLiteral("localEchoPort"), QStringLiteral("5000"));
    VariableSubstitution withEnvironment(env);
    withEnvironment.setBuiltIn(QStringLiteral("localEchoPort"), QStringLiteral("4242"));
    QCOMPARE(ProfileConnection::prepare(p, withEnvironment, &problems)->url.port(), 5000);
}

void TestProfileConnection::connectionProblemsLeaveNameAndTemplatesAlone()
{
    Profile p;
    p.url = QStringLiteral("ws://localhost/");
    p.templates = { { QString(), Profile::TemplateKind::Json, QStringLiteral("{bad") } };
    QVERIFY(!p.problems().isEmpty());
    QVERIFY2(ProfileConnection::connectionProblems(p).isEmpty(),
             qPrintable(ProfileConnection::connectionProblems(p).join(QLatin1Char('|'))));
    p.keepalive = { 1000, 0 };
    QVERIFY(ProfileConnection::connectionProblems(p)
                .join(QLatin1Char('|'))
                .contains(QStringLiteral("keepalive.pongTimeoutMs")));
}

QTEST_APPLESS_MAIN(TestProfileConnection)
#include "tst_profileconnection.moc"
