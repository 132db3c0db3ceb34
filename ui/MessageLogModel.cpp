#include "ui/MessageLogModel.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPalette>
#include <QTimer>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace duplex {
namespace {

constexpr qsizetype PreviewBytes = 800;
constexpr qsizetype InlineScanBytes = 256 * 1024;
constexpr qsizetype NoLimit = std::numeric_limits<qsizetype>::max();

// The filter worker yields to the UI thread when they compete for a core: on Linux the nice
// value is per thread, and +5 gives the UI thread about three times the worker's share.
void lowerWorkerPriority()
{
#ifdef Q_OS_LINUX
    static thread_local bool lowered = false;
    if (!lowered) {
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 5);
        lowered = true;
    }
#endif
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

MessageLogModel::MessageLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(10000);
    m_utcOffsetMs = qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000;
    setPalette(QPalette());
}

MessageLogModel::~MessageLogModel()
{
    cancelScan();
    m_pool.waitForDone();
}

void MessageLogModel::setRecord(std::shared_ptr<const SessionRecord> record)
{
    cancelScan();
    beginResetModel();
    m_record = std::move(record);
    m_ingested = 0;
    m_base = 0;
    m_filteredTo = 0;
    m_top.clear();
    m_unfilteredRows = 0;
    m_expanded.clear();
    m_groups.clear();
    m_open.clear();
    endResetModel();
    setJobRunning(false);
    if (m_record)
        poll();
}

void MessageLogModel::clear()
{
    cancelScan();
    beginResetModel();
    m_base = m_record ? m_record->size() : 0;
    m_ingested = m_base;
    m_filteredTo = m_base;
    m_top.clear();
    m_unfilteredRows = 0;
    m_expanded.clear();
    m_groups.clear();
    m_open.clear();
    endResetModel();
    setJobRunning(false);
}

// --- Row mapping ---------------------------------------------------------------------------

int MessageLogModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    const int children =
        m_expanded.empty() ? 0 : m_expanded.back().childrenBefore + m_expanded.back().children;
    return int(m_top.size()) + children;
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

MessageLogModel::RowRef MessageLogModel::resolve(int row) const
{
    RowRef ref;
    if (m_expanded.empty()) {
        ref.top = row;
        return ref;
    }
    // The last expansion whose head is at or above `row`.
    const auto it = std::upper_bound(
        m_expanded.begin(), m_expanded.end(), row,
        [](int value, const Expansion &expansion) { return value < expansion.displayRow; });
    if (it == m_expanded.begin()) {
        ref.top = row;
        return ref;
    }
    const Expansion &expansion = *std::prev(it);
    const int offset = row - expansion.displayRow;
    if (offset == 0) {
        ref.top = expansion.displayRow - expansion.childrenBefore;
    } else if (offset <= expansion.children) {
        ref.top = expansion.displayRow - expansion.childrenBefore;
        ref.child = offset - 1;
        ref.expansion = &expansion;
    } else {
        ref.top = row - expansion.childrenBefore - expansion.children;
    }
    return ref;
}

int MessageLogModel::displayRowOfTop(qsizetype top) const
{
    // Children of the expansions whose head lies above `top`.
    const auto it = std::lower_bound(
        m_expanded.begin(), m_expanded.end(), top, [](const Expansion &expansion, qsizetype value) {
            return expansion.displayRow - expansion.childrenBefore < value;
        });
    if (it == m_expanded.begin())
        return int(top);
    const Expansion &before = *std::prev(it);
    return int(top) + before.childrenBefore + before.children;
}

quint32 MessageLogModel::indexAt(const RowRef &ref) const
{
    if (ref.expansion) {
        const Group *group = groupOf(ref.expansion->head);
        return group ? group->frames[size_t(ref.child)] : ref.expansion->head;
    }
    return m_top.at(ref.top);
}

const MessageLogModel::Group *MessageLogModel::groupOf(quint32 head) const
{
    const auto it = m_groups.find(head);
    return it == m_groups.end() ? nullptr : &it->second;
}

qsizetype MessageLogModel::expansionIndex(quint32 head) const
{
    const auto it = std::lower_bound(
        m_expanded.begin(), m_expanded.end(), head,
        [](const Expansion &expansion, quint32 value) { return expansion.head < value; });
    return it != m_expanded.end() && it->head == head ? qsizetype(it - m_expanded.begin()) : -1;
}

