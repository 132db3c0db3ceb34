#pragma once

// Constants and helpers shared by the files that implement Connection (Connection.cpp,
// ConnectionHandshake.cpp, ConnectionOutput.cpp). Not part of the public interface.

#include "core/protocol/Connection.h"

#include <QByteArray>
#include <QByteArrayView>

namespace duplex::detail {

inline constexpr qsizetype MaxControlPayload = 125;
inline constexpr qsizetype MaxCloseReason = 123;

inline quint16 readBigEndian16(QByteArrayView bytes)
{
    return quint16((quint16(quint8(bytes[0])) << 8) | quint8(bytes[1]));
}

// Empties a buffer for reuse, keeping its memory unless it grew large.
inline void resetBuffer(QByteArray &buffer)
{
    if (buffer.isEmpty())
        return;
    if (buffer.capacity() > RetainedBufferCapacity)
        buffer = QByteArray();
    else
        buffer.resize(0);
}

} // namespace duplex::detail
