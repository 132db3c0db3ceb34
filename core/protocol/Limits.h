#pragma once

#include <QtGlobal>

namespace duplex {

// What a Connection accepts and does on its own. The defaults suit an interactive client.
struct Limits
{
    // Largest message (after inflating, for compressed ones) before failing with 1009. A frame
    // whose header alone announces more fails at once, before its payload is read.
    quint64 maxMessageSize = 64ULL * 1024 * 1024;
    // Largest opening-handshake head (status line and headers) accepted.
    qsizetype maxHandshakeSize = 16 * 1024;
    // How much of a refused handshake's body is kept to show the user.
    qsizetype maxRefusalBodySize = 4 * 1024;
    // Close codes of 5000 and above are undefined by RFC 6455: refuse them unless relaxed.
    bool strictCloseCodes = true;
    // Answer pings with pongs, and a peer's close with a close, without the caller's help.
    bool autoPong = true;
    bool autoCloseReply = true;
    // Frames at least this long report FrameStarted as soon as their header is in, so a user
    // sees a large frame arriving before its last byte.
    quint64 largeFrameThreshold = 64 * 1024;
};

} // namespace duplex