void MessageLogModel::updateExpansionRows()
{
    int before = 0;
    for (Expansion &expansion : m_expanded) {
        const qsizetype top = m_top.rowOf(expansion.head);
        expansion.childrenBefore = before;
        expansion.displayRow = int(top) + before;
        before += expansion.children;
    }
}

MessageLogModel::RowKind MessageLogModel::rowKind(int row) const
{
    if (row < 0 || row >= rowCount() || !m_record)
        return RowKind::Single;
    const RowRef ref = resolve(row);
    if (ref.expansion)
        return RowKind::Frame;
    const quint32 index = indexAt(ref);
    return isMessageHead(m_record->entry(index), index) && groupOf(index) ? RowKind::Message
                                                                          : RowKind::Single;
}

qsizetype MessageLogModel::recordIndex(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    return indexAt(resolve(row));
}

QList<qsizetype> MessageLogModel::entriesOf(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const RowRef ref = resolve(row);
    const quint32 index = indexAt(ref);
    if (!ref.expansion) {
        if (const Group *group = groupOf(index)) {
            QList<qsizetype> frames;
            frames.reserve(qsizetype(group->frames.size()));
            for (quint32 frame : group->frames)
                frames.append(frame);
            return frames;
        }
    }
    return { qsizetype(index) };
}

QByteArray MessageLogModel::payload(int row) const
{
    if (!m_record)
        return {};
    QByteArray out;
    for (qsizetype index : entriesOf(row))
        out += RecordText::payloadPrefix(*m_record, m_record->entry(index), NoLimit);
    return out;
}

int MessageLogModel::rowOfRecordIndex(qsizetype index) const
{
    if (!m_record || index < m_base || index >= m_ingested)
        return -1;
    const RecordEntry &entry = m_record->entry(index);
    if (isHiddenContinuation(entry, index, m_base))
        index = entry.group;
    const qsizetype top = m_top.rowOf(quint32(index));
    return top < 0 ? -1 : displayRowOfTop(top);
}

// --- Fragmented messages --------------------------------------------------------------------

bool MessageLogModel::isExpandable(int row) const
{
    return rowKind(row) == RowKind::Message;
}

bool MessageLogModel::isExpanded(int row) const
{
    if (!isExpandable(row))
        return false;
    return expansionIndex(indexAt(resolve(row))) >= 0;
}

void MessageLogModel::setExpanded(int row, bool expanded)
{
    if (!isExpandable(row) || isExpanded(row) == expanded)
        return;
    const quint32 head = indexAt(resolve(row));
    const auto position = std::lower_bound(
        m_expanded.begin(), m_expanded.end(), head,
        [](const Expansion &expansion, quint32 value) { return expansion.head < value; });
    if (expanded) {
        const int children = int(groupOf(head)->frames.size());
        beginInsertRows({}, row + 1, row + children);
        m_expanded.insert(position, Expansion { head, children, 0, 0 });
        updateExpansionRows();
        endInsertRows();
    } else {
        beginRemoveRows({}, row + 1, row + position->children);
        m_expanded.erase(position);
        updateExpansionRows();
        endRemoveRows();
    }
    const QModelIndex changed = index(row, TypeColumn);
    Q_EMIT dataChanged(changed, changed);
}

void MessageLogModel::toggleExpanded(int row)
{
    setExpanded(row, !isExpanded(row));
}

// --- Appending ------------------------------------------------------------------------------

void MessageLogModel::poll()
{
    // New entries are taken in at most once per display frame: each flush costs the view a
    // relayout and a repaint of its visible rows, and no screen shows more than a frame per
    // refresh.
    constexpr qint64 FlushIntervalMs = 16;
    if (m_flushScheduled || !m_record)
        return;
    m_flushScheduled = true;
    const qint64 since = m_lastFlush.isValid() ? m_lastFlush.elapsed() : FlushIntervalMs;
    const int delay = since >= FlushIntervalMs ? 0 : int(FlushIntervalMs - since);
    QTimer::singleShot(delay, Qt::PreciseTimer, this, &MessageLogModel::flushPending);
}

void MessageLogModel::flushPending()
{
    m_flushScheduled = false;
    if (!m_record)
        return;
    const qsizetype size = m_record->size();
    if (size <= m_ingested)
        return;
    m_lastFlush.start();
    std::vector<quint32> newTop;
    ingest(m_ingested, size, newTop);
    m_ingested = size;
    if (!m_filter.spec().isActive())
        appendTopRows(newTop);
    else if (!m_jobRunning)
        startScan(m_filteredTo, m_ingested, false);
}

