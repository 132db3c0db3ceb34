#include "core/session/HarDocument.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace duplex;

namespace {

using Message = HarDocument::Message;

HarDocument::Entry sampleSession()
{
    HarDocument::Entry entry;
    HarDocument::Handshake &h = entry.handshake;
    h.url = QStringLiteral("wss://echo.example.com/ws?room=1&user=ann%20b");
    h.requestHeaders = {
        { QStringLiteral("Host"), QStringLiteral("echo.example.com") },
        { QStringLiteral("Upgrade"), QStringLiteral("websocket") },
        { QStringLiteral("Connection"), QStringLiteral("Upgrade") },
        { QStringLiteral("Sec-WebSocket-Key"), QStringLiteral("dGhlIHNhbXBsZSBub25jZQ==") },
        { QStringLiteral("Sec-WebSocket-Version"), QStringLiteral("13") },
        { QStringLiteral("Authorization"), QStringLiteral("Bearer AUTH-SECRET") },
        { QStringLiteral("Cookie"), QStringLiteral("session=COOKIE-SECRET; theme=dark") },
        { QStringLiteral("X-Token"), QStringLiteral("PROFILE-SECRET") },
    };
    h.responseHeaders = {
        { QStringLiteral("Upgrade"), QStringLiteral("websocket") },
        { QStringLiteral("Connection"), QStringLiteral("Upgrade") },
        { QStringLiteral("Sec-WebSocket-Accept"), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") },
    };
    h.startedAt = QDateTime(QDate(2024, 5, 17), QTime(9, 30, 15, 250), Qt::UTC);
    h.timings = { -1, 2.5, 10.25, 6.0, 0.5, 31.75, 0 };
    h.serverIpAddress = QStringLiteral("192.0.2.7");

    const double t0 = Message::timeOf(h.startedAt) + 0.05;
    entry.messages = {
        { Direction::Outgoing, t0, 1, QByteArray("hello") },
        { Direction::Incoming, t0 + 0.000123, 1, QStringLiteral("héllo ✓").toUtf8() },
        { Direction::Outgoing, t0 + 1.5, 2, QByteArray::fromHex("00ff1080") },
        { Direction::Incoming, t0 + 1.6, 2, QByteArray("binary message") },
        { Direction::Outgoing, t0 + 2, 9, QByteArray("ping!") },
        { Direction::Incoming, t0 + 2.001, 10, QByteArray("ping!") },
        { Direction::Incoming, t0 + 3, 1, QByteArray("\xff\xfe not utf-8") },
        { Direction::Outgoing, t0 + 4, 1, QByteArray() },
        { Direction::Outgoing, t0 + 5, 8, QByteArray::fromHex("03e8") + QByteArray("bye") },
    };
    return entry;
}

QJsonObject firstEntry(const QByteArray &har)
{
    return QJsonDocument::fromJson(har)
        .object()
        .value(QStringLiteral("log"))
        .toObject()
        .value(QStringLiteral("entries"))
        .toArray()
        .at(0)
        .toObject();
}

void verifyKeys(const QJsonObject &object, const QStringList &keys, const QString &where)
{
    for (const QString &key : keys)
        QVERIFY2(object.contains(key), qPrintable(where + QLatin1Char('.') + key));
}

// data/chrome-websocket.har: Chrome's devtools export of a page with one script and one
// WebSocket, trimmed; the shape its HAR writer produces (pages, _resourceType, _webSocketMessages
// with Base64 for opcode 2). data/firefox-websocket.har: Firefox writes the handshake of a
// WebSocket but none of its messages.
QByteArray testData(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("test data %s is missing", qPrintable(path));
    return file.readAll();
}

} // namespace

class tst_HarDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportHasEveryMandatoryField();
    void exportHoldsEveryMessage();
    void binaryAsBase64LikeChrome();
    void exportImportRoundTrip();
    void sensitiveHeadersAreRedacted();
    void readsChromeHar();
    void readsFirefoxHar();
    void malformedHar_data();
    void malformedHar();
    void badBase64IsKeptWithAWarning();
    void messageTimes();
};

