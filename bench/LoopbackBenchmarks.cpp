// Loopback cases: the Duplex session and a QWebSocket client, one after the other in the same
// run, each against the same QWebSocketServer running in-process on its own thread: a burst of
// small messages pushed by the server, pipelined small echoes, 1 MiB echoes, and the ping
// round trip above the raw-TCP round trip measured beside them.
//
// How the two clients are treated alike:
// - Both wait the way an application's event loop does, blocked in the event dispatcher until
//   something arrives. (Polling without blocking would burn a core that, on a machine with
//   few of them, the server thread needs: the server would then run slower for whichever
//   client leaves it less time, and the ratio would describe the machine's scheduler.)
// - Their repetitions alternate (ours, theirs, theirs, ours, ...), so a machine whose load
//   changes during the run slows both alike; each figure is the median of its repetitions.
// - Beside each figure, the note gives the CPU time the client's thread and the server's thread
//   spent per message (or per round trip) in the timed window, measured with the threads' CPU
//   clocks: it shows how much of the time is the client's own and how much the shared
//   server's, which the wall-clock ratio alone cannot.

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

// A thread's CPU clock: how much processor time it used, in nanoseconds (0 where the platform
// has no per-thread clocks).
class ThreadCpuClock
{
public:
    // The calling thread's clock.
    static ThreadCpuClock current()
    {
        ThreadCpuClock clock;
#if defined(Q_OS_UNIX)
        clock.m_valid = pthread_getcpuclockid(pthread_self(), &clock.m_id) == 0;
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
        m_cpu = ThreadCpuClock::current();
    }

    quint16 m_webSocketPort = 0;
    quint16 m_tcpPort = 0;
    ThreadCpuClock m_cpu; // the server thread's

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

// Runs the event loop until `done` returns true, checked each time the loop has handled
// something. The loop blocks while there is nothing to do, as an application's does; a watchdog
// timer wakes it once a second so that a case that hangs ends with a timeout.
bool spinUntil(const std::function<bool()> &done)
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
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// One timed run: a wall-clock figure and the CPU time each thread spent meanwhile.
struct Sample
{
    double value = 0; // the case's unit: messages/s, MiB/s or microseconds
    double clientCpuNs = 0; // per message (or round trip), the client's (main) thread
    double serverCpuNs = 0; // per message (or round trip), the server's thread
};

// Measures the CPU clocks of both threads over a window.
class CpuWindow
{
public:
    explicit CpuWindow(const ServerThread &server)
        : m_server(server)
        , m_client(ThreadCpuClock::current())
    {
        restart();
    }
    void restart()
    {
        m_clientStart = m_client.nowNs();
        m_serverStart = m_server.cpuNs();
    }
    Sample sample(double value, double units) const
    {
        return { value, double(m_client.nowNs() - m_clientStart) / units,
                 double(m_server.cpuNs() - m_serverStart) / units };
    }

private:
    const ServerThread &m_server;
    ThreadCpuClock m_client;
    qint64 m_clientStart = 0;
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

// The median round trip, in microseconds, of `count` pings sent one after the other.
template<typename Client, typename Ping>
Sample pingRoundTripUs(const ServerThread &server, int count, Ping ping)
{
    Client client(server.url());
    QList<double> samples;
    CpuWindow cpu(server);
    for (int i = 0; i < count; ++i) {
        QElapsedTimer timer;
        timer.start();
        ping(client);
        if (!spinUntil([&] { return client.m_pongs >= i + 1; }))
            qFatal("a pong did not arrive");
        samples.append(double(timer.nsecsElapsed()) / 1e3);
    }
    return cpu.sample(median(samples), double(count));
}

double tcpRoundTripUs(quint16 port, int count)
{
    QTcpSocket socket;
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(TimeoutMs))
        qFatal("the TCP echo server did not answer");
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QList<double> samples;
    qint64 received = 0;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { received += socket.readAll().size(); });
    for (int i = 0; i < count; ++i) {
        QElapsedTimer timer;
        timer.start();
        socket.write("pi", 2);
        socket.flush(); // the floor: the bytes go out at once, no event-loop pass
        if (!spinUntil([&] { return received >= 2 * (i + 1); }))
            qFatal("the TCP echo did not arrive");
        samples.append(double(timer.nsecsElapsed()) / 1e3);
    }
    return median(samples);
}

// The same server, pinged by the least a client can do: a raw socket that writes a prebuilt
// masked ping and counts the bytes of the pong. What this adds to the TCP floor is the
// server's share of a WebSocket round trip, which no client can remove.
double minimalPingRoundTripUs(quint16 port, int count)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(TimeoutMs))
        qFatal("the WebSocket server did not answer");
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QByteArray received;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { received += socket.readAll(); });
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
    socket.flush();
    if (!spinUntil([&] { return received.contains("\r\n\r\n"); }))
        qFatal("the WebSocket server did not answer the handshake");
    if (!received.startsWith("HTTP/1.1 101"))
        qFatal("the WebSocket server refused the handshake");
    received.remove(0, received.indexOf("\r\n\r\n") + 4);
    // FIN + ping, masked, 3 bytes of payload ("rtt") under the key 01 02 03 04.
    const char ping[] = { char(0x89),    char(0x83),   1, 2, 3, 4, char('r' ^ 1),
                          char('t' ^ 2), char('t' ^ 3) };
    const qsizetype pongSize = 5; // 8a 03 "rtt"
    QList<double> samples;
    for (int i = 0; i < count; ++i) {
        QElapsedTimer timer;
        timer.start();
        socket.write(ping, sizeof ping);
        socket.flush();
        if (!spinUntil([&] { return received.size() >= pongSize * (i + 1); }))
            qFatal("the pong did not arrive");
        samples.append(double(timer.nsecsElapsed()) / 1e3);
    }
    return median(samples);
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

// "CPU per message: client 0.31 us (QWebSocket 1.20 us), server 0.90 us (1.10 us)"
QString cpuNote(const Paired &paired, const char *unit)
{
    return QStringLiteral("CPU per %1: client %2 (QWebSocket %3), server thread %4 (%5)")
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

QList<Result> rttCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).pings;
    QList<double> floors;
    QList<double> minimalOverhead;
    QList<Sample> ours;
    QList<Sample> theirs;
    auto pingOurs = [&] {
        return pingRoundTripUs<DuplexClient>(server, count, [](DuplexClient &c) {
            if (!c.m_session.sendPing("rtt"))
                qFatal("ping failed");
        });
    };
    auto pingTheirs = [&] {
        return pingRoundTripUs<QtClient>(server, count,
                                         [](QtClient &c) { c.m_socket.ping("rtt"); });
    };
    for (int r = 0; r < repetitionsFor(context); ++r) {
        const double floor = tcpRoundTripUs(server.tcpPort(), count);
        minimalOverhead.append(minimalPingRoundTripUs(server.webSocketPort(), count) - floor);
        if (r % 2 == 0) {
            ours.append(pingOurs());
            theirs.append(pingTheirs());
        } else {
            theirs.append(pingTheirs());
            ours.append(pingOurs());
        }
        floors.append(floor);
        ours.last().value = qMax(0.01, ours.last().value - floor);
        theirs.last().value = qMax(0.01, theirs.last().value - floor);
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
