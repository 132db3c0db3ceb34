#pragma once

#include "core/protocol/Event.h"
#include "core/protocol/Limits.h"
#include "core/protocol/MaskKeySource.h"
#include "core/protocol/Utf8Validator.h"

#include <array>
#include <memory>
#include <vector>

namespace duplex {

namespace detail {
// Above this, a buffer emptied between messages gives its memory back.
inline constexpr qsizetype RetainedBufferCapacity = 4 * 1024 * 1024;
// Where an event's bytes live: queued events keep offsets, not pointers, so the buffers may grow.
enum class ConnectionBuffer : quint8 { None, Input, Scratch, Message, Output, SentClear };
struct ConnectionSlice
{
    ConnectionBuffer buffer = ConnectionBuffer::None;
    qsizetype offset = 0;
    qsizetype size = 0;
};
} // namespace detail

enum class ConnectionState : quint8 {
    Connecting, // opening handshake in progress
    Open,
    LocalClosing, // we sent a close frame and wait for the peer's
    RemoteClosing, // the peer sent a close frame and waits for ours (autoCloseReply off)
    Closed, // see closeInfo()
    Rejected, // the opening handshake failed
};

const char *stateName(ConnectionState state);

// A caller's misuse: asking for something the protocol or the current state does not allow.
enum class LocalError : quint8 {
    None,
    WrongState, // e.g. sending data before the handshake or after our close
    InvalidUtf8, // a text message or close reason that is not UTF-8
    ControlTooLong, // a ping, pong or close payload over 125 bytes
    InvalidCloseCode, // a code that may not be sent
    InvalidRequest, // the handshake request could not be built
};

struct LocalResult
{
    LocalError error = LocalError::None;
    QString message;
    explicit operator bool() const { return error == LocalError::None; }
};

struct SendOptions
{
    // Compress with permessage-deflate when it was negotiated.
    bool compress = true;
    // Split the message into frames of at most this many payload bytes; 0 sends one frame.
    qsizetype fragmentSize = 0;
};

// The sans-I/O WebSocket endpoint (RFC 6455, RFC 7692): bytes in, events out, bytes to send
// out. It owns no socket, timer or thread. Feed it received bytes in any pieces with
// receiveData(); take events with nextEvent() until it returns nothing; write pendingOutput() to
// the peer and consumeOutput() what was written. Every frame, in both directions, is reported as
// an event (FrameReceived / FrameSent) before what it means (a message, a ping, a close).
//
// Views inside events stay valid until the next call to a non-const member.
class Connection
{
public:
    explicit Connection(Role role, Limits limits = {});
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    Role role() const { return m_role; }
    ConnectionState state() const { return m_state; }
    const Limits &limits() const { return m_limits; }
    // Meaningful once state() is Closed.
    const CloseInfo &closeInfo() const { return m_closeInfo; }
    // The agreed subprotocol and extensions, once Open.
    const Negotiated &negotiated() const { return m_negotiated; }

    // Client: queue the opening handshake. A key may be given for reproducible tests.
    LocalResult initiate(const HandshakeRequest &request, QByteArray key = {});
    const QByteArray &handshakeRequestBytes() const { return m_handshakeRequestBytes; }

    // Server: answer a HandshakeRequested event.
    LocalResult acceptHandshake(QByteArrayView subprotocol = {},
                                const std::optional<DeflateOptions> &deflatePolicy = std::nullopt,
                                const QList<HttpHeader> &extraHeaders = {});
    LocalResult rejectHandshake(int status, QByteArrayView reason, QByteArrayView body = {});
    // Server: start without a handshake, e.g. behind a front end that performed it.
    void openWithoutHandshake(const Negotiated &negotiated = {});