void tst_HarDocument::exportHasEveryMandatoryField()
{
    HarDocument har;
    har.entries = { sampleSession() };
    const QByteArray bytes = har.toJson();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);

    const QJsonObject log = document.object().value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    const QJsonObject creator = log.value(QStringLiteral("creator")).toObject();
    QCOMPARE(creator.value(QStringLiteral("name")).toString(), QStringLiteral("Duplex"));
    QVERIFY(!creator.value(QStringLiteral("version")).toString().isEmpty());
    QVERIFY(log.value(QStringLiteral("pages")).isArray()); // Chrome's importer needs it
    QCOMPARE(log.value(QStringLiteral("entries")).toArray().size(), 1);

    const QJsonObject entry = firstEntry(bytes);
    verifyKeys(entry,
               { QStringLiteral("startedDateTime"), QStringLiteral("time"),
                 QStringLiteral("request"), QStringLiteral("response"), QStringLiteral("cache"),
                 QStringLiteral("timings") },
               QStringLiteral("entry"));
    QCOMPARE(entry.value(QStringLiteral("startedDateTime")).toString(),
             QStringLiteral("2024-05-17T09:30:15.250Z"));
    QCOMPARE(entry.value(QStringLiteral("time")).toDouble(), 2.5 + 10.25 + 0.5 + 31.75);
    QCOMPARE(entry.value(QStringLiteral("_resourceType")).toString(), QStringLiteral("websocket"));
    QCOMPARE(entry.value(QStringLiteral("serverIPAddress")).toString(),
             QStringLiteral("192.0.2.7"));

    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    verifyKeys(request,
               { QStringLiteral("method"), QStringLiteral("url"), QStringLiteral("httpVersion"),
                 QStringLiteral("cookies"), QStringLiteral("headers"),
                 QStringLiteral("queryString"), QStringLiteral("headersSize"),
                 QStringLiteral("bodySize") },
               QStringLiteral("request"));
    QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(request.value(QStringLiteral("httpVersion")).toString(), QStringLiteral("HTTP/1.1"));
    QCOMPARE(request.value(QStringLiteral("headers")).toArray().size(), 8);
    const QJsonArray query = request.value(QStringLiteral("queryString")).toArray();
    QCOMPARE(query.size(), 2);
    QCOMPARE(query.at(1).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("ann b"));

    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    verifyKeys(response,
               { QStringLiteral("status"), QStringLiteral("statusText"),
                 QStringLiteral("httpVersion"), QStringLiteral("cookies"),
                 QStringLiteral("headers"), QStringLiteral("content"),
                 QStringLiteral("redirectURL"), QStringLiteral("headersSize"),
                 QStringLiteral("bodySize") },
               QStringLiteral("response"));
    QCOMPARE(response.value(QStringLiteral("status")).toInt(), 101);
    QCOMPARE(response.value(QStringLiteral("statusText")).toString(),
             QStringLiteral("Switching Protocols"));
    verifyKeys(response.value(QStringLiteral("content")).toObject(),
               { QStringLiteral("size"), QStringLiteral("mimeType") },
               QStringLiteral("response.content"));

    const QJsonObject timings = entry.value(QStringLiteral("timings")).toObject();
    verifyKeys(timings,
               { QStringLiteral("send"), QStringLiteral("wait"), QStringLiteral("receive") },
               QStringLiteral("timings"));
    QCOMPARE(timings.value(QStringLiteral("wait")).toDouble(), 31.75);
    QCOMPARE(timings.value(QStringLiteral("blocked")).toDouble(), -1.0);
}

