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
#include "CpuClock.h"
#include "LoopbackServer.h"
#include "core/session/ConnectionSession.h"
#include "core/session/SessionObserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <functional>

namespace duplex::bench {
namespace {

constexpr int TimeoutMs = 60000;

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

// The least a Qt client can do: an unbuffered socket, whose writes are system calls at once
// (256 KiB at a time, the next when the kernel took the last) and whose reads take the bytes
// from the kernel into one reused buffer, where they are counted, not parsed. Against the TCP
// echo server it gives the floor of a round trip; against the WebSocket server, sending
// prebuilt masked frames, it is the minimal client: what it adds to the floor of a round trip,
// or the rate of large echoes it reaches, is the server's (and the kernel's) share, which no
// client can remove.
class RawClient
{
public:
    RawClient(quint16 port, bool webSocket)
        : m_buffer(new char[BufferSize])
        , m_open(!webSocket)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port,
                               QIODevice::ReadWrite | QIODevice::Unbuffered);
        if (!m_socket.waitForConnected(TimeoutMs))
            qFatal("the loopback server did not answer");
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { readAvailable(); });
        QObject::connect(&m_socket, &QTcpSocket::bytesWritten, &m_socket, [this] { pump(); });
        if (!webSocket)
            return;
        write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!spinUntil([&] { return m_open; }))
            qFatal("the WebSocket server did not answer the handshake");
        if (!m_head.startsWith("HTTP/1.1 101"))
            qFatal("the WebSocket server refused the handshake");
    }
    void write(const QByteArray &bytes)
    {
        m_pending = bytes;
        m_written = 0;
        pump();
    }
    qint64 received() const { return m_received; }

    // A client's frame: FIN, `opcode`, masked with the key 01 02 03 04.
    static QByteArray maskedFrame(quint8 opcode, QByteArrayView payload)
    {
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        if (payload.size() <= 125) {
            frame.append(char(0x80 | payload.size()));
        } else if (payload.size() <= 0xFFFF) {
            frame.append(char(0x80 | 126));
            frame.append(char(payload.size() >> 8)).append(char(payload.size() & 0xFF));
        } else {
            frame.append(char(0x80 | 127));
            for (int shift = 56; shift >= 0; shift -= 8)
                frame.append(char((quint64(payload.size()) >> shift) & 0xFF));
        }
        const char key[4] = { 1, 2, 3, 4 };
        frame.append(key, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ key[i % 4]));
        return frame;
    }
    // The bytes of the server's (unmasked) echo of a `payloadSize`-byte message: QtWebSockets
    // sends a message in frames of at most 512 KiB, each with its own header.
    static qint64 serverEchoSize(qint64 payloadSize)
    {
        constexpr qint64 ServerFrameLimit = 512 * 1024;
        const auto headerSize = [](qint64 size) {
            return 2 + (size > 0xFFFF ? 8 : size > 125 ? 2 : 0);
        };
        qint64 total = 0;
        qint64 left = payloadSize;
        do {
            const qint64 piece = qMin(left, ServerFrameLimit);
            total += headerSize(piece) + piece;
            left -= piece;
        } while (left > 0);
        return total;
    }

private:
    static constexpr qint64 BufferSize = 256 * 1024;

    void pump()
    {
        while (m_written < m_pending.size() && m_socket.bytesToWrite() == 0) {
            const qint64 piece = qMin<qint64>(m_pending.size() - m_written, BufferSize);
            const qint64 written = m_socket.write(m_pending.constData() + m_written, piece);
            if (written <= 0)
                return;
            m_written += written;
        }
    }
    // A read that does not fill the buffer took everything there was; the socket signals again
    // when more arrives.
    void readAvailable()
    {
        qint64 read = 0;
        do {
            read = m_socket.read(m_buffer.get(), BufferSize);
            if (read <= 0)
                return;
            if (m_open) {
                m_received += read;
                continue;
            }
            m_head.append(m_buffer.get(), read);
            const qsizetype end = m_head.indexOf("\r\n\r\n");
            if (end >= 0) {
                m_open = true;
                m_received += m_head.size() - (end + 4);
                m_head.truncate(end + 4);
            }
        } while (read == BufferSize);
    }

    QTcpSocket m_socket;
    std::unique_ptr<char[]> m_buffer;
    QByteArray m_head; // the handshake response
    bool m_open = false;
    qint64 m_received = 0;
    QByteArray m_pending;
    qint64 m_written = 0;
};

