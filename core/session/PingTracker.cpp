#include "core/session/PingTracker.h"

#include <algorithm>

namespace duplex {

QByteArray PingTracker::payloadFor(quint64 counter)
{
    QByteArray payload(10, Qt::Uninitialized);
    payload[0] = 'd';
    payload[1] = 'x';
    for (int i = 0; i < 8; ++i)
        payload[2 + i] = char((counter >> (56 - 8 * i)) & 0xFF);
    return payload;
}

void PingTracker::forgetOldestUserPing()
{
    const auto oldest = std::find_if(m_pending.begin(), m_pending.end(),
                                     [](const Pending &ping) { return !ping.keepalive; });
    m_pending.erase(oldest != m_pending.end() ? oldest : m_pending.begin());
}

bool PingTracker::awaitingKeepalive() const
{
    return std::any_of(m_pending.cbegin(), m_pending.cend(),
                       [](const Pending &ping) { return ping.keepalive; });
}

} // namespace duplex