void tst_HarDocument::exportHoldsEveryMessage()
{
    const HarDocument::Entry session = sampleSession();
    HarDocument har;
    har.entries = { session };
    const QJsonArray messages =
        firstEntry(har.toJson()).value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), session.messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        const Message &expected = session.messages.at(i);
        QCOMPARE(m.value(QStringLiteral("type")).toString(),
                 expected.direction == Direction::Outgoing ? QStringLiteral("send")
                                                           : QStringLiteral("receive"));
        QCOMPARE(m.value(QStringLiteral("time")).toDouble(), expected.time);
        QCOMPARE(m.value(QStringLiteral("opcode")).toInt(), int(expected.opcode));
        QVERIFY(m.value(QStringLiteral("data")).isString());
    }
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("hello"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("héllo ✓"));
    QCOMPARE(messages.at(7).toObject().value(QStringLiteral("data")).toString(), QString());
    // A text frame that is not UTF-8 keeps its bytes, marked.
    const QJsonObject invalid = messages.at(6).toObject();
    QCOMPARE(invalid.value(QStringLiteral("_dataEncoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(QByteArray::fromBase64(invalid.value(QStringLiteral("data")).toString().toLatin1()),
             QByteArray("\xff\xfe not utf-8"));
}

void tst_HarDocument::binaryAsBase64LikeChrome()
{
    HarDocument har;
    har.entries = { sampleSession() };
    const QJsonArray messages =
        firstEntry(har.toJson()).value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.at(2).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("AP8QgA=="));
    // Chrome's own test writes "binary message" as this.
    QCOMPARE(messages.at(3).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("YmluYXJ5IG1lc3NhZ2U="));
    QVERIFY(!messages.at(3).toObject().contains(QStringLiteral("_dataEncoding")));
    // Control frames' payloads too: ping, pong, close (1000 "bye").
    QCOMPARE(messages.at(4).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("cGluZyE="));
    QCOMPARE(messages.at(8).toObject().value(QStringLiteral("data")).toString(),
             QStringLiteral("A+hieWU="));
}

