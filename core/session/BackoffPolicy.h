#pragma once

#include <QString>
#include <QtGlobal>

#include <functional>

namespace duplex {

// How the delay of a reconnect attempt is randomised (see "Exponential Backoff And Jitter",
// AWS Architecture Blog, 2015). `base` is min(maxDelayMs, initialDelayMs * multiplier^(n-1)).
enum class Jitter : quint8 {
    None, // exactly base
    Full, // uniformly in [0, base)
    Equal, // uniformly in [base/2, base)
};

const char *jitterName(Jitter jitter);

// The reconnect schedule: a pure value with no clock and no timer, so it is tested without
// waiting. A ReconnectController applies it with a QTimer.
struct BackoffPolicy
{
    // A random number in [0, 1). Injected so tests can pin the jitter.
    using RandomSource = std::function<double()>;

    qint64 initialDelayMs = 500;
    double multiplier = 2.0;
    qint64 maxDelayMs = 30000;
    Jitter jitter = Jitter::Equal;
    // Attempts allowed after a loss before giving up; 0: no limit.
    int maxAttempts = 0;
    // A connection that stayed up at least this long resets the attempt count, so the next
    // loss starts again from initialDelayMs; 0: never reset.
    qint64 resetAfterMs = 30000;

    // The delay before attempt `attempt` (1 for the first attempt after a loss), jittered with
    // `random`. Always within [0, maxDelayMs]; never overflows however large `attempt` is.
    qint64 delayFor(int attempt, const RandomSource &random) const;
    // The same with the system's random generator.
    qint64 delayFor(int attempt) const;
    // The un-jittered delay: min(maxDelayMs, initialDelayMs * multiplier^(attempt-1)).
    qint64 baseDelayFor(int attempt) const;
    // Whether attempt number `attempt` may still be made.
    bool allowsAttempt(int attempt) const { return maxAttempts <= 0 || attempt <= maxAttempts; }
    // Whether a connection that stayed up `uptimeMs` resets the attempt count.
    bool resetsAfter(qint64 uptimeMs) const { return resetAfterMs > 0 && uptimeMs >= resetAfterMs; }

    // Empty when every field is usable; otherwise a sentence naming the first bad one.
    QString validate() const;

    friend bool operator==(const BackoffPolicy &, const BackoffPolicy &) = default;
};

} // namespace duplex
