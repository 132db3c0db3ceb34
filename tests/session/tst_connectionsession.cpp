// ConnectionSession against real peers on 127.0.0.1: an in-process QWebSocketServer, and raw
// QTcpServers that answer the handshake in ways a WebSocket server would not.

#include "core/protocol/CloseCode.h"
#include "core/protocol/Handshake.h"
#include "core/session/ConnectionSession.h"
#include "core/session/SessionObserver.h"
#include "core/session/WebSocketUrl.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

#include <arpa/inet.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace duplex;

namespace {

// Echoes every data message unchanged; can also push messages and close from its side.
class EchoServer : public QObject
{
public:
    explicit EchoServer(QWebSocketServer::SslMode mode = QWebSocketServer::NonSecureMode)
        : m_server(QStringLiteral("duplex-test"), mode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                m_clients.append(socket);
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 [socket](const QString &text) { socket->sendTextMessage(text); });
                QObject::connect(
                    socket, &QWebSocket::binaryMessageReceived, socket,
                    [socket](const QByteArray &data) { socket->sendBinaryMessage(data); });
                QObject::connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                    m_closeCodes.append(socket->closeCode());
                    m_clients.removeAll(socket);
                    socket->deleteLater();
                });
            }
        });
        // Echoing is done by the QWebSocket's own signals; pongs are automatic.
    }

    ~EchoServer() override
    {
        for (QWebSocket *socket : std::as_const(m_clients)) {
            QObject::disconnect(socket, nullptr, this, nullptr);
            delete socket;
        }
    }

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path = QStringLiteral("/")) const
    {
        return QStringLiteral("%1://127.0.0.1:%2%3")
            .arg(m_server.secureMode() == QWebSocketServer::SecureMode ? QStringLiteral("wss")
                                                                       : QStringLiteral("ws"))
            .arg(port())
            .arg(path);
    }
    QWebSocketServer &server() { return m_server; }
    QList<QWebSocket *> clients() const { return m_clients; }
    QList<QWebSocketProtocol::CloseCode> closeCodes() const { return m_closeCodes; }

    // Stops listening and drops every connection without a close frame, as a killed server.
    void kill()
    {
        m_server.close();
        for (QWebSocket *socket : std::as_const(m_clients))
            socket->abort();
    }

private:
    QWebSocketServer m_server;
    QList<QWebSocket *> m_clients;
    QList<QWebSocketProtocol::CloseCode> m_closeCodes;
};

// A TCP server that reads an HTTP request and answers whatever `respond` returns (nothing: it
// stays silent). Everything received after the request is kept.
class RawServer : public QObject
{
public:
    using Responder = std::function<QByteArray(const QByteArray &request)>;

    explicit RawServer(Responder respond)
        : m_respond(std::move(respond))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                m_sockets.append(socket);
                auto buffer = std::make_shared<QByteArray>();
                auto answered = std::make_shared<bool>(false);
                QObject::connect(socket, &QTcpSocket::readyRead, this,
                                 [this, socket, buffer, answered] {
                                     buffer->append(socket->readAll());
                                     if (*answered) {
                                         m_afterRequest.append(*buffer);
                                         buffer->clear();
                                         return;
                                     }
                                     const qsizetype end = buffer->indexOf("\r\n\r\n");
                                     if (end < 0)
                                         return;
                                     *answered = true;
                                     const QByteArray request = buffer->first(end + 4);
                                     m_requests.append(request);
                                     m_afterRequest.append(buffer->sliced(end + 4));
                                     buffer->clear();
                                     const QByteArray response = m_respond(request);
                                     if (!response.isEmpty())
                                         socket->write(response);
                                 });
            }
        });
    }

    ~RawServer() override
    {
        for (QTcpSocket *socket : std::as_const(m_sockets)) {
            QObject::disconnect(socket, nullptr, this, nullptr);
            delete socket;
        }
    }

    bool listen(const QHostAddress &address = QHostAddress::LocalHost)
    {
        return m_server.listen(address);
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<QByteArray> requests() const { return m_requests; }
    QByteArray afterRequest() const { return m_afterRequest; }
    int connectionCount() const { return int(m_sockets.size()); }
    // Writes raw bytes to the latest connection.
    void send(const QByteArray &bytes) { m_sockets.last()->write(bytes); }

    // A valid 101 for the request, so the session opens; then the server ignores everything.
    static QByteArray accept(const QByteArray &request)
    {
        QByteArray key;
        for (const QByteArray &line : request.split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        }
        return buildHandshakeResponse(key, {}, {});
    }

private:
    QTcpServer m_server;
    Responder m_respond;
    QList<QTcpSocket *> m_sockets;
    QList<QByteArray> m_requests;
    QByteArray m_afterRequest;
};

// A minimal HTTP CONNECT proxy: answers 200 and pipes bytes both ways. It records each
// CONNECT target, so a test can see the name went to the proxy unresolved.
class ConnectProxy : public QObject
{
public:
    ConnectProxy()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                auto *upstream = new QTcpSocket(this);
                auto head = std::make_shared<QByteArray>();
                QObject::connect(client, &QTcpSocket::readyRead, this, [=, this] {
                    if (upstream->state() == QAbstractSocket::ConnectedState && head->isEmpty()) {
                        upstream->write(client->readAll());
                        return;
                    }
                    head->append(client->readAll());
                    const qsizetype end = head->indexOf("\r\n\r\n");
                    if (end < 0 || upstream->state() != QAbstractSocket::UnconnectedState)
                        return;
                    const QList<QByteArray> words = head->first(head->indexOf("\r\n")).split(' ');
                    m_targets.append(words.value(1));
                    const QByteArray target = words.value(1);
                    const qsizetype colon = target.lastIndexOf(':');
                    const QByteArray rest = head->sliced(end + 4);
                    head->clear();
                    QObject::connect(upstream, &QTcpSocket::connected, this, [=] {
                        client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                        if (!rest.isEmpty())
                            upstream->write(rest);
                    });
                    upstream->connectToHost(QString::fromLatin1(target.first(colon)),
                                            quint16(target.sliced(colon + 1).toUInt()));
                });
                QObject::connect(upstream, &QTcpSocket::readyRead, this,
                                 [=] { client->write(upstream->readAll()); });
                QObject::connect(upstream, &QTcpSocket::disconnected, client,
                                 &QTcpSocket::disconnectFromHost);
                QObject::connect(client, &QTcpSocket::disconnected, upstream,
                                 &QTcpSocket::disconnectFromHost);
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    QList<QByteArray> targets() const { return m_targets; }

private:
    QTcpServer m_server;
    QList<QByteArray> m_targets;
};

