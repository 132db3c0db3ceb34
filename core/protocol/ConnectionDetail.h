#pragma once

// Constants and helpers shared by the files that implement Connection (Connection.cpp,
// ConnectionHandshake.cpp, ConnectionOutput.cpp). Not part of the public interface.

#include "core/protocol/Connection.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

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

// Removes the first `count` bytes of a buffer of our own by moving the rest to the front:
// QByteArray::remove() from the front only advances the start of the data, and the room it
// leaves there is not reused by a later resize(), which would allocate a new buffer.
inline void dropFront(QByteArray &buffer, qsizetype count)
{
    const qsizetype rest = buffer.size() - count;
    char *data = buffer.data();
    std::memmove(data, data + count, size_t(rest));
    buffer.resize(rest);
}

} // namespace duplex::detail
