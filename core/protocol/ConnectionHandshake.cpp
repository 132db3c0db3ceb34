// Connection, part one: the opening handshake, client and server side. The frames and events
// are in Connection.cpp, what is sent in ConnectionOutput.cpp.

#include "core/protocol/Connection.h"
#include "core/protocol/ConnectionDetail.h"

#include <algorithm>

namespace duplex {

using namespace detail;

// ---------------------------------------------------------------------------------------------
// Opening handshake

LocalResult Connection::initiate(const HandshakeRequest &request, QByteArray key)
{
    if (m_role != Role::Client)
        return { LocalError::WrongState, QStringLiteral("only a client starts the handshake") };
    if (m_state != ConnectionState::Connecting || m_headParser) {
        return { LocalError::WrongState,
                 QStringLiteral("the opening handshake was already started") };
    }
    if (key.isEmpty())
        key = generateHandshakeKey();
    BuiltRequest built = buildHandshakeRequest(request, key);
    if (!built.error.isEmpty())
        return { LocalError::InvalidRequest, built.error };

    m_request = request;
    m_key = std::move(key);
    m_handshakeRequestBytes = built.bytes;
    HttpHeadParser ownRequest(HttpHeadParser::Kind::Request, built.bytes.size() + 1);
    ownRequest.parse(built.bytes);
    m_requestHead = ownRequest.takeHead();
    compactOutput();
    m_output.append(built.bytes);
    m_headParser =
        std::make_unique<HttpHeadParser>(HttpHeadParser::Kind::Response, m_limits.maxHandshakeSize);
    return {};
}

LocalResult Connection::acceptHandshake(QByteArrayView subprotocol,
                                        const std::optional<DeflateOptions> &deflatePolicy,
                                        const QList<HttpHeader> &extraHeaders)
{
    if (m_role != Role::Server || m_state != ConnectionState::Connecting
        || m_upgrade.key.isEmpty()) {
        return { LocalError::WrongState,
                 QStringLiteral("there is no upgrade request waiting for an answer") };
    }
    Negotiated negotiated;
    negotiated.subprotocol = subprotocol.toByteArray();
    int compressionLevel = 6;
    if (deflatePolicy && deflatePolicy->enabled) {
        const DeflateNegotiation deflate =
            acceptDeflateOffers(m_upgrade.extensions, *deflatePolicy);
        if (deflate.parameters) {
            negotiated.deflate = deflate.parameters;
            negotiated.extensions = deflate.parameters->toHeaderValue();
            compressionLevel = deflatePolicy->compressionLevel;
        }
    }
    const QByteArray response = buildHandshakeResponse(m_upgrade.key, negotiated.subprotocol,
                                                       negotiated.extensions, extraHeaders);
    HttpHeadParser ownResponse(HttpHeadParser::Kind::Response, response.size() + 1);
    ownResponse.parse(response);
    m_responseHead = ownResponse.takeHead();
    compactOutput();
    m_output.append(response);
    if (negotiated.deflate)
        m_deflate =
            std::make_unique<PerMessageDeflate>(m_role, *negotiated.deflate, compressionLevel);
    finishHandshake(std::move(negotiated));
    return {};
}

LocalResult Connection::rejectHandshake(int status, QByteArrayView reason, QByteArrayView body)
{
    if (m_role != Role::Server || m_state != ConnectionState::Connecting
        || m_upgrade.key.isEmpty()) {
        return { LocalError::WrongState,
                 QStringLiteral("there is no upgrade request waiting for an answer") };
    }
    compactOutput();
    m_output.append(buildHandshakeRefusal(status, reason, {}, body));
    m_state = ConnectionState::Rejected;
    m_stopped = true;
    return {};
}

void Connection::openWithoutHandshake(const Negotiated &negotiated)
{
    if (m_state != ConnectionState::Connecting)
        return;
    m_negotiated = negotiated;
    if (negotiated.deflate)
        m_deflate = std::make_unique<PerMessageDeflate>(m_role, *negotiated.deflate);
    m_state = ConnectionState::Open;
}

void Connection::finishHandshake(Negotiated negotiated)
{
    m_negotiated = std::move(negotiated);
    m_state = ConnectionState::Open;
    push(Kind::HandshakeCompleted);
}

void Connection::rejectWith(HandshakeError error, QString message)
{
    m_state = ConnectionState::Rejected;
    m_rejection = error;
    m_rejectionMessage = std::move(message);
    m_stopped = true;
    push(Kind::HandshakeRejected);
}

bool Connection::parseResponseHead()
{
    if (!m_headParser)
        return false; // initiate() has not been called
    const QByteArrayView received = QByteArrayView(m_input).sliced(m_inputPosition);
    switch (m_headParser->parse(received)) {
    case HttpHeadParser::Status::NeedMore:
        if (!m_eof)
            return false;
        m_refusalBody =
            received.first(qMin(received.size(), m_limits.maxRefusalBodySize)).toByteArray();
        rejectWith(
            HandshakeError::ClosedBeforeResponse,
            received.isEmpty()
                ? QStringLiteral("the server closed the connection without answering the handshake")
                : QStringLiteral("the server closed the connection after %1 bytes of an "
                                 "incomplete response")
                      .arg(received.size()));
        return true;
    case HttpHeadParser::Status::Malformed:
    case HttpHeadParser::Status::TooLarge: {
        const bool tooLarge = m_headParser->status() == HttpHeadParser::Status::TooLarge;
        // Keep the start of what came, independent of how much of it had arrived.
        const qsizetype kept = std::min({ received.size(), m_limits.maxRefusalBodySize,
                                          tooLarge ? m_limits.maxHandshakeSize : received.size() });
        m_refusalBody = received.first(kept).toByteArray();
        rejectWith(tooLarge ? HandshakeError::ResponseTooLarge : HandshakeError::MalformedResponse,
                   m_headParser->error());
        return true;
    }
    case HttpHeadParser::Status::Complete:
        break;
    }

    m_inputPosition += m_headParser->headSize();
    m_responseHead = m_headParser->takeHead();
    HandshakeCheck check = validateHandshakeResponse(m_responseHead, m_request, m_key);
    if (check.error == HandshakeError::UnexpectedStatus) {
        // Keep the first bytes of the body: servers often explain a refusal there.
        m_state = ConnectionState::Rejected;
        m_rejection = check.error;
        m_rejectionMessage = check.message;
        bool lengthOk = false;
        const qsizetype length =
            m_responseHead.value("Content-Length").trimmed().toLongLong(&lengthOk);
        m_refusalBodyExpected =
            lengthOk && length >= 0 ? qMin(length, m_limits.maxRefusalBodySize) : -1;
        if (m_responseHead.statusCode == 204 || m_responseHead.statusCode == 304
            || m_responseHead.statusCode < 200)
            m_refusalBodyExpected = 0;
        return true;
    }
    if (!check.ok()) {
        rejectWith(check.error, check.message);
        return true;
    }
    if (check.negotiated.deflate) {
        m_deflate = std::make_unique<PerMessageDeflate>(m_role, *check.negotiated.deflate,
                                                        m_request.deflate.compressionLevel);
    }
    finishHandshake(std::move(check.negotiated));
    return true;
}

bool Connection::collectRefusalBody()
{
    if (m_stopped)
        return false;
    const QByteArrayView received = QByteArrayView(m_input).sliced(m_inputPosition);
    const qsizetype cap =
        m_refusalBodyExpected >= 0 ? m_refusalBodyExpected : m_limits.maxRefusalBodySize;
    bool complete = m_eof || received.size() >= cap;
    // A chunked body is complete at its last, empty chunk.
    if (!complete && m_responseHead.hasToken("Transfer-Encoding", "chunked"))
        complete = received.startsWith("0\r\n\r\n") || received.contains("\r\n0\r\n\r\n");
    if (!complete)
        return false;
    const qsizetype taken = qMin(received.size(), cap);
    m_refusalBody = received.first(taken).toByteArray();
    m_inputPosition += taken;
    m_stopped = true;
    push(Kind::HandshakeRejected);
    return true;
}

bool Connection::parseRequestHead()
{
    if (!m_upgrade.key.isEmpty())
        return false; // waiting for acceptHandshake() or rejectHandshake()
    const QByteArrayView received = QByteArrayView(m_input).sliced(m_inputPosition);
    const HttpHeadParser::Status status = m_headParser->parse(received);
    if (status == HttpHeadParser::Status::NeedMore) {
        if (!m_eof)
            return false;
        rejectWith(
            HandshakeError::MalformedRequest,
            QStringLiteral("the client closed the connection before completing its request"));
        return true;
    }
    if (status != HttpHeadParser::Status::Complete) {
        const bool tooLarge = status == HttpHeadParser::Status::TooLarge;
        compactOutput();
        m_output.append(tooLarge ? buildHandshakeRefusal(431, "Request Header Fields Too Large")
                                 : buildHandshakeRefusal(400, "Bad Request"));
        rejectWith(tooLarge ? HandshakeError::RequestTooLarge : HandshakeError::MalformedRequest,
                   m_headParser->error());
        return true;
    }
    m_inputPosition += m_headParser->headSize();
    m_requestHead = m_headParser->takeHead();
    UpgradeCheck check = validateUpgradeRequest(m_requestHead);
    if (!check.ok()) {
        compactOutput();
        if (check.error == HandshakeError::UnsupportedVersion) {
            m_output.append(buildHandshakeRefusal(426, "Upgrade Required",
                                                  { { "Sec-WebSocket-Version", "13" } }));
        } else {
            m_output.append(buildHandshakeRefusal(400, "Bad Request", {},
                                                  QByteArray(describe(check.error)) + '\n'));
        }
        rejectWith(check.error, check.message);
        return true;
    }
    m_upgrade = std::move(check.request);
    push(Kind::HandshakeRequested);
    return true;
}

} // namespace duplex