// Keeps every message the session delivers, as copies.
class MessageCollector : public SessionObserver
{
public:
    void textReceived(QByteArrayView utf8, bool) override { texts.append(utf8.toByteArray()); }
    void binaryReceived(QByteArrayView data, bool) override { binaries.append(data.toByteArray()); }
    void eventRecorded(SessionEventKind, QByteArrayView json, qsizetype) override
    {
        events.append(json.toByteArray());
    }
    void frameRecorded(const FrameView &frame, qsizetype) override
    {
        (frame.direction == Direction::Incoming ? framesIn : framesOut) += 1;
    }

    QList<QByteArray> texts;
    QList<QByteArray> binaries;
    QList<QByteArray> events;
    int framesIn = 0;
    int framesOut = 0;
};

QByteArray pattern(qsizetype size, bool text)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = text ? char('a' + (i * 7 + i / 251) % 26) : char((i * 131 + i / 7) & 0xFF);
    return data;
}

SessionOptions optionsFor(const QString &url)
{
    SessionOptions options;
    const QString problem = options.setUrl(url);
    Q_ASSERT(problem.isEmpty());
    options.timeouts.connectMs = 5000;
    options.timeouts.handshakeMs = 5000;
    options.timeouts.closeMs = 2000;
    return options;
}

// The session events of the record, as JSON objects, in order.
QList<QJsonObject> recordedEvents(const SessionRecord &record, SessionEventKind kind)
{
    QList<QJsonObject> events;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type == RecordType::SessionEvent && entry.group == quint32(kind))
            events.append(QJsonDocument::fromJson(record.data(entry).toByteArray()).object());
    }
    return events;
}

// The data messages received in `generation`, reassembled from the record's frames.
QList<QByteArray> recordedIncomingMessages(const SessionRecord &record, quint16 generation)
{
    QList<QByteArray> messages;
    QByteArray current;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type != RecordType::Frame || entry.direction != Direction::Incoming
            || entry.generation != generation)
            continue;
        const auto opcode = Opcode(entry.firstByte & 0x0F);
        if (isControl(opcode))
            continue;
        current += record.payload(entry);
        if (entry.flags & RecordMessageEnd) {
            messages.append(current);
            current.clear();
        }
    }
    return messages;
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

} // namespace

class TestConnectionSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void urlHandling_data();
    void urlHandling();
    void redirectTargets_data();
    void redirectTargets();
    void refusesHttpUrlsAtOpen();

    void echoesByteExact_data();
    void echoesByteExact();
    void pipelinedSendsArriveInOrder();
    void recordsHandshakeBytesAndEvents();
    void keepsResourceByteForByteOverIpv6();
    void closeInitiatedByClient();
    void closeInitiatedByServer();
    void sendsConfiguredMessagesAfterOpen();
    void reportsKeepaliveRoundTrip();
    void detectsPeerThatStopsAnsweringPings();
    void keepaliveSurvivesManyOwnPings();
    void dropsConnectionWhenCloseIsNotAnswered();
    void failsPeerThatBreaksTheProtocol();
    void connectRefusedNamesTheEndpoint();
    void listenersComeAndGo();
    void connectTimeoutOnFullBacklog();
    void handshakeTimeoutOnSilentServer();
    void handshakeRefusalNamesTheStatus();
    void redirectsAreRefusedByDefault();
    void followsRedirectWhenEnabled();
    void stopsAfterTooManyRedirects();
    void reconnectsAfterServerRestart();
    void noReconnectAfterNormalClose();
    void abortStopsEverything();
    void worksOnWorkerThread();
    void connectsThroughHttpProxy();
    void tlsUnknownAuthorityFailsClearly();
    void tlsSucceedsWithCaOrPermission();

private:
    bool makeCertificate();
    QTemporaryDir m_tlsDir;
    QString m_certFile;
    QString m_keyFile;
};

void TestConnectionSession::urlHandling_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("secure");
    QTest::addColumn<QByteArray>("resource");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("ipv6 literal, escapes kept")
        << QStringLiteral("ws://[::1]:8080/p?q=%41") << QByteArray("::1") << 8080 << false
        << QByteArray("/p?q=%41") << QString();
    QTest::newRow("ipv4 default port")
        << QStringLiteral("ws://127.0.0.1") << QByteArray("127.0.0.1") << 80 << false
        << QByteArray("/") << QString();
    QTest::newRow("wss default port")
        << QStringLiteral("wss://example.com/chat") << QByteArray("example.com") << 443 << true
        << QByteArray("/chat") << QString();
    QTest::newRow("query without path")
        << QStringLiteral("ws://h.example?x=1") << QByteArray("h.example") << 80 << false
        << QByteArray("/?x=1") << QString();
    QTest::newRow("empty query kept") << QStringLiteral("ws://h/p?") << QByteArray("h") << 80
                                      << false << QByteArray("/p?") << QString();
    QTest::newRow("unreserved escapes kept")
        << QStringLiteral("ws://h/a%2Fb/%7e?x=%20&y=a+b") << QByteArray("h") << 80 << false
        << QByteArray("/a%2Fb/%7e?x=%20&y=a+b") << QString();
    QTest::newRow("fragment dropped") << QStringLiteral("ws://h/p#frag") << QByteArray("h") << 80
                                      << false << QByteArray("/p") << QString();
    QTest::newRow("non-ascii encoded")
        << QStringLiteral("ws://h/\u00fc?\u00e4=1") << QByteArray("h") << 80 << false
        << QByteArray("/%C3%BC?%C3%A4=1") << QString();
    QTest::newRow("upper-case scheme") << QStringLiteral("WS://H:81/") << QByteArray("h") << 81
                                       << false << QByteArray("/") << QString();
    QTest::newRow("http refused") << QStringLiteral("http://example.com/x") << QByteArray() << 0
                                  << false << QByteArray() << QStringLiteral("ws://example.com/x");
    QTest::newRow("https refused")
        << QStringLiteral("https://example.com/x") << QByteArray() << 0 << false << QByteArray()
        << QStringLiteral("wss://example.com/x");
    QTest::newRow("other scheme") << QStringLiteral("ftp://example.com/") << QByteArray() << 0
                                  << false << QByteArray()
                                  << QStringLiteral("not a WebSocket scheme");
    QTest::newRow("no scheme") << QStringLiteral("example.com:80/x") << QByteArray() << 0 << false
                               << QByteArray() << QStringLiteral("has no scheme");
    QTest::newRow("no host") << QStringLiteral("ws:///x") << QByteArray() << 0 << false
                             << QByteArray() << QStringLiteral("names no host");
}

