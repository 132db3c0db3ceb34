#include "core/protocol/Connection.h"

#include "core/protocol/CloseCode.h"
#include "core/protocol/ConnectionDetail.h"
#include "core/protocol/Masking.h"

#include <algorithm>
#include <cstring>

namespace duplex {

using namespace detail;

const char *stateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connecting:
        return "connecting";
    case ConnectionState::Open:
        return "open";
    case ConnectionState::LocalClosing:
        return "closing";
    case ConnectionState::RemoteClosing:
        return "closing (peer)";
    case ConnectionState::Closed:
        return "closed";
    case ConnectionState::Rejected:
        return "rejected";
    }
    return "unknown";
}

Connection::Connection(Role role, Limits limits)
    : m_role(role)
    , m_limits(limits)
{
    m_buffers = { nullptr, &m_input, &m_scratch, &m_message, &m_output, &m_sentClear };
    static_assert(int(Buffer::SentClear) == 5, "m_buffers lists every Buffer in order");
    m_queue.reserve(8);
    if (m_role == Role::Server) {
        m_headParser = std::make_unique<HttpHeadParser>(HttpHeadParser::Kind::Request,
                                                        m_limits.maxHandshakeSize);
    }
}

Connection::~Connection() = default;

// ---------------------------------------------------------------------------------------------
// Input

void Connection::receiveData(QByteArrayView data)
{
    if (data.isEmpty() || m_eof)
        return;
    compactInput();
    m_input.append(data.data(), data.size());
}

void Connection::receiveEof()
{
    m_eof = true;
}

void Connection::receiveData(const QByteArray &data)
{
    if (data.isEmpty() || m_eof)
        return;
    compactInput();
    if (m_input.isEmpty() && m_queueHead == m_queue.size()) {
        m_input = data;
        return;
    }
    m_input.append(data);
}

char *Connection::prepareReceiveSlow(qsizetype size)
{
    compactInput();
    const qsizetype used = m_input.size();
    m_receiveStart = used;
    // Grow by at least half again, so that a frame read piece by piece is not moved each time.
    if (m_input.capacity() < used + size || !m_input.isDetached())
        m_input.reserve(qMax(used + size, used + used / 2));
    m_input.resize(used + size);
    return m_input.data() + used;
}

qsizetype Connection::frameBytesMissing() const
{
    if (!m_inFrame)
        return 0;
    const quint64 frameSize = quint64(m_frameHeaderSize) + m_frame.payloadLength;
    const auto have = quint64(m_input.size() - m_inputPosition);
    return frameSize > have ? qsizetype(qMin<quint64>(frameSize - have, 1ULL << 40)) : 0;
}

void Connection::compactInput()
{
    // Slices of queued events point into m_input by offset: move nothing while any is queued.
    if (m_inputPosition == 0 || m_queueHead != m_queue.size())
        return;
    if (m_input.isDetached()) {
        if (m_inputPosition == m_input.size()) {
            resetBuffer(m_input);
        } else {
            dropFront(m_input, m_inputPosition);
        }
    } else {
        // A buffer shared with the caller: keep only the unread rest, in a buffer of our own.
        m_input = QByteArrayView(m_input).sliced(m_inputPosition).toByteArray();
    }
    m_inputPosition = 0;
}

std::optional<Event> Connection::nextEvent()
{
    if (m_queueHead == m_queue.size()) {
        m_queue.clear();
        m_queueHead = 0;
        // Between frames with nothing left to read, there is nothing to parse (every other
        // state may still have something to say without input: a close, a refusal).
        if (m_inputPosition == m_input.size() && !m_inFrame && !m_eof && !m_stopped
            && (m_state == ConnectionState::Open || m_state == ConnectionState::LocalClosing
                || m_state == ConnectionState::RemoteClosing))
            return std::nullopt;
        while (m_queue.empty() && parseStep()) { }
        if (m_queue.empty())
            return std::nullopt;
    }
    return materialize(m_queue[m_queueHead++]);
}

bool Connection::parseStep()
{
    if (m_stopped) {
        // The peer sent its close and then dropped the connection before ours went out.
        if (m_eof && m_state == ConnectionState::RemoteClosing) {
            setClosed(CloseOrigin::Remote, m_peerCloseCode, m_peerCloseReason, false);
            return true;
        }
        return false;
    }
    switch (m_state) {
    case ConnectionState::Connecting:
        return m_role == Role::Client ? parseResponseHead() : parseRequestHead();
    case ConnectionState::Rejected:
        return collectRefusalBody();
    case ConnectionState::Open:
    case ConnectionState::LocalClosing:
    case ConnectionState::RemoteClosing:
        return parseFrame();
    case ConnectionState::Closed:
        return false;
    }
    return false;
}

