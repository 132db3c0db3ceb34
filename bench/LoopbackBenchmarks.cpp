// Loopback cases: the Duplex session and a QWebSocket client, one after the other in the same
// run, each against the same QWebSocketServer running in-process on its own thread: a burst of
// small messages pushed by the server, pipelined small echoes, 1 MiB echoes, and the ping
// round trip above the raw-TCP round trip measured beside them.
//
// How the two clients are treated alike:
// - In the throughput cases both wait the way an application's event loop does, blocked in the
//   event dispatcher until something arrives. (Polling without blocking would burn a core that,
//   on a machine with few of them, the server thread needs: the server would then run slower
//   for whichever client leaves it less time, and the ratio would describe the scheduler.) In
//   the round-trip case, the TCP floor and both clients poll instead (see Wait).
// - Their repetitions alternate (ours, theirs, theirs, ours, ...), so a machine whose load
//   changes during the run slows both alike; each figure is the median of its repetitions.
// - Beside each figure, the note gives the CPU time the client's side (every thread but the
//   server's) and the server's thread spent per message (or per round trip) in the timed
//   window, measured with CPU clocks: it shows how much of the time is the client's own and how
//   much the shared server's, which the wall-clock ratio alone cannot.

#include "Benchmark.h"
#include "core/session/ConnectionSession.h"
#include "core/session/SessionObserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>

#if defined(Q_OS_UNIX)
#include <pthread.h>
#include <time.h>
#endif

