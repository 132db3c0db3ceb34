// History cases: the real history pane (model + table view) offscreen, fed a million records,
// filtered, and kept live through a 200,000-message burst from a local QWebSocketServer. The
// burst's UI-thread stall is compared with a QWebSocket client receiving the same burst on
// the same thread; the memory per row with QStandardItemModel holding the same rows.

#include "Benchmark.h"
#include "HistoryBenchmarks.h"
#include "LoopbackServer.h"
#include "core/session/ConnectionSession.h"
#include "core/session/SessionObserver.h"
#include "ui/HistoryPane.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStandardItemModel>
#include <QWebSocket>

namespace duplex::bench {
namespace {

constexpr int TimeoutMs = 120000;

// Bytes per row QStandardItemModel needs for rows of the history's five columns (no view):
// the growth of the allocator's bytes in use where heapBytesInUse() is available, as our heap
// figure is measured, else of resident memory; 0 (not measured) when it did not grow.
struct ReferenceBytes
{
    double perRow = 0;
    bool fromHeap = false;
};
ReferenceBytes standardItemModelBytesPerRow(int rows)
{
    const bool fromHeap = heapBytesInUse() > 0;
    const auto inUse = [fromHeap] {
        return qint64(fromHeap ? heapBytesInUse() : residentBytes());
    };
    const qint64 before = inUse();
    auto *model = new QStandardItemModel(0, 5);
    for (int i = 0; i < rows; ++i) {
        QList<QStandardItem *> row;
        row << new QStandardItem(QStringLiteral("12:00:00.000"))
            << new QStandardItem(QStringLiteral("in")) << new QStandardItem(QStringLiteral("text"))
            << new QStandardItem(QStringLiteral("32 B"))
            << new QStandardItem(QStringLiteral("{\"n\":1}"));
        model->appendRow(row);
    }
    const qint64 grown = inUse() - before; // signed: memory can shrink meanwhile
    delete model;
    return { grown > 0 ? double(grown) / rows : 0, fromHeap };
}

QList<Result> appendCase(const Context &context)
{
    const qsizetype records = context.smoke ? 2000 : 1000000;
    QList<double> rates;
    QList<double> bytes;
    QList<double> oneMore;
    QList<double> resident;
    QList<double> heap;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        const HistoryAppendFigures figures = runHistoryAppend(records);
        rates.append(figures.recordsPerSecond);
        bytes.append(figures.bytesPerRecord);
        oneMore.append(figures.oneMoreAppendMs);
        resident.append(figures.residentBytesPerRecord);
        heap.append(figures.heapBytesPerRecord);
    }
    const ReferenceBytes reference = standardItemModelBytesPerRow(context.smoke ? 2000 : 100000);
    const QString name = QStringLiteral("history_bytes_per_record");
    Result perRecord = reference.perRow > 0
        ? cost(name, median(bytes), QStringLiteral("B"), QStringLiteral("QStandardItemModel"),
               reference.perRow)
        : figure(name, median(bytes), QStringLiteral("B"), false);
    QString note = QStringLiteral("ours: record row + model, counted; ");
    if (reference.perRow > 0)
        note += QStringLiteral("QStandardItemModel (5 columns, no view): %1 growth; ")
                    .arg(reference.fromHeap ? QStringLiteral("heap") : QStringLiteral("resident"));
    else
        note += QStringLiteral("QStandardItemModel not measured (its memory did not grow); ");
    if (median(heap) > 0)
        note += QStringLiteral("ours as heap growth (record, model and view): %1 B/row; ")
                    .arg(median(heap), 0, 'f', 1);
    note += QStringLiteral("resident: %1 B/row").arg(median(resident), 0, 'f', 1);
    perRecord.note = note;
    Result append = figure(QStringLiteral("history_append_1M"), median(rates),
                           QStringLiteral("records/s"), true);
    append.note = QStringLiteral("target >= 1,000,000");
    Result at = figure(QStringLiteral("history_append_at_1M"), median(oneMore),
                       QStringLiteral("ms"), false);
    at.note = QStringLiteral("one more append at %1 rows, target <= 4").arg(records);
    return { append, perRecord, at };
}

QList<Result> filterCase(const Context &context)
{
    const qsizetype records = context.smoke ? 2000 : 1000000;
    QList<double> times;
    QList<double> stalls;
    for (int r = 0; r < repetitionsFor(context); ++r) {
        const HistoryFilterFigures figures = runHistoryFilter(records);
        times.append(figures.filterMs);
        stalls.append(figures.longestStallMs);
    }
    Result result =
        figure(QStringLiteral("history_filter_1M"), median(times), QStringLiteral("ms"), false);
    result.note = QStringLiteral("regular expression over %1 records off the UI thread; longest "
                                 "UI-thread stall meanwhile %2 ms")
                      .arg(records)
                      .arg(median(stalls), 0, 'f', 1);
    return { result };
}

bool spinUntil(const std::function<bool()> &done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > TimeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

// Counts the messages received and notes when the `expected`-th arrived on `clock`.
struct Counter : SessionObserver
{
    Counter(const QElapsedTimer &sinceRequest, qint64 count)
        : clock(sinceRequest)
        , expected(count)
    { }
    void textReceived(QByteArrayView, bool) override
    {
        if (++messages == expected)
            lastNs = clock.nsecsElapsed();
    }
    const QElapsedTimer &clock;
    const qint64 expected;
    qint64 messages = 0;
    qint64 lastNs = 0;
};

struct DuplexStall
{
    double longestStallMs = 0;
    // From sending the request to receiving the last message (connecting not included).
    double deliverySeconds = 0;
};

// The longest UI-thread stall while a Duplex session with the history live receives the `count`
// messages that `request` asks the local server for, and how long they took to arrive.
DuplexStall duplexStall(quint16 port, const QString &request, int count)
{
    auto record = std::make_shared<SessionRecord>();
    SessionOptions options;
    options.setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    options.reconnect.enabled = false;
    ConnectionSession session(options, record);
    QElapsedTimer sinceRequest;
    Counter counter(sinceRequest, count);
    session.addObserver(&counter);
    auto pane = createBenchmarkHistoryPane(record);
    QObject::connect(&session, &ConnectionSession::recordGrew, pane.get(),
                     [&pane] { pane->poll(); });
    if (!session.open()
        || !spinUntil([&] { return session.state() == ConnectionSession::State::Open; }))
        qFatal("the session did not open");
    HistoryStallProbe probe;
    probe.start();
    sinceRequest.start();
    if (!session.sendText(request.toUtf8()))
        qFatal("send failed");
    if (!spinUntil([&] { return counter.messages >= count; }))
        qFatal("the messages did not arrive");
    probe.stop();
    session.removeObserver(&counter);
    session.abort();
    return { probe.longestStallMs(), double(counter.lastNs) / 1e9 };
}

double qtStallMs(quint16 port, const QString &request, int count)
{
    QWebSocket socket;
    qint64 messages = 0;
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                     [&messages](const QString &) { ++messages; });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    if (!spinUntil([&] { return socket.state() == QAbstractSocket::ConnectedState; }))
        qFatal("QWebSocket did not open");
    HistoryStallProbe probe;
    probe.start();
    socket.sendTextMessage(request);
    if (!spinUntil([&] { return messages >= count; }))
        qFatal("the messages did not arrive");
    probe.stop();
    socket.abort();
    return probe.longestStallMs();
}

QList<Result> burstCase(const Context &context)
{
    const int count = context.smoke ? 1000 : 200000;
    const ServerThread server;
    QList<double> ours;
    QList<double> theirs;
    const QString request = QStringLiteral("burst %1 32").arg(count);
    for (int r = 0; r < repetitionsFor(context); ++r) {
        ours.append(duplexStall(server.webSocketPort(), request, count).longestStallMs);
        theirs.append(qtStallMs(server.webSocketPort(), request, count));
    }
    Result result = cost(QStringLiteral("ui_stall_burst"), median(ours), QStringLiteral("ms"),
                         QStringLiteral("QWebSocket"), median(theirs));
    result.note = QStringLiteral("longest UI-thread stall during a %1-message burst, history live "
                                 "(QWebSocket: no view at all); target <= 16, aim 8")
                      .arg(count);
    return { result };
}

// A steady stream rather than a burst: the server sends 32-byte messages at a fixed rate for
// a few seconds, as a busy market feed does, while the history follows them live.
QList<Result> steadyCase(const Context &context)
{
    constexpr int Rate = 50000; // messages per second
    const int count = context.smoke ? 1000 : 2 * Rate;
    const ServerThread server;
    QList<double> ours;
    QList<double> theirs;
    // As delivered to ours, from the request to the last message: shows the stream kept its pace.
    QList<double> rates;
    const QString request = QStringLiteral("steady %1 %2 32").arg(count).arg(Rate);
    for (int r = 0; r < repetitionsFor(context); ++r) {
        const DuplexStall stall = duplexStall(server.webSocketPort(), request, count);
        ours.append(stall.longestStallMs);
        rates.append(stall.deliverySeconds > 0 ? count / stall.deliverySeconds : 0);
        theirs.append(qtStallMs(server.webSocketPort(), request, count));
    }
    Result result = cost(QStringLiteral("ui_stall_steady"), median(ours), QStringLiteral("ms"),
                         QStringLiteral("QWebSocket"), median(theirs));
    result.note =
        QStringLiteral("longest UI-thread stall while %1 messages arrive at %2/s "
                       "(%3/s delivered from the request to the last message), history live "
                       "(QWebSocket: no view at all); target <= 8")
            .arg(count)
            .arg(Rate)
            .arg(median(rates), 0, 'f', 0);
    return { result };
}

} // namespace

void registerHistoryBenchmarks(Registry &registry)
{
    registry.add(
        QStringLiteral("history_append_1M"),
        QStringLiteral("append 1,000,000 records with the history view attached (records/s), "
                       "memory per record, one more append at 1,000,000 rows"),
        appendCase);
    registry.add(
        QStringLiteral("history_filter_1M"),
        QStringLiteral("filter 1,000,000 records by a regular expression off the UI thread (ms)"),
        filterCase);
    registry.add(
        QStringLiteral("ui_stall_burst"),
        QStringLiteral("longest UI-thread stall during a 200,000-message burst from a local "
                       "server, history live (ms)"),
        burstCase);
    registry.add(QStringLiteral("ui_stall_steady"),
                 QStringLiteral("longest UI-thread stall while a local server sends 50,000 "
                                "messages/s for 2 s, history live (ms)"),
                 steadyCase);
}

} // namespace duplex::bench
