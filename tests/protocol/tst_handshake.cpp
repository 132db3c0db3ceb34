// The opening handshake: the request builder, the response validator (accept and refuse cases)
// and the client Connection reading a response fed in every possible split.

#include "EventLog.h"
#include "core/protocol/Connection.h"
#include "core/protocol/Handshake.h"

#include <QTest>

using namespace duplex;
using namespace duplex::test;

namespace {

// RFC 6455 section 1.3.
constexpr char RfcKey[] = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr char RfcAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

HandshakeRequest request()
{
    HandshakeRequest request;
    request.host = "server.example.com";
    request.resource = "/chat";
    request.origin = "http://example.com";
    request.subprotocols = { "chat", "superchat" };
    return request;
}

QByteArray response(const QByteArray &extraHeaders = {},
                    const QByteArray &status = "101 Switching Protocols",
                    const QByteArray &accept = RfcAccept)
{
    return "HTTP/1.1 " + status + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + (accept.isEmpty() ? QByteArray() : "Sec-WebSocket-Accept: " + accept + "\r\n")
        + extraHeaders + "\r\n";
}

QStringList runClient(const HandshakeRequest &req, const QByteArray &input, qsizetype split,
                      bool eof, const Limits &limits = {})
{
    Connection connection(Role::Client, limits);
    if (!connection.initiate(req, RfcKey))
        return { QStringLiteral("initiate failed") };
    return feed(connection, input, { split }, eof);
}

} // namespace

class TestHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcAcceptKey();
    void generatedKeys();
    void requestBytes();
    void hostHeader_data();
    void hostHeader();
    void requestRefusesConflicts_data();
    void requestRefusesConflicts();
    void validation_data();
    void validation();
    void clientReadsResponse_data();
    void clientReadsResponse();
    void refusalReportsStatusHeadersAndBody();
    void server_data();
    void server();
    void serverAcceptsAndRejects();
};

void TestHandshake::rfcAcceptKey()
{
    QCOMPARE(acceptKeyFor(RfcKey), QByteArray(RfcAccept));
}

void TestHandshake::generatedKeys()
{
    const QByteArray a = generateHandshakeKey();
    const QByteArray b = generateHandshakeKey();
    QCOMPARE(a.size(), 24);
    QCOMPARE(QByteArray::fromBase64(a).size(), 16);
    QVERIFY(a != b);
}

void TestHandshake::requestBytes()
{
    HandshakeRequest req = request();
    req.headers = { { "Authorization", "Bearer t" } };
    req.extensions = { "x-test; a=1" };
    const BuiltRequest built = buildHandshakeRequest(req, RfcKey);
    QVERIFY2(built.error.isEmpty(), qPrintable(built.error));
    QCOMPARE(built.bytes,
             QByteArray("GET /chat HTTP/1.1\r\n"
                        "Host: server.example.com\r\n"
                        "Upgrade: websocket\r\n"
                        "Connection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n"
                        "Origin: http://example.com\r\n"
                        "Sec-WebSocket-Protocol: chat, superchat\r\n"
                        "Sec-WebSocket-Extensions: x-test; a=1\r\n"
                        "Authorization: Bearer t\r\n"
                        "\r\n"));
}

void TestHandshake::hostHeader_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("secure");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("default ws port") << QByteArray("a.test") << 80 << false << QByteArray("a.test");
    QTest::newRow("no port") << QByteArray("a.test") << 0 << false << QByteArray("a.test");
    QTest::newRow("default wss port")
        << QByteArray("a.test") << 443 << true << QByteArray("a.test");
    QTest::newRow("443 on ws") << QByteArray("a.test") << 443 << false << QByteArray("a.test:443");
    QTest::newRow("other port") << QByteArray("127.0.0.1") << 9001 << false
                                << QByteArray("127.0.0.1:9001");
    QTest::newRow("ipv6") << QByteArray("::1") << 8080 << false << QByteArray("[::1]:8080");
    QTest::newRow("ipv6 default") << QByteArray("fe80::1") << 0 << true << QByteArray("[fe80::1]");
}

