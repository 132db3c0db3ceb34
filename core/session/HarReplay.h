#pragma once

#include "core/session/HarDocument.h"
#include "core/session/Profile.h"
#include "core/session/SessionRecord.h"

#include <QByteArray>
#include <QString>

namespace duplex {

// A HAR archive's WebSocket messages as a session record, so that the history shows them like
// those of a live connection, and the profile its first connection describes.
//
// A HAR keeps each message's direction, time, opcode and data, never the frames that carried
// it: every message becomes one rebuilt frame (FIN set, no mask, no compression). The record
// says so in a note at the start of each connection, and a view showing these frames must say
// that they are reconstructed, not what crossed the wire.
class HarReplay
{
public:
    // The note recorded at the start of each connection (the "message" of a "note" event).
    static QString reconstructedNote(const QString &sourceName);

    // Appends every entry of `document` to `record`: a "connecting" event with the URL, the
    // note, an "open" event with the status, then one frame per message at its time. Entry n
    // is connection (generation) n + 1. Returns the number of frames written.
    static qsizetype fill(SessionRecord &record, const HarDocument &document,
                          const QString &sourceName);

    // The wire bytes of a single unmasked, uncompressed frame with FIN set carrying `data`.
    static QByteArray reconstructedFrame(quint8 opcode, QByteArrayView data);

    // The profile an entry's handshake describes: its URL, the offered subprotocols, the
    // Origin, permessage-deflate when it was offered, and the other request headers except
    // those every handshake carries (Host, Upgrade, Connection, Sec-WebSocket-Key and
    // -Version). Authorization, Cookie and the like become secret headers; one whose value the
    // archive withheld ("[redacted]") is kept disabled and empty, to be filled in.
    static Profile profileOf(const HarDocument::Entry &entry, const QString &name);
};

} // namespace duplex
