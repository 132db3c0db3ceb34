// ReconnectController only schedules what BackoffPolicy computes. Delays here are a few
// milliseconds; what is checked is the order and the numbers reported, not the clock.

#include "core/session/ReconnectController.h"

#include <QSignalSpy>
#include <QTest>

using namespace duplex;

namespace {

BackoffPolicy quickPolicy()
{
    BackoffPolicy policy;
    policy.initialDelayMs = 5;
    policy.multiplier = 2.0;
    policy.maxDelayMs = 20;
    policy.jitter = Jitter::Full;
    policy.maxAttempts = 4;
    policy.resetAfterMs = 0;
    return policy;
}

} // namespace

class TestReconnectController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void schedulesThePolicysDelays();
    void givesUpAfterMaxAttempts();
    void cancelKeepsTheCount();
    void resetsAfterUptime();
};

void TestReconnectController::schedulesThePolicysDelays()
{
    ReconnectController controller;
    controller.setPolicy(quickPolicy());
    controller.setRandomSource([] { return 0.5; });
    QSignalSpy scheduled(&controller, &ReconnectController::scheduled);
    QSignalSpy due(&controller, &ReconnectController::attemptDue);

    QList<qint64> delays;
    for (int attempt = 1; attempt <= 4; ++attempt) {
        const qint64 delay = controller.scheduleNext();
        QCOMPARE(delay, quickPolicy().delayFor(attempt, [] { return 0.5; }));
        QVERIFY(controller.isScheduled());
        QCOMPARE(controller.scheduledDelayMs(), delay);
        QCOMPARE(controller.attempts(), attempt);
        delays.append(delay);
        QVERIFY(due.wait(1000));
        QCOMPARE(due.last().at(0).toInt(), attempt);
        QVERIFY(!controller.isScheduled());
    }
    // Full jitter at 0.5 halves 5, 10, 20 and the capped 20.
    QCOMPARE(delays, (QList<qint64> { 2, 5, 10, 10 }));
    QCOMPARE(scheduled.size(), 4);
    QCOMPARE(scheduled.at(2).at(1).value<qint64>(), qint64(10));
}

void TestReconnectController::givesUpAfterMaxAttempts()
{
    ReconnectController controller;
    BackoffPolicy policy = quickPolicy();
    policy.maxAttempts = 2;
    controller.setPolicy(policy);
    QSignalSpy gaveUp(&controller, &ReconnectController::gaveUp);
    QVERIFY(controller.scheduleNext() >= 0);
    QVERIFY(controller.scheduleNext() >= 0);
    QCOMPARE(controller.scheduleNext(), qint64(-1));
    QCOMPARE(gaveUp.size(), 1);
    QCOMPARE(gaveUp.first().at(0).toInt(), 2);
    QVERIFY(!controller.isScheduled());
}

void TestReconnectController::cancelKeepsTheCount()
{
    ReconnectController controller;
    BackoffPolicy policy = quickPolicy();
    policy.initialDelayMs = 10000;
    policy.maxDelayMs = 10000;
    controller.setPolicy(policy);
    QSignalSpy due(&controller, &ReconnectController::attemptDue);
    QVERIFY(controller.scheduleNext() >= 0);
    controller.cancel();
    QVERIFY(!controller.isScheduled());
    QCOMPARE(controller.remainingMs(), qint64(-1));
    QCOMPARE(controller.attempts(), 1);
    controller.reset();
    QCOMPARE(controller.attempts(), 0);
    QTest::qWait(20);
    QCOMPARE(due.size(), 0);
}

void TestReconnectController::resetsAfterUptime()
{
    ReconnectController controller;
    BackoffPolicy policy = quickPolicy();
    policy.jitter = Jitter::None;
    policy.resetAfterMs = 30;
    policy.maxAttempts = 0;
    controller.setPolicy(policy);
    QCOMPARE(controller.scheduleNext(), qint64(5));
    QCOMPARE(controller.scheduleNext(), qint64(10));
    // Up briefly: the count goes on.
    controller.connectionEstablished();
    QCOMPARE(controller.scheduleNext(), qint64(20));
    QCOMPARE(controller.attempts(), 3);
    // Up long enough: the next loss starts over.
    controller.connectionEstablished();
    QTest::qWait(40);
    QCOMPARE(controller.scheduleNext(), qint64(5));
    QCOMPARE(controller.attempts(), 1);
    controller.cancel();
}

QTEST_GUILESS_MAIN(TestReconnectController)
#include "tst_reconnectcontroller.moc"
