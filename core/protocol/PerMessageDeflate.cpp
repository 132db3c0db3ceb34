#include "core/protocol/PerMessageDeflate.h"

#include <QStringList>

#include <algorithm>
#include <cstring>

#define ZLIB_CONST
#include <zlib.h>

namespace duplex {
namespace {

constexpr int MinWindowBits = 8;
constexpr int MaxWindowBits = 15;
// zlib's deflate cannot keep a 256-byte window; see the note in the header.
constexpr int MinZlibDeflateWindowBits = 9;
constexpr int ZlibMemLevel = 8;

// zlib counts in uInt; larger inputs and outputs are handed over in pieces of this size.
constexpr qsizetype MaxZlibChunk = qsizetype(1) << 30;
// Room kept free for a sync flush: zlib asks for more than six bytes to avoid repeating the
// flush marker.
constexpr qsizetype MinFlushRoom = 16;
// The smallest step by which the inflate output grows.
constexpr qint64 MinInflateStep = 4 * 1024;
// The expansion assumed until a message shows better (text typically inflates 4 to 10 times),
// and the least input that is taken as showing it.
constexpr double InitialExpansion = 4.0;
constexpr qsizetype MinRatioSample = 256;

// The empty stored block that ends every compressed message, removed by the sender and put
// back by the receiver (RFC 7692 section 7.2.1 and 7.2.2).
constexpr char MessageTail[] = { '\x00', '\x00', '\xff', '\xff' };
constexpr qsizetype MessageTailSize = sizeof(MessageTail);

const QByteArray ServerNoContextTakeover = QByteArrayLiteral("server_no_context_takeover");
const QByteArray ClientNoContextTakeover = QByteArrayLiteral("client_no_context_takeover");
const QByteArray ServerMaxWindowBits = QByteArrayLiteral("server_max_window_bits");
const QByteArray ClientMaxWindowBits = QByteArrayLiteral("client_max_window_bits");

QString latin1(const QByteArray &text)
{
    return QString::fromLatin1(text);
}

// RFC 7692 section 7.1.2: a decimal integer from 8 to 15 without leading zeros.
std::optional<int> parseWindowBits(const QByteArray &value)
{
    if (value.size() == 1 && value[0] >= '8' && value[0] <= '9')
        return value[0] - '0';
    if (value.size() == 2 && value[0] == '1' && value[1] >= '0' && value[1] <= '5')
        return 10 + (value[1] - '0');
    return std::nullopt;
}

// The permessage-deflate parameters of one offer or response element, checked one by one
// (RFC 7692 section 5 and 7.1).
struct ScannedParameters
{
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    std::optional<int> serverMaxWindowBits;
    bool hasClientMaxWindowBits = false;
    std::optional<int> clientMaxWindowBits;
};

enum class ElementKind { Offer, Response };

// Empty on success, else what is wrong with the element.
QString scanParameters(const ExtensionElement &element, ElementKind kind, ScannedParameters &out)
{
    QList<QByteArray> seen;
    for (const ExtensionParameter &parameter : element.parameters) {
        const QByteArray &name = parameter.name;
        const bool known = name == ServerNoContextTakeover || name == ClientNoContextTakeover
            || name == ServerMaxWindowBits || name == ClientMaxWindowBits;
        if (!known)
            return QStringLiteral("unknown parameter \"%1\"").arg(latin1(name));
        if (seen.contains(name))
            return QStringLiteral("parameter %1 appears more than once").arg(latin1(name));
        seen.append(name);

        if (name == ServerNoContextTakeover || name == ClientNoContextTakeover) {
            if (parameter.value) {
                return QStringLiteral("%1 takes no value, but has \"%2\"")
                    .arg(latin1(name), latin1(*parameter.value));
            }
            (name == ServerNoContextTakeover ? out.serverNoContextTakeover
                                             : out.clientNoContextTakeover) = true;
            continue;
        }

        // server_max_window_bits always has a value; client_max_window_bits may go without one
        // only in an offer.
        const bool valueRequired = name == ServerMaxWindowBits || kind == ElementKind::Response;
        std::optional<int> bits;
        if (parameter.value) {
            bits = parseWindowBits(*parameter.value);
            if (!bits) {
                return QStringLiteral("%1=%2 is not a number from 8 to 15 (without leading "
                                      "zeros)")
                    .arg(latin1(name), latin1(*parameter.value));
            }
        } else if (valueRequired) {
            return QStringLiteral("%1 needs a value from 8 to 15").arg(latin1(name));
        }
        if (name == ServerMaxWindowBits) {
            out.serverMaxWindowBits = bits;
        } else {
            out.hasClientMaxWindowBits = true;
            out.clientMaxWindowBits = bits;
        }
    }
    return {};
}

DeflateNegotiation refusedResponse(const QString &why)
{
    return { std::nullopt, why };
}

} // namespace

// ---- Negotiation ----------------------------------------------------------------------------

QString DeflateOptions::validate() const
{
    const auto outOfRange = [](const char *field, int value) {
        return QStringLiteral("%1 is %2; it must be from 8 to 15")
            .arg(QLatin1String(field))
            .arg(value);
    };
    if (clientMaxWindowBits < MinWindowBits || clientMaxWindowBits > MaxWindowBits)
        return outOfRange("clientMaxWindowBits", clientMaxWindowBits);
    if (serverMaxWindowBits < MinWindowBits || serverMaxWindowBits > MaxWindowBits)
        return outOfRange("serverMaxWindowBits", serverMaxWindowBits);
    if (compressionLevel < Z_DEFAULT_COMPRESSION || compressionLevel > Z_BEST_COMPRESSION) {
        return QStringLiteral("compressionLevel is %1; it must be -1 (zlib's default) or from 0 "
                              "to 9")
            .arg(compressionLevel);
    }
    return {};
}

QByteArray DeflateParameters::toHeaderValue() const
{
    QByteArray value = PerMessageDeflateName;
    if (serverNoContextTakeover)
        value += "; " + ServerNoContextTakeover;
    if (clientNoContextTakeover)
        value += "; " + ClientNoContextTakeover;
    if (serverMaxWindowBits < MaxWindowBits || announceServerMaxWindowBits)
        value += "; " + ServerMaxWindowBits + '=' + QByteArray::number(serverMaxWindowBits);
    if (clientMaxWindowBits < MaxWindowBits)
        value += "; " + ClientMaxWindowBits + '=' + QByteArray::number(clientMaxWindowBits);
    return value;
}

QByteArray deflateOfferHeaderValue(const DeflateOptions &offer)
{
    if (!offer.enabled || !offer.validate().isEmpty())
        return {};
    QByteArray value = PerMessageDeflateName;
    if (offer.serverNoContextTakeover)
        value += "; " + ServerNoContextTakeover;
    if (offer.clientNoContextTakeover)
        value += "; " + ClientNoContextTakeover;
    if (offer.serverMaxWindowBits < MaxWindowBits)
        value += "; " + ServerMaxWindowBits + '=' + QByteArray::number(offer.serverMaxWindowBits);
    if (offer.offerClientMaxWindowBits) {
        value += "; " + ClientMaxWindowBits;
        if (offer.clientMaxWindowBits < MaxWindowBits)
            value += '=' + QByteArray::number(offer.clientMaxWindowBits);
    }
    return value;
}

DeflateNegotiation negotiateDeflateResponse(const ExtensionElement &response,
                                            const DeflateOptions &offered)
{
    if (response.name != PerMessageDeflateName) {
        return refusedResponse(
            QStringLiteral("the element is named \"%1\"").arg(latin1(response.name)));
    }
    if (!offered.enabled)
        return refusedResponse(QStringLiteral("we did not offer permessage-deflate"));
    if (const QString invalid = offered.validate(); !invalid.isEmpty())
        return refusedResponse(QStringLiteral("our own offer is invalid: %1").arg(invalid));

    ScannedParameters got;
    if (const QString error = scanParameters(response, ElementKind::Response, got);
        !error.isEmpty()) {
        return refusedResponse(error);
    }

    // RFC 7692 section 7.1.1.1 and 7.1.2.1: a server accepts these by naming them back.
    if (offered.serverNoContextTakeover && !got.serverNoContextTakeover) {
        return refusedResponse(
            QStringLiteral("server_no_context_takeover is missing, but we asked for it"));
    }
    if (offered.serverMaxWindowBits < MaxWindowBits && !got.serverMaxWindowBits) {
        return refusedResponse(
            QStringLiteral("server_max_window_bits is missing, but we limited it to %1")
                .arg(offered.serverMaxWindowBits));
    }
    if (got.serverMaxWindowBits && *got.serverMaxWindowBits > offered.serverMaxWindowBits) {
        return refusedResponse(
            QStringLiteral("server_max_window_bits=%1 is larger than the %2 we allowed")
                .arg(*got.serverMaxWindowBits)
                .arg(offered.serverMaxWindowBits));
    }
    // RFC 7692 section 7.1.2.2.
    if (got.hasClientMaxWindowBits && !offered.offerClientMaxWindowBits) {
        return refusedResponse(
            QStringLiteral("client_max_window_bits is named, but our offer did not include it"));
    }
    if (got.clientMaxWindowBits && *got.clientMaxWindowBits > offered.clientMaxWindowBits) {
        return refusedResponse(
            QStringLiteral("client_max_window_bits=%1 is larger than the %2 we offered")
                .arg(*got.clientMaxWindowBits)
                .arg(offered.clientMaxWindowBits));
    }

    DeflateParameters agreed;
    agreed.serverNoContextTakeover = got.serverNoContextTakeover;
    // What we declared in the offer binds us even when the response leaves it out.
    agreed.clientNoContextTakeover = got.clientNoContextTakeover || offered.clientNoContextTakeover;
    agreed.serverMaxWindowBits = got.serverMaxWindowBits.value_or(MaxWindowBits);
    agreed.announceServerMaxWindowBits = got.serverMaxWindowBits.has_value();
    agreed.clientMaxWindowBits =
        std::min(got.clientMaxWindowBits.value_or(MaxWindowBits), offered.clientMaxWindowBits);
    return { agreed, {} };
}

DeflateNegotiation acceptDeflateOffers(const QList<ExtensionElement> &offers,
                                       const DeflateOptions &serverPolicy)
{
    if (!serverPolicy.enabled)
        return {};
    if (const QString invalid = serverPolicy.validate(); !invalid.isEmpty())
        return { std::nullopt,
                 QStringLiteral("the server's deflate policy is invalid: %1").arg(invalid) };

    QStringList declined;
    int index = 0;
    for (const ExtensionElement &offer : offers) {
        if (offer.name != PerMessageDeflateName)
            continue;
        ++index;
        ScannedParameters got;
        if (const QString error = scanParameters(offer, ElementKind::Offer, got);
            !error.isEmpty()) {
            declined.append(QStringLiteral("offer %1 declined: %2").arg(index).arg(error));
            continue;
        }
        // We cannot limit the client's window unless it declared it can be limited.
        if (serverPolicy.clientMaxWindowBits < MaxWindowBits && !got.hasClientMaxWindowBits) {
            declined.append(QStringLiteral("offer %1 declined: it lacks client_max_window_bits, "
                                           "and we accept no client window above %2 bits")
                                .arg(index)
                                .arg(serverPolicy.clientMaxWindowBits));
            continue;
        }

        DeflateParameters agreed;
        agreed.serverNoContextTakeover =
            got.serverNoContextTakeover || serverPolicy.serverNoContextTakeover;
        agreed.clientNoContextTakeover =
            got.clientNoContextTakeover || serverPolicy.clientNoContextTakeover;
        agreed.serverMaxWindowBits = std::min(got.serverMaxWindowBits.value_or(MaxWindowBits),
                                              serverPolicy.serverMaxWindowBits);
        agreed.announceServerMaxWindowBits = got.serverMaxWindowBits.has_value();
        agreed.clientMaxWindowBits = std::min(got.clientMaxWindowBits.value_or(MaxWindowBits),
                                              serverPolicy.clientMaxWindowBits);
        return { agreed, {} };
    }
    return { std::nullopt, declined.join(QStringLiteral("; ")) };
}

// ---- Compression ----------------------------------------------------------------------------

struct PerMessageDeflate::Streams
{
    Role role = Role::Client;
    DeflateParameters parameters;
    int level = Z_DEFAULT_COMPRESSION;
    int compressBits = MaxWindowBits;
    int inflateBits = MaxWindowBits;
    bool resetDeflaterAfterMessage = false;
    bool resetInflaterAfterMessage = false;

