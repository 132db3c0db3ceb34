// BackoffPolicy is pure: every case here runs without a clock, with the random source pinned.

#include "core/session/BackoffPolicy.h"

#include <QTest>

#include <limits>

using namespace duplex;

namespace {

BackoffPolicy::RandomSource fixed(double value)
{
    return [value] {
        return value;
    };
}

BackoffPolicy policy(qint64 initial, double multiplier, qint64 max, Jitter jitter)
{
    BackoffPolicy p;
    p.initialDelayMs = initial;
    p.multiplier = multiplier;
    p.maxDelayMs = max;
    p.jitter = jitter;
    return p;
}

} // namespace

class TestBackoffPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exponentialWithoutJitter_data();
    void exponentialWithoutJitter();
    void capsAtMaximum();
    void neverOverflows();
    void fullJitterBounds();
    void equalJitterBounds();
    void jitterFollowsTheRandomSource();
    void toleratesOutOfRangeRandom();
    void maxAttempts();
    void resetAfterUptime();
    void validates_data();
    void validates();
    void systemRandomStaysInBounds();
};

void TestBackoffPolicy::exponentialWithoutJitter_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("delay");
    QTest::newRow("first") << 1 << qint64(100);
    QTest::newRow("second") << 2 << qint64(200);
    QTest::newRow("third") << 3 << qint64(400);
    QTest::newRow("fourth") << 4 << qint64(800);
    QTest::newRow("fifth") << 5 << qint64(1600);
    QTest::newRow("attempt 0 counts as 1") << 0 << qint64(100);
    QTest::newRow("negative counts as 1") << -3 << qint64(100);
}

void TestBackoffPolicy::exponentialWithoutJitter()
{
    QFETCH(int, attempt);
    QFETCH(qint64, delay);
    const BackoffPolicy p = policy(100, 2.0, 60000, Jitter::None);
    QCOMPARE(p.baseDelayFor(attempt), delay);
    QCOMPARE(p.delayFor(attempt, fixed(0.99)), delay);
}

void TestBackoffPolicy::capsAtMaximum()
{
    const BackoffPolicy p = policy(500, 3.0, 10000, Jitter::None);
    QCOMPARE(p.delayFor(1, {}), qint64(500));
    QCOMPARE(p.delayFor(2, {}), qint64(1500));
    QCOMPARE(p.delayFor(3, {}), qint64(4500));
    QCOMPARE(p.delayFor(4, {}), qint64(10000)); // 13500 capped
    QCOMPARE(p.delayFor(50, {}), qint64(10000));

    // A multiplier of 1 keeps the delay constant; an initial delay above the cap is capped.
    QCOMPARE(policy(700, 1.0, 10000, Jitter::None).delayFor(30, {}), qint64(700));
    QCOMPARE(policy(20000, 2.0, 10000, Jitter::None).delayFor(1, {}), qint64(10000));
}

void TestBackoffPolicy::neverOverflows()
{
    const BackoffPolicy p =
        policy(1000, 10.0, std::numeric_limits<qint64>::max() / 2, Jitter::None);
    for (const int attempt : { 10, 100, 1000, std::numeric_limits<int>::max() }) {
        const qint64 delay = p.delayFor(attempt, {});
        QVERIFY(delay > 0);
        QVERIFY(delay <= p.maxDelayMs);
    }
    const BackoffPolicy full = policy(1000, 10.0, 30000, Jitter::Full);
    QCOMPARE(full.baseDelayFor(std::numeric_limits<int>::max()), qint64(30000));
}

void TestBackoffPolicy::fullJitterBounds()
{
    const BackoffPolicy p = policy(100, 2.0, 5000, Jitter::Full);
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const qint64 base = p.baseDelayFor(attempt);
        QCOMPARE(p.delayFor(attempt, fixed(0.0)), qint64(0));
        QCOMPARE(p.delayFor(attempt, fixed(0.5)), base / 2);
        // The top of [0, base) is base - 1, never base itself.
        QCOMPARE(p.delayFor(attempt, fixed(0.9999999999)), base - 1);
        for (double r = 0.0; r < 1.0; r += 0.0625) {
            const qint64 delay = p.delayFor(attempt, fixed(r));
            QVERIFY(delay >= 0 && delay < base);
        }
    }
}