void TestHandshake::hostHeader()
{
    QFETCH(QByteArray, host);
    QFETCH(int, port);
    QFETCH(bool, secure);
    QFETCH(QByteArray, expected);
    HandshakeRequest req;
    req.host = host;
    req.port = quint16(port);
    req.secure = secure;
    QCOMPARE(req.hostHeaderValue(), expected);
}

void TestHandshake::requestRefusesConflicts_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("mentions");
    for (const char *owned :
         { "Host", "upgrade", "Connection", "Sec-WebSocket-Key", "sec-websocket-version",
           "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions" }) {
        QTest::newRow(owned) << QByteArray(owned) << QByteArray("x") << QString::fromLatin1(owned);
    }
    QTest::newRow("origin twice") << QByteArray("Origin") << QByteArray("http://other")
                                  << QStringLiteral("Origin");
    QTest::newRow("bad name") << QByteArray("Bad Name") << QByteArray("x")
                              << QStringLiteral("Bad Name");
    QTest::newRow("line break in value")
        << QByteArray("X-A") << QByteArray("1\r\nX-B: 2") << QStringLiteral("X-A");
}

void TestHandshake::requestRefusesConflicts()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QString, mentions);
    HandshakeRequest req = request();
    req.headers = { { name, value } };
    const BuiltRequest built = buildHandshakeRequest(req, RfcKey);
    QVERIFY(built.bytes.isEmpty());
    QVERIFY2(built.error.contains(mentions), qPrintable(built.error));

    Connection connection(Role::Client);
    const LocalResult result = connection.initiate(req);
    QCOMPARE(result.error, LocalError::InvalidRequest);
    QVERIFY(connection.pendingOutput().isEmpty());
}

void TestHandshake::validation_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("valid") << response() << int(HandshakeError::None) << QString();
    QTest::newRow("valid, tokens in lists and other case")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                      "connection: keep-alive, UPGRADE\r\nsec-websocket-accept: ")
            + RfcAccept + "\r\n\r\n"
        << int(HandshakeError::None) << QString();
    QTest::newRow("valid with chosen subprotocol")
        << response("Sec-WebSocket-Protocol: superchat\r\n") << int(HandshakeError::None)
        << QString();
    QTest::newRow("not 101") << response({}, "200 OK") << int(HandshakeError::UnexpectedStatus)
                             << QStringLiteral("200 OK");
    QTest::newRow("redirect") << response("Location: ws://elsewhere/\r\n", "302 Found")
                              << int(HandshakeError::UnexpectedStatus)
                              << QStringLiteral("ws://elsewhere/");
    QTest::newRow("missing upgrade")
        << QByteArray(
               "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
            + RfcAccept + "\r\n\r\n"
        << int(HandshakeError::MissingUpgrade) << QStringLiteral("Upgrade");
    QTest::newRow("wrong upgrade")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: ")
            + RfcAccept + "\r\n\r\n"
        << int(HandshakeError::MissingUpgrade) << QStringLiteral("h2c");
    QTest::newRow("connection without upgrade")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                      "keep-alive\r\n"
                      "Sec-WebSocket-Accept: ")
            + RfcAccept + "\r\n\r\n"
        << int(HandshakeError::MissingConnectionUpgrade) << QStringLiteral("keep-alive");
    QTest::newRow("missing accept")
        << response({}, "101 Switching Protocols", {}) << int(HandshakeError::MissingAccept)
        << QStringLiteral("Sec-WebSocket-Accept");
    QTest::newRow("wrong accept") << response({}, "101 Switching Protocols",
                                              "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                                  << int(HandshakeError::WrongAccept)
                                  << QString::fromLatin1(RfcAccept);
    QTest::newRow("accept twice") << response(QByteArray("Sec-WebSocket-Accept: ") + RfcAccept
                                              + "\r\n")
                                  << int(HandshakeError::WrongAccept)
                                  << QStringLiteral("Sec-WebSocket-Accept");
    QTest::newRow("subprotocol not offered")
        << response("Sec-WebSocket-Protocol: mqtt\r\n") << int(HandshakeError::UnofferedSubprotocol)
        << QStringLiteral("mqtt");
    QTest::newRow("two subprotocols")
        << response("Sec-WebSocket-Protocol: chat, superchat\r\n")
        << int(HandshakeError::UnofferedSubprotocol) << QStringLiteral("chat, superchat");
    QTest::newRow("extension not offered")
        << response("Sec-WebSocket-Extensions: permessage-deflate\r\n")
        << int(HandshakeError::UnofferedExtension) << QStringLiteral("permessage-deflate");
    QTest::newRow("malformed extension header")
        << response("Sec-WebSocket-Extensions: ;;\r\n") << int(HandshakeError::BadExtensionResponse)
        << QStringLiteral("Sec-WebSocket-Extensions");
}

