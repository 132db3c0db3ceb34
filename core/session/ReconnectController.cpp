#include "core/session/ReconnectController.h"

namespace duplex {

ReconnectController::ReconnectController(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ReconnectController::onTimeout);
}

ReconnectController::~ReconnectController() = default;

void ReconnectController::setPolicy(const BackoffPolicy &policy)
{
    m_policy = policy;
}

void ReconnectController::setRandomSource(BackoffPolicy::RandomSource random)
{
    m_random = std::move(random);
}

void ReconnectController::connectionEstablished()
{
    m_upSince.start();
}

qint64 ReconnectController::scheduleNext()
{
    m_timer.stop();
    if (m_upSince.isValid()) {
        if (m_policy.resetsAfter(m_upSince.elapsed()))
            m_attempts = 0;
        m_upSince.invalidate();
    }
    const int attempt = m_attempts + 1;
    if (!m_policy.allowsAttempt(attempt)) {
        m_scheduledDelayMs = -1;
        Q_EMIT gaveUp(m_attempts);
        return -1;
    }
    m_attempts = attempt;
    m_scheduledDelayMs = m_policy.delayFor(attempt, m_random);
    m_timer.start(int(qMin<qint64>(m_scheduledDelayMs, std::numeric_limits<int>::max())));
    Q_EMIT scheduled(attempt, m_scheduledDelayMs);
    return m_scheduledDelayMs;
}

void ReconnectController::cancel()
{
    m_timer.stop();
    m_scheduledDelayMs = -1;
}

void ReconnectController::reset()
{
    cancel();
    m_attempts = 0;
    m_upSince.invalidate();
}

qint64 ReconnectController::remainingMs() const
{
    return isScheduled() ? m_timer.remainingTime() : -1;
}

void ReconnectController::onTimeout()
{
    m_scheduledDelayMs = -1;
    Q_EMIT attemptDue(m_attempts);
}

} // namespace duplex
