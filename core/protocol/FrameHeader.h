#pragma once

#include "core/protocol/Opcode.h"
#include "core/protocol/ProtocolError.h"

#include <QByteArrayView>

#include <array>

namespace duplex {

using MaskKey = std::array<quint8, 4>;

// The fixed part of a frame as RFC 6455 section 5.2 draws it.
struct FrameHeader
{
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    Opcode opcode = Opcode::Text;
    bool masked = false;
    MaskKey maskKey {};
    quint64 payloadLength = 0;

    // 0, 2 or 8: the bytes after the first two that carry the length.
    constexpr int extendedLengthSize() const
    {
        return payloadLength <= 125 ? 0 : payloadLength <= 0xFFFF ? 2 : 8;
    }
    constexpr int size() const { return 2 + extendedLengthSize() + (masked ? 4 : 0); }

    friend bool operator==(const FrameHeader &, const FrameHeader &) = default;
};

inline constexpr int MaxFrameHeaderSize = 14;

// A half-open range of bytes inside one frame's wire bytes.
struct ByteRange
{
    qsizetype offset = 0;
    qsizetype length = 0;
    constexpr qsizetype end() const { return offset + length; }
    constexpr bool contains(qsizetype position) const
    {
        return position >= offset && position < offset + length;
    }
    friend bool operator==(const ByteRange &, const ByteRange &) = default;
};

// Where each field sits in a frame's wire bytes, for the hex view to colour. Empty ranges for
// fields a frame does not have (no extended length, no mask key).
struct FrameLayout
{
    ByteRange flagsAndOpcode; // byte 0: FIN, RSV1-3, opcode
    ByteRange maskAndLength; // byte 1: MASK and the 7-bit length
    ByteRange extendedLength;
    ByteRange maskKey;
    ByteRange payload;
};

FrameLayout layoutOf(const FrameHeader &header);

// Result of looking at the start of a buffer for a frame header. Nothing is consumed until the
// whole header is there and valid: NeedMore says how many bytes in all would be needed to go on.
struct HeaderParse
{
    enum class Status : quint8 { NeedMore, Complete, Invalid };
    Status status = Status::NeedMore;
    FrameHeader header;
    int headerSize = 0; // Complete: bytes the header occupies
    int bytesNeeded = 2; // NeedMore: total bytes needed before trying again
    ProtocolError error {}; // Invalid: which rule the encoding broke
};

// Decodes the header at the start of `data`. It only checks the encoding itself (minimal
// lengths, the top bit of a 64-bit length); what the header may mean in context (reserved
// bits, opcodes, masking direction, control frame rules) is the Connection's to judge.
HeaderParse parseFrameHeader(QByteArrayView data);

// Writes the header into `out` (at least MaxFrameHeaderSize bytes) and returns its size. The
// length is always encoded minimally; set header.masked to write header.maskKey.
int encodeFrameHeader(const FrameHeader &header, char *out);

} // namespace duplex