void TestConnectionSession::urlHandling()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, host);
    QFETCH(int, port);
    QFETCH(bool, secure);
    QFETCH(QByteArray, resource);
    QFETCH(QString, errorContains);

    const WebSocketUrl url = WebSocketUrl::fromText(text);
    if (!errorContains.isEmpty()) {
        QVERIFY(!url.isValid());
        QVERIFY2(url.error.contains(errorContains), qPrintable(url.error));
        SessionOptions options;
        QCOMPARE(options.setUrl(text), url.error);
        return;
    }
    QVERIFY2(url.isValid(), qPrintable(url.error));
    QCOMPARE(url.host, host);
    QCOMPARE(int(url.port), port);
    QCOMPARE(url.secure, secure);
    QCOMPARE(url.resource, resource);

    SessionOptions options;
    QCOMPARE(options.setUrl(text), QString());
    QCOMPARE(options.resource, resource);
    QCOMPARE(options.validate(), QString());
}

void TestConnectionSession::redirectTargets_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<QString>("expected"); // URL, or "!" + part of the error
    QTest::addColumn<QByteArray>("resource");

    QTest::newRow("absolute ws") << QStringLiteral("ws://a/x") << QByteArray("ws://b:81/y?z=%41")
                                 << QStringLiteral("ws://b:81/y?z=A") << QByteArray("/y?z=%41");
    QTest::newRow("http mapped to ws") << QStringLiteral("ws://a/x") << QByteArray("http://b/y")
                                       << QStringLiteral("ws://b/y") << QByteArray("/y");
    QTest::newRow("https mapped to wss") << QStringLiteral("ws://a/x") << QByteArray("https://b/y")
                                         << QStringLiteral("wss://b/y") << QByteArray("/y");
    QTest::newRow("absolute path")
        << QStringLiteral("ws://a:90/x") << QByteArray("/other?%7e")
        << QStringLiteral("ws://a:90/other?~") << QByteArray("/other?%7e");
    QTest::newRow("relative path") << QStringLiteral("ws://a/dir/x") << QByteArray("y")
                                   << QStringLiteral("ws://a/dir/y") << QByteArray("/dir/y");
    QTest::newRow("tls downgrade refused") << QStringLiteral("wss://a/x") << QByteArray("ws://a/y")
                                           << QStringLiteral("!would drop TLS") << QByteArray();
    QTest::newRow("ftp refused") << QStringLiteral("ws://a/x") << QByteArray("ftp://a/y")
                                 << QStringLiteral("!not a WebSocket scheme") << QByteArray();
    QTest::newRow("empty") << QStringLiteral("ws://a/x") << QByteArray()
                           << QStringLiteral("!no Location") << QByteArray();
}

void TestConnectionSession::redirectTargets()
{
    QFETCH(QString, base);
    QFETCH(QByteArray, location);
    QFETCH(QString, expected);
    QFETCH(QByteArray, resource);

    const WebSocketUrl next = WebSocketUrl::resolveRedirect(WebSocketUrl::fromText(base), location);
    if (expected.startsWith(u'!')) {
        QVERIFY(!next.isValid());
        QVERIFY2(next.error.contains(expected.mid(1)), qPrintable(next.error));
        return;
    }
    QVERIFY2(next.isValid(), qPrintable(next.error));
    QCOMPARE(next.url.toString(), expected);
    QCOMPARE(next.resource, resource);
}

void TestConnectionSession::refusesHttpUrlsAtOpen()
{
    SessionOptions options;
    options.url = QUrl(QStringLiteral("http://127.0.0.1:1/x"));
    ConnectionSession session(options);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    const LocalResult result = session.open();
    QVERIFY(!result);
    QVERIFY2(result.message.contains(QStringLiteral("ws://127.0.0.1:1/x")),
             qPrintable(result.message));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::InvalidOptions);
    QCOMPARE(session.state(), ConnectionSession::State::Closed);
    QCOMPARE(recordedEvents(*session.record(), SessionEventKind::Error).size(), 1);
}

void TestConnectionSession::echoesByteExact_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<bool>("text");
    for (const qsizetype size :
         { qsizetype(0), qsizetype(125), qsizetype(64 * 1024), qsizetype(8 * 1024 * 1024) }) {
        for (const bool text : { true, false }) {
            QTest::addRow("%s %lld B", text ? "text" : "binary", qlonglong(size)) << size << text;
        }
    }
}

void TestConnectionSession::echoesByteExact()
{
    QFETCH(qsizetype, size);
    QFETCH(bool, text);

    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(server.url(QStringLiteral("/echo")));
    ConnectionSession session(options);
    MessageCollector collector;
    session.addObserver(&collector);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));

    const QByteArray payload = pattern(size, text);
    QVERIFY(text ? session.sendText(payload) : session.sendBinary(payload));
    QTRY_COMPARE_WITH_TIMEOUT(collector.texts.size() + collector.binaries.size(), 1, 20000);
    const QByteArray echoed = text ? collector.texts.value(0) : collector.binaries.value(0);
    QCOMPARE(echoed.size(), payload.size());
    QVERIFY(echoed == payload);

    // The record has the message too, frame by frame.
    const QList<QByteArray> recorded =
        recordedIncomingMessages(*session.record(), session.generation());
    QCOMPARE(recorded.size(), 1);
    QVERIFY(recorded.first() == payload);
    QCOMPARE(session.stats().messagesIn, quint64(1));
    QCOMPARE(session.stats().bytesIn, quint64(size));
    QCOMPARE(session.stats().bytesOut, quint64(size));
}

void TestConnectionSession::pipelinedSendsArriveInOrder()
{
    // Many sends in one pass of the event loop go out as few large writes (larger than what one
    // write hands the kernel, with a message of several hundred KiB among them); every echo
    // comes back, in order, and the counters and the record agree with what went out.
    EchoServer server;
    QVERIFY(server.listen());
    ConnectionSession session(optionsFor(server.url()));
    MessageCollector collector;
    session.addObserver(&collector);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    const quint64 wireOutBefore = session.stats().wireBytesOut;

    QList<QByteArray> sent;
    quint64 wireBytes = 0;
    for (int i = 0; i < 20000; ++i) {
        const qsizetype size = i == 10000 ? 300 * 1024 : 1 + i % 200;
        sent.append(pattern(size, true) + QByteArray::number(i));
        const qsizetype length = sent.last().size();
        wireBytes += quint64(2 + (length > 125 ? (length > 0xFFFF ? 8 : 2) : 0) + 4 + length);
        QVERIFY(session.sendText(sent.last()));
    }
    QTRY_COMPARE_WITH_TIMEOUT(collector.texts.size(), sent.size(), 30000);
    QVERIFY(collector.texts == sent);
    QCOMPARE(session.stats().wireBytesOut - wireOutBefore, wireBytes);
    QCOMPARE(collector.framesOut, 20000);
    QCOMPARE(collector.framesIn, 20000);
    QCOMPARE(recordedIncomingMessages(*session.record(), session.generation()), sent);
}

