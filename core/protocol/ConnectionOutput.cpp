// Connection, part three: what we send (messages, control frames, the closing handshake,
// raw frames) and the output buffer. The handshake is in ConnectionHandshake.cpp, frames and
// events in Connection.cpp.

#include "core/protocol/CloseCode.h"
#include "core/protocol/Connection.h"
#include "core/protocol/ConnectionDetail.h"
#include "core/protocol/Masking.h"

#include <cstring>

namespace duplex {

using namespace detail;

// ---------------------------------------------------------------------------------------------
// Output

bool Connection::canSendData() const
{
    return m_state == ConnectionState::Open;
}

LocalResult Connection::wrongState(const char *what) const
{
    return { LocalError::WrongState,
             QStringLiteral("cannot %1: the connection is %2")
                 .arg(QLatin1String(what), QLatin1String(stateName(m_state))) };
}

LocalResult Connection::sendText(QByteArrayView utf8, const SendOptions &options)
{
    if (!Utf8Validator::isValid(utf8)) {
        return { LocalError::InvalidUtf8,
                 QStringLiteral("a text message must be valid UTF-8; send it as binary instead") };
    }
    return sendMessage(Opcode::Text, utf8, options);
}

LocalResult Connection::sendBinary(QByteArrayView data, const SendOptions &options)
{
    return sendMessage(Opcode::Binary, data, options);
}

LocalResult Connection::sendMessage(Opcode opcode, QByteArrayView data, const SendOptions &options)
{
    if (!canSendData())
        return wrongState("send a message");
    if (!m_sentClear.isEmpty() && !queueReferences(Buffer::SentClear))
        resetBuffer(m_sentClear);
    const bool compress = m_deflate && options.compress;
    QByteArrayView body = data;
    Slice clear;
    if (compress) {
        m_compressed.resize(0);
        m_deflate->compressMessage(data, m_compressed);
        body = m_compressed;
        clear = { Buffer::SentClear, m_sentClear.size(), data.size() };
        m_sentClear.append(data);
    }
    const qsizetype fragment = options.fragmentSize > 0 ? options.fragmentSize : body.size();
    qsizetype offset = 0;
    do {
        const qsizetype size = qMin(fragment, body.size() - offset);
        FrameHeader header;
        header.opcode = offset == 0 ? opcode : Opcode::Continuation;
        header.fin = offset + size == body.size();
        header.rsv1 = compress && offset == 0;
        writeFrame(header, body.sliced(offset, size), offset == 0 ? clear : Slice {});
        offset += size;
    } while (offset < body.size());
    return {};
}

LocalResult Connection::sendPing(QByteArrayView payload)
{
    if (!canSendData())
        return wrongState("send a ping");
    if (payload.size() > MaxControlPayload) {
        return { LocalError::ControlTooLong,
                 QStringLiteral("a ping payload is at most 125 bytes, this one is %1")
                     .arg(payload.size()) };
    }
    FrameHeader header;
    header.opcode = Opcode::Ping;
    writeFrame(header, payload);
    return {};
}

LocalResult Connection::sendPong(QByteArrayView payload)
{
    if (!canSendData())
        return wrongState("send a pong");
    if (payload.size() > MaxControlPayload) {
        return { LocalError::ControlTooLong,
                 QStringLiteral("a pong payload is at most 125 bytes, this one is %1")
                     .arg(payload.size()) };
    }
    FrameHeader header;
    header.opcode = Opcode::Pong;
    writeFrame(header, payload);
    return {};
}

LocalResult Connection::close(quint16 code, QByteArrayView reason)
{
    if (!isSendableCloseCode(code, m_limits.strictCloseCodes)) {
        return { LocalError::InvalidCloseCode,
                 QStringLiteral("the close code %1 may not be sent (allowed: 1000-1003, 1007-1014, "
                                "3000-4999)")
                     .arg(code) };
    }
    if (reason.size() > MaxCloseReason) {
        return {
            LocalError::ControlTooLong,
            QStringLiteral("a close reason is at most 123 bytes, this one is %1").arg(reason.size())
        };
    }
    if (!Utf8Validator::isValid(reason))
        return { LocalError::InvalidUtf8, QStringLiteral("the close reason is not valid UTF-8") };
    return startOrFinishClose(code, reason, true);
}

LocalResult Connection::closeWithoutCode()
{
    return startOrFinishClose(CloseCode::NoStatus, {}, false);
}

LocalResult Connection::startOrFinishClose(quint16 code, QByteArrayView reason, bool withCode)
{
    if (m_state == ConnectionState::Open) {
        writeClose(code, reason, withCode);
        m_state = ConnectionState::LocalClosing;
        return {};
    }
    if (m_state == ConnectionState::RemoteClosing) {
        writeClose(code, reason, withCode);
        setClosed(CloseOrigin::Remote, m_peerCloseCode, m_peerCloseReason, true);
        return {};
    }
    return wrongState("close");
}

void Connection::writeClose(quint16 code, QByteArrayView reason, bool withCode)
{
    char payload[2 + MaxCloseReason];
    qsizetype size = 0;
    if (withCode) {
        payload[0] = char(code >> 8);
        payload[1] = char(code & 0xFF);
        if (!reason.isEmpty())
            std::memcpy(payload + 2, reason.data(), size_t(reason.size()));
        size = 2 + reason.size();
    }
    FrameHeader header;
    header.opcode = Opcode::Close;
    writeFrame(header, QByteArrayView(payload, size));
    m_closeSent = true;
    m_sentCloseCode = withCode ? code : CloseCode::NoStatus;
    m_sentCloseReason = reason.toByteArray();
}

LocalResult Connection::sendRawFrame(const FrameHeader &header, QByteArrayView payload)
{
    if (m_state != ConnectionState::Open && m_state != ConnectionState::LocalClosing
        && m_state != ConnectionState::RemoteClosing)
        return wrongState("send a frame");
    FrameHeader raw = header;
    raw.payloadLength = quint64(payload.size());
    if (raw.masked && raw.maskKey == MaskKey {})
        raw.maskKey = m_maskKeys.next();
    appendFrame(raw, payload, {});
    return {};
}

void Connection::writeFrame(FrameHeader header, QByteArrayView payload, const Slice &clear)
{
    header.payloadLength = quint64(payload.size());
    header.masked = m_role == Role::Client;
    if (header.masked)
        header.maskKey = m_maskKeys.next();
    appendFrame(header, payload, clear);
}

void Connection::appendFrame(const FrameHeader &header, QByteArrayView payload, const Slice &clear)
{
    compactOutput();
    const qsizetype start = m_output.size();
    const int headerSize = header.size();
    m_output.resize(start + headerSize + payload.size());
    char *out = m_output.data() + start;
    encodeFrameHeader(header, out);
    if (header.masked)
        copyMasked(out + headerSize, payload.data(), payload.size(), header.maskKey);
    else if (!payload.isEmpty())
        std::memcpy(out + headerSize, payload.data(), size_t(payload.size()));
    const Slice wire { Buffer::Output, start, headerSize + payload.size() };
    const Slice clearPayload =
        header.masked ? Slice {} : Slice { Buffer::Output, start + headerSize, payload.size() };
    {
        Queued &entry = push(Kind::FrameSent);
        entry.header = header;
        entry.wire = wire;
        entry.payload = clearPayload;
        entry.inflated = clear;
        entry.compressed = header.rsv1;
    }
}

void Connection::compactOutput()
{
    // Moving the unwritten rest to the front costs a copy of it: do that only once at least as
    // much has been written, so a large output written in pieces is not moved once per piece.
    if (m_outputConsumed == 0
        || (m_outputConsumed < m_output.size() && m_outputConsumed < m_output.size() / 2)
        || queueReferences(Buffer::Output))
        return;
    if (m_outputConsumed == m_output.size())
        resetBuffer(m_output);
    else
        dropFront(m_output, m_outputConsumed);
    m_outputConsumed = 0;
}

QByteArrayView Connection::pendingOutput() const
{
    return QByteArrayView(m_output).sliced(m_outputConsumed);
}

void Connection::consumeOutput(qsizetype bytes)
{
    m_outputConsumed = qMin(m_output.size(), m_outputConsumed + qMax<qsizetype>(0, bytes));
    compactOutput();
}

QByteArray Connection::takeOutput()
{
    QByteArray out = pendingOutput().toByteArray();
    consumeOutput(out.size());
    return out;
}

QByteArray FrameView::payloadInClear() const
{
    if (direction == Direction::Incoming || !header.masked)
        return payload.toByteArray();
    QByteArray clear = wire.sliced(header.size()).toByteArray();
    applyMask(clear.data(), clear.size(), header.maskKey);
    return clear;
}

} // namespace duplex
