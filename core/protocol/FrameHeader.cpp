#include "core/protocol/FrameHeader.h"

namespace duplex {

FrameLayout layoutOf(const FrameHeader &header)
{
    FrameLayout layout;
    layout.flagsAndOpcode = { 0, 1 };
    layout.maskAndLength = { 1, 1 };
    layout.extendedLength = { 2, header.extendedLengthSize() };
    layout.maskKey = { layout.extendedLength.end(), header.masked ? 4 : 0 };
    layout.payload = { layout.maskKey.end(), static_cast<qsizetype>(header.payloadLength) };
    return layout;
}

HeaderParse parseFrameHeader(QByteArrayView data)
{
    HeaderParse result;
    if (data.size() < 2) {
        result.bytesNeeded = 2;
        return result;
    }
    const auto *bytes = reinterpret_cast<const quint8 *>(data.data());
    const quint8 first = bytes[0];
    const quint8 second = bytes[1];
    const bool masked = (second & 0x80) != 0;
    const quint8 shortLength = second & 0x7F;
    const int extendedSize = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
    const int headerSize = 2 + extendedSize + (masked ? 4 : 0);
    if (data.size() < headerSize) {
        result.bytesNeeded = headerSize;
        return result;
    }

    quint64 length = shortLength;
    if (extendedSize == 2) {
        length = (quint64(bytes[2]) << 8) | bytes[3];
        if (length <= 125) {
            result.status = HeaderParse::Status::Invalid;
            result.error = ProtocolError::NonMinimalLength;
            return result;
        }
    } else if (extendedSize == 8) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | bytes[2 + i];
        if (length >> 63) {
            result.status = HeaderParse::Status::Invalid;
            result.error = ProtocolError::LengthTopBitSet;
            return result;
        }
        if (length <= 0xFFFF) {
            result.status = HeaderParse::Status::Invalid;
            result.error = ProtocolError::NonMinimalLength;
            return result;
        }
    }

    FrameHeader &header = result.header;
    header.fin = (first & 0x80) != 0;
    header.rsv1 = (first & 0x40) != 0;
    header.rsv2 = (first & 0x20) != 0;
    header.rsv3 = (first & 0x10) != 0;
    header.opcode = static_cast<Opcode>(first & 0x0F);
    header.masked = masked;
    header.payloadLength = length;
    if (masked) {
        const quint8 *key = bytes + 2 + extendedSize;
        header.maskKey = { key[0], key[1], key[2], key[3] };
    }
    result.status = HeaderParse::Status::Complete;
    result.headerSize = headerSize;
    return result;
}

int encodeFrameHeader(const FrameHeader &header, char *out)
{
    auto *bytes = reinterpret_cast<quint8 *>(out);
    bytes[0] = quint8((header.fin ? 0x80 : 0) | (header.rsv1 ? 0x40 : 0) | (header.rsv2 ? 0x20 : 0)
                      | (header.rsv3 ? 0x10 : 0) | (static_cast<quint8>(header.opcode) & 0x0F));
    const quint8 maskBit = header.masked ? 0x80 : 0;
    int size = 2;
    const quint64 length = header.payloadLength;
    if (length <= 125) {
        bytes[1] = quint8(maskBit | length);
    } else if (length <= 0xFFFF) {
        bytes[1] = quint8(maskBit | 126);
        bytes[2] = quint8(length >> 8);
        bytes[3] = quint8(length);
        size = 4;
    } else {
        bytes[1] = quint8(maskBit | 127);
        for (int i = 0; i < 8; ++i)
            bytes[2 + i] = quint8(length >> (56 - 8 * i));
        size = 10;
    }
    if (header.masked) {
        for (int i = 0; i < 4; ++i)
            bytes[size + i] = header.maskKey[i];
        size += 4;
    }
    return size;
}

} // namespace duplex