    z_stream deflater {};
    z_stream inflater {};
    bool deflaterReady = false;
    bool inflaterReady = false;
    // Input of the current message went in.
    bool messageHasInput = false;
    // The input so far ended exactly where a final (BFINAL) block ended.
    bool inflaterAtStreamEnd = false;
    // The last input inflated with Z_BLOCK ended right before a block header.
    bool atBlockBoundary = false;
    // Scratch for carrying the window over a final block; allocated only when one is seen.
    QByteArray window;
    // How much the last message's input inflated, to size the output for the next one.
    double expansion = InitialExpansion;
    QString lastError;

    Streams() = default;
    Streams(const Streams &) = delete;
    Streams &operator=(const Streams &) = delete;

    ~Streams()
    {
        if (deflaterReady)
            deflateEnd(&deflater);
        if (inflaterReady)
            inflateEnd(&inflater);
    }

    void ensureDeflater()
    {
        if (deflaterReady)
            return;
        const int bits = std::max(compressBits, MinZlibDeflateWindowBits);
        const int rc =
            deflateInit2(&deflater, level, Z_DEFLATED, -bits, ZlibMemLevel, Z_DEFAULT_STRATEGY);
        if (rc == Z_MEM_ERROR)
            qBadAlloc();
        Q_ASSERT_X(rc == Z_OK, "PerMessageDeflate", "deflateInit2 refused the parameters");
        deflaterReady = true;
    }

