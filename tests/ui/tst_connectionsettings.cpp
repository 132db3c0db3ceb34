// ConnectionSettings: the tab's form as a value, its JSON, and its mapping onto a session's
// options and onto a saved profile.
#include "core/session/Profile.h"
#include "core/session/SessionOptions.h"
#include "ui/ConnectionSettings.h"

#include <QJsonArray>
#include <QTest>

using namespace duplex;

class TestConnectionSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonRoundTrip();
    void jsonNeverHoldsTheProxyPassword();
    void mistypedFieldsKeepDefaultsAndSayWhy();
    void toSessionOptions();
    void toSessionOptionsRefusesWithAReason_data();
    void toSessionOptionsRefusesWithAReason();
    void profileRoundTrip();

private:
    static ConnectionSettings sample();
};

ConnectionSettings TestConnectionSettings::sample()
{
    ConnectionSettings s;
    s.name = QStringLiteral("Prices");
    s.url = QStringLiteral("wss://stream.example.com:8443/v1?x=%41");
    s.headers = { { QStringLiteral("Authorization"), QStringLiteral("Bearer abc"), true },
                  { QStringLiteral("X-Off"), QStringLiteral("1"), false } };
    s.subprotocols = { QStringLiteral("v2.prices"), QStringLiteral("v1.prices") };
    s.origin = QStringLiteral("https://app.example.com");
    s.deflate = { true, 12, 10, true, false };
    s.reconnect = { true, 250, 8000, 1.5, ConnectionSettings::Jitter::Equal, 7 };
    s.keepalive = { 15000, 4000 };
    s.timeouts = { 3000, 4000, 2000 };
    s.redirects = { true, 3 };
    s.tls = { QStringLiteral("/ca.pem"), QStringLiteral("/c.pem"), QStringLiteral("/k.pem"), true };
    s.proxy = { ConnectionSettings::ProxyType::Socks5, QStringLiteral("proxy"), 1080,
                QStringLiteral("me"), QString() };
    s.maxMessageSize = 1234567;
    return s;
}

void TestConnectionSettings::jsonRoundTrip()
{
    const ConnectionSettings s = sample();
    QStringList warnings;
    QCOMPARE(ConnectionSettings::fromJson(s.toJson(), &warnings), s);
    QVERIFY(warnings.isEmpty());
    // Profile field names, so that a tab and a profile read the same JSON.
    const QJsonObject json = s.toJson();
    for (const char *key :
         { "url", "headers", "subprotocols", "origin", "deflate", "reconnect", "keepalive",
           "timeouts", "redirects", "tls", "proxy", "maxMessageSize" })
        QVERIFY2(json.contains(QLatin1String(key)), key);
}

void TestConnectionSettings::jsonNeverHoldsTheProxyPassword()
{
    ConnectionSettings s = sample();
    s.proxy.password = QStringLiteral("hunter2");
    const QJsonObject proxy = s.toJson().value(QStringLiteral("proxy")).toObject();
    QVERIFY(!proxy.contains(QStringLiteral("password")));
    QVERIFY(ConnectionSettings::fromJson(s.toJson()).proxy.password.isEmpty());
}

void TestConnectionSettings::mistypedFieldsKeepDefaultsAndSayWhy()
{
    QJsonObject json = sample().toJson();
    QJsonObject keepalive = json.value(QStringLiteral("keepalive")).toObject();
    keepalive.insert(QStringLiteral("pingIntervalMs"), QStringLiteral("often"));
    json.insert(QStringLiteral("keepalive"), keepalive);
    QJsonObject deflate = json.value(QStringLiteral("deflate")).toObject();
    deflate.insert(QStringLiteral("clientMaxWindowBits"), 20);
    json.insert(QStringLiteral("deflate"), deflate);

    QStringList warnings;
    const ConnectionSettings s = ConnectionSettings::fromJson(json, &warnings);
    QCOMPARE(s.keepalive.pingIntervalMs, 0);
    QCOMPARE(s.deflate.clientMaxWindowBits, 15);
    QCOMPARE(s.url, sample().url); // the rest is kept
    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings.join(QLatin1Char('|')).contains(QStringLiteral("keepalive.pingIntervalMs")),
             qPrintable(warnings.join(QLatin1Char('|'))));
    QVERIFY(warnings.join(QLatin1Char('|'))
                .contains(QStringLiteral(
                    "deflate.clientMaxWindowBits: expected an integer from 8 to 15")));
}

