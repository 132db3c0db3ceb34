#pragma once

#include "core/protocol/Event.h"
#include "core/session/SessionRecord.h"

#include <QByteArrayView>

namespace duplex {

class ConnectionSession;

// A synchronous listener for what a ConnectionSession receives and records, for callers that
// cannot afford a Qt signal (and a QByteArray) per message: duplex-cli, benchmarks, exporters.
//
// Every method is called on the session's thread, from inside its drain loop, right after
// the session recorded what it reports. Views are valid only during the call: copy what must
// outlive it. A callback may call the session's send*(), close() and abort() (their output is
// written once the drain ends), but must not delete the session.
class SessionObserver
{
public:
    virtual ~SessionObserver();

    // Every frame, in both directions, as recorded at `index` in the session's record.
    virtual void frameRecorded(const FrameView &frame, qsizetype index);
    // Every session event (the JSON object duplex-cli --frames prints), recorded at `index`.
    virtual void eventRecorded(SessionEventKind kind, QByteArrayView json, qsizetype index);
    // A complete data message: validated UTF-8, or binary. `compressed`: it came deflated.
    virtual void textReceived(QByteArrayView utf8, bool compressed);
    virtual void binaryReceived(QByteArrayView data, bool compressed);
    virtual void pingReceived(QByteArrayView payload);
    // rttUs: the round trip since the ping whose payload this pong echoes, or -1 when it
    // answers no ping of ours.
    virtual void pongReceived(QByteArrayView payload, qint64 rttUs);
};

} // namespace duplex