// Round trips over one connection, timed one at a time.
// (No CPU times here: a polling client is busy for the whole of every round trip, and a CPU
// clock sampled around 25 us windows misses whatever the other threads are in the middle of.)
struct RoundTrips
{
    std::function<void()> ping;
    std::function<qint64()> answers;
    QList<double> samplesUs;
};

void timeRoundTrip(RoundTrips &trips)
{
    const qint64 expected = trips.answers() + 1;
    QElapsedTimer timer;
    timer.start();
    trips.ping();
    if (!spinUntil([&] { return trips.answers() >= expected; }, Wait::Poll))
        qFatal("an answer did not arrive");
    trips.samplesUs.append(double(timer.nsecsElapsed()) / 1e3);
}

// The minimal client's echoes, one after the other: a prebuilt masked frame, each echo counted
// as bytes. (Where messages are many and small, a raw client that drains the socket the moment
// anything arrives keeps the server's buffers nearly empty and waits on every wake-up of it,
// and is no bound at all; for large echoes one after the other it is.)
Sample minimalEchoRate(const ServerThread &server, int count, const QByteArray &message)
{
    RawClient client(server.webSocketPort(), true);
    const QByteArray frame = RawClient::maskedFrame(0x2, message);
    const qint64 echoSize = RawClient::serverEchoSize(message.size());
    CpuWindow cpu(server);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i) {
        client.write(frame);
        if (!spinUntil([&] { return client.received() >= echoSize * (i + 1); }))
            qFatal("an echo did not arrive");
    }
    return cpu.sample(double(count) / (double(timer.nsecsElapsed()) / 1e9), double(count));
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
    Sample minimal; // the minimal client's, where measured
};

Sample medianSample(const QList<Sample> &samples)
{
    QList<double> value, client, server;
    for (const Sample &sample : samples) {
        value.append(sample.value);
        client.append(sample.clientCpuNs);
        server.append(sample.serverCpuNs);
    }
    return Sample { median(value), median(client), median(server) };
}

// Runs each measure once per repetition, the order rotating from one repetition to the next
// (ours first, then theirs first, ...), and takes their medians. `minimal` may be empty.
Paired alternating(const Context &context, const std::function<Sample()> &ours,
                   const std::function<Sample()> &theirs,
                   const std::function<Sample()> &minimal = {})
{
    const std::function<Sample()> measures[3] = { ours, theirs, minimal };
    const int kinds = minimal ? 3 : 2;
    QList<Sample> samples[3];
    for (int r = 0; r < repetitionsFor(context); ++r) {
        for (int k = 0; k < kinds; ++k) {
            const int which = (r + k) % kinds;
            samples[which].append(measures[which]());
        }
    }
    return { medianSample(samples[0]), medianSample(samples[1]), medianSample(samples[2]) };
}

QString formatNs(double ns)
{
    return ns >= 10000 ? QStringLiteral("%1 us").arg(ns / 1000, 0, 'f', ns >= 100000 ? 0 : 1)
                       : QStringLiteral("%1 us").arg(ns / 1000, 0, 'f', ns >= 1000 ? 2 : 3);
}

// "CPU per message: client side 0.31 us (QWebSocket 1.20 us), server thread 0.90 us (1.10 us)"
// "a minimal client (a prebuilt frame, raw socket, nothing parsed) reaches 770 MiB/s, 1.42x
// QWebSocket: the most any client gains against this server"
QString minimalNote(const Paired &paired, const char *unit)
{
    return QStringLiteral("a minimal client (a prebuilt frame, raw socket, nothing parsed) "
                          "reaches %1 %2, %3x QWebSocket: the most any client gains against "
                          "this server")
        .arg(paired.minimal.value, 0, 'f', 0)
        .arg(QLatin1String(unit))
        .arg(paired.minimal.value / paired.theirs.value, 0, 'f', 2);
}

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

