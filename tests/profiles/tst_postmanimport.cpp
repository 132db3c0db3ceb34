#include "core/session/PostmanImport.h"
#include "core/session/ProfileStore.h"
#include "core/session/SecretStoreInMemory.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

namespace {

// data/market-data.postman_collection.json is a collection written from Postman's Collection
// v2.1 format (schema.getpostman.com collection/v2.1.0): folders are items with "item", requests
// items with "request"; headers {key, value, disabled}; url as a string or {raw, protocol, host,
// port, path, query}; body {mode, raw, options.raw.language}; auth {type, <type>: [{key,
// value}]} inherited from the folder or collection; saved examples in "response" with their
// "originalRequest"; collection variables in "variable".
QByteArray collection()
{
    QFile file(QFINDTESTDATA("data/market-data.postman_collection.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("test data data/market-data.postman_collection.json is missing");
    return file.readAll();
}

QStringList paths(const QList<Profile> &profiles)
{
    QStringList list;
    for (const Profile &p : profiles)
        list << p.path();
    return list;
}

bool containsLine(const QStringList &lines, const QString &text)
{
    for (const QString &line : lines) {
        if (line.contains(text))
            return true;
    }
    return false;
}

} // namespace

class tst_PostmanImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void takesTheWebSocketRequests();
    void mapsUrlHeadersAndMessages();
    void mapsAuthentication();
    void reportsWhatWasSkipped();
    void collectionVariablesBecomeAnEnvironment();
    void version20AuthObjects();
    void environmentFile();
    void importIntoStore();
    void nothingToImport();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_home;
    std::optional<PostmanImport::Result> m_result;
    const Profile *profile(const QString &path) const;
};

void tst_PostmanImport::initTestCase()
{
    QVERIFY(m_home.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QString error;
    m_result = PostmanImport::parse(collection(), &error);
    QVERIFY2(m_result, qPrintable(error));
}

const Profile *tst_PostmanImport::profile(const QString &path) const
{
    for (const Profile &p : m_result->profiles) {
        if (p.path() == path)
            return &p;
    }
    return nullptr;
}

void tst_PostmanImport::takesTheWebSocketRequests()
{
    QCOMPARE(paths(m_result->profiles),
             (QStringList { QStringLiteral("Market data/Streaming/Ticker feed"),
                            QStringLiteral("Market data/Streaming/Legacy upgrade"),
                            QStringLiteral("Market data/Streaming/Via variable"),
                            QStringLiteral("Market data/Api key socket"),
                            QStringLiteral("Market data/Digest socket"),
                            QStringLiteral("Market data/Dynamic") }));
    QVERIFY(containsLine(m_result->imported,
                         QStringLiteral("request 'Ticker feed' in Market data/Streaming -> "
                                        "profile 'Market data/Streaming/Ticker feed'")));
    for (const Profile &p : m_result->profiles)
        QVERIFY(!p.id.isNull());
}

void tst_PostmanImport::mapsUrlHeadersAndMessages()
{
    const Profile *ticker = profile(QStringLiteral("Market data/Streaming/Ticker feed"));
    QVERIFY(ticker);
    QCOMPARE(ticker->url, QStringLiteral("wss://{{host}}/v2/ticker?symbols=BTC"));
    QCOMPARE(ticker->subprotocols,
             (QStringList { QStringLiteral("v2.ticker"), QStringLiteral("v1.ticker") }));
    QCOMPARE(ticker->origin, QStringLiteral("https://app.example.com"));
    QVERIFY(ticker->deflate.enabled);
    QVERIFY(ticker->deflate.clientNoContextTakeover);
    QCOMPARE(ticker->headers.size(), 3);
    QCOMPARE(
        ticker->headers.at(0),
        (Profile::Header { QStringLiteral("X-Client"), QStringLiteral("duplex"), true, false }));
    QCOMPARE(ticker->headers.at(1),
             (Profile::Header { QStringLiteral("X-Debug"), QStringLiteral("1"), false, false }));
    QCOMPARE(ticker->templates.size(), 2);
    QCOMPARE(ticker->templates.at(0),
             (Profile::MessageTemplate { QStringLiteral("Ticker feed"), Profile::TemplateKind::Json,
                                         QStringLiteral("{\"op\":\"subscribe\",\"channel\":"
                                                        "\"ticker\"}") }));
    QCOMPARE(ticker->templates.at(1),
             (Profile::MessageTemplate { QStringLiteral("Unsubscribe"), Profile::TemplateKind::Json,
                                         QStringLiteral("{\"op\":\"unsubscribe\"}") }));

    const Profile *legacy = profile(QStringLiteral("Market data/Streaming/Legacy upgrade"));
    QVERIFY(legacy);
    QCOMPARE(legacy->url, QStringLiteral("wss://legacy.example.com/socket"));
    QCOMPARE(legacy->headers.size(), 1); // Upgrade and Connection are Duplex's to write

    const Profile *built = profile(QStringLiteral("Market data/Api key socket"));
    QVERIFY(built);
    QCOMPARE(built->url, QStringLiteral("ws://localhost:{{port}}/live"));

    QCOMPARE(profile(QStringLiteral("Market data/Streaming/Via variable"))->url,
             QStringLiteral("{{wsBase}}/feed"));
}

void tst_PostmanImport::mapsAuthentication()
{
    // Inherited from the collection: a secret bearer header, the variable kept.
    const Profile *ticker = profile(QStringLiteral("Market data/Streaming/Ticker feed"));
    QCOMPARE(ticker->headers.at(2),
             (Profile::Header { QStringLiteral("Authorization"),
                                QStringLiteral("Bearer {{apiToken}}"), true, true }));
    // An explicit Authorization header is secret, and "noauth" adds nothing.
    const Profile *legacy = profile(QStringLiteral("Market data/Streaming/Legacy upgrade"));
    QCOMPARE(legacy->headers.at(0),
             (Profile::Header { QStringLiteral("Authorization"),
                                QStringLiteral("Basic bGVnYWN5OnB3"), true, true }));
    // An API key in a header.
    const Profile *apiKey = profile(QStringLiteral("Market data/Api key socket"));
    QCOMPARE(apiKey->headers,
             (QList<Profile::Header> {
                 { QStringLiteral("X-Api-Key"), QStringLiteral("k-123"), true, true } }));
    // Digest cannot be mapped: no header, and a note.
    QVERIFY(profile(QStringLiteral("Market data/Digest socket"))->headers.isEmpty());
}

void tst_PostmanImport::reportsWhatWasSkipped()
{
    const QStringList &skipped = m_result->skipped;
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Get price' in Market data/REST (GET "
                                        "https://api.example.com/price) skipped: not a "
                                        "WebSocket request. Postman leaves its WebSocket "
                                        "requests out of exported collections")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Post order' in Market data/REST "
                                        "skipped: it has 'Upgrade: websocket' but is a "
                                        "POST, and a WebSocket handshake is a GET")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("collection 'Market data': its scripts are not "
                                        "imported")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Api key socket' in Market data: its "
                                        "scripts are not imported")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Ticker feed' in Market data/Streaming: "
                                        "handshake headers Duplex writes itself were "
                                        "left out (Sec-WebSocket-Key)")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Digest socket' in Market data: its "
                                        "'digest' authentication is not imported")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Digest socket' in Market data: its "
                                        "formdata body has no WebSocket equivalent")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("request 'Dynamic' in Market data: it uses "
                                        "Postman's generated variables ($guid)")));
    QVERIFY(containsLine(skipped,
                         QStringLiteral("collection variable 'old': disabled in "
                                        "Postman, left out")));
    QVERIFY(containsLine(skipped, QStringLiteral("collection variable 'bad name': left out")));
}

