#include "core/session/Profile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

namespace {

// A profile with every setting away from its default, secrets included.
Profile everyField(const QString &certificateDir)
{
    Profile p = Profile::create(QStringLiteral("Checkout"));
    p.folder = QStringLiteral("Payments/Staging");
    p.url = QStringLiteral("wss://{{host}}:8443/ws?v=2");
    p.headers = {
        { QStringLiteral("X-Token"), QStringLiteral("s3cret-token"), true, true },
        { QStringLiteral("X-Trace"), QStringLiteral("on"), false, false },
        { QStringLiteral("X-Token"), QStringLiteral("second-secret"), true, true },
    };
    p.subprotocols = { QStringLiteral("graphql-ws"), QStringLiteral("chat.v2") };
    p.origin = QStringLiteral("https://app.example.com");
    p.deflate = { true, 12, 10, true, true };
    p.reconnect.enabled = true;
    p.reconnect.initialDelayMs = 250;
    p.reconnect.maxDelayMs = 8000;
    p.reconnect.multiplier = 1.5;
    p.reconnect.jitter = Profile::Jitter::Equal;
    p.reconnect.maxAttempts = 7;
    p.reconnect.resetAfterMs = 12345;
    p.reconnect.closeCodes = { { 1001, 1001 }, { 1006, 1006 }, { 4000, 4099 } };
    p.onConnectMessages = {
        { QStringLiteral("login"), Profile::TemplateKind::Json,
          QStringLiteral("{\"op\":\"login\",\"token\":\"{{token}}\"}") },
        { QStringLiteral("hello"), Profile::TemplateKind::Text, QStringLiteral("hello") },
    };
    p.keepalive = { 15000, 4000 };
    p.timeouts = { 3000, 4000, 2500 };
    p.redirects = { false, 2 };
    p.tls = { certificateDir + QStringLiteral("/ca.pem"),
              certificateDir + QStringLiteral("/client.pem"),
              certificateDir + QStringLiteral("/client.key"), true };
    p.proxy = { Profile::ProxyType::Socks5, QStringLiteral("proxy.local"), 1080,
                QStringLiteral("alice"), QStringLiteral("proxy-password") };
    p.maxMessageSize = qint64(1024) * 1024;
    p.templates = {
        { QStringLiteral("ping"), Profile::TemplateKind::Text, QStringLiteral("ping") },
        { QStringLiteral("bytes"), Profile::TemplateKind::Hex, QStringLiteral("de ad be ef") },
        { QStringLiteral("b64"), Profile::TemplateKind::Base64, QStringLiteral("aGVsbG8=") },
        { QStringLiteral("blob"), Profile::TemplateKind::File,
          certificateDir + QStringLiteral("/ca.pem") },
        { QStringLiteral("json"), Profile::TemplateKind::Json, QStringLiteral("[1,2,3]") },
    };
    return p;
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class tst_Profile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void shouldReconnectAfter_data();
    void shouldReconnectAfter();
    void jsonRoundTripEveryField();
    void jsonNeverCarriesSecrets();
    void minimalJsonTakesDefaults();
    void unknownFieldsAreKept();
    void badInputNamesTheField_data();
    void badInputNamesTheField();
    void urlProblems_data();
    void urlProblems();
    void rangeProblems_data();
    void rangeProblems();
    void everyFieldProfileHasNoProblems();
    void closeCodesFromString_data();
    void closeCodesFromString();
    void secretSlots();
    void normalizedFolderAndPath_data();
    void normalizedFolderAndPath();

private:
    QTemporaryDir m_files;
    QString certificateDir();
};

QString tst_Profile::certificateDir()
{
    for (const char *name : { "ca.pem", "client.pem", "client.key" }) {
        QFile file(m_files.filePath(QString::fromLatin1(name)));
        if (!file.exists()) {
            file.open(QIODevice::WriteOnly);
            file.write("-----BEGIN PLACEHOLDER-----\n");
        }
    }
    return m_files.path();
}

void tst_Profile::defaults()
{
    const Profile p;
    QVERIFY(p.id.isNull());
    QCOMPARE(p.reconnect.enabled, false);
    QCOMPARE(p.reconnect.maxAttempts, 0);
    QCOMPARE(p.reconnect.jitter, Profile::Jitter::Full);
    QCOMPARE(Profile::closeCodesToString(p.reconnect.closeCodes),
             QStringLiteral("1001, 1006, 1011-1013"));
    QCOMPARE(p.proxy.type, Profile::ProxyType::System);
    QCOMPARE(p.maxMessageSize, Profile::DefaultMaxMessageSize);
    QCOMPARE(p.deflate.clientMaxWindowBits, 15);
    QCOMPARE(p.redirects.follow, true);
    QVERIFY(!Profile::create().id.isNull());
    QVERIFY(Profile::create().id != Profile::create().id);
}

void tst_Profile::shouldReconnectAfter_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("reconnects");
    QTest::newRow("1000 normal") << 1000 << false;
    QTest::newRow("1001 going away") << 1001 << true;
    QTest::newRow("1002 protocol error") << 1002 << false;
    QTest::newRow("1006 abnormal") << 1006 << true;
    QTest::newRow("1008 policy") << 1008 << false;
    QTest::newRow("1011 internal error") << 1011 << true;
    QTest::newRow("1012 restart") << 1012 << true;
    QTest::newRow("1013 try again later") << 1013 << true;
    QTest::newRow("1014 bad gateway") << 1014 << false;
    QTest::newRow("4000 application") << 4000 << false;
}

