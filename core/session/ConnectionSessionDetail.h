#pragma once

// What the files that implement ConnectionSession share (ConnectionSession.cpp, the session
// and its drain loop; ConnectionSessionAttempt.cpp, a connection attempt from lookup to end).
// Not part of the public interface.

#include "core/session/ConnectionSession.h"
#include "core/session/FrameJsonLines.h"

#include <QString>

namespace duplex {

// Every entry point (a public call, a socket signal, a timer) holds a Turn; when the outermost
// one ends, the output is written once and recordGrew() is emitted once.
struct ConnectionSession::Turn
{
    explicit Turn(ConnectionSession *session)
        : m_session(session)
    {
        ++m_session->m_depth;
    }
    ~Turn()
    {
        if (--m_session->m_depth == 0)
            m_session->endOfTurn();
    }
    Turn(const Turn &) = delete;
    Turn &operator=(const Turn &) = delete;

    ConnectionSession *m_session;
};

namespace detail {

// The JSON of a session event the record keeps: {"event":"<name>", ...fields in order}.
inline FrameJsonLines::Object eventJson(const char *name)
{
    FrameJsonLines::Object json;
    json.addString(QLatin1StringView("event"), QByteArrayView(name));
    return json;
}

// "250 ms", "5 s", "1.5 s": a configured time limit, in a message.
inline QString formatDuration(int ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace detail

} // namespace duplex