void tst_PostmanImport::collectionVariablesBecomeAnEnvironment()
{
    QCOMPARE(m_result->environments.size(), 1);
    const Environment &e = m_result->environments.first();
    QCOMPARE(e.name, QStringLiteral("Market data"));
    QCOMPARE(e.variables,
             (QList<Environment::Variable> {
                 { QStringLiteral("host"), QStringLiteral("stream.example.com"), false },
                 { QStringLiteral("apiToken"), QString(), true },
                 { QStringLiteral("wsBase"), QStringLiteral("wss://feeds.example.com"), false },
                 { QStringLiteral("port"), QStringLiteral("9001"), false } }));
}

void tst_PostmanImport::version20AuthObjects()
{
    const QByteArray v20 = R"({
      "info": {"name": "Old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
      "item": [{"name": "Socket", "request": {"url": "ws://h/",
                "auth": {"type": "bearer", "bearer": {"token": "abc"}}}}]})";
    QString error;
    const auto result = PostmanImport::parse(v20, &error);
    QVERIFY2(result, qPrintable(error));
    QCOMPARE(result->profiles.size(), 1);
    QCOMPARE(result->profiles.first().headers.size(), 1);
    QCOMPARE(result->profiles.first().headers.first().value, QStringLiteral("Bearer abc"));
    QCOMPARE(result->profiles.first().path(), QStringLiteral("Old/Socket"));
}

