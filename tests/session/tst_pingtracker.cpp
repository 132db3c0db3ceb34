// PingTracker is pure: pongs matched to pings, round trips measured against a given clock.

#include "core/session/PingTracker.h"

#include <QTest>

using namespace duplex;

class TestPingTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepalivePayloadsAreUniqueAndRecognisable();
    void matchesAPongToItsPing();
    void aPongAnswersEveryEarlierPing();
    void anUnknownPongAnswersNothing();
    void forgetsTheOldestUserPingWhenFull();
};

void TestPingTracker::keepalivePayloadsAreUniqueAndRecognisable()
{
    PingTracker tracker;
    const QByteArray first = tracker.nextKeepalivePayload();
    const QByteArray second = tracker.nextKeepalivePayload();
    QCOMPARE(first, QByteArray::fromHex("64780000000000000001"));
    QCOMPARE(second, QByteArray::fromHex("64780000000000000002"));
    QCOMPARE(PingTracker::payloadFor(0x0102030405060708),
             QByteArray::fromHex("64780102030405060708"));
}

void TestPingTracker::matchesAPongToItsPing()
{
    QElapsedTimer clock;
    clock.start();
    PingTracker tracker;
    tracker.remember("user", false, clock);
    QVERIFY(!tracker.awaitingKeepalive());
    tracker.remember("keepalive", true, clock);
    QVERIFY(tracker.awaitingKeepalive());

    const PingTracker::Answer answer = tracker.answer("user", clock);
    QVERIFY(answer.rttUs >= 0);
    QVERIFY(!answer.keepalive);
    QVERIFY(tracker.awaitingKeepalive());
    QCOMPARE(tracker.answer("user", clock).rttUs, -1); // answered once only
}

void TestPingTracker::aPongAnswersEveryEarlierPing()
{
    QElapsedTimer clock;
    clock.start();
    PingTracker tracker;
    tracker.remember("keepalive", true, clock);
    tracker.remember("a", false, clock);
    tracker.remember("b", false, clock);

    const PingTracker::Answer answer = tracker.answer("a", clock);
    QVERIFY(answer.rttUs >= 0);
    QVERIFY(answer.keepalive); // the keepalive ping before it counts as answered
    QVERIFY(!tracker.awaitingKeepalive());
    QVERIFY(tracker.answer("b", clock).rttUs >= 0);
}

void TestPingTracker::anUnknownPongAnswersNothing()
{
    QElapsedTimer clock;
    clock.start();
    PingTracker tracker;
    tracker.remember("ping", true, clock);
    const PingTracker::Answer answer = tracker.answer("unsolicited", clock);
    QCOMPARE(answer.rttUs, -1);
    QVERIFY(!answer.keepalive);
    QVERIFY(tracker.awaitingKeepalive());
    tracker.clear();
    QVERIFY(!tracker.awaitingKeepalive());
}

void TestPingTracker::forgetsTheOldestUserPingWhenFull()
{
    QElapsedTimer clock;
    clock.start();
    PingTracker tracker;
    tracker.remember("keepalive", true, clock);
    for (std::size_t i = 0; i < PingTracker::MaxPending; ++i)
        tracker.remember(QByteArray::number(qulonglong(i)), false, clock);
    // The first user ping made room for the last; the keepalive one is kept.
    QCOMPARE(tracker.answer("0", clock).rttUs, -1);
    QVERIFY(tracker.awaitingKeepalive());
    QVERIFY(tracker.answer("1", clock).keepalive);
}

QTEST_APPLESS_MAIN(TestPingTracker)
#include "tst_pingtracker.moc"