void MessageLogModel::ingest(qsizetype from, qsizetype to, std::vector<quint32> &newTop)
{
    const bool unfiltered = !m_filter.spec().isActive();
    if (unfiltered)
        newTop.reserve(size_t(to - from));
    std::vector<quint32> changed;
    qsizetype topRows = 0;
    for (qsizetype i = from; i < to; ++i) {
        const RecordEntry &entry = m_record->entry(i);
        if (entry.type == RecordType::Frame && (entry.flags & RecordFragment)) {
            if (isHiddenContinuation(entry, i, m_base)) {
                const auto it = m_groups.find(entry.group);
                if (it != m_groups.end()) {
                    Group &group = it->second;
                    group.frames.push_back(quint32(i));
                    group.payloadBytes += RecordText::payloadSize(*m_record, entry);
                    group.wireBytes += RecordText::wirePayloadSize(entry, m_record->data(entry));
                    group.complete = entry.flags & RecordMessageEnd;
                    if (changed.empty() || changed.back() != entry.group)
                        changed.push_back(entry.group);
                }
                continue;
            }
            if (isMessageHead(entry, i)) {
                Group group;
                group.frames.push_back(quint32(i));
                group.payloadBytes = RecordText::payloadSize(*m_record, entry);
                group.wireBytes = RecordText::wirePayloadSize(entry, m_record->data(entry));
                m_groups.emplace(quint32(i), std::move(group));
            }
        }
        ++topRows;
        if (unfiltered)
            newTop.push_back(quint32(i));
    }
    m_unfilteredRows += topRows;

    // Messages that grew: more children when expanded, and new sizes and previews.
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    for (quint32 head : changed) {
        const qsizetype top = m_top.rowOf(head);
        if (top < 0)
            continue; // not shown (yet)
        const int row = displayRowOfTop(top);
        if (const qsizetype at = expansionIndex(head); at >= 0) {
            Expansion *expansion = &m_expanded[size_t(at)];
            const int frames = int(m_groups[head].frames.size());
            if (frames > expansion->children) {
                const int first = row + 1 + expansion->children;
                beginInsertRows({}, first, first + frames - expansion->children - 1);
                expansion->children = frames;
                updateExpansionRows();
                endInsertRows();
            }
        }
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

void MessageLogModel::appendTopRows(const std::vector<quint32> &indices)
{
    if (indices.empty())
        return;
    const int first = rowCount();
    const int count = int(indices.size());
    beginInsertRows({}, first, first + count - 1);
    for (quint32 index : indices)
        m_top.append(index);
    endInsertRows();
    Q_EMIT rowsAppended(count);
}

void MessageLogModel::insertMatches(const std::vector<quint32> &matches)
{
    // Mostly above every row shown (appended at once); fragmented messages decided by their
    // last frame may belong further up (inserted one by one).
    auto tail = matches.begin();
    if (!m_top.isEmpty()) {
        const quint32 last = m_top.last();
        tail = std::upper_bound(matches.begin(), matches.end(), last);
        for (auto it = matches.begin(); it != tail; ++it) {
            const qsizetype top = m_top.lowerBound(*it);
            if (top < m_top.size() && m_top.at(top) == *it)
                continue;
            const int row = displayRowOfTop(top);
            beginInsertRows({}, row, row);
            m_top.insert(*it);
            updateExpansionRows();
            endInsertRows();
        }
    }
    appendTopRows(std::vector<quint32>(tail, matches.end()));
}

// --- Filtering ------------------------------------------------------------------------------

void MessageLogModel::setFilter(const HistoryFilterSpec &spec)
{
    if (spec == m_filter.spec())
        return;
    if (!spec.isActive() && !m_filter.spec().isActive()) {
        m_filter = HistoryFilter(spec); // e.g. the regex toggle with an empty field: same rows
        return;
    }
    cancelScan();
    ++m_filterGeneration;
    m_filter = HistoryFilter(spec);
    beginResetModel();
    m_top.clear();
    m_expanded.clear();
    m_open.clear();
    m_filteredTo = m_base;
    if (!spec.isActive())
        rebuildUnfiltered();
    endResetModel();
    setJobRunning(false);
    if (spec.isActive())
        startScan(m_base, m_ingested, true);
}

void MessageLogModel::rebuildUnfiltered()
{
    // One pass over the entries: one run unless fragmented messages hide continuations.
    for (qsizetype i = m_base; i < m_ingested; ++i) {
        if (!isHiddenContinuation(m_record->entry(i), i, m_base))
            m_top.append(quint32(i));
    }
    m_filteredTo = m_ingested;
}

void MessageLogModel::startScan(qsizetype from, qsizetype to, bool full)
{
    if (!m_record || from >= to)
        return;
    qsizetype bytes = 0;
    if (to - from < m_asyncThreshold) {
        for (qsizetype i = from; i < to && bytes < InlineScanBytes; ++i)
            bytes += m_record->entry(i).dataSize;
    }
    if (to - from < m_asyncThreshold && bytes < InlineScanBytes) {
        const HistoryFilter::ScanResult result = m_filter.scan(*m_record, from, to, m_base, m_open);
        m_filteredTo = to;
        insertMatches(result.matches);
        return;
    }

    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const quint64 generation = m_filterGeneration;
    const std::shared_ptr<const SessionRecord> record = m_record;
    // The worker compiles its own copy: no regular expression is shared between threads.
    const HistoryFilterSpec spec = m_filter.spec();
    const qsizetype base = m_base;
    HistoryFilter::OpenMessages open = std::move(m_open);
    m_open.clear();
    setJobRunning(true);
    m_pool.start([this, cancel, generation, record, spec, base, open, from, to, full]() mutable {
        lowerWorkerPriority();
        const HistoryFilter filter(spec);
        QElapsedTimer sinceDelivery;
        sinceDelivery.start();
        // Deliver what matched so far every few tens of milliseconds, so the view fills while
        // the scan goes on.
        const auto progress = [&](HistoryFilter::ScanResult &partial) {
            if (sinceDelivery.elapsed() < 50)
                return;
            sinceDelivery.restart();
            const int percent = full ? int((partial.scannedTo - from) * 100 / (to - from)) : -1;
            QMetaObject::invokeMethod(
                this,
                [this, generation, matches = std::move(partial.matches), percent] {
                    takeChunk(generation, matches, percent);
                },
                Qt::QueuedConnection);
            partial.matches = {};
        };
        HistoryFilter::ScanResult result =
            filter.scan(*record, from, to, base, open, cancel.get(), progress, 4096);
        if (result.cancelled)
            return;
        QMetaObject::invokeMethod(
            this,
            [this, generation, matches = std::move(result.matches), open = std::move(open), to] {
                takeFinal(generation, matches, open, to);
            },
            Qt::QueuedConnection);
    });
}

void MessageLogModel::takeChunk(quint64 generation, const std::vector<quint32> &matches,
                                int percent)
{
    if (generation != m_filterGeneration)
        return; // a newer filter replaced the one that produced this
    insertMatches(matches);
    if (percent >= 0)
        Q_EMIT filterProgress(percent);
}

void MessageLogModel::takeFinal(quint64 generation, const std::vector<quint32> &matches,
                                const HistoryFilter::OpenMessages &open, qsizetype to)
{
    if (generation != m_filterGeneration)
        return;
    insertMatches(matches);
    m_open = open;
    m_filteredTo = to;
    m_cancel.reset();
    setJobRunning(false);
    Q_EMIT filterProgress(100);
    if (m_ingested > m_filteredTo)
        startScan(m_filteredTo, m_ingested, false);
}

void MessageLogModel::cancelScan()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    ++m_filterGeneration;
}

void MessageLogModel::setJobRunning(bool running)
{
    if (m_jobRunning == running)
        return;
    m_jobRunning = running;
    Q_EMIT filterRunningChanged(running);
}

// --- Display --------------------------------------------------------------------------------

void MessageLogModel::setPalette(const QPalette &palette)
{
    const bool dark = isDark(palette);
    m_incomingColor = dark ? QColor(0x6c, 0xb6, 0xff) : QColor(0x0b, 0x5c, 0xad);
    m_outgoingColor = dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x1a, 0x7f, 0x37);
    m_eventColor = palette.color(QPalette::PlaceholderText);
    m_errorColor = dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           { Qt::ForegroundRole });
}