void TestConnectionSession::recordsHandshakeBytesAndEvents()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(server.url(QStringLiteral("/chat?room=%41")));
    options.headers.append(HttpHeader { "X-Test", "yes" });
    options.origin = "https://duplex.invalid";
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy grew(&session, &ConnectionSession::recordGrew);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QCOMPARE(opened.first().at(0).value<quint16>(), quint16(1));

    const QByteArray request = session.handshakeRequest();
    QVERIFY2(request.startsWith("GET /chat?room=%41 HTTP/1.1\r\n"), request.constData());
    QVERIFY(request.contains(
        QStringLiteral("\r\nHost: 127.0.0.1:%1\r\n").arg(server.port()).toLatin1()));
    QVERIFY(request.contains("\r\nX-Test: yes\r\n"));
    QVERIFY(request.contains("\r\nOrigin: https://duplex.invalid\r\n"));
    QVERIFY(request.endsWith("\r\n\r\n"));
    const QByteArray response = session.handshakeResponse();
    QVERIFY2(response.startsWith("HTTP/1.1 101"), response.constData());
    QVERIFY(response.endsWith("\r\n\r\n"));
    QCOMPARE(session.stats().wireBytesOut, quint64(request.size()));

    // The record starts with "connecting" then "open"; both of generation 1.
    const SessionRecord &record = *session.record();
    QVERIFY(record.size() >= 2);
    QCOMPARE(record.entry(0).group, quint32(SessionEventKind::Connecting));
    QCOMPARE(record.entry(1).group, quint32(SessionEventKind::Open));
    QCOMPARE(record.entry(1).generation, quint16(1));
    const QJsonObject open =
        QJsonDocument::fromJson(record.data(record.entry(1)).toByteArray()).object();
    QCOMPARE(open.value(QStringLiteral("event")).toString(), QStringLiteral("open"));
    QCOMPARE(open.value(QStringLiteral("status")).toInt(), 101);
    QVERIFY(record.data(record.entry(1)).startsWith("{\"event\":\"open\",\"status\":101,"));
    QVERIFY(session.timings().connectUs >= 0);
    QCOMPARE(session.timings().dnsUs, qint64(0)); // an IP literal needs no lookup
    QVERIFY(session.timings().handshakeUs >= 0);
    QVERIFY(!grew.isEmpty());
    QCOMPARE(grew.last().at(0).value<qsizetype>(), record.size());
}

void TestConnectionSession::keepsResourceByteForByteOverIpv6()
{
    RawServer server(RawServer::accept);
    if (!server.listen(QHostAddress::LocalHostIPv6))
        QSKIP("no IPv6 loopback here");
    SessionOptions options = optionsFor(QStringLiteral("ws://[::1]:%1/p?q=%41").arg(server.port()));
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QCOMPARE(server.requests().size(), 1);
    const QByteArray request = server.requests().first();
    QVERIFY2(request.startsWith("GET /p?q=%41 HTTP/1.1\r\n"), request.constData());
    QVERIFY(
        request.contains(QStringLiteral("\r\nHost: [::1]:%1\r\n").arg(server.port()).toLatin1()));
    QCOMPARE(session.handshakeRequest(), request);
}

void TestConnectionSession::closeInitiatedByClient()
{
    EchoServer server;
    QVERIFY(server.listen());
    ConnectionSession session(optionsFor(server.url()));
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy closed(&session, &ConnectionSession::closed);
    QSignalSpy finished(&session, &ConnectionSession::finished);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QVERIFY(session.close(CloseCode::Normal, "bye"));
    QCOMPARE(session.state(), ConnectionSession::State::Closing);
    QVERIFY(closed.wait(5000));
    const auto info = closed.first().at(0).value<CloseInfo>();
    QCOMPARE(info.origin, CloseOrigin::Local);
    QCOMPARE(info.code, CloseCode::Normal);
    QCOMPARE(info.reason, QByteArray("bye"));
    QVERIFY(info.clean);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(session.state(), ConnectionSession::State::Closed);
    QCOMPARE(session.error(), SessionError::None);
    QTRY_COMPARE(server.closeCodes().size(), 1);
    QCOMPARE(server.closeCodes().first(), QWebSocketProtocol::CloseCodeNormal);

    const QList<QJsonObject> closes = recordedEvents(*session.record(), SessionEventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.first().value(QStringLiteral("code")).toInt(), 1000);
    QCOMPARE(closes.first().value(QStringLiteral("reason")).toString(), QStringLiteral("bye"));
    QCOMPARE(closes.first().value(QStringLiteral("clean")).toBool(), true);
    QCOMPARE(closes.first().value(QStringLiteral("origin")).toString(), QStringLiteral("local"));
}

void TestConnectionSession::closeInitiatedByServer()
{
    EchoServer server;
    QVERIFY(server.listen());
    ConnectionSession session(optionsFor(server.url()));
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy closed(&session, &ConnectionSession::closed);
    QSignalSpy finished(&session, &ConnectionSession::finished);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QTRY_COMPARE(server.clients().size(), 1);
    server.clients().first()->close(QWebSocketProtocol::CloseCodeGoingAway,
                                    QStringLiteral("restart"));
    QVERIFY(closed.wait(5000));
    const auto info = closed.first().at(0).value<CloseInfo>();
    QCOMPARE(info.origin, CloseOrigin::Remote);
    QCOMPARE(info.code, CloseCode::GoingAway);
    QCOMPARE(info.reason, QByteArray("restart"));
    QVERIFY(info.clean);
    // Reconnect is off: the session is done.
    QCOMPARE(finished.size(), 1);
    QCOMPARE(session.state(), ConnectionSession::State::Closed);

    // Both close frames are in the record, the server's first.
    const SessionRecord &record = *session.record();
    QList<Direction> closeFrames;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type == RecordType::Frame && (entry.firstByte & 0x0F) == 0x8)
            closeFrames.append(entry.direction);
    }
    QCOMPARE(closeFrames, (QList<Direction> { Direction::Incoming, Direction::Outgoing }));
}