void TestHandshake::validation()
{
    QFETCH(QByteArray, head);
    QFETCH(int, expected);
    QFETCH(QString, mentions);
    HttpHeadParser parser(HttpHeadParser::Kind::Response, 16384);
    QCOMPARE(parser.parse(head), HttpHeadParser::Status::Complete);
    const HandshakeCheck check = validateHandshakeResponse(parser.head(), request(), RfcKey);
    QCOMPARE(int(check.error), expected);
    QVERIFY2(check.message.contains(mentions), qPrintable(check.message));
}

void TestHandshake::clientReadsResponse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<int>("maxHandshakeSize");

    QTest::newRow("frames in the same read as the head")
        << response("Sec-WebSocket-Protocol: chat\r\n") + QByteArray::fromHex("81026869")
        << QStringList { "handshake-completed:chat:", "in:text:F:2", "text:hi" } << false << 16384;
    QTest::newRow("bare LF line ends")
        << QByteArray(
               "HTTP/1.1 101 OK\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: ")
            + RfcAccept + "\n\n"
        << QStringList { "handshake-completed::" } << false << 16384;
    const QByteArray oversized = response("X-Padding: " + QByteArray(300, 'p') + "\r\n");
    QTest::newRow("head over the limit")
        << oversized
        << QStringList { QStringLiteral("handshake-rejected:%1:0:")
                             .arg(int(HandshakeError::ResponseTooLarge))
                         + QString::fromLatin1(oversized.left(256)) }
        << false << 256;
    QTest::newRow("not http")
        << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n")
        << QStringList { QStringLiteral("handshake-rejected:%1:0:SSH-2.0-OpenSSH_9.2\r\n\r\n")
                             .arg(int(HandshakeError::MalformedResponse)) }
        << false << 16384;
    QTest::newRow("closed before the response")
        << QByteArray("HTTP/1.1 101 Swi")
        << QStringList { QStringLiteral("handshake-rejected:%1:0:HTTP/1.1 101 Swi")
                             .arg(int(HandshakeError::ClosedBeforeResponse)) }
        << true << 16384;
    QTest::newRow("refused with content-length body")
        << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 12\r\n\r\nnot allowed\n")
        << QStringList { QStringLiteral("handshake-rejected:%1:403:not allowed\n")
                             .arg(int(HandshakeError::UnexpectedStatus)) }
        << false << 16384;
    QTest::newRow("refused with body until eof")
        << QByteArray("HTTP/1.1 500 Oops\r\n\r\nstack trace")
        << QStringList { QStringLiteral("handshake-rejected:%1:500:stack trace")
                             .arg(int(HandshakeError::UnexpectedStatus)) }
        << true << 16384;
    QTest::newRow("refused with chunked body")
        << QByteArray(
               "HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnope\r\n0\r\n\r\n")
        << QStringList { QStringLiteral("handshake-rejected:%1:400:4\r\nnope\r\n0\r\n\r\n")
                             .arg(int(HandshakeError::UnexpectedStatus)) }
        << false << 16384;
    QTest::newRow("wrong accept") << response({}, "101 Switching Protocols", "Zm9v")
                                  << QStringList { QStringLiteral("handshake-rejected:%1:101:")
                                                       .arg(int(HandshakeError::WrongAccept)) }
                                  << false << 16384;
}

void TestHandshake::clientReadsResponse()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QFETCH(bool, eof);
    QFETCH(int, maxHandshakeSize);
    Limits limits;
    limits.maxHandshakeSize = maxHandshakeSize;
    for (qsizetype split = 0; split <= input.size(); ++split)
        QCOMPARE(runClient(request(), input, split, eof, limits), expected);
    Connection connection(Role::Client, limits);
    QVERIFY(connection.initiate(request(), RfcKey));
    QCOMPARE(feed(connection, input, QList<qsizetype>(input.size(), 1), eof), expected);
}

