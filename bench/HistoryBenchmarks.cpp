#include "bench/HistoryBenchmarks.h"

#include "bench/Benchmark.h"
#include "core/protocol/FrameHeader.h"
#include "core/session/SessionRecord.h"
#include "ui/HistoryFilterBar.h"
#include "ui/HistoryPane.h"
#include "ui/MessageLogModel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace duplex::bench {
namespace {

// One frame as a session would record it: an unmasked text frame of `payload`.
struct Frame
{
    QByteArray wire;
    FrameView view;

    Frame(QByteArrayView payload, Direction direction)
    {
        FrameHeader header;
        header.opcode = Opcode::Text;
        header.payloadLength = quint64(payload.size());
        char head[MaxFrameHeaderSize];
        wire = QByteArray(head, encodeFrameHeader(header, head)) + payload.toByteArray();
        view.direction = direction;
        view.header = header;
        view.wire = wire;
    }
};

// Lets the event loop run until nothing is pending: posted events, zero timers, repaints.
void settle()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

void waitForRows(const MessageLogModel *model, qsizetype rows)
{
    while (model->rowCount() < rows)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

// --- Memory ---------------------------------------------------------------------------------

quint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2)
        return 0;
    return fields.at(1).toULongLong() * quint64(sysconf(_SC_PAGESIZE));
}

quint64 heapBytesInUse()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 info = mallinfo2();
    return quint64(info.uordblks) + quint64(info.hblkhd);
#else
    return 0;
#endif
}

// --- Stall probe ----------------------------------------------------------------------------

struct HistoryStallProbe::Private
{
    QTimer timer;
    QElapsedTimer sinceTick;
    qint64 longestNs = 0;
    bool ticked = false;
};

HistoryStallProbe::HistoryStallProbe()
    : d(std::make_unique<Private>())
{
    // 1 ms, not 0: a zero timer would spin the UI thread and take a core from the filter's
    // worker or the local server whose effect is being measured.
    d->timer.setInterval(1);
    d->timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&d->timer, &QTimer::timeout, [p = d.get()] {
        if (p->ticked)
            p->longestNs = std::max(p->longestNs, p->sinceTick.nsecsElapsed());
        p->ticked = true;
        p->sinceTick.restart();
    });
}

HistoryStallProbe::~HistoryStallProbe() = default;

void HistoryStallProbe::start()
{
    d->longestNs = 0;
    d->ticked = false;
    d->timer.start();
}

void HistoryStallProbe::stop()
{
    d->timer.stop();
    if (d->ticked)
        d->longestNs = std::max(d->longestNs, d->sinceTick.nsecsElapsed());
}

double HistoryStallProbe::longestStallMs() const
{
    return double(d->longestNs) / 1e6;
}

// --- Pane -----------------------------------------------------------------------------------

std::unique_ptr<HistoryPane> createBenchmarkHistoryPane(std::shared_ptr<const SessionRecord> record)
{
    auto pane = std::make_unique<HistoryPane>();
    pane->resize(1200, 800);
    pane->setRecord(std::move(record));
    pane->show();
    settle();
    return pane;
}

// --- Append ---------------------------------------------------------------------------------

HistoryAppendFigures runHistoryAppend(qsizetype records, qsizetype batch)
{
    HistoryAppendFigures figures;
    figures.records = records;
    auto record = std::make_shared<SessionRecord>();
    auto pane = createBenchmarkHistoryPane(record);
#ifdef __GLIBC__
    malloc_trim(0); // what earlier repetitions freed must not be counted as reused
#endif
    const quint64 residentBefore = residentBytes();
    const quint64 heapBefore = heapBytesInUse();
    MessageLogModel *model = pane->model();
    const Frame frame(R"({"type":"quote","symbol":"ACME","bid":101.25})", Direction::Incoming);
    const qint64 now = SessionRecord::nowUs();

    // Drains of `batch` frames, each followed by one event-loop turn (the model's flush, the
    // view's update and repaint), as a session drains its socket.
    QElapsedTimer total;
    total.start();
    for (qsizetype done = 0; done < records; done += batch) {
        const qsizetype count = std::min(batch, records - done);
        for (qsizetype i = 0; i < count; ++i)
            record->appendFrame(now + done + i, 0, frame.view);
        pane->poll();
        QCoreApplication::processEvents();
    }
    waitForRows(model, records);
    settle();
    const double seconds = double(total.nsecsElapsed()) / 1e9;
    figures.recordsPerSecond = model->rowCount() == records ? double(records) / seconds : 0;

    // Memory: record rows and what the model keeps, counted; then the heap and resident growth
    // (signed: either can shrink when earlier runs' memory is reused or handed back).
    const qint64 payload = qint64(record->payloadBytes());
    figures.bytesPerRecord =
        double(quint64(records) * sizeof(RecordEntry) + model->memoryBytes()) / double(records);
#ifdef __GLIBC__
    malloc_trim(0); // hand back what was freed (the view's outgrown arrays), count what is held
#endif
    const qint64 heapGrowth = qint64(heapBytesInUse()) - qint64(heapBefore) - payload;
    const qint64 residentGrowth = qint64(residentBytes()) - qint64(residentBefore) - payload;
    figures.heapBytesPerRecord =
        heapBefore > 0 && heapGrowth > 0 ? double(heapGrowth) / double(records) : 0;
    figures.residentBytesPerRecord =
        residentGrowth > 0 ? double(residentGrowth) / double(records) : 0;

    // One more frame at this size: append, flush, view update and repaint.
    QList<double> samples;
    for (int i = 0; i < 21; ++i) {
        settle();
        QElapsedTimer one;
        one.start();
        record->appendFrame(now + records + i, 0, frame.view);
        model->flushPending();
        settle();
        samples.append(msSince(one));
    }
    figures.oneMoreAppendMs = median(samples);
    return figures;
}

// --- Filter ---------------------------------------------------------------------------------

HistoryFilterFigures runHistoryFilter(qsizetype records)
{
    HistoryFilterFigures figures;
    figures.records = records;
    auto record = std::make_shared<SessionRecord>();
    const Frame trade(R"({"type":"trade","symbol":"ACME","price":101.25,"size":300})",
                      Direction::Incoming);
    const Frame quote(R"({"type":"quote","symbol":"ACME","bid":101.25,"ask":101.5})",
                      Direction::Incoming);
    const qint64 now = SessionRecord::nowUs();
    for (qsizetype i = 0; i < records; ++i)
        record->appendFrame(now + i, 0, (i % 10 == 0 ? trade : quote).view);
    auto pane = createBenchmarkHistoryPane(record);
    MessageLogModel *model = pane->model();
    model->flushPending();
    settle();

    HistoryFilterSpec spec;
    spec.text = QStringLiteral(R"("type":"trade".*"size":\d+)");
    spec.regularExpression = true;
    HistoryStallProbe probe;
    QEventLoop loop;
    QObject::connect(model, &MessageLogModel::filterRunningChanged, &loop, [&loop](bool running) {
        if (!running)
            loop.quit();
    });
    probe.start();
    QElapsedTimer timer;
    timer.start();
    model->setFilter(spec);
    if (model->isFilterRunning())
        loop.exec();
    figures.filterMs = msSince(timer);
    settle();
    probe.stop();
    figures.longestStallMs = probe.longestStallMs();
    figures.matches = model->rowCount();
    return figures;
}

} // namespace duplex::bench
