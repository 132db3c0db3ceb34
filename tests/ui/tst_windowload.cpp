// Under a burst of messages the window keeps turning: the session time-slices, the history
// appends once per event-loop turn, and the tab does no per-message work of its own.
#include "WindowTestSupport.h"
#include "core/session/ConnectionSession.h"
#include "ui/ConnectionTab.h"
#include "ui/RequestBar.h"
#include "ui/StatsView.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSet>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <atomic>

using namespace duplex;

namespace {

// A server on its own thread that floods each client with `count` text messages.
class FloodServer : public QObject
{
public:
    explicit FloodServer(int count)
        : m_count(count)
    { }

    void start()
    {
        m_server =
            new QWebSocketServer(QStringLiteral("flood"), QWebSocketServer::NonSecureMode, this);
        m_server->listen(QHostAddress::LocalHost, 0);
        connect(m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *client = m_server->nextPendingConnection();
            client->setParent(this);
            for (int i = 0; i < m_count; ++i)
                client->sendTextMessage(QStringLiteral("{\"seq\": %1, \"price\": 42.5}").arg(i));
            client->flush();
        });
        port = m_server->serverPort();
    }

    std::atomic<quint16> port { 0 };

private:
    int m_count;
    QWebSocketServer *m_server = nullptr;
};

} // namespace

class TestWindowLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void burstKeepsTheWindowResponsive();
};

void TestWindowLoad::burstKeepsTheWindowResponsive()
{
    constexpr int Count = 200000;
    QThread thread;
    auto *server = new FloodServer(Count);
    server->moveToThread(&thread);
    connect(&thread, &QThread::finished, server, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(server, &FloodServer::start, Qt::BlockingQueuedConnection);
    QVERIFY(server->port != 0);

    QTemporaryDir dir;
    auto window = test::makeWindow(dir, false);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    ConnectionTab *tab = window->addTab(Profile::create());
    tab->showSidePage(ConnectionTab::SidePage::Stats);
    tab->requestBar()->setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server->port.load()));

    // The event loop must keep turning while the burst lands: the session takes the input in
    // slices, so a timer on the UI thread sees the message count at many points in between.
    // (How long the loop may stall is a figure for duplex-bench's ui_stall_burst, not a test.)
    QSet<quint64> countsSeenBetween;
    qint64 longestGapMs = 0;
    QElapsedTimer sinceLastTurn;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (sinceLastTurn.isValid())
            longestGapMs = qMax(longestGapMs, sinceLastTurn.elapsed());
        sinceLastTurn.start();
        const quint64 received = tab->session()->stats().messagesIn;
        if (received > 0 && received < quint64(Count))
            countsSeenBetween.insert(received);
    });

    QElapsedTimer clock;
    clock.start();
    ticker.start();
    tab->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(tab->session()->stats().messagesIn >= quint64(Count), 120000);
    const qint64 elapsedMs = clock.elapsed();
    ticker.stop();
    tab->statsView()->refresh();

    qInfo("%d messages in %lld ms with the window live; longest UI-thread stall %lld ms; the UI "
          "thread turned at %lld points inside the burst",
          Count, elapsedMs, longestGapMs, qlonglong(countsSeenBetween.size()));
    QVERIFY2(countsSeenBetween.size() >= 5,
             qPrintable(QStringLiteral("the UI thread turned at only %1 points inside the burst")
                            .arg(countsSeenBetween.size())));
    // Every message reached the history's record.
    QVERIFY(tab->session()->record()->size() >= Count);

    window.reset();
    thread.quit();
    thread.wait();
}

QTEST_MAIN(TestWindowLoad)
#include "tst_windowload.moc"