namespace duplex::bench {
namespace {

constexpr int TimeoutMs = 60000;

// A CPU clock: how much processor time a thread or the process used, in nanoseconds (0 where
// the platform has no such clocks).
class CpuClock
{
public:
    // The calling thread's clock.
    static CpuClock thisThread()
    {
        CpuClock clock;
#if defined(Q_OS_UNIX)
        clock.m_valid = pthread_getcpuclockid(pthread_self(), &clock.m_id) == 0;
#endif
        return clock;
    }
    // Every thread of the process.
    static CpuClock process()
    {
        CpuClock clock;
#if defined(Q_OS_UNIX)
        clock.m_id = CLOCK_PROCESS_CPUTIME_ID;
        clock.m_valid = true;
#endif
        return clock;
    }
    qint64 nowNs() const
    {
#if defined(Q_OS_UNIX)
        timespec now {};
        if (m_valid && clock_gettime(m_id, &now) == 0)
            return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
#endif
        return 0;
    }

private:
#if defined(Q_OS_UNIX)
    clockid_t m_id {};
#endif
    bool m_valid = false;
};

// The peer: a QWebSocketServer that echoes every message and, asked with "burst N S", pushes
// N text messages of S bytes; and a raw TCP echo server for the round-trip floor.
class LoopbackServer : public QObject
{
public:
    // Runs on the server thread: the servers and their sockets live there.
    void listen()
    {
        m_server = new QWebSocketServer(QStringLiteral("duplex-bench"),
                                        QWebSocketServer::NonSecureMode, this);
        QObject::connect(m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server->nextPendingConnection()) {
                socket->setParent(this);
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 [socket](const QString &message) {
                                     if (message.startsWith(QLatin1String("burst "))) {
                                         const QStringList parts = message.split(QLatin1Char(' '));
                                         const int count = parts.value(1).toInt();
                                         const QString payload(parts.value(2).toInt(),
                                                               QLatin1Char('x'));
                                         for (int i = 0; i < count; ++i)
                                             socket->sendTextMessage(payload);
                                         return;
                                     }
                                     socket->sendTextMessage(message);
                                 });
                QObject::connect(
                    socket, &QWebSocket::binaryMessageReceived, socket,
                    [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
                QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_tcp = new QTcpServer(this);
        QObject::connect(m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [socket] { socket->write(socket->readAll()); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server->listen(QHostAddress::LocalHost, 0);
        m_tcp->listen(QHostAddress::LocalHost, 0);
        m_webSocketPort = m_server->serverPort();
        m_tcpPort = m_tcp->serverPort();
        m_cpu = CpuClock::thisThread();
    }

    quint16 m_webSocketPort = 0;
    quint16 m_tcpPort = 0;
    CpuClock m_cpu; // the server thread's

private:
    QWebSocketServer *m_server = nullptr;
    QTcpServer *m_tcp = nullptr;
};

// Starts the server on its own thread for the lifetime of the object.
class ServerThread
{
public:
    ServerThread()
    {
        m_server = new LoopbackServer;
        m_server->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_server, [this] { m_server->listen(); }, Qt::BlockingQueuedConnection);
    }
    ~ServerThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    quint16 webSocketPort() const { return m_server->m_webSocketPort; }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server->m_webSocketPort));
    }
    quint16 tcpPort() const { return m_server->m_tcpPort; }
    qint64 cpuNs() const { return m_server->m_cpu.nowNs(); }

private:
    QThread m_thread;
    LoopbackServer *m_server = nullptr;
};

// How the client's thread waits for what it expects.
enum class Wait : quint8 {
    // Blocked in the dispatcher, as an application's event loop waits: the throughput cases,
    // where a core spent polling would be taken from the server thread.
    Block,
    // Polling the dispatcher without blocking: the round-trip case, where the thread's wake-up
    // from a blocking wait (tens of microseconds on a virtual machine whose idle processor
    // halts, and as many again of jitter) would bury the few microseconds being compared. The
    // TCP floor and both clients wait the same way.
    Poll,
};

// Runs the event loop until `done` returns true, checked each time the loop has handled
// something. Blocking, a watchdog timer wakes the loop once a second so that a case that hangs
// ends with a timeout.
bool spinUntil(const std::function<bool()> &done, Wait wait = Wait::Block)
{
    static QTimer *watchdog = [] {
        auto *timer = new QTimer(QCoreApplication::instance());
        timer->start(1000);
        return timer;
    }();
    Q_UNUSED(watchdog);
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > TimeoutMs)
            return false;
        if (wait == Wait::Block)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        else
            QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
    return true;
}

// One timed run: a wall-clock figure and the CPU time each thread spent meanwhile.
struct Sample
{
    double value = 0; // the case's unit: messages/s, MiB/s or microseconds
    // Per message (or round trip): the client's side, every thread of the process but the
    // server's (the client's own and any it uses, such as the one that prepares the record's
    // memory), and the server's thread.
    double clientCpuNs = 0;
    double serverCpuNs = 0;
};

// Measures the CPU time of the client's side and of the server's thread over a window.
class CpuWindow
{
public:
    explicit CpuWindow(const ServerThread &server)
        : m_server(server)
        , m_process(CpuClock::process())
    {
        restart();
    }
    void restart()
    {
        m_processStart = m_process.nowNs();
        m_serverStart = m_server.cpuNs();
    }
    qint64 serverNs() const { return m_server.cpuNs() - m_serverStart; }
    qint64 clientNs() const { return m_process.nowNs() - m_processStart - serverNs(); }
    Sample sample(double value, double units) const
    {
        const double server = double(serverNs());
        const double client = double(m_process.nowNs() - m_processStart) - server;
        return { value, client / units, server / units };
    }

private:
    const ServerThread &m_server;
    CpuClock m_process;
    qint64 m_processStart = 0;
    qint64 m_serverStart = 0;
};

// Our client: a ConnectionSession with an observer that counts what arrives.
class DuplexClient : public SessionObserver
{
public:
    explicit DuplexClient(const QUrl &url)
    {
        SessionOptions options;
        options.setUrl(url.toString());
        options.limits.maxMessageSize = 64 << 20;
        options.reconnect.enabled = false;
        m_session.setOptions(options);
        m_session.addObserver(this);
        if (!m_session.open())
            qFatal("the session did not start");
        if (!spinUntil([this] { return m_session.state() == ConnectionSession::State::Open; }))
            qFatal("the session did not open: %s", qPrintable(m_session.errorString()));
    }
    ~DuplexClient() override
    {
        m_session.removeObserver(this);
        m_session.abort();
    }

    void textReceived(QByteArrayView, bool) override { ++m_messages; }
    void binaryReceived(QByteArrayView, bool) override { ++m_messages; }
    void pongReceived(QByteArrayView, qint64) override { ++m_pongs; }

    ConnectionSession m_session;
    qint64 m_messages = 0;
    qint64 m_pongs = 0;
};

// The reference client: QWebSocket, counting what its signals deliver.
class QtClient
{
public:
    explicit QtClient(const QUrl &url)
    {
        m_socket.setMaxAllowedIncomingMessageSize(64 << 20);
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &) { ++m_messages; });
        QObject::connect(&m_socket, &QWebSocket::binaryMessageReceived, &m_socket,
                         [this](const QByteArray &) { ++m_messages; });
        QObject::connect(&m_socket, &QWebSocket::pong, &m_socket,
                         [this](quint64, const QByteArray &) { ++m_pongs; });
        m_socket.open(url);
        if (!spinUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }))
            qFatal("QWebSocket did not open: %s", qPrintable(m_socket.errorString()));
    }
    ~QtClient() { m_socket.abort(); }

    QWebSocket m_socket;
    qint64 m_messages = 0;
    qint64 m_pongs = 0;
};