quint64 MessageLogModel::memoryBytes() const
{
    quint64 bytes =
        sizeof(*this) + m_top.memoryBytes() + quint64(m_expanded.capacity()) * sizeof(Expansion);
    bytes += quint64(m_groups.bucket_count()) * sizeof(void *);
    for (const auto &[head, group] : m_groups)
        bytes += sizeof(head) + sizeof(group) + 2 * sizeof(void *)
            + quint64(group.frames.capacity()) * sizeof(quint32);
    for (const auto &[head, frames] : m_open)
        bytes += sizeof(head) + sizeof(frames) + 4 * sizeof(void *)
            + quint64(frames.capacity()) * sizeof(quint32);
    return bytes;
}

QString MessageLogModel::timeText(qint64 timeUs) const
{
    constexpr qint64 DayMs = 24 * 3600 * 1000;
    qint64 ms = timeUs / 1000 + m_utcOffsetMs;
    ms = ((ms % DayMs) + DayMs) % DayMs;
    return QString::asprintf("%02d:%02d:%02d.%03d", int(ms / 3600000), int(ms / 60000 % 60),
                             int(ms / 1000 % 60), int(ms % 1000));
}

QByteArray MessageLogModel::previewBytes(const RowRef &ref, const RecordEntry &entry, quint32 index,
                                         qsizetype maxBytes) const
{
    const Group *group = ref.expansion ? nullptr : groupOf(index);
    if (!group)
        return RecordText::payloadPrefix(*m_record, entry, maxBytes);
    QByteArray out;
    for (quint32 frame : group->frames) {
        if (out.size() >= maxBytes)
            break;
        out += RecordText::payloadPrefix(*m_record, m_record->entry(frame), maxBytes - out.size());
    }
    return out;
}