void tst_Profile::shouldReconnectAfter()
{
    QFETCH(int, code);
    QFETCH(bool, reconnects);
    QCOMPARE(Profile().reconnect.shouldReconnectAfter(code), reconnects);

    // A range covering 1000 and 1008 still never reconnects on them.
    Profile::Reconnect everything;
    everything.closeCodes = { { 1000, 4999 } };
    QCOMPARE(everything.shouldReconnectAfter(code), code != 1000 && code != 1008);
}

void tst_Profile::jsonRoundTripEveryField()
{
    const Profile original = everyField(certificateDir());
    const QByteArray bytes = QJsonDocument(original.toJson()).toJson();

    QString error;
    const std::optional<Profile> read = Profile::fromJson(parseObject(bytes), &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(*read, original.withoutSecrets());

    // Secrets come back from the secret store, by slot.
    Profile restored = *read;
    for (const Profile::SecretSlot &slot : original.secretSlots())
        QVERIFY(restored.setSecretValue(slot.key, slot.value));
    QCOMPARE(restored, original);

    // And once more: the restored profile writes the same JSON.
    QCOMPARE(QJsonDocument(restored.toJson()).toJson(), bytes);
}

void tst_Profile::jsonNeverCarriesSecrets()
{
    const Profile p = everyField(certificateDir());
    const QByteArray bytes = QJsonDocument(p.toJson()).toJson();
    QVERIFY(!bytes.contains("s3cret-token"));
    QVERIFY(!bytes.contains("second-secret"));
    QVERIFY(!bytes.contains("proxy-password"));
    const QJsonObject object = parseObject(bytes);
    const QJsonObject header = object.value(QStringLiteral("headers")).toArray().at(0).toObject();
    QCOMPARE(header.value(QStringLiteral("secret")).toBool(), true);
    QVERIFY(header.value(QStringLiteral("value")).isNull());
    const QJsonObject proxy = object.value(QStringLiteral("proxy")).toObject();
    QVERIFY(proxy.contains(QStringLiteral("password")));
    QVERIFY(proxy.value(QStringLiteral("password")).isNull());
    QCOMPARE(object.value(QStringLiteral("schemaVersion")).toInt(), Profile::SchemaVersion);
}

void tst_Profile::minimalJsonTakesDefaults()
{
    QString error;
    const auto p =
        Profile::fromJson(parseObject(R"({"name": "Echo", "url": "ws://localhost:9001"})"), &error);
    QVERIFY2(p, qPrintable(error));
    QVERIFY(!p->id.isNull());
    QCOMPARE(p->name, QStringLiteral("Echo"));
    QCOMPARE(p->url, QStringLiteral("ws://localhost:9001"));
    Profile expected;
    expected.id = p->id;
    expected.name = p->name;
    expected.url = p->url;
    QCOMPARE(*p, expected);
    QVERIFY(p->problems().isEmpty());
}

void tst_Profile::unknownFieldsAreKept()
{
    QJsonObject json = Profile::create(QStringLiteral("Future")).toJson();
    json.insert(QStringLiteral("schemaVersion"), 7);
    json.insert(QStringLiteral("quicTransport"), QJsonObject { { QStringLiteral("on"), true } });
    // A field this version knows may gain sub-fields: not fatal either.
    QJsonObject reconnect = json.value(QStringLiteral("reconnect")).toObject();
    reconnect.insert(QStringLiteral("strategy"), QStringLiteral("fibonacci"));
    json.insert(QStringLiteral("reconnect"), reconnect);

    QString error;
    const auto p = Profile::fromJson(json, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(p->unknownFields.value(QStringLiteral("quicTransport")).toObject(),
             (QJsonObject { { QStringLiteral("on"), true } }));
    const QJsonObject written = p->toJson();
    QCOMPARE(written.value(QStringLiteral("quicTransport")).toObject().value(QStringLiteral("on")),
             QJsonValue(true));
}

void tst_Profile::badInputNamesTheField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    QTest::newRow("name not a string")
        << QByteArray(R"({"name": 5})") << QStringLiteral("name: expected a string, got 5");
    QTest::newRow("name missing") << QByteArray(R"({"url": "ws://h"})")
                                  << QStringLiteral("name: missing or empty");
    QTest::newRow("id not a uuid") << QByteArray(R"({"name": "x", "id": "nope"})")
                                   << QStringLiteral("id: \"nope\" is not a UUID");
    QTest::newRow("delay is text")
        << QByteArray(R"({"name": "x", "reconnect": {"initialDelayMs": "soon"}})")
        << QStringLiteral("reconnect.initialDelayMs: expected an integer, got \"soon\"");
    QTest::newRow("delay is fractional")
        << QByteArray(R"({"name": "x", "reconnect": {"maxDelayMs": 1.5}})")
        << QStringLiteral("reconnect.maxDelayMs: expected an integer, got 1.5");
    QTest::newRow("jitter unknown")
        << QByteArray(R"({"name": "x", "reconnect": {"jitter": "sometimes"}})")
        << QStringLiteral("reconnect.jitter: unknown value \"sometimes\" (expected none, full "
                          "or equal)");
    QTest::newRow("close code text")
        << QByteArray(R"({"name": "x", "reconnect": {"closeCodes": [1001, "abc"]}})")
        << QStringLiteral("reconnect.closeCodes: \"abc\" is neither a close code nor a range "
                          "like 1011-1013");
    QTest::newRow("close code out of range")
        << QByteArray(R"({"name": "x", "reconnect": {"closeCodes": [999]}})")
        << QStringLiteral("reconnect.closeCodes: \"999\" is not within the close codes "
                          "1000-4999");
    QTest::newRow("close code object")
        << QByteArray(R"({"name": "x", "reconnect": {"closeCodes": [{}]}})")
        << QStringLiteral("reconnect.closeCodes[0]: expected a close code or a range");
    QTest::newRow("header not an object")
        << QByteArray(R"({"name": "x", "headers": [{"name": "a"}, "b"]})")
        << QStringLiteral("headers[1]: expected an object, got \"b\"");
    QTest::newRow("header enabled text")
        << QByteArray(R"({"name": "x", "headers": [{"name": "a", "enabled": "yes"}]})")
        << QStringLiteral("headers[0].enabled: expected true or false, got \"yes\"");
    QTest::newRow("subprotocol number")
        << QByteArray(R"({"name": "x", "subprotocols": ["chat", 2]})")
        << QStringLiteral("subprotocols[1]: expected a string, got 2");
    QTest::newRow("deflate not an object") << QByteArray(R"({"name": "x", "deflate": true})")
                                           << QStringLiteral("deflate: expected an object, got "
                                                             "true");
    QTest::newRow("template kind unknown")
        << QByteArray(R"({"name": "x", "templates": [{"name": "t", "kind": "xml"}]})")
        << QStringLiteral("templates[0].kind: unknown value \"xml\"");
    QTest::newRow("on-connect not a list") << QByteArray(R"({"name": "x", "onConnect": {}})")
                                           << QStringLiteral("onConnect: expected an array");
    QTest::newRow("proxy type unknown")
        << QByteArray(R"({"name": "x", "proxy": {"type": "ftp"}})")
        << QStringLiteral("proxy.type: unknown value \"ftp\" (expected system, none, http or "
                          "socks5)");
    QTest::newRow("proxy port text")
        << QByteArray(R"({"name": "x", "proxy": {"port": "80"}})")
        << QStringLiteral("proxy.port: expected an integer, got \"80\"");
    QTest::newRow("tls flag number")
        << QByteArray(R"({"name": "x", "tls": {"allowInvalidCertificates": 1}})")
        << QStringLiteral("tls.allowInvalidCertificates: expected true or false, got 1");
    QTest::newRow("max size fractional") << QByteArray(R"({"name": "x", "maxMessageSize": 1.5})")
                                         << QStringLiteral("maxMessageSize: expected an integer");
    QTest::newRow("schema version zero") << QByteArray(R"({"name": "x", "schemaVersion": 0})")
                                         << QStringLiteral("schemaVersion: 0 is not a version");
}

void tst_Profile::badInputNamesTheField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    const auto p = Profile::fromJson(parseObject(json), &error);
    QVERIFY(!p);
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

void tst_Profile::urlProblems_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected"); // empty: no problem with the url

    QTest::newRow("ws") << QStringLiteral("ws://localhost:8080/chat") << QString();
    QTest::newRow("wss ipv6") << QStringLiteral("wss://[::1]:9443/") << QString();
    QTest::newRow("variable host") << QStringLiteral("wss://{{host}}/path") << QString();
    QTest::newRow("variable scheme") << QStringLiteral("{{base}}/socket") << QString();
    QTest::newRow("variable port")
        << QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/") << QString();
    QTest::newRow("http") << QStringLiteral("http://example.com")
                          << QStringLiteral("url: http:// is not a WebSocket address; use ws://");
    QTest::newRow("https") << QStringLiteral("https://example.com/x")
                           << QStringLiteral("url: https:// is not a WebSocket address; use "
                                             "wss://");
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com")
                         << QStringLiteral("url: scheme \"ftp\" is not supported; use ws:// or "
                                           "wss://");
    QTest::newRow("no scheme") << QStringLiteral("example.com/ws")
                               << QStringLiteral("url: \"example.com/ws\" has no scheme");
    QTest::newRow("empty") << QString() << QStringLiteral("url: empty");
    QTest::newRow("no host") << QStringLiteral("ws://") << QStringLiteral("url: no host name");
    QTest::newRow("bad port") << QStringLiteral("ws://host:99999/")
                              << QStringLiteral("url: not a valid address");
    QTest::newRow("fragment") << QStringLiteral("ws://host/#part")
                              << QStringLiteral("url: a WebSocket address cannot have a "
                                                "#fragment");
}

void tst_Profile::urlProblems()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    Profile p = Profile::create(QStringLiteral("p"));
    p.url = url;
    const QStringList problems = p.problems();
    if (expected.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    } else {
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(expected), qPrintable(problems.first()));
    }
}

void tst_Profile::rangeProblems_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("name with slash") << QStringLiteral("name") << QStringLiteral("name: \"a/b\"");
    QTest::newRow("header name") << QStringLiteral("headerName")
                                 << QStringLiteral("header X Token: the name has characters");
    QTest::newRow("header value") << QStringLiteral("headerValue")
                                  << QStringLiteral("header X-A: the value contains a line break");
    QTest::newRow("subprotocol") << QStringLiteral("subprotocol")
                                 << QStringLiteral("subprotocol \"a b\": not a valid token");
    QTest::newRow("origin") << QStringLiteral("origin")
                            << QStringLiteral("origin: \"nowhere\" is not an origin");
    QTest::newRow("window bits") << QStringLiteral("bits")
                                 << QStringLiteral("deflate.clientMaxWindowBits: 7 is outside "
                                                   "8..15");
    QTest::newRow("max below initial") << QStringLiteral("delays")
                                       << QStringLiteral("reconnect.maxDelayMs: 100 is below the "
                                                         "initial delay 500");
    QTest::newRow("multiplier") << QStringLiteral("multiplier")
                                << QStringLiteral("reconnect.multiplier: 0.5 is outside 1..100");
    QTest::newRow("attempts") << QStringLiteral("attempts")
                              << QStringLiteral("reconnect.maxAttempts: must not be negative");
    QTest::newRow("close 1000") << QStringLiteral("close1000")
                                << QStringLiteral("reconnect.closeCodes: 1000 never reconnects");
    QTest::newRow("close range") << QStringLiteral("closeRange")
                                 << QStringLiteral("reconnect.closeCodes: 1013-1011 is not a "
                                                   "range");
    QTest::newRow("ping") << QStringLiteral("ping")
                          << QStringLiteral("keepalive.pingIntervalMs: must not be negative");
    QTest::newRow("pong") << QStringLiteral("pong")
                          << QStringLiteral("keepalive.pongTimeoutMs: must be positive");
    QTest::newRow("timeout") << QStringLiteral("timeout")
                             << QStringLiteral("timeouts.handshakeMs: must not be negative");
    QTest::newRow("hops") << QStringLiteral("hops")
                          << QStringLiteral("redirects.maxHops: 99 is outside 0..50");
    QTest::newRow("ca file") << QStringLiteral("ca") << QStringLiteral("tls.caFile: no such file");
    QTest::newRow("key without cert") << QStringLiteral("key")
                                      << QStringLiteral("tls.keyFile: a key without a client "
                                                        "certificate");
    QTest::newRow("proxy host") << QStringLiteral("proxyHost")
                                << QStringLiteral("proxy.host: empty");
    QTest::newRow("proxy port") << QStringLiteral("proxyPort")
                                << QStringLiteral("proxy.port: 70000 is outside 1..65535");
    QTest::newRow("max size") << QStringLiteral("maxSize")
                              << QStringLiteral("maxMessageSize: must not be negative");
    QTest::newRow("json template")
        << QStringLiteral("json") << QStringLiteral("template 'bad': not valid JSON");
    QTest::newRow("hex template") << QStringLiteral("hex")
                                  << QStringLiteral("template 'bad': not hexadecimal bytes");
    QTest::newRow("base64 template")
        << QStringLiteral("base64") << QStringLiteral("template 'bad': not valid Base64");
    QTest::newRow("file template")
        << QStringLiteral("file") << QStringLiteral("on-connect message 'bad': no such file");
    QTest::newRow("unnamed template")
        << QStringLiteral("unnamed") << QStringLiteral("template #1: no name");
}