void TestConnectionSettings::toSessionOptions()
{
    ConnectionSettings s = sample();
    s.tls.certificateFile.clear();
    s.tls.keyFile.clear();
    QString error;
    const SessionOptions o = s.toSessionOptions(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(o.url.host(), QStringLiteral("stream.example.com"));
    QCOMPARE(o.resource, QByteArray("/v1?x=%41")); // byte for byte, as typed
    QCOMPARE(o.headers.size(), 1); // the disabled header is not sent
    QCOMPARE(o.headers.at(0).name, QByteArray("Authorization"));
    QCOMPARE(o.subprotocols, (QList<QByteArray> { "v2.prices", "v1.prices" }));
    QCOMPARE(o.origin, QByteArray("https://app.example.com"));
    QVERIFY(o.deflate.enabled);
    QCOMPARE(o.deflate.clientMaxWindowBits, 12);
    QCOMPARE(o.deflate.serverMaxWindowBits, 10);
    QVERIFY(o.deflate.clientNoContextTakeover);
    QVERIFY(o.reconnect.enabled);
    QCOMPARE(o.reconnect.backoff.initialDelayMs, qint64(250));
    QCOMPARE(o.reconnect.backoff.maxDelayMs, qint64(8000));
    QCOMPARE(o.reconnect.backoff.multiplier, 1.5);
    QCOMPARE(o.reconnect.backoff.jitter, Jitter::Equal);
    QCOMPARE(o.reconnect.backoff.maxAttempts, 7);
    QCOMPARE(o.keepalive.pingIntervalMs, 15000);
    QCOMPARE(o.keepalive.pongTimeoutMs, 4000);
    QCOMPARE(o.timeouts.connectMs, 3000);
    QCOMPARE(o.redirects.maxHops, 3);
    QCOMPARE(o.tls.caFiles, QStringList { QStringLiteral("/ca.pem") });
    QVERIFY(o.tls.allowInvalidCertificates);
    QCOMPARE(o.proxy.type, ProxyType::Socks5);
    QCOMPARE(o.proxy.port, quint16(1080));
    QCOMPARE(o.limits.maxMessageSize, quint64(1234567));
}

void TestConnectionSettings::toSessionOptionsRefusesWithAReason_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("http url") << QStringLiteral("url=http://x/") << QStringLiteral("URL:");
    QTest::newRow("empty url") << QStringLiteral("url=") << QStringLiteral("URL: enter");
    QTest::newRow("bad header name")
        << QStringLiteral("header=X Bad") << QStringLiteral("Header 1");
    QTest::newRow("bad subprotocol")
        << QStringLiteral("subprotocol=a,b") << QStringLiteral("Subprotocol");
    QTest::newRow("proxy without host")
        << QStringLiteral("proxy=") << QStringLiteral("Proxy: enter the proxy's host");
    QTest::newRow("certificate without key")
        << QStringLiteral("cert=/c.pem") << QStringLiteral("TLS:");
}

void TestConnectionSettings::toSessionOptionsRefusesWithAReason()
{
    QFETCH(QString, field);
    QFETCH(QString, expected);
    ConnectionSettings s;
    s.url = QStringLiteral("ws://localhost/");
    const QString key = field.section(QLatin1Char('='), 0, 0);
    const QString value = field.section(QLatin1Char('='), 1);
    if (key == QLatin1String("url"))
        s.url = value;
    else if (key == QLatin1String("header"))
        s.headers = { { value, QStringLiteral("v"), true } };
    else if (key == QLatin1String("subprotocol"))
        s.subprotocols = { value };
    else if (key == QLatin1String("proxy"))
        s.proxy = { ConnectionSettings::ProxyType::Http, value, 8080, {}, {} };
    else if (key == QLatin1String("cert"))
        s.tls.certificateFile = value;
    QString error;
    s.toSessionOptions(&error);
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

void TestConnectionSettings::profileRoundTrip()
{
    ConnectionSettings s = sample();
    s.proxy.password = QStringLiteral("secret");
    Profile profile = Profile::create(QStringLiteral("ignored"));
    profile.templates.append(
        { QStringLiteral("t"), Profile::TemplateKind::Text, QStringLiteral("x") });
    s.applyTo(profile);
    QCOMPARE(profile.name, QStringLiteral("Prices"));
    QCOMPARE(profile.templates.size(), 1); // what a tab has no field for stays
    QCOMPARE(profile.headers.size(), 2);
    QVERIFY(!profile.headers.at(1).enabled);
    const ConnectionSettings back = ConnectionSettings::fromProfile(profile);
    QCOMPARE(back, s);
}

QTEST_APPLESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
