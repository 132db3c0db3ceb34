#pragma once

#include "core/session/BackoffPolicy.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace duplex {

// Applies a BackoffPolicy: after a loss, schedules the next attempt with a single-shot timer
// and says so. It decides nothing about *whether* to reconnect (the session does) and computes
// no delay itself (the policy does).
class ReconnectController : public QObject
{
    Q_OBJECT
public:
    explicit ReconnectController(QObject *parent = nullptr);
    ~ReconnectController() override;

    void setPolicy(const BackoffPolicy &policy);
    const BackoffPolicy &policy() const { return m_policy; }
    // Replaces the system random generator, e.g. with a fixed value in tests. Empty: restore.
    void setRandomSource(BackoffPolicy::RandomSource random);

    // The connection is up: starts the uptime clock that may reset the attempt count.
    void connectionEstablished();
    // The connection was lost, or an attempt failed: schedules the next attempt and returns its
    // delay in ms, or -1 when the policy allows no more attempts (gaveUp() was emitted).
    qint64 scheduleNext();
    // Stops a scheduled attempt; the attempt count is kept.
    void cancel();
    // Stops a scheduled attempt and forgets the attempts made.
    void reset();

    bool isScheduled() const { return m_timer.isActive(); }
    // Attempts scheduled since the last reset (the number of the last one).
    int attempts() const { return m_attempts; }
    // The delay of the scheduled attempt, or -1.
    qint64 scheduledDelayMs() const { return isScheduled() ? m_scheduledDelayMs : -1; }
    // Time left until the scheduled attempt, or -1.
    qint64 remainingMs() const;

Q_SIGNALS:
    // "reconnecting in delayMs ms (attempt n)".
    void scheduled(int attempt, qint64 delayMs);
    // The delay of a scheduled attempt has passed: connect now.
    void attemptDue(int attempt);
    // No attempt is left; `attempts` were made.
    void gaveUp(int attempts);

private:
    void onTimeout();

    BackoffPolicy m_policy;
    BackoffPolicy::RandomSource m_random;
    QTimer m_timer;
    QElapsedTimer m_upSince;
    int m_attempts = 0;
    qint64 m_scheduledDelayMs = -1;
};

} // namespace duplex