QString MessageLogModel::sizeText(const RowRef &ref, const RecordEntry &entry, quint32 index) const
{
    // An event row (connecting, open, close, ...) carries no payload: its stored JSON is ours.
    if (entry.type != RecordType::Frame)
        return {};
    quint64 clear = 0;
    quint64 wire = 0;
    if (const Group *group = ref.expansion ? nullptr : groupOf(index)) {
        clear = group->payloadBytes;
        wire = group->wireBytes;
    } else {
        clear = RecordText::payloadSize(*m_record, entry);
        wire = RecordText::wirePayloadSize(entry, m_record->data(entry));
    }
    if (!(entry.flags & RecordCompressed) || entry.type != RecordType::Frame)
        return RecordText::formatSize(clear);
    const QString ratio =
        wire > 0 ? QString::number(double(clear) / double(wire), 'f', 1) : QStringLiteral("-");
    return QStringLiteral("%1 \u2192 %2 (%3\u00d7)")
        .arg(RecordText::formatSize(wire), RecordText::formatSize(clear), ratio);
}

QVariant MessageLogModel::displayData(const RowRef &ref, const RecordEntry &entry, quint32 index,
                                      int column) const
{
    switch (column) {
    case TimeColumn:
        return timeText(entry.timeUs);
    case DirectionColumn:
        if (entry.type != RecordType::Frame)
            return QStringLiteral("\u2022");
        return entry.direction == Direction::Incoming ? QStringLiteral("\u2190 in")
                                                      : QStringLiteral("\u2192 out");
    case TypeColumn: {
        const QString name = RecordText::typeName(entry);
        if (ref.expansion) {
            const bool last = ref.child == ref.expansion->children - 1;
            return QStringLiteral("    %1 %2").arg(QChar(last ? u'\u2514' : u'\u251c')).arg(name);
        }
        if (const Group *group = groupOf(index)) {
            const bool expanded = expansionIndex(index) >= 0;
            return QStringLiteral("%1 %2 \u00d7%3%4")
                .arg(QChar(expanded ? u'\u25be' : u'\u25b8'))
                .arg(name)
                .arg(group->frames.size())
                .arg(group->complete ? QString() : QStringLiteral("\u2026"));
        }
        return name;
    }
    case SizeColumn:
        return sizeText(ref, entry, index);
    case PreviewColumn: {
        if (entry.type != RecordType::Frame)
            return RecordText::eventSentence(entry, m_record->data(entry));
        const QByteArray bytes = previewBytes(ref, entry, index, PreviewBytes);
        const Group *group = ref.expansion ? nullptr : groupOf(index);
        const quint64 total =
            group ? group->payloadBytes : RecordText::payloadSize(*m_record, entry);
        return RecordText::preview(RecordText::kindOf(entry), bytes, total);
    }
    }
    return {};
}

