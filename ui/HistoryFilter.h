#pragma once

#include "ui/RecordText.h"

#include <QRegularExpression>
#include <QString>

#include <atomic>
#include <functional>
#include <map>
#include <vector>

namespace duplex {

// What the user asked to see. Equal specs give equal results; a spec that shows everything
// (isActive() false) lets the model map rows arithmetically instead of materialising them.
struct HistoryFilterSpec
{
    enum class Directions : quint8 { Both, Incoming, Outgoing };

    QString text; // empty: no text condition
    bool regularExpression = false; // `text` is a QRegularExpression pattern
    bool caseSensitive = false;
    Directions direction = Directions::Both; // session events pass any direction
    MessageKinds kinds = AllMessageKinds;

    bool isActive() const;
    // An invalid regular expression matches nothing; errorString() says why.
    bool isValid() const;
    QString errorString() const;

    friend bool operator==(const HistoryFilterSpec &, const HistoryFilterSpec &) = default;
};

// A compiled filter and the scan that applies it to a range of the record. Thread-safe to
// use from one thread at a time; the model hands each scan to a worker and takes the result
// back, so the scan needs nothing from the UI thread.
class HistoryFilter
{
public:
    HistoryFilter() = default;
    explicit HistoryFilter(const HistoryFilterSpec &spec);

    const HistoryFilterSpec &spec() const { return m_spec; }

    // Does one top-level row match? `payload` is its whole payload in clear (assembled for a
    // fragmented message), ignored for events.
    bool matches(const SessionRecord &record, const RecordEntry &entry,
                 QByteArrayView payload) const;
    // The cheap part only: direction and kind.
    bool passesKindAndDirection(const RecordEntry &entry) const;

    // Fragmented messages still open at the end of a scan: their head and frames so far.
    // Handed from one scan to the next, so a message completing later is decided then.
    using OpenMessages = std::map<quint32, std::vector<quint32>>;

    struct ScanResult
    {
        std::vector<quint32> matches; // sorted top-level indices that match
        qsizetype scannedTo = 0; // first index not looked at
        bool cancelled = false;
    };

    // Scans [from, to) of the record. Entries below `base` are hidden (cleared); a continuation
    // frame whose message starts at or after `base` is not a row of its own: its message is
    // decided when its last frame is seen. `open` carries messages across scans. `cancel`,
    // when it becomes true, stops the scan early. `progress` (optional) is called every
    // `progressEvery` entries with a partial result that it may move matches out of.
    ScanResult scan(const SessionRecord &record, qsizetype from, qsizetype to, qsizetype base,
                    OpenMessages &open, const std::atomic<bool> *cancel = nullptr,
                    const std::function<void(ScanResult &partial)> &progress = {},
                    qsizetype progressEvery = 65536) const;

private:
    bool textMatches(const QString &text) const;

    HistoryFilterSpec m_spec;
    QRegularExpression m_regex;
    QString m_needle; // plain text search
    QString m_compactNeedle; // plain text search without spaces, for hex
    bool m_hasText = false;
    bool m_valid = true;
};

// Is this entry a continuation frame hidden inside the message that starts at its group?
inline bool isHiddenContinuation(const RecordEntry &entry, qsizetype index, qsizetype base)
{
    return entry.type == RecordType::Frame && (entry.flags & RecordFragment)
        && qsizetype(entry.group) != index && qsizetype(entry.group) >= base;
}

// Is this entry the first frame of a fragmented message (a message row that expands)?
inline bool isMessageHead(const RecordEntry &entry, qsizetype index)
{
    return entry.type == RecordType::Frame && (entry.flags & RecordFragment)
        && qsizetype(entry.group) == index && (entry.firstByte & 0x0F) != 0
        && !(entry.flags & RecordMessageEnd);
}

} // namespace duplex
