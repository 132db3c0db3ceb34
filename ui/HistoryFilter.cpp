#include "ui/HistoryFilter.h"

#include <algorithm>

namespace duplex {
namespace {

QRegularExpression compile(const HistoryFilterSpec &spec)
{
    QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
    if (!spec.caseSensitive)
        options |= QRegularExpression::CaseInsensitiveOption;
    QRegularExpression regex(spec.text, options);
    regex.optimize();
    return regex;
}

QString compactHex(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex());
}

} // namespace

bool HistoryFilterSpec::isActive() const
{
    return !text.isEmpty() || direction != Directions::Both
        || (kinds & AllMessageKinds) != AllMessageKinds;
}

bool HistoryFilterSpec::isValid() const
{
    return !regularExpression || text.isEmpty() || QRegularExpression(text).isValid();
}

QString HistoryFilterSpec::errorString() const
{
    if (isValid())
        return {};
    const QRegularExpression regex(text);
    return QStringLiteral("Invalid regular expression at %1: %2")
        .arg(regex.patternErrorOffset())
        .arg(regex.errorString());
}

HistoryFilter::HistoryFilter(const HistoryFilterSpec &spec)
    : m_spec(spec)
    , m_hasText(!spec.text.isEmpty())
{
    if (!m_hasText)
        return;
    if (spec.regularExpression) {
        m_regex = compile(spec);
        m_valid = m_regex.isValid();
    } else {
        m_needle = spec.text;
        m_compactNeedle = spec.text;
        m_compactNeedle.remove(QLatin1Char(' '));
    }
}

bool HistoryFilter::passesKindAndDirection(const RecordEntry &entry) const
{
    if (!(m_spec.kinds & kindBit(RecordText::kindOf(entry))))
        return false;
    if (entry.type != RecordType::Frame)
        return true;
    switch (m_spec.direction) {
    case HistoryFilterSpec::Directions::Both:
        return true;
    case HistoryFilterSpec::Directions::Incoming:
        return entry.direction == Direction::Incoming;
    case HistoryFilterSpec::Directions::Outgoing:
        return entry.direction == Direction::Outgoing;
    }
    return true;
}

bool HistoryFilter::textMatches(const QString &text) const
{
    if (m_spec.regularExpression)
        return m_regex.match(text).hasMatch();
    return text.contains(m_needle, m_spec.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
}

bool HistoryFilter::matches(const SessionRecord &record, const RecordEntry &entry,
                            QByteArrayView payload) const
{
    if (!m_valid)
        return false;
    if (!passesKindAndDirection(entry))
        return false;
    if (!m_hasText)
        return true;
    if (entry.type != RecordType::Frame) {
        const QByteArrayView json = record.data(entry);
        return textMatches(RecordText::eventSentence(entry, json))
            || textMatches(QString::fromUtf8(json));
    }
    const MessageKind kind = RecordText::kindOf(entry);
    if (!m_spec.regularExpression && (kind == MessageKind::Binary || kind == MessageKind::Reserved))
        return compactHex(payload).contains(
            m_compactNeedle, m_spec.caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive);
    return textMatches(RecordText::filterText(kind, payload));
}

HistoryFilter::ScanResult
HistoryFilter::scan(const SessionRecord &record, qsizetype from, qsizetype to, qsizetype base,
                    OpenMessages &open, const std::atomic<bool> *cancel,
                    const std::function<void(ScanResult &partial)> &progress,
                    qsizetype progressEvery) const
{
    ScanResult result;
    result.scannedTo = from;
    std::vector<quint32> late; // fragmented messages decided by their last frame
    constexpr qsizetype NoLimit = std::numeric_limits<qsizetype>::max();

    auto flushLate = [&result, &late] {
        if (late.empty())
            return;
        std::sort(late.begin(), late.end());
        const auto middle = result.matches.insert(result.matches.end(), late.begin(), late.end());
        std::inplace_merge(result.matches.begin(), middle, result.matches.end());
        late.clear();
    };
    auto decide = [&](OpenMessages::iterator it) {
        QByteArray assembled;
        for (quint32 frame : it->second)
            assembled += RecordText::payloadPrefix(record, record.entry(frame), NoLimit);
        const RecordEntry &head = record.entry(it->first);
        if (matches(record, head, assembled))
            late.push_back(it->first);
    };

    for (qsizetype i = from; i < to; ++i) {
        if (((i - from) & 1023) == 0 && cancel && cancel->load(std::memory_order_relaxed)) {
            result.cancelled = true;
            result.scannedTo = i;
            return result;
        }
        if (progress && i > from && (i - from) % progressEvery == 0) {
            flushLate();
            result.scannedTo = i;
            progress(result);
        }
        const RecordEntry &entry = record.entry(i);
        if (isHiddenContinuation(entry, i, base)) {
            const auto it = open.find(entry.group);
            if (it == open.end())
                continue; // its message was already decided (or failed the cheap checks)
            it->second.push_back(quint32(i));
            if (entry.flags & RecordMessageEnd) {
                decide(it);
                open.erase(it);
            }
            continue;
        }
        if (!m_valid || !passesKindAndDirection(entry))
            continue;
        if (!m_hasText) {
            result.matches.push_back(quint32(i));
            continue;
        }
        if (isMessageHead(entry, i)) {
            open.emplace(quint32(i), std::vector<quint32> { quint32(i) });
            continue;
        }
        const QByteArray payload = entry.type == RecordType::Frame
            ? RecordText::payloadPrefix(record, entry, NoLimit)
            : QByteArray();
        if (matches(record, entry, payload))
            result.matches.push_back(quint32(i));
    }
    flushLate();
    result.scannedTo = to;
    return result;
}

} // namespace duplex