void TestConnectionSession::sendsConfiguredMessagesAfterOpen()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(server.url());
    options.sendAfterOpen = { { false, "subscribe" }, { true, QByteArray("\x00\x01", 2) } };
    ConnectionSession session(options);
    MessageCollector collector;
    session.addObserver(&collector);
    QVERIFY(session.open());
    QTRY_COMPARE_WITH_TIMEOUT(collector.texts.size() + collector.binaries.size(), 2, 5000);
    QCOMPARE(collector.texts, QList<QByteArray> { "subscribe" });
    QCOMPARE(collector.binaries, QList<QByteArray> { QByteArray("\x00\x01", 2) });
}

void TestConnectionSession::reportsKeepaliveRoundTrip()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(server.url());
    options.keepalive.pingIntervalMs = 50;
    options.keepalive.pongTimeoutMs = 2000;
    ConnectionSession session(options);
    QSignalSpy pongs(&session, &ConnectionSession::pongReceived);
    QVERIFY(session.open());
    QTRY_VERIFY_WITH_TIMEOUT(pongs.size() >= 2, 5000);
    const qint64 rtt = pongs.first().at(0).value<qint64>();
    QVERIFY(rtt >= 0);
    QVERIFY(rtt < 2'000'000);
    QCOMPARE(session.lastRttUs(), pongs.last().at(0).value<qint64>());
    QVERIFY(recordedEvents(*session.record(), SessionEventKind::Pong).size() >= 2);
    QCOMPARE(session.state(), ConnectionSession::State::Open);

    // A ping of our own is matched by its payload too.
    pongs.clear();
    QVERIFY(session.sendPing("mine"));
    QVERIFY(pongs.wait(5000));
    QVERIFY(pongs.first().at(0).value<qint64>() >= 0);
}

void TestConnectionSession::detectsPeerThatStopsAnsweringPings()
{
    RawServer server(RawServer::accept); // opens, then ignores everything
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port()));
    options.keepalive.pingIntervalMs = 100;
    options.keepalive.pongTimeoutMs = 400;
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy closed(&session, &ConnectionSession::closed);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(errors.wait(5000));
    const qint64 elapsed = clock.elapsed();
    // The first ping goes out after 100 ms; the timeout is 400 ms after that.
    QVERIFY2(elapsed >= 450 && elapsed < 2000, qPrintable(QString::number(elapsed)));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::KeepaliveTimeout);
    QCOMPARE(errors.first().at(1).toString(),
             QStringLiteral("no pong within 400 ms: the connection is considered dead"));
    QCOMPARE(closed.size(), 1);
    const auto info = closed.first().at(0).value<CloseInfo>();
    QCOMPARE(info.code, CloseCode::Abnormal);
    QVERIFY(!info.clean);
    QCOMPARE(session.state(), ConnectionSession::State::Closed);
    // The ping did go out.
    QVERIFY(server.afterRequest().size() >= 2 + 4 + 10);
    QCOMPARE(quint8(server.afterRequest().at(0)), quint8(0x89));
}

void TestConnectionSession::keepaliveSurvivesManyOwnPings()
{
    RawServer server(RawServer::accept); // answers nothing unless told to
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port()));
    options.keepalive.pingIntervalMs = 50;
    options.keepalive.pongTimeoutMs = 3000;
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy pongs(&session, &ConnectionSession::pongReceived); // matched pongs only
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    // The keepalive ping: 0x89, masked length 10, key, masked payload.
    QTRY_VERIFY(server.afterRequest().size() >= 16);
    const QByteArray ping = server.afterRequest().first(16);
    QCOMPARE(quint8(ping.at(0)), quint8(0x89));
    QByteArray payload = ping.sliced(6);
    for (int i = 0; i < payload.size(); ++i)
        payload[i] = char(payload.at(i) ^ ping.at(2 + i % 4));
    // Many pings of our own while the keepalive one is outstanding do not make it forgotten.
    for (int i = 0; i < 40; ++i)
        QVERIFY(session.sendPing(QByteArray::number(i)));
    server.send(QByteArray::fromHex("8a0a") + payload);
    QVERIFY(pongs.wait(2000));
    QCOMPARE(pongs.size(), 1);
    QCOMPARE(errors.size(), 0);
    QCOMPARE(session.state(), ConnectionSession::State::Open);
    session.abort();
}

void TestConnectionSession::dropsConnectionWhenCloseIsNotAnswered()
{
    RawServer server(RawServer::accept);
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port()));
    options.timeouts.closeMs = 300;
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy closed(&session, &ConnectionSession::closed);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(session.close(CloseCode::Normal, "done"));
    QVERIFY(closed.wait(5000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= 280 && elapsed < 2000, qPrintable(QString::number(elapsed)));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::CloseTimeout);
    QVERIFY(errors.first().at(1).toString().startsWith(QStringLiteral("close: ")));
    const auto info = closed.first().at(0).value<CloseInfo>();
    QCOMPARE(info.code, CloseCode::Abnormal);
    QVERIFY(!info.clean);
    // Our close frame was sent (masked, code 1000, "done").
    QTRY_VERIFY(server.afterRequest().size() >= 2 + 4 + 6);
    QCOMPARE(quint8(server.afterRequest().at(0)), quint8(0x88));
}

void TestConnectionSession::failsPeerThatBreaksTheProtocol()
{
    // The server masks a frame, which only clients may do (RFC 6455 section 5.1).
    RawServer server([](const QByteArray &request) {
        return RawServer::accept(request) + QByteArray::fromHex("818501020304") + "Hello";
    });
    QVERIFY(server.listen());
    ConnectionSession session(optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port())));
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy closed(&session, &ConnectionSession::closed);
    QVERIFY(session.open());
    QVERIFY(closed.wait(5000));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::ProtocolViolation);
    QVERIFY(errors.first().at(1).toString().startsWith(QStringLiteral("protocol: ")));
    const auto info = closed.first().at(0).value<CloseInfo>();
    QCOMPARE(info.origin, CloseOrigin::Local);
    QCOMPARE(info.code, CloseCode::ProtocolError);
    QVERIFY(info.violation.has_value());

    // Our close frame with 1002 reaches the peer before the connection goes.
    QTRY_VERIFY(server.afterRequest().size() >= 2 + 4 + 2);
    const QByteArray frame = server.afterRequest();
    QCOMPARE(quint8(frame.at(0)), quint8(0x88));
    QVERIFY(quint8(frame.at(1)) & 0x80);
    const quint16 code = quint16(((quint8(frame.at(6)) ^ quint8(frame.at(2))) << 8)
                                 | (quint8(frame.at(7)) ^ quint8(frame.at(3))));
    QCOMPARE(code, CloseCode::ProtocolError);
}