void TestHandshake::refusalReportsStatusHeadersAndBody()
{
    Connection connection(Role::Client);
    QVERIFY(connection.initiate(request(), RfcKey));
    connection.receiveData("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n"
                           "Content-Length: 5\r\n\r\nlogin");
    auto event = connection.nextEvent();
    QVERIFY(event);
    const auto &rejected = std::get<HandshakeRejected>(*event);
    QCOMPARE(rejected.error, HandshakeError::UnexpectedStatus);
    QCOMPARE(rejected.response.statusCode, 401);
    QCOMPARE(rejected.response.reasonPhrase, QByteArray("Unauthorized"));
    QCOMPARE(rejected.response.value("www-authenticate"), QByteArray("Bearer"));
    QCOMPARE(rejected.body, QByteArray("login"));
    QVERIFY(rejected.message.contains(QStringLiteral("401 Unauthorized")));
    QCOMPARE(connection.state(), ConnectionState::Rejected);
}

void TestHandshake::server_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("status");

    const QByteArray valid =
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n";
    QTest::newRow("valid") << valid + "\r\n" << int(HandshakeError::None) << 101;
    QTest::newRow("post") << QByteArray(valid).replace("GET", "POST") + "\r\n"
                          << int(HandshakeError::NotGet) << 400;
    QTest::newRow("http/1.0") << QByteArray(valid).replace("HTTP/1.1", "HTTP/1.0") + "\r\n"
                              << int(HandshakeError::NotHttp11) << 400;
    QTest::newRow("no host") << QByteArray(valid).replace("Host: server.example.com\r\n", "")
            + "\r\n" << int(HandshakeError::MissingHost)
                             << 400;
    QTest::newRow("version 8") << QByteArray(valid).replace("Version: 13", "Version: 8") + "\r\n"
                               << int(HandshakeError::UnsupportedVersion) << 426;
    QTest::newRow("short key") << QByteArray(valid).replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=")
            + "\r\n" << int(HandshakeError::BadKey)
                               << 400;
    QTest::newRow("not http") << QByteArray("hello\r\n\r\n")
                              << int(HandshakeError::MalformedRequest) << 400;
}

void TestHandshake::server()
{
    QFETCH(QByteArray, request);
    QFETCH(int, expected);
    QFETCH(int, status);
    Connection connection(Role::Server);
    connection.receiveData(request);
    auto event = connection.nextEvent();
    QVERIFY(event);
    if (expected == int(HandshakeError::None)) {
        QVERIFY(std::holds_alternative<HandshakeRequested>(*event));
        QVERIFY(connection.acceptHandshake());
    } else {
        const auto *rejected = std::get_if<HandshakeRejected>(&*event);
        QVERIFY(rejected);
        QCOMPARE(int(rejected->error), expected);
        QCOMPARE(connection.state(), ConnectionState::Rejected);
    }
    const QByteArray answer = connection.pendingOutput().toByteArray();
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '), answer.constData());
    if (status == 101)
        QVERIFY(answer.contains(QByteArray("Sec-WebSocket-Accept: ") + RfcAccept + "\r\n"));
    if (status == 426)
        QVERIFY(answer.contains("Sec-WebSocket-Version: 13\r\n"));
}

void TestHandshake::serverAcceptsAndRejects()
{
    Connection server(Role::Server);
    server.receiveData(
        "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: a, b\r\n\r\n");
    auto event = server.nextEvent();
    QVERIFY(event);
    const auto &requested = std::get<HandshakeRequested>(*event);
    QCOMPARE(requested.request.subprotocols, (QList<QByteArray> { "a", "b" }));
    QVERIFY(server.rejectHandshake(403, "Forbidden", "no"));
    QVERIFY(server.pendingOutput().startsWith("HTTP/1.1 403 Forbidden\r\n"));
    QVERIFY(server.pendingOutput().endsWith("\r\n\r\nno"));
    QCOMPARE(server.state(), ConnectionState::Rejected);
    QCOMPARE(server.acceptHandshake().error, LocalError::WrongState);
}

QTEST_APPLESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