    void receiveData(QByteArrayView data);
    // The same, but when nothing is left over from earlier input the Connection shares the
    // caller's buffer instead of copying it (QByteArray is implicitly shared), so a large frame
    // read from a socket is validated and delivered without being copied once more.
    void receiveData(const QByteArray &data);
    void receiveData(const char *data) { receiveData(QByteArrayView(data)); }
    // Receiving without a copy: prepareReceive() returns room for `size` bytes at the end of
    // the input, for a caller to read a socket straight into; commitReceive() then says how
    // many of them it filled (0 to `size`). Nothing else may be called in between.
    char *prepareReceive(qsizetype size)
    {
        // The common case inline: everything taken, nothing queued, the buffer ours and large
        // enough (a round trip's few bytes, or the next 64 KiB of a burst).
        if (m_inputPosition == m_input.size() && m_queueHead == m_queue.size()
            && m_input.isDetached() && m_input.capacity() >= size
            && m_input.capacity() <= detail::RetainedBufferCapacity) {
            m_inputPosition = 0;
            m_receiveStart = 0;
            m_input.resize(size);
            return m_input.data();
        }
        return prepareReceiveSlow(size);
    }
    void commitReceive(qsizetype bytes)
    {
        if (m_receiveStart < 0)
            return;
        const qsizetype start = m_receiveStart;
        m_receiveStart = -1;
        m_input.resize(start + (m_eof ? 0 : qBound<qsizetype>(0, bytes, m_input.size() - start)));
    }
    // How many more bytes the frame being received needs before it is complete; 0 between
    // frames. A reader may size its next read by it, so a large frame arrives in few reads.
    qsizetype frameBytesMissing() const;
    // The peer closed its side of the TCP connection.
    void receiveEof();
    std::optional<Event> nextEvent();

    LocalResult sendText(QByteArrayView utf8, const SendOptions &options = {});
    LocalResult sendBinary(QByteArrayView data, const SendOptions &options = {});
    LocalResult sendPing(QByteArrayView payload = {});
    LocalResult sendPong(QByteArrayView payload = {});
    // Starts (or, after the peer's close, completes) the closing handshake.
    LocalResult close(quint16 code = 1000, QByteArrayView reason = {});
    LocalResult closeWithoutCode();
    // Sends any frame exactly as described, reserved bits and opcodes included, to test how a
    // peer copes. The mask key is fresh when header.masked is set and the key is all zero. It
    // changes no state: a raw close frame does not start the closing handshake.
    LocalResult sendRawFrame(const FrameHeader &header, QByteArrayView payload);

    QByteArrayView pendingOutput() const;
    bool hasPendingOutput() const { return m_outputConsumed < m_output.size(); }
    void consumeOutput(qsizetype bytes);
    QByteArray takeOutput();

    // For tests: replace the cryptographic key source with a fixed sequence.
    MaskKeySource &maskKeySource() { return m_maskKeys; }

private:
    using Buffer = detail::ConnectionBuffer;
    using Slice = detail::ConnectionSlice;
    enum class Kind : quint8 {
        FrameStarted,
        FrameReceived,
        FrameSent,
        Text,
        Binary,
        Ping,
        Pong,
        Close,
        Violation,
        HandshakeCompleted,
        HandshakeRejected,
        HandshakeRequested,
        Closed,
    };
    struct Queued
    {
        // Its own constructor, so that emplace_back() sets the fields below one by one instead
        // of zero-filling the whole entry first (a `rep stos` with a slow start) and then
        // setting them.
        Queued() { }
        Kind kind = Kind::Closed;
        FrameHeader header;
        Slice wire;
        Slice payload;
        Slice inflated;
        quint16 code = 0;
        ProtocolError error {};
        bool compressed = false;
    };

    // Queues an event with default fields for the caller to fill in place: building a Queued
    // on the stack and copying it costs store-forwarding stalls on the hottest path.
    Queued &push(Kind kind)
    {
        Queued &entry = m_queue.emplace_back();
        entry.kind = kind;
        return entry;
    }
    QByteArrayView view(const Slice &slice) const
    {
        if (slice.buffer == Buffer::None)
            return {};
        return QByteArrayView(m_buffers[std::size_t(slice.buffer)]->constData() + slice.offset,
                              slice.size);
    }
    std::optional<Event> materialize(const Queued &entry) const;
    bool queueReferences(Buffer buffer) const;
    void compactInput();
    void compactOutput();