void TestConnectionSession::connectRefusedNamesTheEndpoint()
{
    const quint16 port = freePort();
    ConnectionSession session(optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy finished(&session, &ConnectionSession::finished);
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::Connect);
    QCOMPARE(errors.first().at(1).toString(),
             QStringLiteral("could not connect to 127.0.0.1:%1: connection refused").arg(port));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(isOpeningError(session.error()));
}

// Objects listening to the session's signals are destroyed in any number and order (a closed
// tab's views), and the session keeps signalling whoever still listens. Qt tells the session of
// each disconnection while holding a lock of its own: asking Qt anything there deadlocked
// whenever the listener and the session shared one of Qt's pooled locks.
void TestConnectionSession::listenersComeAndGo()
{
    const quint16 port = freePort();
    ConnectionSession session(optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    for (int round = 0; round < 4; ++round) {
        std::vector<std::unique_ptr<QObject>> listeners;
        for (int i = 0; i < 500; ++i) {
            listeners.push_back(std::make_unique<QObject>());
            QObject *listener = listeners.back().get();
            connect(&session, &ConnectionSession::recordGrew, listener, [] {});
            connect(&session, &ConnectionSession::pongReceived, listener, [] {});
        }
        listeners.clear();
    }
    // Nobody listens now; one new listener hears the record grow.
    QSignalSpy grew(&session, &ConnectionSession::recordGrew);
    QSignalSpy finished(&session, &ConnectionSession::finished);
    QVERIFY(session.open());
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!grew.isEmpty());
    QCOMPARE(grew.last().at(0).value<qsizetype>(), session.record()->size());
}

void TestConnectionSession::connectTimeoutOnFullBacklog()
{
    // A listening socket whose accept queue is full: the kernel drops further SYNs, so a
    // connect neither succeeds nor fails until the session's timeout.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(listener >= 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    QCOMPARE(::listen(listener, 0), 0);
    socklen_t length = sizeof address;
    QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length), 0);
    const quint16 port = ntohs(address.sin_port);
    QList<QTcpSocket *> fillers;
    for (int i = 0; i < 4; ++i) {
        auto *filler = new QTcpSocket(this);
        filler->connectToHost(QHostAddress::LocalHost, port);
        fillers.append(filler);
    }
    QTest::qWait(200);

    SessionOptions options = optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.timeouts.connectMs = 300;
    ConnectionSession session(options);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    const qint64 elapsed = clock.elapsed();
    qDeleteAll(fillers);
    ::close(listener);
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::ConnectTimeout);
    QCOMPARE(errors.first().at(1).toString(),
             QStringLiteral("could not connect to 127.0.0.1:%1 within 300 ms").arg(port));
    QVERIFY2(elapsed >= 280 && elapsed < 2000, qPrintable(QString::number(elapsed)));
}

void TestConnectionSession::handshakeTimeoutOnSilentServer()
{
    RawServer server([](const QByteArray &) { return QByteArray(); });
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port()));
    options.timeouts.handshakeMs = 300;
    ConnectionSession session(options);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::HandshakeTimeout);
    QCOMPARE(
        errors.first().at(1).toString(),
        QStringLiteral("handshake: 127.0.0.1:%1 did not answer the opening handshake within 300 ms")
            .arg(server.port()));
}

void TestConnectionSession::handshakeRefusalNamesTheStatus()
{
    RawServer server([](const QByteArray &) {
        return QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here\n");
    });
    QVERIFY(server.listen());
    ConnectionSession session(optionsFor(QStringLiteral("ws://127.0.0.1:%1/x").arg(server.port())));
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::HandshakeRejected);
    QCOMPARE(errors.first().at(1).toString(),
             QStringLiteral("handshake: the server answered 404 Not Found instead of 101 Switching "
                            "Protocols"));
    QCOMPARE(session.handshakeResponse(),
             QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here\n"));
}

void TestConnectionSession::redirectsAreRefusedByDefault()
{
    RawServer server([](const QByteArray &) {
        return QByteArray("HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:1/\r\nContent-Length: "
                          "0\r\n\r\n");
    });
    QVERIFY(server.listen());
    ConnectionSession session(optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port())));
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy redirected(&session, &ConnectionSession::redirected);
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::HandshakeRejected);
    const QString message = errors.first().at(1).toString();
    QVERIFY2(message.contains(QStringLiteral("302 Found")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("redirects is off")), qPrintable(message));
    QCOMPARE(redirected.size(), 0);
}

void TestConnectionSession::followsRedirectWhenEnabled()
{
    EchoServer target;
    QVERIFY(target.listen());
    const quint16 targetPort = target.port();
    RawServer server([targetPort](const QByteArray &) {
        // An http:// Location is mapped to ws://.
        return QStringLiteral("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%1/target?a=%41\r\n"
                              "Content-Length: 0\r\n\r\n")
            .arg(targetPort)
            .toLatin1();
    });
    QVERIFY(server.listen());
    SessionOptions options =
        optionsFor(QStringLiteral("ws://127.0.0.1:%1/start").arg(server.port()));
    options.redirects.follow = true;
    ConnectionSession session(options);
    MessageCollector collector;
    session.addObserver(&collector);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy redirected(&session, &ConnectionSession::redirected);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QCOMPARE(redirected.size(), 1);
    QCOMPARE(redirected.first().at(2).toInt(), 302);
    QCOMPARE(redirected.first().at(1).toUrl().port(), int(targetPort));
    QCOMPARE(session.redirectChain().size(), 1);
    QVERIFY(session.handshakeRequest().startsWith("GET /target?a=%41 HTTP/1.1\r\n"));
    const QList<QJsonObject> hops = recordedEvents(*session.record(), SessionEventKind::Redirect);
    QCOMPARE(hops.size(), 1);
    QCOMPARE(hops.first().value(QStringLiteral("status")).toInt(), 302);
    QVERIFY(session.sendText("after redirect"));
    QTRY_COMPARE(collector.texts, QList<QByteArray> { "after redirect" });
}

