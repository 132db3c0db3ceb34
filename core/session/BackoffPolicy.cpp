#include "core/session/BackoffPolicy.h"

#include <QRandomGenerator>

#include <cmath>

namespace duplex {

const char *jitterName(Jitter jitter)
{
    switch (jitter) {
    case Jitter::None:
        return "none";
    case Jitter::Full:
        return "full";
    case Jitter::Equal:
        return "equal";
    }
    return "none";
}

qint64 BackoffPolicy::baseDelayFor(int attempt) const
{
    const qint64 cap = qMax<qint64>(0, maxDelayMs);
    const double initial = double(qMax<qint64>(0, initialDelayMs));
    const int exponent = qMax(1, attempt) - 1;
    // pow() saturates to infinity rather than overflowing; anything past the cap is the cap.
    const double delay = initial * std::pow(qMax(1.0, multiplier), double(exponent));
    if (!std::isfinite(delay) || delay >= double(cap))
        return cap;
    return qMin(cap, qint64(delay));
}

qint64 BackoffPolicy::delayFor(int attempt, const RandomSource &random) const
{
    const qint64 base = baseDelayFor(attempt);
    if (jitter == Jitter::None || base == 0)
        return base;
    double r = random ? random() : QRandomGenerator::global()->generateDouble();
    // Keep a misbehaving source inside [0, 1): the bounds below rely on it.
    if (!(r >= 0.0))
        r = 0.0;
    if (r >= 1.0)
        r = std::nextafter(1.0, 0.0);
    if (jitter == Jitter::Full)
        return qMin(base - 1, qint64(std::floor(r * double(base))));
    const qint64 half = base / 2;
    const qint64 span = base - half;
    return half + qMin(span - 1, qint64(std::floor(r * double(span))));
}

qint64 BackoffPolicy::delayFor(int attempt) const
{
    return delayFor(attempt, {});
}

QString BackoffPolicy::validate() const
{
    if (initialDelayMs < 0)
        return QStringLiteral("the initial reconnect delay must not be negative");
    if (maxDelayMs < 0)
        return QStringLiteral("the maximum reconnect delay must not be negative");
    if (!std::isfinite(multiplier) || multiplier < 1.0)
        return QStringLiteral("the backoff multiplier must be at least 1 (it is %1)")
            .arg(multiplier);
    if (maxAttempts < 0)
        return QStringLiteral("the maximum number of reconnect attempts must not be negative");
    if (resetAfterMs < 0)
        return QStringLiteral("the uptime that resets the reconnect attempts must not be negative");
    return {};
}

} // namespace duplex