struct Sizes
{
    int burst = 200000;
    int pipelined = 100000;
    int largeEchoes = 64;
    int pings = 2000;
};

Sizes sizesFor(const Context &context)
{
    return context.smoke ? Sizes { 500, 500, 2, 20 } : Sizes {};
}

int repetitionsFor(const Context &context)
{
    return context.smoke ? 1 : context.repetitions;
}

// Messages per second of a burst of `count` 32-byte messages the server pushes. The server
// queues the whole burst in its socket's buffer before its event loop sends any of it, so the
// clock runs from the first message received to the last: what is measured is the client's
// receiving, not the server's producing.
template<typename Client, typename Send>
Sample burstRate(const ServerThread &server, int count, Send send)
{
    Client client(server.url());
    const QByteArray request = "burst " + QByteArray::number(count) + " 32";
    QElapsedTimer sinceRequest;
    sinceRequest.start();
    CpuWindow cpu(server);
    send(client, request);
    if (!spinUntil([&] { return client.m_messages >= 1; }))
        qFatal("the burst did not start");
    const qint64 first = client.m_messages;
    if (first >= count) { // a burst small enough to arrive in one read (--smoke)
        return cpu.sample(double(count) / (double(sinceRequest.nsecsElapsed()) / 1e9),
                          double(count));
    }
    QElapsedTimer timer;
    timer.start();
    cpu.restart();
    if (!spinUntil([&] { return client.m_messages >= count; }))
        qFatal("the burst did not arrive");
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    return cpu.sample(double(count - first) / seconds, double(count - first));
}

// Messages per second of `count` echoes of `message`, all sent at once (pipelined) or each
// after the previous one's echo arrived.
template<typename Client, typename Send>
Sample echoRate(const ServerThread &server, int count, const QByteArray &message, bool pipelined,
                Send send)
{
    Client client(server.url());
    CpuWindow cpu(server);
    QElapsedTimer timer;
    timer.start();
    if (pipelined) {
        for (int i = 0; i < count; ++i)
            send(client, message);
        if (!spinUntil([&] { return client.m_messages >= count; }))
            qFatal("the echoes did not arrive");
    } else {
        for (int i = 0; i < count; ++i) {
            send(client, message);
            if (!spinUntil([&] { return client.m_messages >= i + 1; }))
                qFatal("an echo did not arrive");
        }
    }
    return cpu.sample(double(count) / (double(timer.nsecsElapsed()) / 1e9), double(count));
}

// Reads what an unbuffered socket has into `received`: a read that does not fill the buffer
// took everything there was, and the socket signals again when more arrives.
void readUnbuffered(QTcpSocket &socket, QByteArray &received)
{
    char buffer[4096];
    qint64 read = 0;
    do {
        read = socket.read(buffer, sizeof buffer);
        if (read > 0)
            received.append(buffer, read);
    } while (read == qint64(sizeof buffer));
}

// The least a Qt client can do for a round trip: an unbuffered socket, whose write is a system
// call at once and whose read takes the bytes from the kernel without a copy in between. Against
// the TCP echo server it is the floor; against the WebSocket server, writing a prebuilt masked
// ping and counting the bytes of the pong, it is the minimal client: what it adds to the floor
// is the server's share of a WebSocket round trip, which no client can remove.
class RawClient
{
public:
    RawClient(quint16 port, bool webSocket)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port,
                               QIODevice::ReadWrite | QIODevice::Unbuffered);
        if (!m_socket.waitForConnected(TimeoutMs))
            qFatal("the loopback server did not answer");
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                         [this] { readUnbuffered(m_socket, m_received); });
        if (!webSocket) {
            m_request = "pi";
            m_answerSize = 2;
            return;
        }
        m_socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n");
        if (!spinUntil([&] { return m_received.contains("\r\n\r\n"); }))
            qFatal("the WebSocket server did not answer the handshake");
        if (!m_received.startsWith("HTTP/1.1 101"))
            qFatal("the WebSocket server refused the handshake");
        m_received.remove(0, m_received.indexOf("\r\n\r\n") + 4);
        // FIN + ping, masked, the payload "rtt" under the key 01 02 03 04; the pong is 8a 03 "rtt".
        m_request = QByteArray::fromHex("898301020304737677");
        m_answerSize = 5;
    }
    void ping() { m_socket.write(m_request); }
    qint64 answers() const { return m_received.size() / m_answerSize; }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    QByteArray m_request;
    qsizetype m_answerSize = 1;
};

