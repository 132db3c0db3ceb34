#include "core/protocol/Handshake.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace duplex {
namespace {

constexpr QByteArrayView WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool hasLineBreak(QByteArrayView text)
{
    return text.contains('\r') || text.contains('\n') || text.contains('\0');
}

QString quoted(QByteArrayView text)
{
    return QLatin1Char('"') + QString::fromUtf8(text.first(qMin<qsizetype>(text.size(), 200)))
        + QLatin1Char('"');
}

void appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

QByteArray joined(const QList<QByteArray> &values)
{
    QByteArray out;
    for (const auto &value : values) {
        if (!out.isEmpty())
            out += ", ";
        out += value;
    }
    return out;
}

// Header names the handshake writes itself; a custom header may not replace them.
constexpr std::array<QByteArrayView, 8> HandshakeOwnedHeaders = {
    "Host",
    "Upgrade",
    "Connection",
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Version",
    "Sec-WebSocket-Accept",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
};

QString ownedHeaderAdvice(QByteArrayView name)
{
    if (equalsIgnoringCase(name, "Sec-WebSocket-Protocol"))
        return QStringLiteral("use the subprotocol option instead");
    if (equalsIgnoringCase(name, "Sec-WebSocket-Extensions"))
        return QStringLiteral("use the extension and permessage-deflate options instead");
    if (equalsIgnoringCase(name, "Host"))
        return QStringLiteral("the host comes from the URL");
    return QStringLiteral("the handshake sets it itself");
}

} // namespace

QByteArray HandshakeRequest::hostHeaderValue() const
{
    QByteArray value = host.contains(':') ? '[' + host + ']' : host;
    if (port != 0 && port != (secure ? 443 : 80))
        value += ':' + QByteArray::number(port);
    return value;
}

QByteArray generateHandshakeKey()
{
    std::array<quint32, 4> random {};
    QRandomGenerator::system()->fillRange(random.data(), qsizetype(random.size()));
    return QByteArray(reinterpret_cast<const char *>(random.data()), 16).toBase64();
}

QByteArray acceptKeyFor(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData(WebSocketGuid);
    return hash.result().toBase64();
}