// Where the time of a 1 MiB echo goes (perf on the 2-core virtual machine these cases were
// tuned on; the CPU figures in the note are measured in every run):
// - The server thread: 1.1-1.6 ms of CPU per echo whichever the client, about half of it
//   QtWebSockets unmasking the payload a byte at a time, a tenth copying the frame out of its
//   socket's buffer, a tenth the kernel's socket copies. It cannot start unmasking before the
//   whole frame is in, so its time is on the path of every echo: the minimal client, which
//   only writes a prebuilt frame and counts the bytes of the echo, shows the most any client
//   can reach against it (1.3-1.4x QWebSocket on that machine).
// - Our side, about 1 ms: a quarter copying the frame into the record, once in each direction;
//   the kernel's socket copies; masking (8%); and the record's fresh memory, 2 MiB per echo,
//   which the kernel clears on the record's helper thread (0.1-0.5 ms per MiB there, more the
//   first time the process touches it). Without recording frames the session ran within 10% of
//   the minimal client; recording everything received and sent is what a workbench is for.
// - QWebSocket's side, about the same: masking byte by byte, copies through its buffers, and
//   page faults on the fresh buffers it allocates for every message.
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
        },
        [&] { return minimalEchoRate(server, count, message); });
    Result result = rate(QStringLiteral("echo_1MiB"), paired.ours.value, QStringLiteral("MiB/s"),
                         QStringLiteral("QWebSocket"), paired.theirs.value);
    // Every echo passes through the one server thread, so the CPU time that thread spends per
    // echo bounds every client's rate, however little time the client itself takes.
    const double serverBound = paired.ours.serverCpuNs > 0 ? 1e9 / paired.ours.serverCpuNs : 0;
    QString bound;
    if (serverBound > 0)
        bound = QStringLiteral("; the server thread's CPU per echo alone caps any client at "
                               "%1 MiB/s, %2x QWebSocket")
                    .arg(serverBound, 0, 'f', 0)
                    .arg(serverBound / paired.theirs.value, 0, 'f', 2);
    result.note =
        minimalNote(paired, "MiB/s") + bound + QStringLiteral("; ") + cpuNote(paired, "echo");
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
    QList<double> ours;
    QList<double> theirs;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        RawClient tcp(server.tcpPort(), false);
        RawClient minimal(server.webSocketPort(), true);
        DuplexClient duplex(server.url());
        QtClient qt(server.url());
        // FIN + ping, masked, "rtt"; the pong is 8a 03 "rtt".
        const QByteArray ping = RawClient::maskedFrame(0x9, "rtt");
        auto pingOurs = [&] {
            if (!duplex.m_session.sendPing("rtt"))
                qFatal("ping failed");
        };
        RoundTrips series[4] = {
            { [&] { tcp.write("pi"); }, [&] { return tcp.received() / 2; }, {} },
            { [&] { minimal.write(ping); }, [&] { return minimal.received() / 5; }, {} },
            { pingOurs, [&] { return duplex.m_pongs; }, {} },
            { [&] { qt.m_socket.ping("rtt"); }, [&] { return qt.m_pongs; }, {} },
        };
        for (int i = 0; i < count; ++i) {
            for (int k = 0; k < 4; ++k)
                timeRoundTrip(series[(i + k) % 4]);
        }
        const double floor = median(series[0].samplesUs);
        floors.append(floor);
        minimalOverhead.append(median(series[1].samplesUs) - floor);
        // Not clamped: an overhead at or below zero is what was measured (the noise of the
        // floor's median is larger than the overhead), and cost() then gives no ratio.
        ours.append(median(series[2].samplesUs) - floor);
        theirs.append(median(series[3].samplesUs) - floor);
    }
    Result result = cost(QStringLiteral("rtt_overhead"), median(ours), QStringLiteral("us"),
                         QStringLiteral("QWebSocket"), median(theirs));
    result.note = QStringLiteral("above a raw TCP round trip of %1 us; a minimal client (prebuilt "
                                 "ping, raw socket) is %2 us above it: the server's share")
                      .arg(median(floors), 0, 'f', 1)
                      .arg(median(minimalOverhead), 0, 'f', 2);
    if (result.ratio <= 0)
        result.note += QStringLiteral("; no ratio: an overhead at or below zero is below the "
                                      "resolution of this machine");
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