void TestBackoffPolicy::equalJitterBounds()
{
    const BackoffPolicy p = policy(100, 2.0, 5000, Jitter::Equal);
    for (int attempt = 1; attempt <= 12; ++attempt) {
        const qint64 base = p.baseDelayFor(attempt);
        QCOMPARE(p.delayFor(attempt, fixed(0.0)), base / 2);
        QCOMPARE(p.delayFor(attempt, fixed(0.9999999999)), base - 1);
        for (double r = 0.0; r < 1.0; r += 0.0625) {
            const qint64 delay = p.delayFor(attempt, fixed(r));
            QVERIFY(delay >= base / 2 && delay < base);
        }
    }
    QCOMPARE(p.delayFor(1, fixed(0.5)), qint64(75)); // 50 + 0.5 * 50
}

void TestBackoffPolicy::jitterFollowsTheRandomSource()
{
    // A sequence, as a real source would give: each call consumes one value.
    QList<double> values { 0.1, 0.9, 0.3 };
    qsizetype next = 0;
    const BackoffPolicy::RandomSource sequence = [&] {
        return values.at(next++);
    };
    const BackoffPolicy p = policy(1000, 2.0, 60000, Jitter::Full);
    QCOMPARE(p.delayFor(1, sequence), qint64(100));
    QCOMPARE(p.delayFor(2, sequence), qint64(1800));
    QCOMPARE(p.delayFor(3, sequence), qint64(1200));
    QCOMPARE(next, qsizetype(3));

    // Without jitter the source is not consulted at all.
    next = 0;
    QCOMPARE(policy(1000, 2.0, 60000, Jitter::None).delayFor(2, sequence), qint64(2000));
    QCOMPARE(next, qsizetype(0));
}

void TestBackoffPolicy::toleratesOutOfRangeRandom()
{
    const BackoffPolicy p = policy(1000, 2.0, 60000, Jitter::Full);
    QCOMPARE(p.delayFor(1, fixed(-1.0)), qint64(0));
    QCOMPARE(p.delayFor(1, fixed(1.0)), qint64(999));
    QCOMPARE(p.delayFor(1, fixed(42.0)), qint64(999));
    QCOMPARE(p.delayFor(1, fixed(std::numeric_limits<double>::quiet_NaN())), qint64(0));
}

void TestBackoffPolicy::maxAttempts()
{
    BackoffPolicy p = policy(100, 2.0, 5000, Jitter::None);
    p.maxAttempts = 3;
    QVERIFY(p.allowsAttempt(1));
    QVERIFY(p.allowsAttempt(3));
    QVERIFY(!p.allowsAttempt(4));
    p.maxAttempts = 0; // no limit
    QVERIFY(p.allowsAttempt(1'000'000));
}

void TestBackoffPolicy::resetAfterUptime()
{
    BackoffPolicy p;
    p.resetAfterMs = 30000;
    QVERIFY(!p.resetsAfter(0));
    QVERIFY(!p.resetsAfter(29999));
    QVERIFY(p.resetsAfter(30000));
    QVERIFY(p.resetsAfter(3'600'000));
    p.resetAfterMs = 0; // never
    QVERIFY(!p.resetsAfter(3'600'000));
}

void TestBackoffPolicy::validates_data()
{
    QTest::addColumn<BackoffPolicy>("p");
    QTest::addColumn<QString>("problem");
    QTest::newRow("defaults") << BackoffPolicy {} << QString();
    BackoffPolicy p;
    p.multiplier = 0.5;
    QTest::newRow("shrinking") << p << QStringLiteral("multiplier");
    p = {};
    p.multiplier = std::numeric_limits<double>::infinity();
    QTest::newRow("infinite") << p << QStringLiteral("multiplier");
    p = {};
    p.initialDelayMs = -1;
    QTest::newRow("negative initial") << p << QStringLiteral("initial");
    p = {};
    p.maxDelayMs = -1;
    QTest::newRow("negative max") << p << QStringLiteral("maximum reconnect delay");
    p = {};
    p.maxAttempts = -2;
    QTest::newRow("negative attempts") << p << QStringLiteral("attempts");
    p = {};
    p.resetAfterMs = -2;
    QTest::newRow("negative reset") << p << QStringLiteral("uptime");
}

void TestBackoffPolicy::validates()
{
    QFETCH(BackoffPolicy, p);
    QFETCH(QString, problem);
    const QString result = p.validate();
    if (problem.isEmpty())
        QCOMPARE(result, QString());
    else
        QVERIFY2(result.contains(problem), qPrintable(result));
}

void TestBackoffPolicy::systemRandomStaysInBounds()
{
    const BackoffPolicy p = policy(100, 2.0, 5000, Jitter::Equal);
    for (int i = 0; i < 1000; ++i) {
        const qint64 delay = p.delayFor(4);
        QVERIFY(delay >= 400 && delay < 800);
    }
}

QTEST_APPLESS_MAIN(TestBackoffPolicy)
#include "tst_backoffpolicy.moc"
