#pragma once

#include "core/session/StoreWarning.h"

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>

#include <functional>

namespace duplex {

// One JSON file that holds a list: {"format": "...", "schemaVersion": 1, "<listKey>": [...]}.
// What ProfileStore needs of each of its files, written once:
//
// - save() replaces the file atomically (QSaveFile: a crash leaves the old file or the new one,
//   never half of one).
// - A file that cannot be parsed is never overwritten: load() renames it to
//   "<name>.corrupt-<timestamp>" and warns where the copy is; when it cannot be moved aside, the
//   file is blocked and blockedReason() says why nothing may be written over it.
// - Entries the owner could not read are handed back with keepUnreadable() and written back
//   unchanged by every save(), so nothing the user had is lost.
// - changedOnDisk() tells whether another process rewrote the file since it was last read or
//   written here (existence, size, content hash; the files are small).
//
// Holds no lock: the caller serialises changes between processes.
class JsonListFile
{
public:
    // Called with the file's path after its new content is written to the temporary file and
    // before it replaces the file; returning false abandons the write as a crash there would.
    using BeforeCommitHook = std::function<bool(const QString &filePath)>;

    static constexpr int SchemaVersion = 1;

    JsonListFile(const QString &path, const QString &format, const QString &listKey);

    QString path() const { return m_path; }

    // Reads the file afresh and returns its entries, readable or not; a missing or empty file is
    // an empty list. What was wrong is appended to `warnings`. Forgets the unreadable entries
    // kept from before.
    QJsonArray load(QList<StoreWarning> &warnings);
    bool changedOnDisk() const;
    // Why the file must not be written; empty when it may be.
    QString blockedReason() const { return m_blockedReason; }

    void keepUnreadable(const QJsonValue &entry) { m_unreadable.append(entry); }

    // Writes `entries` and then the unreadable ones. False (and why) leaves the file as it was.
    bool save(const QJsonArray &entries, const BeforeCommitHook &beforeCommit,
              QString *errorMessage);

private:
    struct State
    {
        bool exists = false;
        qint64 size = 0;
        QByteArray hash;
        friend bool operator==(const State &, const State &) = default;
    };

    static State stateOf(const QByteArray &bytes);
    static State stateOf(const QString &path);
    QString problemWith(const QByteArray &bytes, QJsonArray &entries,
                        QList<StoreWarning> &warnings) const;
    void moveAside(const QString &problem, QList<StoreWarning> &warnings);

    QString m_path;
    QString m_format;
    QString m_listKey;
    State m_state; // as last read or written here
    QString m_blockedReason;
    QJsonArray m_unreadable;
};

} // namespace duplex
