#include "ui/SendHistory.h"

#include <QJsonObject>

namespace duplex {

namespace {
constexpr std::array kindNames { u"text", u"json", u"hex", u"base64", u"file" };
} // namespace

QString payloadKindName(PayloadKind kind)
{
    return QString::fromUtf16(kindNames.at(std::size_t(kind)));
}

std::optional<PayloadKind> payloadKindFromName(const QString &name)
{
    for (std::size_t i = 0; i < kindNames.size(); ++i) {
        if (name.compare(QStringView(kindNames[i]), Qt::CaseInsensitive) == 0)
            return PayloadKind(i);
    }
    return std::nullopt;
}

SendHistory::SendHistory(int capacity)
    : m_capacity(qMax(1, capacity))
{ }

void SendHistory::add(const Entry &entry)
{
    stopBrowsing();
    if (!m_entries.isEmpty() && m_entries.constLast() == entry)
        return;
    m_entries.append(entry);
    if (m_entries.size() > m_capacity)
        m_entries.remove(0, m_entries.size() - m_capacity);
}

void SendHistory::clear()
{
    m_entries.clear();
    stopBrowsing();
}

std::optional<SendHistory::Entry> SendHistory::older(const Entry &draft)
{
    if (m_entries.isEmpty())
        return std::nullopt;
    if (m_cursor < 0) {
        m_draft = draft;
        m_cursor = m_entries.size() - 1;
        return m_entries.at(m_cursor);
    }
    if (m_cursor == 0)
        return std::nullopt;
    return m_entries.at(--m_cursor);
}

std::optional<SendHistory::Entry> SendHistory::newer()
{
    if (m_cursor < 0)
        return std::nullopt;
    if (m_cursor + 1 < m_entries.size())
        return m_entries.at(++m_cursor);
    m_cursor = -1;
    return std::exchange(m_draft, {});
}

void SendHistory::stopBrowsing()
{
    m_cursor = -1;
    m_draft = {};
}

QJsonArray SendHistory::toJson() const
{
    QJsonArray array;
    for (const Entry &entry : m_entries) {
        // A pasted megabyte is recalled within this run but not written to the settings file
        // every time a draft changes.
        if (entry.text.size() > MaxSavedEntrySize)
            continue;
        array.append(QJsonObject {
            { QStringLiteral("kind"), payloadKindName(entry.kind) },
            { QStringLiteral("body"), entry.text },
        });
    }
    return array;
}

SendHistory SendHistory::fromJson(const QJsonArray &array, int capacity)
{
    SendHistory history(capacity);
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        const auto kind = payloadKindFromName(object.value(QStringLiteral("kind")).toString());
        if (!kind)
            continue;
        history.add({ *kind, object.value(QStringLiteral("body")).toString() });
    }
    return history;
}

} // namespace duplex