bool Connection::parseFrame()
{
    if (!m_inFrame) {
        if (parseSmallFrame())
            return true;
        if (!startFrame())
            return !m_queue.empty();
    }

    const quint64 received = quint64(m_input.size() - m_inputPosition - m_frameHeaderSize);
    const quint64 available = qMin(received, m_frame.payloadLength);
    if (available > m_frameProcessed && !consumePayload(available))
        return true; // failed
    if (m_frameProcessed < m_frame.payloadLength) {
        if (m_eof) {
            closeAbnormally();
            return true;
        }
        return !m_queue.empty();
    }
    finishFrame();
    return true;
}

// The common frame in one step: a server's whole frame of at most 125 bytes, unmasked, FIN set,
// no reserved bit, that is a complete text or binary message, a ping or a pong. It queues
// exactly what startFrame(), consumePayload() and finishFrame() would; anything else (or a
// text payload that is not valid UTF-8) is left to them.
bool Connection::parseSmallFrame()
{
    if (m_role != Role::Client)
        return false;
    const qsizetype available = m_input.size() - m_inputPosition;
    if (available < 2)
        return false;
    const auto *bytes = reinterpret_cast<const quint8 *>(m_input.constData() + m_inputPosition);
    const quint8 length = bytes[1]; // the MASK bit set, or 126/127, makes it too long here
    if (length > MaxControlPayload || available < 2 + qsizetype(length)
        || length >= m_limits.largeFrameThreshold)
        return false;
    Opcode opcode;
    switch (bytes[0]) {
    case 0x81:
        opcode = Opcode::Text;
        break;
    case 0x82:
        opcode = Opcode::Binary;
        break;
    case 0x89:
        opcode = Opcode::Ping;
        break;
    case 0x8A:
        opcode = Opcode::Pong;
        break;
    default:
        return false;
    }
    const bool control = isControl(opcode);
    const QByteArrayView payloadBytes(reinterpret_cast<const char *>(bytes) + 2, length);
    if (!control
        && (m_inMessage || length > m_limits.maxMessageSize
            || (opcode == Opcode::Text && !Utf8Validator::isValid(payloadBytes))))
        return false;

    const Slice wire { Buffer::Input, m_inputPosition, 2 + qsizetype(length) };
    const Slice payload { Buffer::Input, m_inputPosition + 2, length };
    m_inputPosition += wire.size;
    {
        // Field by field into the default header (FIN, nothing else set): copying a header
        // written a moment ago as a whole would stall on store forwarding.
        Queued &entry = push(Kind::FrameReceived);
        entry.header.opcode = opcode;
        entry.header.payloadLength = length;
        entry.wire = wire;
        entry.payload = payload;
    }
    if (control) {
        m_frame = FrameHeader {};
        m_frame.opcode = opcode;
        m_frame.payloadLength = length;
        handleControlFrame(wire, payload);
        return true;
    }
    m_messageOpcode = opcode;
    m_messageCompressed = false;
    resetBuffer(m_message); // as startFrame() does: a large message's buffer is not kept
    {
        Queued &entry = push(opcode == Opcode::Text ? Kind::Text : Kind::Binary);
        entry.payload = payload;
    }
    return true;
}

