#pragma once

#include "ui/HistoryFilter.h"
#include "ui/IndexRuns.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QElapsedTimer>
#include <QThreadPool>

#include <memory>
#include <unordered_map>

class QPalette;

namespace duplex {

// The message history of one session as a table: one row per message or session event, a
// fragmented message as one row that expands into its frames (Wireshark-style indentation in
// the type column; a flat table so the view keeps fixed row heights).
//
// The model reads a SessionRecord that another thread may be appending to. It never copies
// payloads: every cell is built when the view asks for it, from the record's bytes. New rows
// are taken in by poll(), at most once per event-loop turn, with one beginInsertRows per
// turn (and at most once per display frame). Without a filter the row mapping is arithmetic (one
// run of indices, no memory per row); a filter materialises the matching indices as runs. Filters
// over large histories run on a worker thread; a newer filter makes older results stale (a
// generation counter), and rows appended after a filter ran are filtered incrementally.
//
// Clearing is a view operation: the record is append-only and shared with the session, so
// clear() hides every entry recorded so far and the model shows only what comes after.
// Swapping in a new record (setRecord) is the other way to start afresh.
class MessageLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, DirectionColumn, TypeColumn, SizeColumn, PreviewColumn, ColumnCount };

    enum Role {
        RecordIndexRole = Qt::UserRole + 1, // qlonglong: the entry (a message row: its first frame)
        RowKindRole, // int(RowKind)
        MessageKindRole, // int(MessageKind); a message row: its first frame's kind
        DirectionRole, // int(Direction) for frames, -1 for session events
        OpcodeRole, // int opcode for frames, -1 for session events
        PayloadRole, // QByteArray: the payload in clear, assembled for a message row
        FrameCountRole, // int: frames this row stands for
        ExpandableRole, // bool
        ExpandedRole, // bool
        TimeRole, // qlonglong: microseconds since the Unix epoch
    };

    enum class RowKind : quint8 {
        Single, // an unfragmented message, a control frame, or a session event
        Message, // a fragmented message (expandable)
        Frame, // one frame of an expanded fragmented message
    };

    explicit MessageLogModel(QObject *parent = nullptr);
    ~MessageLogModel() override;

    // The record to show, or nullptr. Resets the model; rows already in the record appear at
    // the next poll (or flushPending()).
    void setRecord(std::shared_ptr<const SessionRecord> record);
    const std::shared_ptr<const SessionRecord> &record() const { return m_record; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    // Rows
    RowKind rowKind(int row) const;
    qsizetype recordIndex(int row) const;
    // The entries a row stands for: its frames for a message row, else the entry itself.
    QList<qsizetype> entriesOf(int row) const;
    // The payload in clear (assembled for a message row). May be large: for on-demand use.
    QByteArray payload(int row) const;
    // The top-level row showing an entry (a hidden continuation frame: its message's row),
    // or -1 when filtered out or cleared.
    int rowOfRecordIndex(qsizetype index) const;

    // Fragmented messages
    bool isExpandable(int row) const;
    bool isExpanded(int row) const;
    void setExpanded(int row, bool expanded);
    void toggleExpanded(int row);

    // Filtering
    void setFilter(const HistoryFilterSpec &spec);
    const HistoryFilterSpec &filter() const { return m_filter.spec(); }
    bool isFilterRunning() const { return m_jobRunning; }
    // Rows the history would have without a filter (top-level, since the last clear).
    qsizetype unfilteredRowCount() const { return m_unfilteredRows; }
    // Ranges of at least this many entries are filtered on the worker thread; smaller ones
    // inline. 0 sends every scan to the worker (tests).
    void setAsyncFilterThreshold(qsizetype entries) { m_asyncThreshold = entries; }

    // Clear: hide everything recorded so far (see the class comment).
    void clear();
    qsizetype firstShownRecordIndex() const { return m_base; }

    // Colours for the direction column and for events, taken from a palette (light or dark).
    void setPalette(const QPalette &palette);

    // Bytes the model holds beyond the record (row mapping, fragment bookkeeping).
    quint64 memoryBytes() const;

public Q_SLOTS:
    // The record grew: take in the new entries at the next event-loop turn. Connect the
    // session's coalesced recordGrew() here.
    void poll();
    // Take in what the record holds now (poll() calls this once per event-loop turn).
    void flushPending();

Q_SIGNALS:
    // Rows were added at the end (for the view's "N new" counter).
    void rowsAppended(int count);
    void filterRunningChanged(bool running);
    // 0-100 while a full filter scan runs.
    void filterProgress(int percent);

private:
    struct Group
    {
        std::vector<quint32> frames; // the head first
        quint64 payloadBytes = 0; // in clear
        quint64 wireBytes = 0; // payload bytes on the wire (compressed size)
        bool complete = false;
    };
    struct Expansion
    {
        quint32 head;
        int children;
        int childrenBefore; // children of the expansions before this one
        int displayRow; // row of the head in the model
    };
    struct RowRef
    {
        qsizetype top = -1; // top-level row
        int child = -1; // frame of an expanded message, or -1 for the top-level row itself
        const Expansion *expansion = nullptr;
    };

    RowRef resolve(int row) const;
    int displayRowOfTop(qsizetype top) const;
    quint32 indexAt(const RowRef &ref) const;
    const Group *groupOf(quint32 head) const;
    qsizetype expansionIndex(quint32 head) const; // -1: not expanded
    void updateExpansionRows();
    void ingest(qsizetype from, qsizetype to, std::vector<quint32> &newTop);
    void appendTopRows(const std::vector<quint32> &indices);
    void insertMatches(const std::vector<quint32> &matches);
    void rebuildUnfiltered();
    void startScan(qsizetype from, qsizetype to, bool full);
    void takeChunk(quint64 generation, const std::vector<quint32> &matches, int percent);
    void takeFinal(quint64 generation, const std::vector<quint32> &matches,
                   const HistoryFilter::OpenMessages &open, qsizetype to);
    void cancelScan();
    void setJobRunning(bool running);

    QVariant displayData(const RowRef &ref, const RecordEntry &entry, quint32 index,
                         int column) const;
    QVariant toolTipData(const RowRef &ref, const RecordEntry &entry, quint32 index,
                         int column) const;
    QString timeText(qint64 timeUs) const;
    QString sizeText(const RowRef &ref, const RecordEntry &entry, quint32 index) const;
    QByteArray previewBytes(const RowRef &ref, const RecordEntry &entry, quint32 index,
                            qsizetype maxBytes) const;

    std::shared_ptr<const SessionRecord> m_record;
    qsizetype m_ingested = 0; // entries taken in
    qsizetype m_base = 0; // entries below are cleared
    bool m_flushScheduled = false;
    QElapsedTimer m_lastFlush;

    // Row mapping. Unfiltered: all top-level rows are [m_base, m_ingested) minus hidden
    // continuations; kept as runs (one run when nothing is fragmented).
    IndexRuns m_top;
    qsizetype m_unfilteredRows = 0;
    std::vector<Expansion> m_expanded; // sorted by head
    std::unordered_map<quint32, Group> m_groups;

    // Filtering
    HistoryFilter m_filter;
    quint64 m_filterGeneration = 0;
    qsizetype m_filteredTo = 0; // entries below have been scanned (filtered mode)
    HistoryFilter::OpenMessages m_open;
    bool m_jobRunning = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    qsizetype m_asyncThreshold = 20000;
    QThreadPool m_pool;

    // Display
    qint64 m_utcOffsetMs = 0;
    QColor m_incomingColor;
    QColor m_outgoingColor;
    QColor m_eventColor;
    QColor m_errorColor;
};

} // namespace duplex