// Round trips over one connection, timed one at a time.
struct RoundTrips
{
    std::function<void()> ping;
    std::function<qint64()> answers;
    QList<double> samplesUs;
    qint64 clientCpuNs = 0;
    qint64 serverCpuNs = 0;
};

void timeRoundTrip(RoundTrips &trips, const ServerThread &server)
{
    const qint64 expected = trips.answers() + 1;
    const CpuWindow cpu(server);
    QElapsedTimer timer;
    timer.start();
    trips.ping();
    if (!spinUntil([&] { return trips.answers() >= expected; }, Wait::Poll))
        qFatal("an answer did not arrive");
    trips.samplesUs.append(double(timer.nsecsElapsed()) / 1e3);
    trips.clientCpuNs += cpu.clientNs();
    trips.serverCpuNs += cpu.serverNs();
}

void sendOurs(DuplexClient &client, const QByteArray &message, bool text)
{
    const LocalResult result =
        text ? client.m_session.sendText(message) : client.m_session.sendBinary(message);
    if (!result)
        qFatal("send failed: %s", qPrintable(result.message));
}

void sendTheirs(QtClient &client, const QByteArray &message, bool text)
{
    if (text)
        client.m_socket.sendTextMessage(QString::fromUtf8(message));
    else
        client.m_socket.sendBinaryMessage(message);
}

// The medians of both clients' samples, their repetitions alternating (ours first in even
// repetitions, theirs first in odd ones).
struct Paired
{
    Sample ours;
    Sample theirs;
};

template<typename Ours, typename Theirs>
Paired alternating(const Context &context, Ours ours, Theirs theirs)
{
    QList<Sample> oursSamples;
    QList<Sample> theirsSamples;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        if (r % 2 == 0) {
            oursSamples.append(ours());
            theirsSamples.append(theirs());
        } else {
            theirsSamples.append(theirs());
            oursSamples.append(ours());
        }
    }
    auto medianSample = [](const QList<Sample> &samples) {
        QList<double> value, client, server;
        for (const Sample &sample : samples) {
            value.append(sample.value);
            client.append(sample.clientCpuNs);
            server.append(sample.serverCpuNs);
        }
        return Sample { median(value), median(client), median(server) };
    };
    return { medianSample(oursSamples), medianSample(theirsSamples) };
}

QString formatNs(double ns)
{
    return ns >= 10000 ? QStringLiteral("%1 us").arg(ns / 1000, 0, 'f', ns >= 100000 ? 0 : 1)
                       : QStringLiteral("%1 us").arg(ns / 1000, 0, 'f', ns >= 1000 ? 2 : 3);
}

// "CPU per message: client side 0.31 us (QWebSocket 1.20 us), server thread 0.90 us (1.10 us)"
QString cpuNote(const Paired &paired, const char *unit)
{
    return QStringLiteral("CPU per %1: client side %2 (QWebSocket %3), server thread %4 (%5)")
        .arg(QLatin1String(unit), formatNs(paired.ours.clientCpuNs),
             formatNs(paired.theirs.clientCpuNs), formatNs(paired.ours.serverCpuNs),
             formatNs(paired.theirs.serverCpuNs));
}

QList<Result> receiveCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).burst;
    const Paired paired = alternating(
        context,
        [&] {
            return burstRate<DuplexClient>(
                server, count, [](DuplexClient &c, const QByteArray &m) { sendOurs(c, m, true); });
        },
        [&] {
            return burstRate<QtClient>(
                server, count, [](QtClient &c, const QByteArray &m) { sendTheirs(c, m, true); });
        });
    Result result = rate(QStringLiteral("receive_32B"), paired.ours.value, QStringLiteral("msg/s"),
                         QStringLiteral("QWebSocket"), paired.theirs.value);
    result.note = cpuNote(paired, "message");
    return { result };
}

QList<Result> pipelinedCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).pipelined;
    const QByteArray message(32, 'p');
    const Paired paired = alternating(
        context,
        [&] {
            return echoRate<DuplexClient>(
                server, count, message, true,
                [](DuplexClient &c, const QByteArray &m) { sendOurs(c, m, true); });
        },
        [&] {
            return echoRate<QtClient>(
                server, count, message, true,
                [](QtClient &c, const QByteArray &m) { sendTheirs(c, m, true); });
        });
    Result result =
        rate(QStringLiteral("echo_pipelined_32B"), paired.ours.value, QStringLiteral("msg/s"),
             QStringLiteral("QWebSocket"), paired.theirs.value);
    result.note = cpuNote(paired, "echo");
    return { result };
}

