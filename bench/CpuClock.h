#pragma once

#include <QtGlobal>

#if defined(Q_OS_UNIX)
#include <pthread.h>
#include <time.h>
#endif

namespace duplex::bench {

// A CPU clock: how much processor time a thread or the process used, in nanoseconds (0 where
// the platform has no such clocks).
class CpuClock
{
public:
    // The calling thread's clock.
    static CpuClock thisThread()
    {
        CpuClock clock;
#if defined(Q_OS_UNIX)
        clock.m_valid = pthread_getcpuclockid(pthread_self(), &clock.m_id) == 0;
#endif
        return clock;
    }
    // Every thread of the process.
    static CpuClock process()
    {
        CpuClock clock;
#if defined(Q_OS_UNIX)
        clock.m_id = CLOCK_PROCESS_CPUTIME_ID;
        clock.m_valid = true;
#endif
        return clock;
    }
    qint64 nowNs() const
    {
#if defined(Q_OS_UNIX)
        timespec now {};
        if (m_valid && clock_gettime(m_id, &now) == 0)
            return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
#endif
        return 0;
    }

private:
#if defined(Q_OS_UNIX)
    clockid_t m_id {};
#endif
    bool m_valid = false;
};

} // namespace duplex::bench