BuiltRequest buildHandshakeRequest(const HandshakeRequest &request, QByteArrayView key)
{
    BuiltRequest built;
    if (request.host.isEmpty() || hasLineBreak(request.host) || request.host.contains(' ')) {
        built.error = QStringLiteral("the host %1 is empty or contains spaces or line breaks")
                          .arg(quoted(request.host));
        return built;
    }
    if (!request.resource.startsWith('/') || hasLineBreak(request.resource)
        || request.resource.contains(' ')) {
        built.error = QStringLiteral("the resource %1 must start with \"/\" and contain no spaces "
                                     "or line breaks (percent-encode them)")
                          .arg(quoted(request.resource));
        return built;
    }
    if (hasLineBreak(request.origin)) {
        built.error =
            QStringLiteral("the Origin %1 contains a line break").arg(quoted(request.origin));
        return built;
    }
    for (const auto &subprotocol : request.subprotocols) {
        if (!isHttpToken(subprotocol)) {
            built.error = QStringLiteral("the subprotocol %1 is not a valid token (no spaces, "
                                         "commas or separators)")
                              .arg(quoted(subprotocol));
            return built;
        }
    }
    for (const auto &extension : request.extensions) {
        const ExtensionList parsed = parseExtensionList(extension);
        if (!parsed.ok()) {
            built.error = QStringLiteral("the extension offer %1 is malformed: %2")
                              .arg(quoted(extension), parsed.error);
            return built;
        }
    }
    if (request.deflate.enabled) {
        const QString problem = request.deflate.validate();
        if (!problem.isEmpty()) {
            built.error = QStringLiteral("permessage-deflate: %1").arg(problem);
            return built;
        }
    }
    for (const auto &header : request.headers) {
        if (!isHttpToken(header.name)) {
            built.error =
                QStringLiteral("the header name %1 is not a valid token").arg(quoted(header.name));
            return built;
        }
        if (hasLineBreak(header.value)) {
            built.error = QStringLiteral("the value of header \"%1\" contains a line break")
                              .arg(QString::fromLatin1(header.name));
            return built;
        }
        for (const auto owned : HandshakeOwnedHeaders) {
            if (equalsIgnoringCase(header.name, owned)) {
                built.error =
                    QStringLiteral("the header \"%1\" would replace the handshake's own "
                                   "\"%2\": %3")
                        .arg(QString::fromLatin1(header.name),
                             QString::fromLatin1(owned.toByteArray()), ownedHeaderAdvice(owned));
                return built;
            }
        }
        if (!request.origin.isEmpty() && equalsIgnoringCase(header.name, "Origin")) {
            built.error = QStringLiteral("the header \"Origin\" is set twice: once as a custom "
                                         "header and once by the Origin option");
            return built;
        }
    }

    QByteArray &out = built.bytes;
    out.reserve(256);
    out += "GET ";
    out += request.resource;
    out += " HTTP/1.1\r\n";
    appendHeader(out, "Host", request.hostHeaderValue());
    appendHeader(out, "Upgrade", "websocket");
    appendHeader(out, "Connection", "Upgrade");
    appendHeader(out, "Sec-WebSocket-Key", key);
    appendHeader(out, "Sec-WebSocket-Version", "13");
    if (!request.origin.isEmpty())
        appendHeader(out, "Origin", request.origin);
    if (!request.subprotocols.isEmpty())
        appendHeader(out, "Sec-WebSocket-Protocol", joined(request.subprotocols));
    QList<QByteArray> extensions;
    if (request.deflate.enabled)
        extensions.append(deflateOfferHeaderValue(request.deflate));
    extensions += request.extensions;
    if (!extensions.isEmpty())
        appendHeader(out, "Sec-WebSocket-Extensions", joined(extensions));
    for (const auto &header : request.headers)
        appendHeader(out, header.name, header.value);
    out += "\r\n";
    return built;
}

const char *describe(HandshakeError error)
{
    switch (error) {
    case HandshakeError::None:
        return "no error";
    case HandshakeError::MalformedResponse:
        return "the response is not valid HTTP";
    case HandshakeError::ResponseTooLarge:
        return "the response headers exceed the size limit";
    case HandshakeError::UnexpectedStatus:
        return "the server did not answer 101 Switching Protocols";
    case HandshakeError::MissingUpgrade:
        return "the response lacks \"Upgrade: websocket\"";
    case HandshakeError::MissingConnectionUpgrade:
        return "the response lacks \"Connection: Upgrade\"";
    case HandshakeError::MissingAccept:
        return "the response lacks Sec-WebSocket-Accept";
    case HandshakeError::WrongAccept:
        return "Sec-WebSocket-Accept does not match the key sent";
    case HandshakeError::UnofferedSubprotocol:
        return "the server chose a subprotocol that was not offered";
    case HandshakeError::UnofferedExtension:
        return "the server accepted an extension that was not offered";
    case HandshakeError::BadExtensionResponse:
        return "the server's extension parameters are invalid";
    case HandshakeError::ClosedBeforeResponse:
        return "the connection closed before a complete response";
    case HandshakeError::MalformedRequest:
        return "the request is not valid HTTP";
    case HandshakeError::RequestTooLarge:
        return "the request headers exceed the size limit";
    case HandshakeError::NotGet:
        return "the request method is not GET";
    case HandshakeError::NotHttp11:
        return "the request is not HTTP/1.1";
    case HandshakeError::MissingHost:
        return "the request lacks a Host header";
    case HandshakeError::BadKey:
        return "Sec-WebSocket-Key is not 16 bytes in base64";
    case HandshakeError::UnsupportedVersion:
        return "Sec-WebSocket-Version is not 13";
    }
    return "unknown handshake error";
}