void tst_HarDocument::exportImportRoundTrip()
{
    const HarDocument::Entry session = sampleSession();
    HarDocument har;
    har.entries = { session, session };
    HarDocument::WriteOptions everything;
    everything.redactSensitiveHeaders = false;

    QString error;
    const auto read = HarDocument::fromJson(har.toJson(everything), &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY2(read->warnings.isEmpty(), qPrintable(read->warnings.join(QLatin1Char('\n'))));
    QCOMPARE(read->creatorName, QStringLiteral("Duplex"));
    QCOMPARE(read->entries.size(), 2);
    QCOMPARE(read->entries.first().messages, session.messages);
    QCOMPARE(read->entries.first().handshake, session.handshake);
    QCOMPARE(read->entries.first(), session);

    // Written again, the same bytes.
    QCOMPARE(read->toJson(everything), har.toJson(everything));
}

void tst_HarDocument::sensitiveHeadersAreRedacted()
{
    HarDocument har;
    har.entries = { sampleSession() };
    HarDocument::WriteOptions options;
    options.redactedHeaders = { QStringLiteral("x-token") };
    const QByteArray bytes = har.toJson(options);
    for (const char *secret : { "AUTH-SECRET", "COOKIE-SECRET", "PROFILE-SECRET" })
        QVERIFY2(!bytes.contains(secret), secret);
    const QJsonObject request = firstEntry(bytes).value(QStringLiteral("request")).toObject();
    QVERIFY(request.value(QStringLiteral("cookies")).toArray().isEmpty());
    const QJsonArray headers = request.value(QStringLiteral("headers")).toArray();
    QCOMPARE(headers.at(5).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("[redacted]"));
    QCOMPARE(headers.at(7).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("[redacted]"));
    QCOMPARE(headers.at(1).toObject().value(QStringLiteral("value")).toString(),
             QStringLiteral("websocket"));

    // Asked for, the full handshake and its cookies.
    HarDocument::WriteOptions everything;
    everything.redactSensitiveHeaders = false;
    const QJsonObject full =
        firstEntry(har.toJson(everything)).value(QStringLiteral("request")).toObject();
    const QJsonArray cookies = full.value(QStringLiteral("cookies")).toArray();
    QCOMPARE(cookies.size(), 2);
    QCOMPARE(cookies.at(1).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("theme"));
}

void tst_HarDocument::readsChromeHar()
{
    QString error;
    const auto har =
        HarDocument::fromJson(testData(QFINDTESTDATA("data/chrome-websocket.har")), &error);
    QVERIFY2(har, qPrintable(error));
    QCOMPARE(har->creatorName, QStringLiteral("WebInspector"));
    QCOMPARE(har->entries.size(), 1);
    QCOMPARE(har->warnings,
             QStringList { QStringLiteral("1 entries that are not WebSocket connections were "
                                          "skipped") });
    const HarDocument::Entry &entry = har->entries.first();
    QCOMPARE(entry.handshake.url, QStringLiteral("ws://localhost:8000/echo"));
    QCOMPARE(entry.handshake.status, 101);
    QCOMPARE(entry.handshake.requestHeaders.size(), 2);
    QCOMPARE(entry.handshake.startedAt,
             QDateTime(QDate(2024, 5, 17), QTime(9, 30, 15, 250), Qt::UTC));
    QCOMPARE(entry.handshake.timings.wait, 3.2);
    QCOMPARE(entry.messages,
             (QList<Message> {
                 { Direction::Outgoing, 1715938215.3021, 1, QByteArray("text message") },
                 { Direction::Incoming, 1715938215.3032, 1, QByteArray("text message") },
                 { Direction::Outgoing, 1715938215.3040, 2, QByteArray("binary message") },
                 { Direction::Incoming, 1715938215.3051, 2, QByteArray("binary message") },
             }));
}

void tst_HarDocument::readsFirefoxHar()
{
    QString error;
    const auto har =
        HarDocument::fromJson(testData(QFINDTESTDATA("data/firefox-websocket.har")), &error);
    QVERIFY2(har, qPrintable(error));
    QCOMPARE(har->entries.size(), 1);
    QVERIFY(har->entries.first().messages.isEmpty());
    QCOMPARE(har->entries.first().handshake.startedAt.toUTC(),
             QDateTime(QDate(2024, 5, 17), QTime(9, 30, 15, 250), Qt::UTC));
    QCOMPARE(har->warnings.size(), 1);
    QVERIFY2(har->warnings.first().startsWith(
                 QStringLiteral("log.entries[0] (wss://echo.example.com/) has no "
                                "_webSocketMessages")),
             qPrintable(har->warnings.first()));
}

void tst_HarDocument::malformedHar_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    const auto withMessage = [](const char *message) {
        return QByteArray(R"({"log": {"version": "1.2", "entries": [{
            "startedDateTime": "2024-05-17T09:30:15Z",
            "request": {"method": "GET", "url": "ws://h/"},
            "_webSocketMessages": [{"type": "send", "time": 1.5, "opcode": 1, "data": "ok"}, )")
            + message + "]}]}}";
    };

    QTest::newRow("not json") << QByteArray("{\"log\": ")
                              << QStringLiteral("not a HAR file: not valid JSON (");
    QTest::newRow("no log") << QByteArray(R"({"entries": []})")
                            << QStringLiteral("not a HAR file: expected a JSON object with a "
                                              "\"log\" object");
    QTest::newRow("entries missing") << QByteArray(R"({"log": {"version": "1.2"}})")
                                     << QStringLiteral("malformed HAR: log.entries: missing");
    QTest::newRow("entries not a list") << QByteArray(R"({"log": {"entries": {}}})")
                                        << QStringLiteral("malformed HAR: log.entries: expected "
                                                          "a list, got an object");
    QTest::newRow("entry not an object") << QByteArray(R"({"log": {"entries": [3]}})")
                                         << QStringLiteral("malformed HAR: log.entries[0]: "
                                                           "expected an object, got 3");
    QTest::newRow("no websocket")
        << QByteArray(R"({"log": {"entries": [{"startedDateTime": "2024-05-17T09:30:15Z",
                 "request": {"url": "https://h/"}, "response": {"status": 200}}]}})")
        << QStringLiteral("no WebSocket connection in this HAR (1 entries, none with "
                          "_webSocketMessages, a 101 response or a ws:// URL)");
    QTest::newRow("bad date")
        << QByteArray(R"({"log": {"entries": [{"startedDateTime": "yesterday",
                 "request": {"url": "ws://h/"}, "_webSocketMessages": []}]}})")
        << QStringLiteral("malformed HAR: log.entries[0].startedDateTime: \"yesterday\" is "
                          "not an ISO 8601 date and time");
    QTest::newRow("no request") << QByteArray(
        R"({"log": {"entries": [{"startedDateTime": "2024-05-17T09:30:15Z",
                 "_resourceType": "websocket"}]}})")
                                << QStringLiteral("malformed HAR: log.entries[0].request: missing");
    QTest::newRow("url not a string")
        << QByteArray(R"({"log": {"entries": [{"startedDateTime": "2024-05-17T09:30:15Z",
                 "request": {"url": 5}, "_webSocketMessages": []}]}})")
        << QStringLiteral("malformed HAR: log.entries[0].request.url: expected a string, got "
                          "5");
    QTest::newRow("headers not a list")
        << QByteArray(R"({"log": {"entries": [{"startedDateTime": "2024-05-17T09:30:15Z",
                 "request": {"url": "ws://h/", "headers": "Host: h"}, "_webSocketMessages": []}]}})")
        << QStringLiteral("malformed HAR: log.entries[0].request.headers: expected a list");
    QTest::newRow("header without name")
        << QByteArray(R"({"log": {"entries": [{"startedDateTime": "2024-05-17T09:30:15Z",
                 "request": {"url": "ws://h/", "headers": [{"value": "x"}]}, "_webSocketMessages": []}]}})")
        << QStringLiteral("malformed HAR: log.entries[0].request.headers[0].name: missing");
    QTest::newRow("messages not a list")
        << QByteArray(R"({"log": {"entries": [{"startedDateTime": "2024-05-17T09:30:15Z",
                 "request": {"url": "ws://h/"}, "_webSocketMessages": {}}]}})")
        << QStringLiteral("malformed HAR: log.entries[0]._webSocketMessages: expected a list");
    QTest::newRow("message type") << withMessage(
        R"({"type": "sent", "time": 2, "opcode": 1, "data": ""})")
                                  << QStringLiteral("malformed HAR: "
                                                    "log.entries[0]._webSocketMessages[1].type: "
                                                    "\"sent\" is neither \"send\" nor "
                                                    "\"receive\"");
    QTest::newRow("message time missing")
        << withMessage(R"({"type": "send", "opcode": 1, "data": ""})")
        << QStringLiteral("malformed HAR: "
                          "log.entries[0]._webSocketMessages[1]"
                          ".time: missing");
    QTest::newRow("opcode text") << withMessage(
        R"({"type": "send", "time": 2, "opcode": "x", "data": ""})")
                                 << QStringLiteral("malformed HAR: "
                                                   "log.entries[0]._webSocketMessages[1].opcode: "
                                                   "expected a number, got \"x\"");
    QTest::newRow("opcode range") << withMessage(
        R"({"type": "send", "time": 2, "opcode": 16, "data": ""})")
                                  << QStringLiteral("malformed HAR: "
                                                    "log.entries[0]._webSocketMessages[1].opcode: "
                                                    "expected an integer 0-15, got 16");
    QTest::newRow("data missing") << withMessage(R"({"type": "receive", "time": 2, "opcode": 1})")
                                  << QStringLiteral("malformed HAR: "
                                                    "log.entries[0]._webSocketMessages[1].data: "
                                                    "missing");
    QTest::newRow("message not an object") << withMessage("null")
                                           << QStringLiteral("malformed HAR: "
                                                             "log.entries[0]._webSocketMessages[1]"
                                                             ": expected an object, got null");
}

