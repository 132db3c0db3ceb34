#pragma once

#include "core/protocol/ExtensionHeader.h"
#include "core/protocol/Role.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace duplex {

// permessage-deflate (RFC 7692): negotiation, and the compression of whole messages.
//
// Window sizes. The RFC allows 8..15 bits; zlib's deflate cannot run with an 8-bit (256-byte)
// window and deflateInit2() refuses it for raw streams. When our compressing side agrees to 8,
// we compress with zlib's 9-bit window: zlib never reaches further back than the window size
// less 262 bytes (MAX_DIST in its deflate.h), 250 bytes for 9 bits, so every back-reference
// stays inside the 256 bytes the peer agreed to keep. We inflate with exactly the agreed window,
// 8 included, so a peer that reaches further back than it agreed to is reported as Corrupt.

inline constexpr char PerMessageDeflateName[] = "permessage-deflate";

// What a client offers, or what a server is willing to accept.
struct DeflateOptions
{
    bool enabled = false;
    // Client: the largest window we will compress with; 15 offers client_max_window_bits with
    // no value (we accept any value the server picks). Server: the largest window the client
    // may use; below 15 an offer that cannot honour it (no client_max_window_bits) is declined.
    int clientMaxWindowBits = 15;
    // Client: the largest window we let the server use, requested only when < 15. Server: the
    // largest window we compress with, announced when < 15.
    int serverMaxWindowBits = 15;
    // Client: ask the server to reset its context after every message. Server: do so always.
    bool serverNoContextTakeover = false;
    // Client: promise to reset our context after every message. Server: require the client to.
    bool clientNoContextTakeover = false;
    // Client only: include client_max_window_bits in the offer, declaring that we accept the
    // server's choice of our window. An offer may leave it out (to try a server); then the
    // server may not name it, and we still keep to clientMaxWindowBits without telling.
    bool offerClientMaxWindowBits = true;
    // zlib level: 0 (stored blocks only, still valid permessage-deflate), 1 (fastest) to 9
    // (smallest), or -1 for zlib's default (6).
    int compressionLevel = 6;

    // Empty when every field is in range; otherwise names the first bad field.
    QString validate() const;

    friend bool operator==(const DeflateOptions &, const DeflateOptions &) = default;
};

// What was agreed, as the server's response element states it.
struct DeflateParameters
{
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    int serverMaxWindowBits = 15;
    int clientMaxWindowBits = 15;
    // The response names server_max_window_bits even at 15. A server accepts an offer that
    // named server_max_window_bits by naming it back (RFC 7692 section 7.1.2.1).
    bool announceServerMaxWindowBits = false;

    // The server's response element, e.g. "permessage-deflate; server_max_window_bits=10".
    // client_max_window_bits is named only when below 15 (acceptDeflateOffers() agrees to a
    // smaller client window only when the offer named the parameter).
    QByteArray toHeaderValue() const;

    friend bool operator==(const DeflateParameters &, const DeflateParameters &) = default;
};

// The client's offer element, e.g. "permessage-deflate; client_max_window_bits". Empty when
// the offer is disabled or invalid (see DeflateOptions::validate()).
QByteArray deflateOfferHeaderValue(const DeflateOptions &offer);

// The outcome of a negotiation: the agreed parameters, or why there are none.
struct DeflateNegotiation
{
    std::optional<DeflateParameters> parameters;
    QString error;
};

// Client side: checks the server's response element against what we offered. An unknown
// parameter, a parameter twice, a malformed or out-of-range value, a value where none belongs
// or none where one is required, a server_max_window_bits larger than we allowed or missing
// when we asked for one, a missing server_no_context_takeover we asked for, or a
// client_max_window_bits we did not offer (or larger than we offered): each yields no
// parameters and an error naming the problem (e.g. "server_max_window_bits=12 is larger than
// the 10 we allowed"), on which the client fails the connection.
// client_no_context_takeover and client_max_window_bits=N from our own offer bind us even when
// the response leaves them out.
DeflateNegotiation negotiateDeflateResponse(const ExtensionElement &response,
                                            const DeflateOptions &offered);

// Server side: picks the first acceptable offer among the elements named permessage-deflate.
// An offer with an unknown parameter, a parameter twice or a bad value is declined (RFC 7692
// section 5), as is one that our policy cannot meet. When none is acceptable the result has no
// parameters; its error says why each offer was declined (empty when none was made or the
// policy is disabled). Declining is not a failure: the connection goes on uncompressed.
DeflateNegotiation acceptDeflateOffers(const QList<ExtensionElement> &offers,
                                       const DeflateOptions &serverPolicy);

// The compression state of one connection, after negotiation: a zlib deflate stream for what
// we send and an inflate stream for what we receive, each created on first use and reused
// (reset, not reallocated) from message to message. The client compresses with the client_*
// parameters and inflates with the server_* ones; the server the other way round.
//
// Move-only. A moved-from object may only be destroyed or assigned to.
class PerMessageDeflate
{
public:
    // Window bits are clamped to 8..15 and the level to -1..9.
    PerMessageDeflate(Role role, const DeflateParameters &parameters, int compressionLevel = 6);
    ~PerMessageDeflate();
    PerMessageDeflate(PerMessageDeflate &&other) noexcept;
    PerMessageDeflate &operator=(PerMessageDeflate &&other) noexcept;
    PerMessageDeflate(const PerMessageDeflate &) = delete;
    PerMessageDeflate &operator=(const PerMessageDeflate &) = delete;

    Role role() const;
    const DeflateParameters &parameters() const;
    // The window bits each direction uses, as agreed.
    int compressWindowBits() const;
    int inflateWindowBits() const;

    // Compresses one whole message and appends it to out, without the trailing 00 00 ff ff
    // (an empty message becomes the single byte 00). The context is reset afterwards when our
    // side agreed to no_context_takeover. `message` must not point into `out`.
    void compressMessage(QByteArrayView message, QByteArray &out);

    enum class InflateResult { Ok, LimitExceeded, Corrupt };

    // Decompresses part of one message: feed the payload of each of its frames, in any
    // chunking. Inflated bytes are appended to out, whose size never exceeds `limit` (an
    // absolute size, not a count of new bytes): output space is allocated in steps bounded by
    // the limit, so a small bomb cannot allocate past it. LimitExceeded means there was more to
    // inflate than fits; out then holds what did fit.
    InflateResult inflate(QByteArrayView compressed, QByteArray &out, qint64 limit);
    // Ends the message: feeds the 00 00 ff ff tail and checks the message ended on a block
    // boundary (a truncated message is Corrupt), then resets the inflate context when the
    // peer's side agreed to no_context_takeover. Also accepted, from lenient peers: a message
    // that ends with a final (BFINAL) block and nothing after it, and an empty payload.
    // After LimitExceeded or Corrupt the inflate context starts afresh for the next message,
    // which can only succeed when the peer does not take over its context.
    InflateResult finishMessage(QByteArray &out, qint64 limit);

    // zlib's message (or ours) for the last Corrupt result.
    QString lastError() const;

private:
    struct Streams;
    std::unique_ptr<Streams> m_streams;
};

} // namespace duplex