void tst_PostmanImport::environmentFile()
{
    const QByteArray json = R"({
      "id": "5a0e1c9e-8f7b-4f43-9d3e-1f0f3e4c2b1a",
      "name": "Staging",
      "values": [
        {"key": "host", "value": "staging.example.com", "type": "default", "enabled": true},
        {"key": "token", "value": "t-1", "type": "secret", "enabled": true},
        {"key": "off", "value": "1", "type": "default", "enabled": false}
      ],
      "_postman_variable_scope": "environment",
      "_postman_exported_using": "Postman/10.0"
    })";
    QString error;
    const auto result = PostmanImport::parse(json, &error);
    QVERIFY2(result, qPrintable(error));
    QVERIFY(result->profiles.isEmpty());
    QCOMPARE(result->environments.size(), 1);
    const Environment &e = result->environments.first();
    QCOMPARE(e.name, QStringLiteral("Staging"));
    QCOMPARE(e.variables,
             (QList<Environment::Variable> {
                 { QStringLiteral("host"), QStringLiteral("staging.example.com"), false },
                 { QStringLiteral("token"), QStringLiteral("t-1"), true } }));
    QVERIFY(containsLine(result->skipped,
                         QStringLiteral("variable 'off' of environment "
                                        "'Staging': disabled in Postman")));
}

void tst_PostmanImport::importIntoStore()
{
    const auto secrets = std::make_shared<SecretStoreInMemory>();
    ProfileStore store(m_home.filePath(QStringLiteral("store")), secrets);
    QStringList report;
    QString error;
    QVERIFY2(PostmanImport::importInto(store, collection(), &report, &error), qPrintable(error));
    QCOMPARE(store.profiles().size(), 6);
    QCOMPARE(store.environments().size(), 1);
    QVERIFY(containsLine(report, QStringLiteral("not imported: request 'Get price'")));

    // The Authorization values are secrets: in the secret store, not in profiles.json.
    QFile file(store.profilesFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains("bGVnYWN5OnB3"));
    QVERIFY(!bytes.contains("k-123"));
    QVERIFY(secrets->values().values().contains(QStringLiteral("Basic bGVnYWN5OnB3")));

    // Importing again: names are taken, so they get suffixes.
    report.clear();
    QVERIFY(PostmanImport::importInto(store, collection(), &report, &error));
    QCOMPARE(store.profiles().size(), 12);
    QVERIFY(containsLine(report,
                         QStringLiteral("profile 'Ticker feed' imported as 'Ticker feed "
                                        "(2)'")));
}

void tst_PostmanImport::nothingToImport()
{
    const QByteArray rest = R"({"info": {"name": "REST only",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "Get", "request": {"method": "GET", "url": "https://example.com/"}}]})";
    ProfileStore store(m_home.filePath(QStringLiteral("empty")),
                       std::make_shared<SecretStoreInMemory>());
    QString error;
    QVERIFY(!PostmanImport::importInto(store, rest, nullptr, &error));
    QVERIFY2(error.startsWith(QStringLiteral("nothing to import: request 'Get' in REST only (GET "
                                             "https://example.com/) skipped: not a WebSocket "
                                             "request")),
             qPrintable(error));
}

void tst_PostmanImport::badInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not valid JSON (");
    QTest::newRow("unrelated") << QByteArray(R"({"hello": "world"})")
                               << QStringLiteral("not a Postman collection (v2.0 or v2.1");
    QTest::newRow("v1") << QByteArray(R"({"id": "x", "name": "c", "order": [], "requests": []})")
                        << QStringLiteral("a Postman collection in the old v1 format; export it "
                                          "again as Collection v2.1");
    QTest::newRow("unknown schema")
        << QByteArray(R"({"info": {"schema": "https://example.com/v9/collection.json"},
                            "item": []})")
        << QStringLiteral("a Postman collection in a format this import does not read");
    QTest::newRow("item not a list")
        << QByteArray(R"({"info": {"name": "c"}, "item": {}})")
        << QStringLiteral("a Postman collection whose \"item\" is not a list");
}

void tst_PostmanImport::badInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!PostmanImport::parse(json, &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

QTEST_APPLESS_MAIN(tst_PostmanImport)
#include "tst_postmanimport.moc"