    // Input processing. Each returns whether it made progress (consumed input or queued an
    // event); false means it needs more bytes.
    bool parseStep();
    bool parseResponseHead();
    bool parseRequestHead();
    bool collectRefusalBody();
    char *prepareReceiveSlow(qsizetype size);
    bool parseFrame();
    bool parseSmallFrame();
    bool startFrame();
    bool consumePayload(quint64 available); // false: the connection failed
    void finishFrame();
    Slice currentFrameSlice() const;
    void handleControlFrame(const Slice &wire, const Slice &payload);
    void handleClose(const Slice &wire, const Slice &payload);
    void fail(ProtocolError error, const Slice &offending);
    void closeAbnormally();
    void setClosed(CloseOrigin origin, quint16 code, QByteArray reason, bool clean,
                   std::optional<ProtocolError> violation = std::nullopt);
    void finishHandshake(Negotiated negotiated);
    void rejectWith(HandshakeError error, QString message);

    // Output
    bool canSendData() const;
    LocalResult wrongState(const char *what) const;
    LocalResult sendMessage(Opcode opcode, QByteArrayView data, const SendOptions &options);
    LocalResult startOrFinishClose(quint16 code, QByteArrayView reason, bool withCode);
    void writeClose(quint16 code, QByteArrayView reason, bool withCode);
    // Masks per role; `clear` points at the uncompressed message for a compressed first frame.
    void writeFrame(FrameHeader header, QByteArrayView payload, const Slice &clear);
    void writeFrame(const FrameHeader &header, QByteArrayView payload)
    {
        writeFrame(header, payload, Slice {});
    }
    void appendFrame(const FrameHeader &header, QByteArrayView payload, const Slice &clear);

    Role m_role;
    Limits m_limits;
    ConnectionState m_state = ConnectionState::Connecting;
    CloseInfo m_closeInfo;
    Negotiated m_negotiated;
    MaskKeySource m_maskKeys;
    std::unique_ptr<PerMessageDeflate> m_deflate;

    // Opening handshake
    HandshakeRequest m_request;
    QByteArray m_key;
    QByteArray m_handshakeRequestBytes;
    std::unique_ptr<HttpHeadParser> m_headParser;
    HttpHead m_requestHead; // client: as sent; server: as received
    HttpHead m_responseHead; // client: as received; server: as sent
    UpgradeRequest m_upgrade; // server: what the client asked for
    HandshakeError m_rejection = HandshakeError::None;
    QString m_rejectionMessage;
    QByteArray m_refusalBody;
    qsizetype m_refusalBodyExpected = -1; // Content-Length, capped; -1: until EOF

    // Input. A buffer emptied between messages keeps up to detail::RetainedBufferCapacity.
    QByteArray m_input;
    qsizetype m_inputPosition = 0; // first byte not yet consumed
    qsizetype m_receiveStart = -1; // prepareReceive(): where the caller's bytes go
    bool m_eof = false;
    bool m_stopped = false; // failed or closed: no more input is parsed

    // The frame being received
    bool m_inFrame = false;
    FrameHeader m_frame;
    int m_frameHeaderSize = 0;
    quint64 m_frameProcessed = 0; // payload bytes already unmasked/validated/inflated
    bool m_frameZeroCopy = false; // the payload is the message, read straight from m_input
    qsizetype m_frameMessageStart = 0; // m_message size when this frame began
    QByteArray m_scratch; // unmasked payload of the current masked frame

    // The message being received
    bool m_inMessage = false;
    Opcode m_messageOpcode = Opcode::Text;
    bool m_messageCompressed = false;
    quint64 m_messageWireSize = 0;
    QByteArray m_message;
    Utf8Validator m_utf8;

    bool m_closeSent = false;
    bool m_closeReceived = false;
    quint16 m_sentCloseCode = 0;
    QByteArray m_sentCloseReason;
    quint16 m_peerCloseCode = 0;
    QByteArray m_peerCloseReason;

    // Output
    QByteArray m_output;
    qsizetype m_outputConsumed = 0;
    QByteArray m_compressed; // the message being sent, compressed
    QByteArray m_sentClear; // uncompressed copies of compressed messages, for FrameSent

    // What each Buffer names, so that view() is an index rather than a switch.
    std::array<const QByteArray *, 6> m_buffers {};

    // Events not yet taken; m_queueHead is the next to hand out.
    std::vector<Queued> m_queue;
    std::size_t m_queueHead = 0;
};

} // namespace duplex