void tst_HarDocument::malformedHar()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!HarDocument::fromJson(json, &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

void tst_HarDocument::badBase64IsKeptWithAWarning()
{
    const QByteArray json = R"({"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2024-05-17T09:30:15Z", "request": {"url": "ws://h/"},
        "_webSocketMessages": [{"type": "receive", "time": 2, "opcode": 2, "data": "not base64!"}]}]}})";
    QString error;
    const auto har = HarDocument::fromJson(json, &error);
    QVERIFY2(har, qPrintable(error));
    QCOMPARE(har->entries.first().messages.first().data, QByteArray("not base64!"));
    QCOMPARE(har->warnings.size(), 1);
    QVERIFY(har->warnings.first().startsWith(
        QStringLiteral("log.entries[0]._webSocketMessages[0].data: opcode 2 data should be "
                       "Base64 but is not")));
}

void tst_HarDocument::messageTimes()
{
    const QDateTime when(QDate(2024, 5, 17), QTime(9, 30, 15, 250), Qt::UTC);
    const double seconds = Message::timeOf(when);
    QCOMPARE(seconds, 1715938215.25);
    Message m;
    m.time = seconds;
    QCOMPARE(m.dateTime(), when);
}

QTEST_APPLESS_MAIN(tst_HarDocument)
#include "tst_hardocument.moc"