bool Connection::startFrame()
{
    const HeaderParse parsed = parseFrameHeader(QByteArrayView(m_input).sliced(m_inputPosition));
    if (parsed.status == HeaderParse::Status::NeedMore) {
        if (m_eof)
            closeAbnormally();
        return false;
    }
    const qsizetype headerBytes = parsed.status == HeaderParse::Status::Complete
        ? parsed.headerSize
        : qMin<qsizetype>(m_input.size() - m_inputPosition, MaxFrameHeaderSize);
    const Slice offending { Buffer::Input, m_inputPosition, headerBytes };
    if (parsed.status == HeaderParse::Status::Invalid) {
        fail(parsed.error, offending);
        return false;
    }

    const FrameHeader &header = parsed.header;
    const bool control = isControl(header.opcode);
    std::optional<ProtocolError> error;
    if (m_role == Role::Client && header.masked)
        error = ProtocolError::MaskedFrameFromServer;
    else if (m_role == Role::Server && !header.masked)
        error = ProtocolError::UnmaskedFrameFromClient;
    else if (isReserved(header.opcode))
        error = ProtocolError::ReservedOpcode;
    else if (header.rsv2 || header.rsv3 || (header.rsv1 && !m_deflate))
        error = ProtocolError::ReservedBitSet;
    else if (header.rsv1 && (control || header.opcode == Opcode::Continuation))
        error = ProtocolError::CompressedControlOrContinuation;
    else if (control && !header.fin)
        error = ProtocolError::FragmentedControl;
    else if (control && header.payloadLength > MaxControlPayload)
        error = ProtocolError::ControlTooBig;
    else if (header.opcode == Opcode::Continuation && !m_inMessage)
        error = ProtocolError::UnexpectedContinuation;
    else if (!control && header.opcode != Opcode::Continuation && m_inMessage)
        error = ProtocolError::ExpectedContinuation;
    else if (!control) {
        const quint64 before = header.opcode == Opcode::Continuation ? m_messageWireSize : 0;
        if (header.payloadLength > m_limits.maxMessageSize
            || before > m_limits.maxMessageSize - header.payloadLength)
            error = ProtocolError::MessageTooBig;
    }
    if (error) {
        fail(*error, offending);
        return false;
    }

    m_inFrame = true;
    m_frame = header;
    m_frameHeaderSize = parsed.headerSize;
    m_frameProcessed = 0;
    resetBuffer(m_scratch);
    if (!control) {
        if (header.opcode != Opcode::Continuation) {
            m_inMessage = true;
            m_messageOpcode = header.opcode;
            m_messageCompressed = header.rsv1;
            m_messageWireSize = 0;
            resetBuffer(m_message);
            m_utf8.reset();
        }
        m_messageWireSize += header.payloadLength;
        m_frameZeroCopy =
            header.fin && header.opcode != Opcode::Continuation && !header.masked && !header.rsv1;
        m_frameMessageStart = m_message.size();
    }
    if (header.payloadLength >= m_limits.largeFrameThreshold) {
        Queued &entry = push(Kind::FrameStarted);
        entry.header = header;
    }
    return true;
}

bool Connection::consumePayload(quint64 available)
{
    const bool control = isControl(m_frame.opcode);
    // A control payload is at most 125 bytes: handle it whole.
    if (control && available < m_frame.payloadLength)
        return true;

    const char *source =
        m_input.constData() + m_inputPosition + m_frameHeaderSize + qsizetype(m_frameProcessed);
    const auto size = qsizetype(available - m_frameProcessed);
    QByteArrayView clear(source, size);
    if (m_frame.masked) {
        const qsizetype at = m_scratch.size();
        m_scratch.resize(at + size);
        copyMasked(m_scratch.data() + at, source, size, m_frame.maskKey, m_frameProcessed);
        clear = QByteArrayView(m_scratch.constData() + at, size);
    }
    m_frameProcessed = available;
    if (control)
        return true;

    const bool text = m_messageOpcode == Opcode::Text;
    if (m_messageCompressed) {
        const qsizetype before = m_message.size();
        const auto result = m_deflate->inflate(clear, m_message, qint64(m_limits.maxMessageSize));
        if (result != PerMessageDeflate::InflateResult::Ok) {
            fail(result == PerMessageDeflate::InflateResult::LimitExceeded
                     ? ProtocolError::InflatedTooBig
                     : ProtocolError::BadCompressedData,
                 currentFrameSlice());
            return false;
        }
        if (text && !m_utf8.feed(QByteArrayView(m_message).sliced(before))) {
            fail(ProtocolError::BadUtf8, currentFrameSlice());
            return false;
        }
        return true;
    }
    if (!m_frameZeroCopy)
        m_message.append(clear);
    if (text && !m_utf8.feed(clear)) {
        fail(ProtocolError::BadUtf8, currentFrameSlice());
        return false;
    }
    return true;
}

Connection::Slice Connection::currentFrameSlice() const
{
    const qsizetype available = m_input.size() - m_inputPosition;
    const qsizetype frameSize = m_frameHeaderSize + qsizetype(m_frame.payloadLength);
    return { Buffer::Input, m_inputPosition, qMin(available, frameSize) };
}

