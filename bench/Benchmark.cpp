#include "Benchmark.h"

#include <algorithm>

namespace duplex::bench {

Result rate(const QString &name, double value, const QString &unit, const QString &reference,
            double referenceValue)
{
    Result result { name, value, unit, reference, referenceValue, 0, true, {} };
    result.ratio = value > 0 && referenceValue > 0 ? value / referenceValue : 0;
    return result;
}

Result cost(const QString &name, double value, const QString &unit, const QString &reference,
            double referenceValue)
{
    Result result { name, value, unit, reference, referenceValue, 0, false, {} };
    result.ratio = value > 0 && referenceValue > 0 ? referenceValue / value : 0;
    return result;
}

Result figure(const QString &name, double value, const QString &unit, bool higherIsBetter)
{
    return { name, value, unit, {}, 0, 0, higherIsBetter, {} };
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double measureRate(const Context &context, double units, const std::function<void()> &work,
                   double minSeconds)
{
    work(); // warm caches and lazily built state
    QList<double> rates;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        long iterations = 0;
        const auto start = Clock::now();
        double elapsed = 0;
        do {
            work();
            ++iterations;
            elapsed = secondsSince(start);
        } while (!context.smoke && elapsed < minSeconds);
        rates.append(units * double(iterations) / elapsed);
    }
    return median(rates);
}

void doNotOptimize(const void *pointer)
{
#if defined(__GNUC__) || defined(__clang__)
    asm volatile("" : : "g"(pointer) : "memory");
#else
    static const void *volatile sink;
    sink = pointer;
#endif
}

} // namespace duplex::bench
