// Loopback cases: the Duplex session and a QWebSocket client, one after the other in the same
// run, each against the same QWebSocketServer running in-process on its own thread: a burst of
// small messages pushed by the server, pipelined small echoes, 1 MiB echoes, and the ping
// round trip above the raw-TCP round trip measured beside them.

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

namespace duplex::bench {
namespace {

constexpr int TimeoutMs = 60000;

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
    }

    quint16 m_webSocketPort = 0;
    quint16 m_tcpPort = 0;

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
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server->m_webSocketPort));
    }
    quint16 tcpPort() const { return m_server->m_tcpPort; }

private:
    QThread m_thread;
    LoopbackServer *m_server = nullptr;
};

// Runs the event loop until `done` returns true (checked after every event-loop wake-up).
bool spinUntil(const std::function<bool()> &done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > TimeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

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
double burstRate(const QUrl &url, int count, Send send)
{
    Client client(url);
    const QByteArray request = "burst " + QByteArray::number(count) + " 32";
    QElapsedTimer sinceRequest;
    sinceRequest.start();
    send(client, request);
    if (!spinUntil([&] { return client.m_messages >= 1; }))
        qFatal("the burst did not start");
    QElapsedTimer timer;
    timer.start();
    const qint64 first = client.m_messages;
    if (first >= count) // a burst small enough to arrive in one read (--smoke)
        return double(count) / (double(sinceRequest.nsecsElapsed()) / 1e9);
    if (!spinUntil([&] { return client.m_messages >= count; }))
        qFatal("the burst did not arrive");
    return double(count - first) / (double(timer.nsecsElapsed()) / 1e9);
}

template<typename Client, typename Send>
double echoRate(const QUrl &url, int count, const QByteArray &message, bool pipelined, Send send)
{
    Client client(url);
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
    return double(count) / (double(timer.nsecsElapsed()) / 1e9);
}

// The median round trip, in microseconds, of `count` pings sent one after the other.
template<typename Client, typename Ping>
double pingRoundTripUs(const QUrl &url, int count, Ping ping)
{
    Client client(url);
    QList<double> samples;
    for (int i = 0; i < count; ++i) {
        QElapsedTimer timer;
        timer.start();
        ping(client);
        if (!spinUntil([&] { return client.m_pongs >= i + 1; }))
            qFatal("a pong did not arrive");
        samples.append(double(timer.nsecsElapsed()) / 1e3);
    }
    return median(samples);
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

template<typename Measure>
double medianOf(const Context &context, Measure measure)
{
    QList<double> values;
    for (int r = 0; r < repetitionsFor(context); ++r)
        values.append(measure());
    return median(values);
}

QList<Result> receiveCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).burst;
    const double ours = medianOf(context, [&] {
        return burstRate<DuplexClient>(
            server.url(), count,
            [](DuplexClient &c, const QByteArray &m) { sendOurs(c, m, true); });
    });
    const double theirs = medianOf(context, [&] {
        return burstRate<QtClient>(
            server.url(), count, [](QtClient &c, const QByteArray &m) { sendTheirs(c, m, true); });
    });
    return { rate(QStringLiteral("receive_32B"), ours, QStringLiteral("msg/s"),
                  QStringLiteral("QWebSocket"), theirs) };
}

QList<Result> pipelinedCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).pipelined;
    const QByteArray message(32, 'p');
    const double ours = medianOf(context, [&] {
        return echoRate<DuplexClient>(
            server.url(), count, message, true,
            [](DuplexClient &c, const QByteArray &m) { sendOurs(c, m, true); });
    });
    const double theirs = medianOf(context, [&] {
        return echoRate<QtClient>(server.url(), count, message, true,
                                  [](QtClient &c, const QByteArray &m) { sendTheirs(c, m, true); });
    });
    return { rate(QStringLiteral("echo_pipelined_32B"), ours, QStringLiteral("msg/s"),
                  QStringLiteral("QWebSocket"), theirs) };
}

QList<Result> largeEchoCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).largeEchoes;
    QByteArray message(1 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < message.size(); ++i)
        message[i] = char(i * 31);
    const double ours = medianOf(context, [&] {
        return echoRate<DuplexClient>(
            server.url(), count, message, false,
            [](DuplexClient &c, const QByteArray &m) { sendOurs(c, m, false); });
    });
    const double theirs = medianOf(context, [&] {
        return echoRate<QtClient>(
            server.url(), count, message, false,
            [](QtClient &c, const QByteArray &m) { sendTheirs(c, m, false); });
    });
    return { rate(QStringLiteral("echo_1MiB"), ours, QStringLiteral("MiB/s"),
                  QStringLiteral("QWebSocket"), theirs) };
}

QList<Result> rttCase(const Context &context)
{
    ServerThread server;
    const int count = sizesFor(context).pings;
    QList<double> floors;
    QList<double> oursOverhead;
    QList<double> theirsOverhead;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        const double floor = tcpRoundTripUs(server.tcpPort(), count);
        const double ours = pingRoundTripUs<DuplexClient>(server.url(), count, [](DuplexClient &c) {
            if (!c.m_session.sendPing("rtt"))
                qFatal("ping failed");
        });
        const double theirs = pingRoundTripUs<QtClient>(
            server.url(), count, [](QtClient &c) { c.m_socket.ping("rtt"); });
        floors.append(floor);
        oursOverhead.append(qMax(0.01, ours - floor));
        theirsOverhead.append(qMax(0.01, theirs - floor));
    }
    Result result = cost(QStringLiteral("rtt_overhead"), median(oursOverhead), QStringLiteral("us"),
                         QStringLiteral("QWebSocket"), median(theirsOverhead));
    result.note =
        QStringLiteral("above a raw TCP round trip of %1 us").arg(median(floors), 0, 'f', 1);
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