void Connection::finishFrame()
{
    const auto payloadSize = qsizetype(m_frame.payloadLength);
    const Slice wire { Buffer::Input, m_inputPosition, m_frameHeaderSize + payloadSize };
    const Slice payload = m_frame.masked
        ? Slice { Buffer::Scratch, 0, payloadSize }
        : Slice { Buffer::Input, m_inputPosition + m_frameHeaderSize, payloadSize };
    m_inputPosition += wire.size;
    m_inFrame = false;

    if (isControl(m_frame.opcode)) {
        {
            Queued &entry = push(Kind::FrameReceived);
            entry.header = m_frame;
            entry.wire = wire;
            entry.payload = payload;
        }
        handleControlFrame(wire, payload);
        return;
    }

    const bool text = m_messageOpcode == Opcode::Text;
    if (m_frame.fin && m_messageCompressed) {
        const qsizetype before = m_message.size();
        const auto result = m_deflate->finishMessage(m_message, qint64(m_limits.maxMessageSize));
        if (result != PerMessageDeflate::InflateResult::Ok) {
            {
                Queued &entry = push(Kind::FrameReceived);
                entry.header = m_frame;
                entry.wire = wire;
                entry.payload = payload;
            }
            fail(result == PerMessageDeflate::InflateResult::LimitExceeded
                     ? ProtocolError::InflatedTooBig
                     : ProtocolError::BadCompressedData,
                 wire);
            return;
        }
        if (text && !m_utf8.feed(QByteArrayView(m_message).sliced(before))) {
            {
                Queued &entry = push(Kind::FrameReceived);
                entry.header = m_frame;
                entry.wire = wire;
                entry.payload = payload;
            }
            fail(ProtocolError::BadUtf8, wire);
            return;
        }
    }
    const Slice inflated = m_messageCompressed
        ? Slice { Buffer::Message, m_frameMessageStart, m_message.size() - m_frameMessageStart }
        : Slice {};
    {
        Queued &entry = push(Kind::FrameReceived);
        entry.header = m_frame;
        entry.wire = wire;
        entry.payload = payload;
        entry.inflated = inflated;
        entry.compressed = m_messageCompressed;
    }
    if (!m_frame.fin)
        return;

    m_inMessage = false;
    if (text && !m_utf8.isComplete()) {
        fail(ProtocolError::BadUtf8, wire);
        return;
    }
    const Slice message =
        m_frameZeroCopy ? payload : Slice { Buffer::Message, 0, m_message.size() };
    {
        Queued &entry = push(text ? Kind::Text : Kind::Binary);
        entry.payload = message;
        entry.compressed = m_messageCompressed;
    }
}

void Connection::handleControlFrame(const Slice &wire, const Slice &payload)
{
    switch (m_frame.opcode) {
    case Opcode::Ping: {
        Queued &entry = push(Kind::Ping);
        entry.payload = payload;
    }
        if (m_limits.autoPong && m_state == ConnectionState::Open) {
            FrameHeader pong;
            pong.opcode = Opcode::Pong;
            writeFrame(pong, view(payload));
        }
        return;
    case Opcode::Pong: {
        Queued &entry = push(Kind::Pong);
        entry.payload = payload;
    }
        return;
    case Opcode::Close:
        handleClose(wire, payload);
        return;
    default:
        return;
    }
}

void Connection::handleClose(const Slice &frame, const Slice &payload)
{
    const QByteArrayView bytes = view(payload);
    quint16 code = CloseCode::NoStatus;
    Slice reason;
    if (bytes.size() == 1) {
        fail(ProtocolError::CloseFrameTooShort, frame);
        return;
    }
    if (bytes.size() >= 2) {
        code = readBigEndian16(bytes);
        if (!isSendableCloseCode(code, m_limits.strictCloseCodes)) {
            fail(ProtocolError::BadCloseCode, frame);
            return;
        }
        reason = { payload.buffer, payload.offset + 2, payload.size - 2 };
        if (!Utf8Validator::isValid(view(reason))) {
            fail(ProtocolError::BadUtf8CloseReason, frame);
            return;
        }
    }
    {
        Queued &entry = push(Kind::Close);
        entry.payload = reason;
        entry.code = code;
    }
    m_closeReceived = true;
    m_stopped = true; // nothing may follow a close frame
    const QByteArray reasonBytes = view(reason).toByteArray();
    if (m_closeSent) {
        setClosed(CloseOrigin::Local, m_sentCloseCode, m_sentCloseReason, true);
    } else if (m_limits.autoCloseReply) {
        // Echo the code (RFC 6455 section 5.5.1) and the reason, which peers and conformance
        // suites (Autobahn 7.3.4/7.3.5) expect back; a close without a code is answered alike.
        writeClose(code, reasonBytes, code != CloseCode::NoStatus);
        setClosed(CloseOrigin::Remote, code, reasonBytes, true);
    } else {
        m_state = ConnectionState::RemoteClosing;
        m_peerCloseCode = code;
        m_peerCloseReason = reasonBytes;
    }
}