    void ensureInflater()
    {
        if (inflaterReady)
            return;
        const int rc = inflateInit2(&inflater, -inflateBits);
        if (rc == Z_MEM_ERROR)
            qBadAlloc();
        Q_ASSERT_X(rc == Z_OK, "PerMessageDeflate", "inflateInit2 refused the parameters");
        inflaterReady = true;
    }

    void endMessage(bool resetContext)
    {
        if (resetContext && inflaterReady)
            inflateReset(&inflater);
        messageHasInput = false;
        inflaterAtStreamEnd = false;
    }

    // A final block ended the deflate stream, yet the message may go on (RFC 7692 section
    // 7.2.3.4 follows it with an empty stored block) and later messages may refer back into
    // this one: start a new stream that keeps the window.
    void restartAfterFinalBlock()
    {
        const qsizetype windowSize = qsizetype(1) << inflateBits;
        if (window.size() < windowSize)
            window.resize(windowSize);
        auto *windowData = reinterpret_cast<Bytef *>(window.data());
        uInt length = uInt(windowSize);
        if (inflateGetDictionary(&inflater, windowData, &length) != Z_OK)
            length = 0;
        inflateReset(&inflater);
        if (length > 0)
            inflateSetDictionary(&inflater, windowData, length);
    }

    // Drops the unused room; leaves out alone (and unshared copies unshared) when there is none.
    static void truncate(QByteArray &out, qsizetype written)
    {
        if (out.size() != written)
            out.resize(written);
    }