QVariant MessageLogModel::toolTipData(const RowRef &ref, const RecordEntry &entry, quint32 index,
                                      int column) const
{
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(entry.timeUs / 1000).toString(Qt::ISODateWithMs)
            + QStringLiteral(" (+%1 \u00b5s)").arg(entry.timeUs % 1000)
            + (entry.generation ? QStringLiteral(", connection %1").arg(entry.generation + 1)
                                : QString());
    case TypeColumn:
        if (entry.type == RecordType::Frame && !ref.expansion && groupOf(index))
            return QStringLiteral("A fragmented message: click the arrow (or press Right) to "
                                  "show its frames");
        if (entry.type == RecordType::Frame)
            return QStringLiteral("First byte 0x%1").arg(entry.firstByte, 2, 16, QLatin1Char('0'));
        return {};
    case SizeColumn: {
        if (entry.type != RecordType::Frame)
            return {};
        const Group *group = ref.expansion ? nullptr : groupOf(index);
        const quint64 clear =
            group ? group->payloadBytes : RecordText::payloadSize(*m_record, entry);
        QString text = QStringLiteral("%L1 bytes of payload").arg(clear);
        if (entry.type == RecordType::Frame && (entry.flags & RecordCompressed)) {
            const quint64 wire = group ? group->wireBytes
                                       : RecordText::wirePayloadSize(entry, m_record->data(entry));
            text += QStringLiteral(", %L1 bytes compressed on the wire").arg(wire);
        }
        return text;
    }
    case PreviewColumn:
        if (entry.type != RecordType::Frame)
            return QString::fromUtf8(m_record->data(entry));
        return RecordText::preview(
            RecordText::kindOf(entry), previewBytes(ref, entry, index, 4 * PreviewBytes),
            ref.expansion || !groupOf(index) ? RecordText::payloadSize(*m_record, entry)
                                             : groupOf(index)->payloadBytes,
            1000);
    default:
        return {};
    }
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!m_record || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RowRef ref = resolve(index.row());
    const quint32 recordIndex = indexAt(ref);
    const RecordEntry &entry = m_record->entry(recordIndex);
    const bool isFrame = entry.type == RecordType::Frame;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(ref, entry, recordIndex, index.column());
    case Qt::ToolTipRole:
        return toolTipData(ref, entry, recordIndex, index.column());
    case Qt::ForegroundRole:
        if (!isFrame)
            return static_cast<SessionEventKind>(entry.group) == SessionEventKind::Error
                ? m_errorColor
                : m_eventColor;
        if (index.column() == DirectionColumn)
            return entry.direction == Direction::Incoming ? m_incomingColor : m_outgoingColor;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RecordIndexRole:
        return qlonglong(recordIndex);
    case RowKindRole:
        return int(rowKind(index.row()));
    case MessageKindRole:
        return int(RecordText::kindOf(entry));
    case DirectionRole:
        return isFrame ? int(entry.direction) : -1;
    case OpcodeRole:
        return isFrame ? int(entry.firstByte & 0x0F) : -1;
    case PayloadRole:
        return payload(index.row());
    case FrameCountRole: {
        const Group *group = ref.expansion ? nullptr : groupOf(recordIndex);
        return group ? int(group->frames.size()) : 1;
    }
    case ExpandableRole:
        return !ref.expansion && groupOf(recordIndex) != nullptr;
    case ExpandedRole:
        return isExpanded(index.row());
    case TimeRole:
        return qlonglong(entry.timeUs);
    default:
        return {};
    }
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        static constexpr const char *titles[ColumnCount] = { "Time", "Dir", "Type", "Size",
                                                             "Preview" };
        return QString::fromLatin1(titles[section]);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case TimeColumn:
            return QStringLiteral("When the frame crossed the wire (local time)");
        case DirectionColumn:
            return QStringLiteral("\u2190 received from the peer, \u2192 sent by us, \u2022 a "
                                  "session event");
        case TypeColumn:
            return QStringLiteral("Frame opcode or session event; \u00d7N: a message sent in N "
                                  "frames");
        case SizeColumn:
            return QStringLiteral("Payload size; compressed messages: wire \u2192 inflated "
                                  "(ratio)");
        case PreviewColumn:
            return QStringLiteral("The start of the payload: text, hex for binary");
        }
    }
    return {};
}

Qt::ItemFlags MessageLogModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace duplex