HandshakeCheck validateHandshakeResponse(const HttpHead &response, const HandshakeRequest &request,
                                         QByteArrayView key)
{
    HandshakeCheck check;
    auto fail = [&check](HandshakeError error, QString message) {
        check.error = error;
        check.message = std::move(message);
        return check;
    };

    if (response.statusCode != 101) {
        QString message = QStringLiteral("the server answered %1 %2 instead of 101 Switching "
                                         "Protocols")
                              .arg(response.statusCode)
                              .arg(QString::fromUtf8(response.reasonPhrase));
        if (response.statusCode >= 300 && response.statusCode < 400 && response.has("Location"))
            message += QStringLiteral(" (redirect to %1)").arg(quoted(response.value("Location")));
        return fail(HandshakeError::UnexpectedStatus, message);
    }
    if (!response.hasToken("Upgrade", "websocket")) {
        return fail(
            HandshakeError::MissingUpgrade,
            response.has("Upgrade")
                ? QStringLiteral("the response has \"Upgrade: %1\", not \"Upgrade: websocket\"")
                      .arg(QString::fromUtf8(response.value("Upgrade")))
                : QStringLiteral("the response has no Upgrade header (\"Upgrade: websocket\" is "
                                 "required)"));
    }
    if (!response.hasToken("Connection", "upgrade")) {
        return fail(
            HandshakeError::MissingConnectionUpgrade,
            response.has("Connection")
                ? QStringLiteral("the response has \"Connection: %1\", which lacks \"Upgrade\"")
                      .arg(QString::fromUtf8(response.value("Connection")))
                : QStringLiteral("the response has no Connection header (\"Connection: Upgrade\" "
                                 "is required)"));
    }
    if (!response.has("Sec-WebSocket-Accept")) {
        return fail(HandshakeError::MissingAccept,
                    QStringLiteral("the response has no Sec-WebSocket-Accept header"));
    }
    const QByteArray expected = acceptKeyFor(key);
    const QByteArray accept = response.value("Sec-WebSocket-Accept");
    if (response.count("Sec-WebSocket-Accept") != 1 || accept != expected) {
        return fail(HandshakeError::WrongAccept,
                    QStringLiteral("Sec-WebSocket-Accept is %1 but the key %2 requires %3")
                        .arg(quoted(accept), quoted(key), quoted(expected)));
    }

    if (response.has("Sec-WebSocket-Protocol")) {
        const QList<QByteArray> chosen = response.listValues("Sec-WebSocket-Protocol");
        if (chosen.size() != 1 || !request.subprotocols.contains(chosen.front())) {
            const QString offered = request.subprotocols.isEmpty()
                ? QStringLiteral("none was offered")
                : QStringLiteral("offered: %1")
                      .arg(QString::fromUtf8(joined(request.subprotocols)));
            return fail(HandshakeError::UnofferedSubprotocol,
                        QStringLiteral("the server chose the subprotocol %1, but %2")
                            .arg(quoted(response.value("Sec-WebSocket-Protocol")), offered));
        }
        check.negotiated.subprotocol = chosen.front();
    }

    if (response.has("Sec-WebSocket-Extensions")) {
        const QByteArray value = response.value("Sec-WebSocket-Extensions");
        const ExtensionList accepted = parseExtensionList(value);
        if (!accepted.ok()) {
            return fail(HandshakeError::BadExtensionResponse,
                        QStringLiteral("Sec-WebSocket-Extensions %1 is malformed: %2")
                            .arg(quoted(value), accepted.error));
        }
        QList<QByteArray> offeredNames;
        for (const auto &offer : request.extensions) {
            for (const auto &element : parseExtensionList(offer).elements)
                offeredNames.append(element.name);
        }
        for (const auto &element : accepted.elements) {
            if (equalsIgnoringCase(element.name, "permessage-deflate") && request.deflate.enabled) {
                if (check.negotiated.deflate) {
                    return fail(HandshakeError::BadExtensionResponse,
                                QStringLiteral("the server accepted permessage-deflate twice"));
                }
                const DeflateNegotiation deflate =
                    negotiateDeflateResponse(element, request.deflate);
                if (!deflate.parameters) {
                    return fail(HandshakeError::BadExtensionResponse,
                                QStringLiteral("permessage-deflate: %1").arg(deflate.error));
                }
                check.negotiated.deflate = deflate.parameters;
                continue;
            }
            bool offered = false;
            for (const auto &name : offeredNames)
                offered = offered || equalsIgnoringCase(name, element.name);
            if (!offered) {
                return fail(
                    HandshakeError::UnofferedExtension,
                    QStringLiteral("the server accepted the extension %1, which was not offered")
                        .arg(quoted(element.name)));
            }
        }
        check.negotiated.extensions = value;
    }
    return check;
}