void tst_Profile::rangeProblems()
{
    QFETCH(QString, field);
    QFETCH(QString, expected);
    Profile p = Profile::create(QStringLiteral("p"));
    p.url = QStringLiteral("ws://localhost/");
    const Profile::MessageTemplate bad { QStringLiteral("bad"), Profile::TemplateKind::Text, {} };
    if (field == QLatin1String("name"))
        p.name = QStringLiteral("a/b");
    else if (field == QLatin1String("headerName"))
        p.headers = { { QStringLiteral("X Token"), QStringLiteral("v"), true, false } };
    else if (field == QLatin1String("headerValue"))
        p.headers = { { QStringLiteral("X-A"), QStringLiteral("v\r\nInjected: 1"), true, false } };
    else if (field == QLatin1String("subprotocol"))
        p.subprotocols = { QStringLiteral("a b") };
    else if (field == QLatin1String("origin"))
        p.origin = QStringLiteral("nowhere");
    else if (field == QLatin1String("bits"))
        p.deflate.clientMaxWindowBits = 7;
    else if (field == QLatin1String("delays"))
        p.reconnect.maxDelayMs = 100;
    else if (field == QLatin1String("multiplier"))
        p.reconnect.multiplier = 0.5;
    else if (field == QLatin1String("attempts"))
        p.reconnect.maxAttempts = -1;
    else if (field == QLatin1String("close1000"))
        p.reconnect.closeCodes = { { 1000, 1000 } };
    else if (field == QLatin1String("closeRange"))
        p.reconnect.closeCodes = { { 1013, 1011 } };
    else if (field == QLatin1String("ping"))
        p.keepalive.pingIntervalMs = -5;
    else if (field == QLatin1String("pong"))
        p.keepalive = { 1000, 0 };
    else if (field == QLatin1String("timeout"))
        p.timeouts.handshakeMs = -1;
    else if (field == QLatin1String("hops"))
        p.redirects.maxHops = 99;
    else if (field == QLatin1String("ca"))
        p.tls.caFile = m_files.filePath(QStringLiteral("missing.pem"));
    else if (field == QLatin1String("key"))
        p.tls.keyFile = certificateDir() + QStringLiteral("/client.key");
    else if (field == QLatin1String("proxyHost"))
        p.proxy = { Profile::ProxyType::Http, {}, 8080, {}, {} };
    else if (field == QLatin1String("proxyPort"))
        p.proxy = { Profile::ProxyType::Socks5, QStringLiteral("h"), 70000, {}, {} };
    else if (field == QLatin1String("maxSize"))
        p.maxMessageSize = -1;
    else if (field == QLatin1String("json"))
        p.templates = { { bad.name, Profile::TemplateKind::Json, QStringLiteral("{oops") } };
    else if (field == QLatin1String("hex"))
        p.templates = { { bad.name, Profile::TemplateKind::Hex, QStringLiteral("0g") } };
    else if (field == QLatin1String("base64"))
        p.templates = { { bad.name, Profile::TemplateKind::Base64, QStringLiteral("@@@") } };
    else if (field == QLatin1String("file"))
        p.onConnectMessages = { { bad.name, Profile::TemplateKind::File,
                                  m_files.filePath(QStringLiteral("nothing.bin")) } };
    else if (field == QLatin1String("unnamed"))
        p.templates = { { {}, Profile::TemplateKind::Text, QStringLiteral("x") } };
    else
        QFAIL("unknown field");

    const QStringList problems = p.problems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(expected), qPrintable(problems.first()));
}

