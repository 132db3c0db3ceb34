#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

namespace duplex {

// What the composer can send a message as.
enum class PayloadKind : quint8 { Text, Json, Hex, Base64, File };

QString payloadKindName(PayloadKind kind); // "text", "json", "hex", "base64", "file"
std::optional<PayloadKind> payloadKindFromName(const QString &name);

// The messages sent from one composer, newest last, for recalling with Up/Down or a list.
// Walking back keeps the draft being typed and returns it when walking forward past the
// newest entry, so recalling never loses what was in the editor.
class SendHistory
{
public:
    struct Entry
    {
        PayloadKind kind = PayloadKind::Text;
        QString text;
        friend bool operator==(const Entry &, const Entry &) = default;
    };

    explicit SendHistory(int capacity = 200);

    // Records a sent message. Sending the newest entry again does not add a duplicate.
    void add(const Entry &entry);
    const QList<Entry> &entries() const { return m_entries; }
    int capacity() const { return m_capacity; }
    void clear();

    // Up: the entry before the current one; the first call saves `draft`. nullopt at the oldest.
    std::optional<Entry> older(const Entry &draft);
    // Down: the entry after the current one, or the saved draft past the newest. nullopt when
    // not walking.
    std::optional<Entry> newer();
    bool isBrowsing() const { return m_cursor >= 0; }
    void stopBrowsing();

    // Entries longer than MaxSavedEntrySize characters are left out.
    static constexpr qsizetype MaxSavedEntrySize = 256 * 1024;
    QJsonArray toJson() const;
    static SendHistory fromJson(const QJsonArray &array, int capacity = 200);

private:
    QList<Entry> m_entries;
    int m_capacity;
    qsizetype m_cursor = -1; // index into m_entries while walking, otherwise -1
    Entry m_draft;
};

} // namespace duplex
