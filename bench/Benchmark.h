#pragma once

// duplex-bench: cases that print figures beside references measured in the same run. A case
// returns one result per reference it is compared with; `ratio` is oriented so that higher is
// better (ours over the reference for rates, the reference over ours for times and stalls), and
// is 0 (printed "-", left out of the JSON) where it would mean nothing: when either figure is at
// or below zero.

#include <QList>
#include <QString>

#include <chrono>
#include <functional>

namespace duplex::bench {

struct Result
{
    QString name;
    double value = 0;
    QString unit;
    QString reference;
    double referenceValue = 0;
    double ratio = 0;
    bool higherIsBetter = true;
    QString note;
};

struct Context
{
    bool smoke = false; // tiny sizes, one repetition: proves the case runs, measures nothing
    int repetitions = 7; // each figure is the median of this many (at least 5 outside smoke)
};

// How many times each figure is measured: once in smoke mode, else context.repetitions.
inline int repetitionsFor(const Context &context)
{
    return context.smoke ? 1 : context.repetitions;
}

struct Case
{
    QString name;
    QString description;
    std::function<QList<Result>(const Context &)> run;
};

class Registry
{
public:
    void add(QString name, QString description, std::function<QList<Result>(const Context &)> run)
    {
        m_cases.append({ std::move(name), std::move(description), std::move(run) });
    }
    const QList<Case> &cases() const { return m_cases; }

private:
    QList<Case> m_cases;
};

// A rate result (units per second, higher is better) against a reference rate; the ratio is
// ours over the reference's, or 0 (none) unless both are above zero.
Result rate(const QString &name, double value, const QString &unit, const QString &reference,
            double referenceValue);
// A cost result (time, stall, bytes: lower is better) against a reference cost; the ratio is
// the reference's over ours, or 0 (none) unless both are above zero.
Result cost(const QString &name, double value, const QString &unit, const QString &reference,
            double referenceValue);
// A figure with no reference to compare against in this run.
Result figure(const QString &name, double value, const QString &unit, bool higherIsBetter);

double median(QList<double> values);

// Runs `work` (which processes `units` units each call) repeatedly for at least `minSeconds`
// per repetition and returns the median rate in units per second over the repetitions.
double measureRate(const Context &context, double units, const std::function<void()> &work,
                   double minSeconds = 0.05);

// Keeps the optimiser from discarding a computation whose result is otherwise unused.
void doNotOptimize(const void *pointer);

using Clock = std::chrono::steady_clock;
inline double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void registerProtocolBenchmarks(Registry &registry);
void registerDeflateBenchmarks(Registry &registry);
void registerLoopbackBenchmarks(Registry &registry);
void registerHistoryBenchmarks(Registry &registry);

} // namespace duplex::bench
