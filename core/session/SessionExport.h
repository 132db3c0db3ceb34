#pragma once

#include "core/session/HarDocument.h"
#include "core/session/SessionRecord.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace duplex {

// A session's history written out for other tools: as JSON Lines (the objects of
// `duplex-cli --frames`, with time and connection) and as a HAR 1.2 archive with
// "_webSocketMessages" (see HarDocument). Writing is atomic: QSaveFile, so a failed export
// never leaves half a file where an older one was.
class SessionExport
{
public:
    // The opening handshake of one connection exactly as on the wire, which the record does
    // not keep (ConnectionSession::handshakeRequest() and handshakeResponse() at open).
    struct HandshakeBytes
    {
        QByteArray request;
        QByteArray response;
    };

    // One line per entry of the record, in order, each ending with "\n": a frame as
    // FrameJsonLines::frameLine(record, entry, FrameJsonLines::WithTime), an event as the
    // event's own object with "timeUs" and "generation" put first.
    static QByteArray jsonLines(const SessionRecord &record);
    static QByteArray jsonLine(const SessionRecord &record, const RecordEntry &entry);

    // One HAR entry per connection that got an answer (opened, or redirected), with the data
    // messages of that connection in both directions, fragments joined and compressed
    // messages inflated. `handshakes` (by generation) supplies the request and response
    // headers; a connection without them still gets its URL, status and timings.
    static HarDocument har(const SessionRecord &record,
                           const QHash<quint16, HandshakeBytes> &handshakes = {});

    // Fills method, versions, headers and status of `handshake` from the bytes of an opening
    // handshake; false when the response cannot be parsed (the request's part is kept).
    static bool readHandshake(const HandshakeBytes &bytes, HarDocument::Handshake &handshake);
    // HAR timings (milliseconds, -1 unknown) from the session's (microseconds, -1 unknown).
    static HarDocument::Timings timingsOf(qint64 dnsUs, qint64 connectUs, qint64 tlsUs,
                                          qint64 handshakeUs);

    // Writes `bytes` to `path` through QSaveFile; false and a sentence naming the file and
    // the reason otherwise, with whatever was at `path` left untouched.
    static bool writeFile(const QString &path, const QByteArray &bytes, QString *error);
};

} // namespace duplex