void tst_Profile::everyFieldProfileHasNoProblems()
{
    const QStringList problems = everyField(certificateDir()).problems();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void tst_Profile::closeCodesFromString_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalized"); // empty: an error

    QTest::newRow("defaults") << QStringLiteral("1001,1006,1011-1013")
                              << QStringLiteral("1001, 1006, 1011-1013");
    QTest::newRow("spaces") << QStringLiteral(" 4000 - 4999 , 1012 ")
                            << QStringLiteral("4000-4999, 1012");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("word") << QStringLiteral("1001, soon") << QString();
    QTest::newRow("reversed") << QStringLiteral("1013-1011") << QString();
    QTest::newRow("too high") << QStringLiteral("5000") << QString();
}

void tst_Profile::closeCodesFromString()
{
    QFETCH(QString, text);
    QFETCH(QString, normalized);
    QString error;
    const auto ranges = Profile::closeCodesFromString(text, &error);
    if (text.isEmpty()) {
        QVERIFY(ranges);
        QVERIFY(ranges->isEmpty());
    } else if (normalized.isEmpty()) {
        QVERIFY(!ranges);
        QVERIFY(!error.isEmpty());
    } else {
        QVERIFY2(ranges, qPrintable(error));
        QCOMPARE(Profile::closeCodesToString(*ranges), normalized);
    }
}