    // Makes room after `written` for about `expected` more bytes, never letting out grow past
    // `limit`: first whatever is already allocated, then a reallocation to the expected size
    // plus an eighth, or by half the capacity when that is more, so that many small steps (a
    // message in many frames, or a poor estimate) still cost amortised linear time. Requires
    // written < limit.
    static void growOutput(QByteArray &out, qsizetype written, qint64 limit, qint64 expected)
    {
        const qint64 room = limit - written;
        qint64 available = qint64(out.capacity()) - written;
        if (available < MinInflateStep && available < room) {
            const qint64 wanted = std::max(MinInflateStep, expected + expected / 8);
            const qint64 capacity = qint64(out.capacity());
            out.reserve(qsizetype(
                std::min(limit, std::max(qint64(written) + wanted, capacity + capacity / 2))));
            available = qint64(out.capacity()) - written;
        }
        out.resize(written + qsizetype(std::max<qint64>(1, std::min(available, room))));
    }

    // How much the pending input should inflate to: at the ratio seen so far in this call, or
    // else at the ratio of the last call that saw enough input.
    qint64 expectedOutput(qint64 pendingInput, qint64 consumed, qint64 produced, qint64 limit) const
    {
        const double ratio = consumed > 0 && produced > 0
            ? std::max(1.0, double(produced) / double(consumed))
            : expansion;
        return qint64(std::min(double(pendingInput) * ratio, double(limit)));
    }