UpgradeCheck validateUpgradeRequest(const HttpHead &request)
{
    UpgradeCheck check;
    auto fail = [&check](HandshakeError error, QString message) {
        check.error = error;
        check.message = std::move(message);
        return check;
    };
    if (request.method != "GET") {
        return fail(HandshakeError::NotGet,
                    QStringLiteral("the method is %1, not GET").arg(quoted(request.method)));
    }
    if (request.version != "HTTP/1.1") {
        return fail(HandshakeError::NotHttp11,
                    QStringLiteral("the version is %1, not HTTP/1.1").arg(quoted(request.version)));
    }
    if (request.count("Host") != 1)
        return fail(HandshakeError::MissingHost,
                    QStringLiteral("the request needs one Host header"));
    if (!request.hasToken("Upgrade", "websocket")) {
        return fail(HandshakeError::MissingUpgrade,
                    QStringLiteral("the request lacks \"Upgrade: websocket\""));
    }
    if (!request.hasToken("Connection", "upgrade")) {
        return fail(HandshakeError::MissingConnectionUpgrade,
                    QStringLiteral("the request lacks \"Connection: Upgrade\""));
    }
    if (request.value("Sec-WebSocket-Version") != "13") {
        return fail(HandshakeError::UnsupportedVersion,
                    QStringLiteral("Sec-WebSocket-Version is %1; this server speaks 13")
                        .arg(quoted(request.value("Sec-WebSocket-Version"))));
    }
    const QByteArray key = request.value("Sec-WebSocket-Key");
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (request.count("Sec-WebSocket-Key") != 1 || !decoded || decoded.decoded.size() != 16) {
        return fail(
            HandshakeError::BadKey,
            QStringLiteral("Sec-WebSocket-Key %1 is not 16 bytes in base64").arg(quoted(key)));
    }
    const ExtensionList extensions = parseExtensionList(request.value("Sec-WebSocket-Extensions"));
    if (!extensions.ok()) {
        return fail(
            HandshakeError::MalformedRequest,
            QStringLiteral("Sec-WebSocket-Extensions is malformed: %1").arg(extensions.error));
    }
    check.request.head = request;
    check.request.key = key;
    check.request.subprotocols = request.listValues("Sec-WebSocket-Protocol");
    check.request.extensions = extensions.elements;
    return check;
}

QByteArray buildHandshakeResponse(QByteArrayView key, QByteArrayView subprotocol,
                                  QByteArrayView extensions, const QList<HttpHeader> &extraHeaders)
{
    QByteArray out = "HTTP/1.1 101 Switching Protocols\r\n";
    appendHeader(out, "Upgrade", "websocket");
    appendHeader(out, "Connection", "Upgrade");
    appendHeader(out, "Sec-WebSocket-Accept", acceptKeyFor(key));
    if (!subprotocol.isEmpty())
        appendHeader(out, "Sec-WebSocket-Protocol", subprotocol);
    if (!extensions.isEmpty())
        appendHeader(out, "Sec-WebSocket-Extensions", extensions);
    for (const auto &header : extraHeaders)
        appendHeader(out, header.name, header.value);
    out += "\r\n";
    return out;
}

QByteArray buildHandshakeRefusal(int status, QByteArrayView reason,
                                 const QList<HttpHeader> &headers, QByteArrayView body)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason.toByteArray() + "\r\n";
    for (const auto &header : headers)
        appendHeader(out, header.name, header.value);
    appendHeader(out, "Content-Length", QByteArray::number(body.size()));
    appendHeader(out, "Connection", "close");
    out += "\r\n";
    out += body;
    return out;
}

} // namespace duplex
