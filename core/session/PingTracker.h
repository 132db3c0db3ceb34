#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QElapsedTimer>

#include <array>
#include <cstring>
#include <vector>

namespace duplex {

// The pings a connection sent and awaits pongs for, keepalive ones and the user's, to match a
// pong to its ping and tell the round-trip time. No timers: ConnectionSession schedules pings
// and declares a connection dead when the keepalive pong is late.
//
// On a round trip's path: remembering a ping allocates nothing once the list has grown, and
// remember() and answer() are inline.
class PingTracker
{
public:
    struct Answer
    {
        qint64 rttUs = -1; // -1: the pong answers no ping remembered
        bool keepalive = false; // a keepalive ping was among those answered
    };

    static constexpr std::size_t MaxPending = 32;

    // "dx" and a big-endian counter: unique per session, recognisable in a capture.
    QByteArray nextKeepalivePayload() { return payloadFor(++m_counter); }
    static QByteArray payloadFor(quint64 counter);

    // Remembers a ping sent now. Past MaxPending, forgets the oldest of the user's pings (never
    // the keepalive one whose pong is awaited).
    void remember(QByteArrayView payload, bool keepalive, const QElapsedTimer &clock)
    {
        if (m_pending.size() >= MaxPending)
            forgetOldestUserPing();
        Pending &ping = m_pending.emplace_back();
        ping.size = quint8(qMin<qsizetype>(payload.size(), qsizetype(ping.payload.size())));
        std::memcpy(ping.payload.data(), payload.data(), ping.size);
        ping.keepalive = keepalive;
        ping.sentNs = clock.nsecsElapsed();
    }
    // Matches a pong to the ping with the same payload. A pong answers the most recent ping at
    // least (RFC 6455 section 5.5.3): that ping and every one before it are forgotten.
    Answer answer(QByteArrayView pong, const QElapsedTimer &clock)
    {
        Answer result;
        for (std::size_t i = 0; i < m_pending.size(); ++i) {
            if (!m_pending[i].answers(pong))
                continue;
            result.rttUs = (clock.nsecsElapsed() - m_pending[i].sentNs) / 1000;
            for (std::size_t j = 0; j <= i; ++j)
                result.keepalive = result.keepalive || m_pending[j].keepalive;
            m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(i) + 1);
            break;
        }
        return result;
    }
    bool awaitingKeepalive() const;
    void clear() { m_pending.clear(); }

private:
    struct Pending
    {
        // A ping's payload is at most 125 bytes: kept inline, a ping allocates nothing. (The
        // constructor leaves it uninitialised; remember() fills what is used.)
        Pending() { }
        std::array<char, 125> payload;
        quint8 size = 0;
        bool keepalive = false;
        qint64 sentNs = 0;
        bool answers(QByteArrayView pong) const
        {
            return pong.size() == size && std::memcmp(payload.data(), pong.data(), size) == 0;
        }
    };

    void forgetOldestUserPing();

    std::vector<Pending> m_pending;
    quint64 m_counter = 0;
};

} // namespace duplex