void TestConnectionSession::stopsAfterTooManyRedirects()
{
    quint16 port = 0;
    RawServer server([&port](const QByteArray &) {
        return QStringLiteral(
                   "HTTP/1.1 307 Temporary Redirect\r\nLocation: ws://127.0.0.1:%1/again\r\n"
                   "Content-Length: 0\r\n\r\n")
            .arg(port)
            .toLatin1();
    });
    QVERIFY(server.listen());
    port = server.port();
    SessionOptions options = optionsFor(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.redirects.follow = true;
    options.redirects.maxHops = 3;
    ConnectionSession session(options);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QSignalSpy redirected(&session, &ConnectionSession::redirected);
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::Redirect);
    QCOMPARE(redirected.size(), 3);
    QCOMPARE(server.connectionCount(), 4);
    QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("more than 3 redirects")));
}

void TestConnectionSession::reconnectsAfterServerRestart()
{
    EchoServer server;
    QVERIFY(server.listen());
    const quint16 port = server.port();
    SessionOptions options = optionsFor(server.url());
    options.reconnect.enabled = true;
    options.reconnect.backoff.initialDelayMs = 100;
    options.reconnect.backoff.multiplier = 2.0;
    options.reconnect.backoff.maxDelayMs = 1000;
    options.reconnect.backoff.jitter = Jitter::Full;
    options.reconnect.backoff.maxAttempts = 10;
    options.sendAfterOpen = { { false, "hello" } };
    ConnectionSession session(options);
    session.reconnectController()->setRandomSource([] { return 0.5; });
    MessageCollector collector;
    session.addObserver(&collector);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy scheduled(&session, &ConnectionSession::reconnectScheduled);
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    for (int i = 0; i < 20; ++i)
        QVERIFY(session.sendText(QByteArray("before ") + QByteArray::number(i)));
    QTRY_COMPARE(collector.texts.size(), 21);

    // Kill the server, let two attempts fail, then bring it back on the same port.
    server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 3, 5000);
    EchoServer restarted;
    QVERIFY(restarted.listen(port));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 2, 5000);
    QCOMPARE(opened.at(1).at(0).value<quint16>(), quint16(session.generation()));
    QVERIFY(session.generation() > 1);
    QTRY_COMPARE(collector.texts.size(), 22); // "hello" was sent again and echoed

    // The reported delays follow the policy: full jitter at 0.5 halves 100, 200, 400, ...
    BackoffPolicy policy = options.reconnect.backoff;
    const QList<QJsonObject> events =
        recordedEvents(*session.record(), SessionEventKind::Reconnect);
    QCOMPARE(events.size(), scheduled.size());
    for (qsizetype i = 0; i < scheduled.size(); ++i) {
        const int attempt = scheduled.at(i).at(0).toInt();
        const qint64 delay = scheduled.at(i).at(1).value<qint64>();
        QCOMPARE(attempt, int(i + 1));
        QCOMPARE(delay, policy.delayFor(attempt, [] { return 0.5; }));
        QCOMPARE(events.at(i).value(QStringLiteral("attempt")).toInt(), attempt);
        QCOMPARE(qint64(events.at(i).value(QStringLiteral("delayMs")).toInteger()), delay);
    }
    QCOMPARE(scheduled.at(0).at(1).value<qint64>(), qint64(50));
    QCOMPARE(scheduled.at(1).at(1).value<qint64>(), qint64(100));
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::ConnectionLost);

    // Nothing received before the drop is missing from the record.
    const QList<QByteArray> first = recordedIncomingMessages(*session.record(), 1);
    QCOMPARE(first.size(), 21);
    QCOMPARE(first.first(), QByteArray("hello"));
    for (int i = 0; i < 20; ++i)
        QCOMPARE(first.at(i + 1), QByteArray("before ") + QByteArray::number(i));
    QCOMPARE(recordedIncomingMessages(*session.record(), session.generation()),
             QList<QByteArray> { "hello" });
    QCOMPARE(session.state(), ConnectionSession::State::Open);
    QVERIFY(session.close());
}

void TestConnectionSession::noReconnectAfterNormalClose()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(server.url());
    options.reconnect.enabled = true;
    options.reconnect.backoff.initialDelayMs = 10;
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy finished(&session, &ConnectionSession::finished);
    QSignalSpy scheduled(&session, &ConnectionSession::reconnectScheduled);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QTRY_COMPARE(server.clients().size(), 1);
    // 1008 (policy violation) is not in the default list.
    server.clients().first()->close(QWebSocketProtocol::CloseCodePolicyViolated,
                                    QStringLiteral("no"));
    QVERIFY(finished.wait(5000));
    QCOMPARE(scheduled.size(), 0);

    // 1012 (service restart) is.
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QTRY_COMPARE(server.clients().size(), 1);
    server.clients().first()->close(QWebSocketProtocol::CloseCode(1012), QStringLiteral("restart"));
    QVERIFY(scheduled.wait(5000));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 3, 5000);
    // The user's own close never reconnects.
    QVERIFY(session.close());
    QVERIFY(finished.wait(5000));
    QCOMPARE(scheduled.size(), 1);
}

void TestConnectionSession::abortStopsEverything()
{
    EchoServer server;
    QVERIFY(server.listen());
    SessionOptions options = optionsFor(server.url());
    options.reconnect.enabled = true;
    ConnectionSession session(options);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QSignalSpy closed(&session, &ConnectionSession::closed);
    QSignalSpy finished(&session, &ConnectionSession::finished);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    session.abort();
    QCOMPARE(closed.size(), 1);
    QCOMPARE(closed.first().at(0).value<CloseInfo>().origin, CloseOrigin::Local);
    QCOMPARE(closed.first().at(0).value<CloseInfo>().code, CloseCode::Abnormal);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(session.state(), ConnectionSession::State::Closed);
    QTRY_COMPARE(server.closeCodes().size(), 1);
    QVERIFY(!session.sendText("late"));
}

void TestConnectionSession::worksOnWorkerThread()
{
    EchoServer server;
    QVERIFY(server.listen());
    QThread worker;
    worker.start();
    auto *session = new ConnectionSession(optionsFor(server.url()));
    session->setMessageSignalsEnabled(true);
    session->moveToThread(&worker);
    QSignalSpy opened(session, &ConnectionSession::opened);
    QSignalSpy messages(session, &ConnectionSession::messageReceived);
    QSignalSpy finished(session, &ConnectionSession::finished);
    QMetaObject::invokeMethod(session, [session] { session->open(); });
    QVERIFY(opened.wait(5000));
    QMetaObject::invokeMethod(session, [session] { session->sendText("from the worker"); });
    QVERIFY(messages.wait(5000));
    QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("from the worker"));
    QCOMPARE(messages.first().at(1).toBool(), true);
    // Values of our own types cross the thread boundary in queued connections.
    QObject receiver;
    CloseInfo received;
    SessionError lastError = SessionError::Tls;
    connect(session, &ConnectionSession::closed, &receiver,
            [&](const CloseInfo &info, quint16) { received = info; });
    connect(session, &ConnectionSession::stateChanged, &receiver,
            [&](ConnectionSession::State, quint16) { lastError = SessionError::None; });
    QMetaObject::invokeMethod(session, [session] { session->close(CloseCode::Normal, "done"); });
    QVERIFY(finished.wait(5000));
    QTRY_COMPARE(received.reason, QByteArray("done"));
    QCOMPARE(received.code, CloseCode::Normal);
    QCOMPARE(lastError, SessionError::None);
    QMetaObject::invokeMethod(session, &QObject::deleteLater);
    worker.quit();
    QVERIFY(worker.wait(5000));
}

