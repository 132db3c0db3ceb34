#pragma once

#include "core/protocol/ExtensionHeader.h"
#include "core/protocol/HttpHead.h"
#include "core/protocol/PerMessageDeflate.h"

#include <optional>

namespace duplex {

// What a client asks for in its opening handshake (RFC 6455 section 4.1).
struct HandshakeRequest
{
    QByteArray host; // host name or IP literal; an IPv6 literal without brackets
    quint16 port = 0; // 0: the default port of the scheme
    bool secure = false; // wss
    QByteArray resource = "/"; // path and query, byte for byte as on the request line
    QByteArray origin; // empty: no Origin header
    QList<QByteArray> subprotocols;
    QList<QByteArray> extensions; // extension offers besides permessage-deflate, verbatim
    DeflateOptions deflate;
    QList<HttpHeader> headers; // custom headers, sent after the handshake's own

    quint16 effectivePort() const { return port != 0 ? port : (secure ? 443 : 80); }
    // The Host header: brackets around IPv6 literals, the port only when not the default.
    QByteArray hostHeaderValue() const;
};

// 16 random bytes from the system's cryptographic generator, base64-encoded.
QByteArray generateHandshakeKey();

// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 section 4.2.2.
QByteArray acceptKeyFor(QByteArrayView key);

struct BuiltRequest
{
    QByteArray bytes;
    QString error; // non-empty: nothing was built, and this says why
};

// The request bytes. A custom header that would replace one of the handshake's own (Host,
// Upgrade, Connection, Sec-WebSocket-*; Origin when origin is set) is an error naming it, as is
// a header name that is not a token or a value with a line break.
BuiltRequest buildHandshakeRequest(const HandshakeRequest &request, QByteArrayView key);

enum class HandshakeError : quint8 {
    None,
    // client side: the server's response
    MalformedResponse,
    ResponseTooLarge,
    UnexpectedStatus, // anything but 101 (redirects included: the session decides about those)
    MissingUpgrade,
    MissingConnectionUpgrade,
    MissingAccept,
    WrongAccept,
    UnofferedSubprotocol,
    UnofferedExtension,
    BadExtensionResponse,
    ClosedBeforeResponse,
    // server side: the client's request
    MalformedRequest,
    RequestTooLarge,
    NotGet,
    NotHttp11,
    MissingHost,
    BadKey,
    UnsupportedVersion,
};

const char *describe(HandshakeError error);

// What the server agreed to.
struct Negotiated
{
    QByteArray subprotocol;
    QByteArray extensions; // the Sec-WebSocket-Extensions response value, verbatim
    std::optional<DeflateParameters> deflate;
};

struct HandshakeCheck
{
    HandshakeError error = HandshakeError::None;
    QString message; // says what was wrong, quoting the offending value
    Negotiated negotiated;
    bool ok() const { return error == HandshakeError::None; }
};

// Checks a complete response head against the request it answers.
HandshakeCheck validateHandshakeResponse(const HttpHead &response, const HandshakeRequest &request,
                                         QByteArrayView key);

// Server side: what a client's upgrade request asks for.
struct UpgradeRequest
{
    HttpHead head;
    QByteArray key;
    QList<QByteArray> subprotocols;
    QList<ExtensionElement> extensions;
};

struct UpgradeCheck
{
    HandshakeError error = HandshakeError::None;
    QString message;
    UpgradeRequest request;
    bool ok() const { return error == HandshakeError::None; }
};

UpgradeCheck validateUpgradeRequest(const HttpHead &request);

// The 101 response to an upgrade request.
QByteArray buildHandshakeResponse(QByteArrayView key, QByteArrayView subprotocol,
                                  QByteArrayView extensions,
                                  const QList<HttpHeader> &extraHeaders = {});

// A refusal: status line, headers, Content-Length and body.
QByteArray buildHandshakeRefusal(int status, QByteArrayView reason,
                                 const QList<HttpHeader> &headers = {}, QByteArrayView body = {});

} // namespace duplex
