#pragma once

#include "core/protocol/FrameHeader.h"
#include "core/protocol/Handshake.h"
#include "core/protocol/ProtocolError.h"
#include "core/protocol/Role.h"

#include <optional>
#include <variant>

namespace duplex {

// One frame as it crossed the wire. Views point into the Connection's buffers and stay valid
// until the next call to a non-const member of that Connection: copy what must outlive that.
struct FrameView
{
    Direction direction = Direction::Incoming;
    FrameHeader header;
    QByteArrayView wire; // exactly the bytes on the wire: header, mask key, payload
    // The payload in clear. For an outgoing masked frame the Connection keeps only the masked
    // wire bytes, so this is empty there: payloadInClear() computes it.
    QByteArrayView payload;
    // For a frame of a compressed message: what this frame's payload inflated to.
    QByteArrayView inflated;

    FrameLayout layout() const { return layoutOf(header); }
    QByteArray payloadInClear() const;
};

// A frame long enough (Limits::largeFrameThreshold) to be announced before its payload is in.
struct FrameStarted
{
    FrameHeader header;
};

// The events of every frame and message have a default constructor of their own (the `{ }`):
// the Connection builds each in place inside the Event and fills in its fields, and building a
// variant alternative whose default constructor is the implicit one zero-fills the whole
// variant, all 400 bytes of it, first.
struct FrameReceived
{
    FrameReceived() { }
    FrameView frame;
};

struct FrameSent
{
    FrameSent() { }
    FrameView frame;
};

struct TextMessage
{
    TextMessage() { }
    QByteArrayView utf8; // validated
    bool compressed = false;
};

struct BinaryMessage
{
    BinaryMessage() { }
    QByteArrayView data;
    bool compressed = false;
};

struct PingReceived
{
    PingReceived() { }
    QByteArrayView payload;
};

struct PongReceived
{
    PongReceived() { }
    QByteArrayView payload;
};

struct CloseReceived
{
    quint16 code = 0; // CloseCode::NoStatus (1005) when the frame carried no code
    QByteArrayView reason; // validated UTF-8
};

// The peer broke the protocol; the connection is failed with closeCode (RFC 6455 section 7.1.7).
struct ProtocolViolation
{
    ProtocolError error {};
    quint16 closeCode = 0;
    QByteArrayView bytes; // the offending frame as far as it had arrived
};

// Client: the server's 101 was valid. Server: we accepted the client's request.
struct HandshakeCompleted
{
    HttpHead request; // as sent (client) or received (server)
    HttpHead response; // as received (client) or sent (server)
    Negotiated negotiated;
};

// Client: the server refused or answered wrongly. Server: we refused a bad request.
struct HandshakeRejected
{
    HandshakeError error = HandshakeError::None;
    QString message;
    HttpHead response; // what the server answered, as far as it got
    QByteArray body; // the first bytes of the response body, up to Limits::maxRefusalBodySize
};

// Server: a valid upgrade request waits for acceptHandshake() or rejectHandshake().
struct HandshakeRequested
{
    UpgradeRequest request;
};

enum class CloseOrigin : quint8 {
    Local, // we sent the first close frame, or failed the connection
    Remote, // the peer sent the first close frame
    Transport, // the TCP connection ended without a complete closing handshake
};

struct CloseInfo
{
    CloseOrigin origin = CloseOrigin::Transport;
    quint16 code = 1006; // the code of the first close frame; 1006 when there was none
    QByteArray reason;
    // Both close frames were exchanged (the closing handshake completed).
    bool clean = false;
    // Set when we failed the connection because the peer broke the protocol.
    std::optional<ProtocolError> violation;
};

struct ConnectionClosed
{
    CloseInfo info;
};

using Event = std::variant<HandshakeCompleted, HandshakeRejected, HandshakeRequested, FrameStarted,
                           FrameReceived, FrameSent, TextMessage, BinaryMessage, PingReceived,
                           PongReceived, CloseReceived, ProtocolViolation, ConnectionClosed>;

} // namespace duplex