void TestConnectionSession::connectsThroughHttpProxy()
{
    EchoServer server;
    QVERIFY(server.listen());
    ConnectProxy proxy;
    QVERIFY(proxy.listen());
    // "localhost" goes to the proxy as a name: the session does not resolve it itself.
    SessionOptions options = optionsFor(QStringLiteral("ws://localhost:%1/p").arg(server.port()));
    options.proxy =
        *ProxyOptions::fromUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port())));
    QCOMPARE(options.proxy.type, ProxyType::HttpConnect);
    ConnectionSession session(options);
    MessageCollector collector;
    session.addObserver(&collector);
    QSignalSpy opened(&session, &ConnectionSession::opened);
    QVERIFY(session.open());
    QVERIFY(opened.wait(5000));
    QCOMPARE(proxy.targets(),
             QList<QByteArray> { QStringLiteral("localhost:%1").arg(server.port()).toLatin1() });
    QCOMPARE(session.timings().dnsUs, qint64(-1));
    const QByteArray payload = pattern(100000, false);
    QVERIFY(session.sendBinary(payload));
    QTRY_COMPARE(collector.binaries.size(), 1);
    QVERIFY(collector.binaries.first() == payload);
    const QJsonObject connecting =
        recordedEvents(*session.record(), SessionEventKind::Connecting).value(0);
    QCOMPARE(connecting.value(QStringLiteral("proxy")).toString(),
             QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));

    // A proxy that is not there is named as such.
    SessionOptions broken = options;
    broken.proxy.port = freePort();
    ConnectionSession failing(broken);
    QSignalSpy errors(&failing, &ConnectionSession::errorOccurred);
    QVERIFY(failing.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::Proxy);
    QVERIFY2(errors.first().at(1).toString().contains(QStringLiteral("through the proxy")),
             qPrintable(errors.first().at(1).toString()));
}

bool TestConnectionSession::makeCertificate()
{
    if (!m_certFile.isEmpty())
        return true;
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty() || !m_tlsDir.isValid() || !QSslSocket::supportsSsl())
        return false;
    const QString cert = m_tlsDir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_tlsDir.filePath(QStringLiteral("key.pem"));
    QProcess process;
    process.start(openssl,
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=duplex test"), QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost") });
    if (!process.waitForFinished(20000) || process.exitCode() != 0)
        return false;
    m_certFile = cert;
    m_keyFile = key;
    return true;
}

void TestConnectionSession::tlsUnknownAuthorityFailsClearly()
{
    if (!makeCertificate())
        QSKIP("openssl or TLS support is not available");
    EchoServer server(QWebSocketServer::SecureMode);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate::fromPath(m_certFile).value(0));
    QFile keyFile(m_keyFile);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    configuration.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.server().setSslConfiguration(configuration);
    QVERIFY(server.listen());

    ConnectionSession session(optionsFor(server.url()));
    QSignalSpy errors(&session, &ConnectionSession::errorOccurred);
    QVERIFY(session.open());
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<SessionError>(), SessionError::Tls);
    const QString message = errors.first().at(1).toString();
    QVERIFY2(message.startsWith(QStringLiteral("TLS: the certificate of 127.0.0.1 is signed by an "
                                               "unknown authority (")),
             qPrintable(message));
}

void TestConnectionSession::tlsSucceedsWithCaOrPermission()
{
    if (!makeCertificate())
        QSKIP("openssl or TLS support is not available");
    EchoServer server(QWebSocketServer::SecureMode);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate::fromPath(m_certFile).value(0));
    QFile keyFile(m_keyFile);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    configuration.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.server().setSslConfiguration(configuration);
    QVERIFY(server.listen());

    {
        // Trusted through the extra CA file (the certificate is its own CA).
        SessionOptions options = optionsFor(server.url());
        options.tls.caFiles = { m_certFile };
        ConnectionSession session(options);
        MessageCollector collector;
        session.addObserver(&collector);
        QSignalSpy opened(&session, &ConnectionSession::opened);
        QSignalSpy warnings(&session, &ConnectionSession::warningOccurred);
        QVERIFY(session.open());
        QVERIFY(opened.wait(5000));
        QVERIFY(session.tlsInfo().encrypted);
        QVERIFY(!session.tlsInfo().protocol.isEmpty());
        QVERIFY(!session.tlsInfo().cipher.isEmpty());
        QVERIFY(session.tlsInfo().ignoredErrors.isEmpty());
        QVERIFY(session.timings().tlsUs >= 0);
        QCOMPARE(warnings.size(), 0);
        QVERIFY(session.sendBinary(pattern(70000, false)));
        QTRY_COMPARE(collector.binaries.size(), 1);
        QVERIFY(collector.binaries.first() == pattern(70000, false));
        const QJsonObject open = recordedEvents(*session.record(), SessionEventKind::Open).value(0);
        QCOMPARE(open.value(QStringLiteral("tls"))
                     .toObject()
                     .value(QStringLiteral("protocol"))
                     .toString(),
                 session.tlsInfo().protocol);
    }
    {
        // Untrusted, but allowed for this connection: the ignored errors are still reported.
        SessionOptions options = optionsFor(server.url());
        options.tls.allowInvalidCertificates = true;
        ConnectionSession session(options);
        QSignalSpy opened(&session, &ConnectionSession::opened);
        QSignalSpy warnings(&session, &ConnectionSession::warningOccurred);
        QVERIFY(session.open());
        QVERIFY(opened.wait(5000));
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings.first().at(0).toString().contains(QStringLiteral("unknown authority")));
        QVERIFY(!session.tlsInfo().ignoredErrors.isEmpty());
        QCOMPARE(recordedEvents(*session.record(), SessionEventKind::Tls).size(), 1);
    }
}

QTEST_MAIN(TestConnectionSession)
#include "tst_connectionsession.moc"