void tst_Profile::secretSlots()
{
    Profile p = everyField(certificateDir());
    const QList<Profile::SecretSlot> slots = p.secretSlots();
    QCOMPARE(slots.size(), 3);
    QCOMPARE(slots.at(0).key, QStringLiteral("header:x-token#0"));
    QCOMPARE(slots.at(0).value, QStringLiteral("s3cret-token"));
    QCOMPARE(slots.at(1).key, QStringLiteral("header:x-token#1"));
    QCOMPARE(slots.at(1).value, QStringLiteral("second-secret"));
    QCOMPARE(slots.at(2).key, QStringLiteral("proxy:password"));
    QCOMPARE(slots.at(2).description, QStringLiteral("proxy password"));
    QVERIFY(p.hasSecrets());

    Profile stripped = p.withoutSecrets();
    QVERIFY(!stripped.hasSecrets());
    QCOMPARE(stripped.headers.at(1).value, QStringLiteral("on")); // not secret: kept
    QVERIFY(stripped.setSecretValue(QStringLiteral("header:x-token#1"), QStringLiteral("v")));
    QVERIFY(!p.setSecretValue(QStringLiteral("header:x-other#0"), QStringLiteral("v")));
}

void tst_Profile::normalizedFolderAndPath_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("top level") << QString() << QString();
    QTest::newRow("simple") << QStringLiteral("Payments") << QStringLiteral("Payments");
    QTest::newRow("nested") << QStringLiteral("Payments/Staging")
                            << QStringLiteral("Payments/Staging");
    QTest::newRow("messy") << QStringLiteral(" /Payments// Staging /")
                           << QStringLiteral("Payments/Staging");
}

void tst_Profile::normalizedFolderAndPath()
{
    QFETCH(QString, folder);
    QFETCH(QString, normalized);
    QCOMPARE(Profile::normalizedFolder(folder), normalized);
    Profile p = Profile::create(QStringLiteral("Checkout"));
    p.folder = folder;
    QCOMPARE(p.path(),
             normalized.isEmpty() ? QStringLiteral("Checkout")
                                  : normalized + QStringLiteral("/Checkout"));
}

QTEST_APPLESS_MAIN(tst_Profile)
#include "tst_profile.moc"