void Connection::fail(ProtocolError error, const Slice &offending)
{
    const quint16 code = closeCodeFor(error);
    {
        Queued &entry = push(Kind::Violation);
        entry.wire = offending;
        entry.code = code;
        entry.error = error;
    }
    QByteArray reason(describe(error));
    reason.truncate(MaxCloseReason);
    if (!m_closeSent && m_state == ConnectionState::Open)
        writeClose(code, reason, true);
    setClosed(CloseOrigin::Local, code, reason, false, error);
}

void Connection::closeAbnormally()
{
    setClosed(CloseOrigin::Transport, CloseCode::Abnormal, {}, false);
}

void Connection::setClosed(CloseOrigin origin, quint16 code, QByteArray reason, bool clean,
                           std::optional<ProtocolError> violation)
{
    m_state = ConnectionState::Closed;
    m_stopped = true;
    m_closeInfo = { origin, code, std::move(reason), clean, violation };
    {
        Queued &entry = push(Kind::Closed);
        entry.code = code;
    }
}

// ---------------------------------------------------------------------------------------------
// Events

bool Connection::queueReferences(Buffer buffer) const
{
    for (std::size_t i = m_queueHead; i < m_queue.size(); ++i) {
        const Queued &entry = m_queue[i];
        if (entry.wire.buffer == buffer || entry.payload.buffer == buffer
            || entry.inflated.buffer == buffer)
            return true;
    }
    return false;
}

namespace {

// Builds an event of type T in the optional that is returned, field by field through `fill`.
// Building the value first and moving it in costs, besides the copy, a store-forwarding stall
// per view: the compiler writes a view's two words separately and copies them as one 16-byte
// load, which cannot be served from the two pending stores. The named optional is this
// function's only return value, so it is constructed in the caller's return slot.
template<typename T, typename Fill>
std::optional<Event> buildEvent(Fill &&fill)
{
    std::optional<Event> event(std::in_place, std::in_place_type<T>);
    fill(*std::get_if<T>(&*event));
    return event;
}

} // namespace

std::optional<Event> Connection::materialize(const Queued &entry) const
{
    // Every event is built in place in the returned optional: no default-constructed optional
    // (which zero-fills all 400 bytes of the variant) and no copy of a finished event.
    auto make = [](auto &&value) {
        using T = std::decay_t<decltype(value)>;
        return std::optional<Event>(std::in_place, std::in_place_type<T>, std::move(value));
    };
    auto fillFrame = [&](FrameView &frame, Direction direction) {
        frame.direction = direction;
        frame.header = entry.header;
        frame.wire = view(entry.wire);
        frame.payload = view(entry.payload);
        frame.inflated = view(entry.inflated);
    };
    switch (entry.kind) {
    case Kind::FrameStarted:
        return make(FrameStarted { entry.header });
    case Kind::FrameReceived:
        return buildEvent<FrameReceived>(
            [&](FrameReceived &event) { fillFrame(event.frame, Direction::Incoming); });
    case Kind::FrameSent:
        return buildEvent<FrameSent>(
            [&](FrameSent &event) { fillFrame(event.frame, Direction::Outgoing); });
    case Kind::Text:
        return buildEvent<TextMessage>([&](TextMessage &event) {
            event.utf8 = view(entry.payload);
            event.compressed = entry.compressed;
        });
    case Kind::Binary:
        return buildEvent<BinaryMessage>([&](BinaryMessage &event) {
            event.data = view(entry.payload);
            event.compressed = entry.compressed;
        });
    case Kind::Ping:
        return buildEvent<PingReceived>(
            [&](PingReceived &event) { event.payload = view(entry.payload); });
    case Kind::Pong:
        return buildEvent<PongReceived>(
            [&](PongReceived &event) { event.payload = view(entry.payload); });
    case Kind::Close:
        return make(CloseReceived { entry.code, view(entry.payload) });
    case Kind::Violation:
        return make(ProtocolViolation { entry.error, entry.code, view(entry.wire) });
    case Kind::HandshakeCompleted:
        return make(HandshakeCompleted { m_requestHead, m_responseHead, m_negotiated });
    case Kind::HandshakeRejected:
        return make(
            HandshakeRejected { m_rejection, m_rejectionMessage, m_responseHead, m_refusalBody });
    case Kind::HandshakeRequested:
        return make(HandshakeRequested { m_upgrade });
    case Kind::Closed:
        return make(ConnectionClosed { m_closeInfo });
    }
    return make(ConnectionClosed { m_closeInfo });
}

} // namespace duplex
