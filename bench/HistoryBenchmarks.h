#pragma once

// History benchmarks for duplex-bench: the real MessageLogModel and HistoryTableView (inside a
// shown HistoryPane), offscreen. Each function runs one repetition and returns its numbers;
// duplex-bench repeats and takes medians. A QApplication must exist (QT_QPA_PLATFORM=offscreen).
//
// Case names and units of issue 4:
//   history_append_1M        HistoryAppendFigures::recordsPerSecond   records/s (>= 1,000,000)
//   history_bytes_per_record HistoryAppendFigures::bytesPerRecord     B (<= 32)
//   history_append_at_1M     HistoryAppendFigures::oneMoreAppendMs    ms (<= 4)
//   history_filter_1M        HistoryFilterFigures::filterMs           ms
//   ui_stall_burst           HistoryBurstFigures::longestStallMs      ms (<= 16, aim 8)

#include <QtGlobal>

#include <memory>

namespace duplex {

class HistoryPane;
class SessionRecord;

namespace bench {

struct HistoryAppendFigures
{
    qsizetype records = 0;
    // Frames appended to a SessionRecord, taken in by the model and shown by the view, per
    // second (drains of `batch` frames, each followed by one event-loop turn).
    double recordsPerSecond = 0;
    // Bytes held per record beyond its payload: the record's row (RecordEntry) plus everything
    // the model keeps (row mapping, fragment bookkeeping), counted exactly.
    double bytesPerRecord = 0;
    // The same with the record's chunk slack: the unused tail of the last entry chunk (16384
    // rows) and of the last 4 MiB byte chunk, a constant spread over the records.
    double allocatedBytesPerRecord = 0;
    // From the process's resident memory (payload subtracted): also counts what Qt's table
    // view keeps per row (QHeaderView holds an 8-byte item per section) and allocator overhead.
    // Resident memory depends on what the heap kept from earlier runs in the same process;
    // only a fresh process's first run gives a faithful figure.
    double residentBytesPerRecord = 0;
    // The same from the allocator's bytes in use (glibc mallinfo2; 0 elsewhere): what the
    // record, the model and the view hold, whatever earlier runs left behind. Robust across
    // repetitions; expect the record's allocated bytes plus QHeaderView's 8 bytes per row.
    double heapBytesPerRecord = 0;
    // With `records` rows shown: one more frame appended and taken in, until the view has
    // processed it (record append + flush + view update + repaint), median of 21.
    double oneMoreAppendMs = 0;
    // Its parts: the model taking the frame in (flush, rowsInserted and what the view does on
    // the spot), and a full repaint of the table's viewport at this size.
    double oneMoreFlushMs = 0;
    // The same append measured in CPU time of the UI thread (robust on a loaded machine).
    double oneMoreAppendCpuMs = 0;
    double repaintMs = 0;
    // The longest single flush (one event-loop turn) during the run.
    double longestTurnMs = 0;
};
HistoryAppendFigures runHistoryAppend(qsizetype records, qsizetype batch = 1024);

struct HistoryFilterFigures
{
    qsizetype records = 0;
    qsizetype matches = 0;
    // From setFilter() until the last matching row is in the model.
    double filterMs = 0;
    // The longest UI-thread stall while the filter ran (the filter runs on a worker), and the
    // UI thread's own CPU time in that worst gap (see HistoryStallProbe::longestBusyMs).
    double longestStallMs = 0;
    double longestBusyMs = 0;
};
// Filters `records` text frames (a mix of JSON-like messages) by a regular expression that
// matches about one in ten.
HistoryFilterFigures runHistoryFilter(qsizetype records);

struct HistoryBurstFigures
{
    qsizetype messages = 0;
    double seconds = 0;
    // The longest gap between two event-loop turns of the UI thread during the burst, and the
    // most CPU time the UI thread spent between two turns.
    double longestStallMs = 0;
    double longestBusyMs = 0;
};
// A burst of `messages` echo-sized text frames written by a writer thread into the record as
// fast as it can (as a session's socket thread would), with the history live and following.
// For a burst from the real local server, use HistoryStallProbe with a session directly.
HistoryBurstFigures runHistoryBurst(qsizetype messages);

// Measures the longest gap between event-loop turns of the thread it lives in: a 1 ms precise
// timer records the time between its ticks (so the figure is at least 1 ms). Start it, run the
// load, stop it, read longestStallMs().
class HistoryStallProbe
{
public:
    HistoryStallProbe();
    ~HistoryStallProbe();
    HistoryStallProbe(const HistoryStallProbe &) = delete;
    HistoryStallProbe &operator=(const HistoryStallProbe &) = delete;
    void start();
    void stop();
    double longestStallMs() const;
    // The most CPU time the thread itself spent between two ticks: the stall without the time
    // the thread waited for a core (what a loaded machine adds).
    double longestBusyMs() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// The real history pane, shown offscreen at a typical size, for benchmarks that feed it from a
// live session: connect the session's recordGrew to pane()->poll().
std::unique_ptr<HistoryPane>
createBenchmarkHistoryPane(std::shared_ptr<const SessionRecord> record);

} // namespace bench
} // namespace duplex
