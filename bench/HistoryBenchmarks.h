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
//   ui_stall_burst           HistoryStallProbe::longestStallMs        ms (<= 16, aim 8)
//   ui_stall_steady          HistoryStallProbe::longestStallMs        ms (<= 8)
// (the stall cases drive a live session against a local server: HistoryBenchmarkCases.cpp)

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
    // From the process's resident memory (payload subtracted): also counts what Qt's table
    // view keeps per row (QHeaderView holds an 8-byte item per section) and allocator overhead.
    // Resident memory depends on what the heap kept from earlier runs in the same process;
    // only a fresh process's first run gives a faithful figure. 0 when it did not grow.
    double residentBytesPerRecord = 0;
    // The same from the allocator's bytes in use (heapBytesInUse(); 0 where unavailable): what
    // the record, the model and the view hold, whatever earlier runs left behind. Robust across
    // repetitions; expect the record's allocated bytes plus QHeaderView's 8 bytes per row.
    double heapBytesPerRecord = 0;
    // With `records` rows shown: one more frame appended and taken in, until the view has
    // processed it (record append + flush + view update + repaint), median of 21.
    double oneMoreAppendMs = 0;
};
HistoryAppendFigures runHistoryAppend(qsizetype records, qsizetype batch = 1024);

struct HistoryFilterFigures
{
    qsizetype records = 0;
    qsizetype matches = 0;
    // From setFilter() until the last matching row is in the model.
    double filterMs = 0;
    // The longest UI-thread stall while the filter ran (the filter runs on a worker).
    double longestStallMs = 0;
};
// Filters `records` text frames (a mix of JSON-like messages) by a regular expression that
// matches about one in ten.
HistoryFilterFigures runHistoryFilter(qsizetype records);

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

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// The real history pane, shown offscreen at a typical size, for benchmarks that feed it from a
// live session: connect the session's recordGrew to pane()->poll().
std::unique_ptr<HistoryPane>
createBenchmarkHistoryPane(std::shared_ptr<const SessionRecord> record);

// Resident set size of this process, in bytes (Linux; 0 elsewhere).
quint64 residentBytes();
// Bytes the allocator has handed out and not had back (glibc 2.33 and later: mallinfo2), or 0.
quint64 heapBytesInUse();

} // namespace bench
} // namespace duplex