    // Inflates `input` into out until it is all consumed and every byte it yields is out.
    InflateResult run(QByteArrayView input, QByteArray &out, qint64 limit, int flush)
    {
        z_stream &s = inflater;
        const auto *next = reinterpret_cast<const Bytef *>(input.data());
        qsizetype inputLeft = input.size();
        const qsizetype start = out.size();
        qsizetype written = start;
        Bytef probe = 0;
        s.avail_in = 0;
        for (;;) {
            if (s.avail_in == 0 && inputLeft > 0) {
                const qsizetype chunk = std::min(inputLeft, MaxZlibChunk);
                s.next_in = next;
                s.avail_in = uInt(chunk);
                next += chunk;
                inputLeft -= chunk;
            }
            // At the limit, inflate into a single spare byte: if it fills, there was more.
            const bool probing = written >= limit;
            if (probing) {
                s.next_out = &probe;
                s.avail_out = 1;
            } else {
                if (written == out.size()) {
                    const qint64 pending = qint64(s.avail_in) + inputLeft;
                    growOutput(
                        out, written, limit,
                        expectedOutput(pending, input.size() - pending, written - start, limit));
                }
                s.next_out = reinterpret_cast<Bytef *>(out.data() + written);
                s.avail_out = uInt(std::min(out.size() - written, MaxZlibChunk));
            }
            const uInt room = s.avail_out;
            const uInt inputBefore = s.avail_in;
            const int rc = ::inflate(&s, flush);
            const uInt produced = room - s.avail_out;
            // With Z_BLOCK, bit 128 of data_type tells that inflate stopped right before a block
            // header. A call that made no progress may have stepped past that check; keep the
            // answer of the last one that did.
            if (produced > 0 || s.avail_in != inputBefore)
                atBlockBoundary = (s.data_type & 128) != 0;
            if (!probing) {
                written += produced;
            } else if (produced > 0) {
                truncate(out, written);
                lastError = QStringLiteral("the message inflates past the size limit");
                return InflateResult::LimitExceeded;
            }

            const bool inputDone = s.avail_in == 0 && inputLeft == 0;
            if (rc == Z_STREAM_END) {
                restartAfterFinalBlock();
                inflaterAtStreamEnd = inputDone;
                if (inputDone)
                    break;
                continue;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                truncate(out, written);
                lastError =
                    s.msg ? QString::fromLatin1(s.msg) : QStringLiteral("zlib error %1").arg(rc);
                return InflateResult::Corrupt;
            }
            if (inputDone && s.avail_out != 0)
                break;
            if (produced == 0 && s.avail_in == inputBefore && s.avail_out != 0) {
                // zlib promises progress while it has input and room; guard against a loop.
                truncate(out, written);
                lastError = QStringLiteral("inflate made no progress");
                return InflateResult::Corrupt;
            }
        }
        truncate(out, written);
        if (input.size() >= MinRatioSample && written > start)
            expansion = std::clamp(double(written - start) / double(input.size()), 1.0, 1024.0);
        return InflateResult::Ok;
    }
};

PerMessageDeflate::PerMessageDeflate(Role role, const DeflateParameters &parameters,
                                     int compressionLevel)
    : m_streams(std::make_unique<Streams>())
{
    Streams &st = *m_streams;
    st.role = role;
    st.parameters = parameters;
    st.parameters.serverMaxWindowBits =
        std::clamp(parameters.serverMaxWindowBits, MinWindowBits, MaxWindowBits);
    st.parameters.clientMaxWindowBits =
        std::clamp(parameters.clientMaxWindowBits, MinWindowBits, MaxWindowBits);
    st.level = std::clamp(compressionLevel, Z_DEFAULT_COMPRESSION, Z_BEST_COMPRESSION);

    const DeflateParameters &p = st.parameters;
    const bool client = role == Role::Client;
    st.compressBits = client ? p.clientMaxWindowBits : p.serverMaxWindowBits;
    st.inflateBits = client ? p.serverMaxWindowBits : p.clientMaxWindowBits;
    st.resetDeflaterAfterMessage = client ? p.clientNoContextTakeover : p.serverNoContextTakeover;
    st.resetInflaterAfterMessage = client ? p.serverNoContextTakeover : p.clientNoContextTakeover;
}

PerMessageDeflate::~PerMessageDeflate() = default;
PerMessageDeflate::PerMessageDeflate(PerMessageDeflate &&other) noexcept = default;
PerMessageDeflate &PerMessageDeflate::operator=(PerMessageDeflate &&other) noexcept = default;

Role PerMessageDeflate::role() const
{
    return m_streams->role;
}

const DeflateParameters &PerMessageDeflate::parameters() const
{
    return m_streams->parameters;
}

int PerMessageDeflate::compressWindowBits() const
{
    return m_streams->compressBits;
}

int PerMessageDeflate::inflateWindowBits() const
{
    return m_streams->inflateBits;
}

void PerMessageDeflate::compressMessage(QByteArrayView message, QByteArray &out)
{
    Streams &st = *m_streams;
    if (message.isEmpty()) {
        // An empty stored block without its last four bytes (RFC 7692 section 7.2.3.6). It
        // leaves the window alone, so there is nothing to reset either.
        out.append('\0');
        return;
    }
    st.ensureDeflater();
    z_stream &s = st.deflater;

    // Reserve the whole result at once: deflateBound() covers a one-shot deflate of this
    // size, MinFlushRoom the sync flush's empty stored block.
    const qsizetype start = out.size();
    const qsizetype bound = qsizetype(deflateBound(&s, uLong(message.size()))) + MinFlushRoom;
    if (out.capacity() - start < bound)
        out.reserve(start + bound);
    out.resize(start + bound);

    const auto *next = reinterpret_cast<const Bytef *>(message.data());
    qsizetype inputLeft = message.size();
    qsizetype written = start;
    s.avail_in = 0;
    for (;;) {
        if (s.avail_in == 0 && inputLeft > 0) {
            const qsizetype chunk = std::min(inputLeft, MaxZlibChunk);
            s.next_in = next;
            s.avail_in = uInt(chunk);
            next += chunk;
            inputLeft -= chunk;
        }
        const int flush = inputLeft == 0 ? Z_SYNC_FLUSH : Z_NO_FLUSH;
        if (out.size() - written < MinFlushRoom)
            out.resize(written + std::max(MinFlushRoom, written - start));
        s.next_out = reinterpret_cast<Bytef *>(out.data() + written);
        s.avail_out = uInt(std::min(out.size() - written, MaxZlibChunk));
        const uInt room = s.avail_out;
        [[maybe_unused]] const int rc = ::deflate(&s, flush);
        Q_ASSERT(rc == Z_OK || rc == Z_BUF_ERROR);
        written += room - s.avail_out;
        // A sync flush is complete once all input is in and zlib left room unused.
        if (flush == Z_SYNC_FLUSH && s.avail_in == 0 && s.avail_out != 0)
            break;
    }

    // A sync flush always ends with the empty stored block's 00 00 ff ff (RFC 7692 section
    // 7.2.1): drop it.
    Q_ASSERT(
        written - start >= MessageTailSize
        && std::memcmp(out.constData() + written - MessageTailSize, MessageTail, MessageTailSize)
            == 0);
    out.resize(written - MessageTailSize);
    if (st.resetDeflaterAfterMessage)
        deflateReset(&s);
}

PerMessageDeflate::InflateResult PerMessageDeflate::inflate(QByteArrayView compressed,
                                                            QByteArray &out, qint64 limit)
{
    Streams &st = *m_streams;
    if (compressed.isEmpty())
        return InflateResult::Ok;
    st.ensureInflater();
    st.messageHasInput = true;
    st.inflaterAtStreamEnd = false;
    const InflateResult result = st.run(compressed, out, limit, Z_NO_FLUSH);
    if (result != InflateResult::Ok)
        st.endMessage(true);
    return result;
}

PerMessageDeflate::InflateResult PerMessageDeflate::finishMessage(QByteArray &out, qint64 limit)
{
    Streams &st = *m_streams;
    InflateResult result = InflateResult::Ok;
    // An empty payload is an empty message; a payload that ended with a final block has no
    // stored block to complete (lenient: RFC 7692 section 7.2.3.4 wants one after it).
    if (st.messageHasInput && !st.inflaterAtStreamEnd) {
        // Z_BLOCK stops at block boundaries, so the tail can tell whether the message ended
        // on one, as it must once its empty stored block is complete.
        st.atBlockBoundary = false;
        result = st.run(QByteArrayView(MessageTail, MessageTailSize), out, limit, Z_BLOCK);
        if (result == InflateResult::Ok && !st.atBlockBoundary) {
            st.lastError = QStringLiteral("the message ends inside a deflate block");
            result = InflateResult::Corrupt;
        }
    }
    st.endMessage(result != InflateResult::Ok || st.resetInflaterAfterMessage);
    return result;
}

QString PerMessageDeflate::lastError() const
{
    return m_streams->lastError;
}

} // namespace duplex