QList<Result> largeEchoCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).largeEchoes;
    QByteArray message(1 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < message.size(); ++i)
        message[i] = char(i * 31);
    // One message is 1 MiB: messages per second are MiB per second.
    const Paired paired = alternating(
        context,
        [&] {
            return echoRate<DuplexClient>(
                server, count, message, false,
                [](DuplexClient &c, const QByteArray &m) { sendOurs(c, m, false); });
        },
        [&] {
            return echoRate<QtClient>(
                server, count, message, false,
                [](QtClient &c, const QByteArray &m) { sendTheirs(c, m, false); });
        });
    Result result = rate(QStringLiteral("echo_1MiB"), paired.ours.value, QStringLiteral("MiB/s"),
                         QStringLiteral("QWebSocket"), paired.theirs.value);
    result.note = cpuNote(paired, "echo");
    return { result };
}

// The four connections (the floor, the minimal client, ours, theirs) are open at once and pinged
// in turn, the order rotating from one round trip to the next, so that each figure is taken in
// the same moments as the floor it is compared with: a round trip of 25 us drifts by a
// microsecond or two over the seconds a series takes, as much as the differences measured.
QList<Result> rttCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).pings;
    QList<double> floors;
    QList<double> minimalOverhead;
    QList<Sample> ours;
    QList<Sample> theirs;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        RawClient tcp(server.tcpPort(), false);
        RawClient minimal(server.webSocketPort(), true);
        DuplexClient duplex(server.url());
        QtClient qt(server.url());
        RoundTrips series[4] = {
            { [&] { tcp.ping(); }, [&] { return tcp.answers(); }, {}, 0, 0 },
            { [&] { minimal.ping(); }, [&] { return minimal.answers(); }, {}, 0, 0 },
            { [&] {
                 if (!duplex.m_session.sendPing("rtt"))
                     qFatal("ping failed");
             },
              [&] { return duplex.m_pongs; },
              {},
              0,
              0 },
            { [&] { qt.m_socket.ping("rtt"); }, [&] { return qt.m_pongs; }, {}, 0, 0 },
        };
        for (int i = 0; i < count; ++i) {
            for (int k = 0; k < 4; ++k)
                timeRoundTrip(series[(i + k) % 4], server);
        }
        const double floor = median(series[0].samplesUs);
        floors.append(floor);
        minimalOverhead.append(median(series[1].samplesUs) - floor);
        auto overhead = [&](const RoundTrips &trips) {
            return Sample { qMax(0.01, median(trips.samplesUs) - floor),
                            double(trips.clientCpuNs) / count, double(trips.serverCpuNs) / count };
        };
        ours.append(overhead(series[2]));
        theirs.append(overhead(series[3]));
    }
    auto medianOf = [](const QList<Sample> &samples, double Sample::*field) {
        QList<double> values;
        for (const Sample &sample : samples)
            values.append(sample.*field);
        return median(values);
    };
    const Paired paired {
        { medianOf(ours, &Sample::value), medianOf(ours, &Sample::clientCpuNs),
          medianOf(ours, &Sample::serverCpuNs) },
        { medianOf(theirs, &Sample::value), medianOf(theirs, &Sample::clientCpuNs),
          medianOf(theirs, &Sample::serverCpuNs) },
    };
    Result result = cost(QStringLiteral("rtt_overhead"), paired.ours.value, QStringLiteral("us"),
                         QStringLiteral("QWebSocket"), paired.theirs.value);
    result.note = QStringLiteral("above a raw TCP round trip of %1 us; a minimal client (prebuilt "
                                 "ping, raw socket) is %2 us above it; %3")
                      .arg(median(floors), 0, 'f', 1)
                      .arg(median(minimalOverhead), 0, 'f', 2)
                      .arg(cpuNote(paired, "round trip"));
    return { result };
}

} // namespace

void registerLoopbackBenchmarks(Registry &registry)
{
    registry.add(
        QStringLiteral("receive_32B"),
        QStringLiteral("200,000 messages of 32 bytes pushed by a QWebSocketServer: Duplex vs "
                       "QWebSocket (messages/s)"),
        receiveCase);
    registry.add(QStringLiteral("echo_pipelined_32B"),
                 QStringLiteral("100,000 pipelined echoes of 32 bytes (messages/s)"),
                 pipelinedCase);
    registry.add(QStringLiteral("echo_1MiB"),
                 QStringLiteral("64 echoes of 1 MiB binary, one after the other (MiB/s)"),
                 largeEchoCase);
    registry.add(QStringLiteral("rtt_overhead"),
                 QStringLiteral("ping round trip above the raw TCP round trip (us)"), rttCase);
}

} // namespace duplex::bench
