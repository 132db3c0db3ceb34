#pragma once

#include "core/session/Environment.h"
#include "core/session/Profile.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;

namespace duplex {

class SecretStore;

// Profiles and environments on disk: profiles.json and environments.json in one directory
// (by default QStandardPaths::AppConfigLocation, i.e. $XDG_CONFIG_HOME/Duplex/ on Linux).
//
// - Every change is written at once, atomically (QSaveFile: a crash leaves the old file or the
//   new one, never half of one), under a lock file so that two windows, or a window and
//   duplex-cli, never lose each other's changes: a change first re-reads a file another process
//   rewrote since it was last read.
// - A file that cannot be parsed is never overwritten: it is renamed to
//   "<name>.corrupt-<timestamp>", a warning says what was wrong and where the copy is, and the
//   store starts without it. One unreadable profile (or environment) in an otherwise good file
//   is skipped with a warning and written back unchanged, so nothing the user had is lost.
// - Secret values go to the SecretStore and never into the files.
// - hasExternalChanges() tells, without signals, whether another process changed the files
//   since they were last read or written here; reload() picks the changes up.
//   ProfileStoreWatcher turns that into a signal for the UI.
//
// Profile names are unique within their folder, environment names unique overall, both
// compared without regard to case. Not thread-safe: use one instance per thread.
class ProfileStore
{
public:
    struct Warning
    {
        QString file; // the file concerned
        QString message; // what was wrong
        QString preservedCopy; // where an unreadable original was kept, when it was moved
        QString text() const; // all of it in one sentence, for a message box or stderr
        friend bool operator==(const Warning &, const Warning &) = default;
    };

    // Called with a file's path after its new content is written to the temporary file and
    // before it replaces the file; returning false abandons the write (QSaveFile::cancelWriting)
    // as a crash at that point would. For tests.
    using BeforeCommitHook = std::function<bool(const QString &filePath)>;

    static QString defaultDirectory();
    static QString profilesFileName() { return QStringLiteral("profiles.json"); }
    static QString environmentsFileName() { return QStringLiteral("environments.json"); }

    // Reads the store at once; see warnings(). The secret store must not be null.
    explicit ProfileStore(std::shared_ptr<SecretStore> secrets);
    ProfileStore(const QString &directory, std::shared_ptr<SecretStore> secrets);

    QString directory() const { return m_directory; }
    QString profilesFilePath() const;
    QString environmentsFilePath() const;
    SecretStore &secretStore() const { return *m_secrets; }

    // Re-reads both files (and the secrets), replacing what is held. Warnings start afresh.
    void reload();
    // Whether either file differs (existence, size or content hash) from what this instance
    // last read or wrote. Reads the files; they are small. Secret-only changes are not seen.
    bool hasExternalChanges() const;

    const QList<Warning> &warnings() const { return m_warnings; }
    void clearWarnings() { m_warnings.clear(); }

    // Reading. Lookups by name ignore case.
    const QList<Profile> &profiles() const { return m_profiles; }
    std::optional<Profile> profile(const QUuid &id) const;
    std::optional<Profile> findProfile(const QString &folder, const QString &name) const;
    // What the command line accepts: "name" (when only one folder has it), "folder/name", or
    // the profile's id. Nothing and a sentence saying why otherwise (unknown, ambiguous).
    std::optional<Profile> findProfile(const QString &spec, QString *errorMessage) const;
    QStringList folders() const; // every folder and parent folder in use, sorted
    const QList<Environment> &environments() const { return m_environments; }
    std::optional<Environment> environment(const QUuid &id) const;
    std::optional<Environment> findEnvironment(const QString &name) const;

    // Profile changes. Each is saved before it returns; false (and the reason) leaves the
    // store and the file as they were.
    std::optional<QUuid> addProfile(Profile profile, QString *errorMessage = nullptr);
    bool updateProfile(const Profile &profile, QString *errorMessage = nullptr);
    bool removeProfile(const QUuid &id, QString *errorMessage = nullptr);
    bool renameProfile(const QUuid &id, const QString &newName, QString *errorMessage = nullptr);
    // A copy with a fresh id and a free name ("Name (2)"), secrets included, placed after it.
    std::optional<QUuid> duplicateProfile(const QUuid &id, QString *errorMessage = nullptr);
    bool moveProfile(const QUuid &id, const QString &folder, QString *errorMessage = nullptr);
    // Moves a profile to `index` in the overall order (the UI shows folders in that order too).
    bool reorderProfile(const QUuid &id, int index, QString *errorMessage = nullptr);
    // Moves every profile of `from` (and its subfolders) under `to`.
    bool renameFolder(const QString &from, const QString &to, QString *errorMessage = nullptr);

    // Environment changes, saved the same way.
    std::optional<QUuid> addEnvironment(Environment environment, QString *errorMessage = nullptr);
    bool updateEnvironment(const Environment &environment, QString *errorMessage = nullptr);
    bool removeEnvironment(const QUuid &id, QString *errorMessage = nullptr);
    bool renameEnvironment(const QUuid &id, const QString &newName,
                           QString *errorMessage = nullptr);

    // Adds imported profiles and environments in one go. A name already taken gets a suffix
    // ("Name (2)") and an id already present a fresh one; `report` gets a line for each.
    bool merge(const QList<Profile> &profiles, const QList<Environment> &environments,
               QStringList *report = nullptr, QString *errorMessage = nullptr);

    // "Name", "Name (2)", "Name (3)"...: the first not in `taken` (ignoring case). A name that
    // already ends in " (n)" counts on from n.
    static QString uniqueName(const QString &name, const QStringList &taken);

    void setBeforeCommitHook(BeforeCommitHook hook) { m_beforeCommit = std::move(hook); }

    // How long a change waits for another process's change to finish (default 5 s); the
    // command line may prefer to fail fast.
    int lockTimeout() const { return m_lockTimeoutMs; }
    void setLockTimeout(int milliseconds) { m_lockTimeoutMs = milliseconds; }

private:
    struct FileState
    {
        bool exists = false;
        qint64 size = 0;
        QByteArray hash;
        friend bool operator==(const FileState &, const FileState &) = default;
    };

    struct LoadedFile
    {
        FileState state;
        QJsonArray items; // the entries of the list, good or not
        bool blocked = false; // unreadable and not moved aside: never write over it
        QString blockedReason;
    };

    static FileState stateOf(const QString &path);
    LoadedFile loadFile(const QString &path, const QString &format, const QString &listKey);
    void loadProfiles();
    void loadEnvironments();
    void readProfileSecrets(Profile &profile, bool &storeBroken);
    void readEnvironmentSecrets(Environment &environment, bool &storeBroken);

    bool lock(QLockFile &lockFile, QString *errorMessage) const;
    bool writeFile(const QString &path, const QString &format, const QString &listKey,
                   const QJsonArray &items, FileState *state, QString *errorMessage);

    bool mutateProfiles(const std::function<bool(QList<Profile> &, QString *)> &change,
                        QString *errorMessage);
    bool mutateEnvironments(const std::function<bool(QList<Environment> &, QString *)> &change,
                            QString *errorMessage);
    bool commitProfiles(const QList<Profile> &next, QString *errorMessage);
    bool commitEnvironments(const QList<Environment> &next, QString *errorMessage);

    struct SecretValue
    {
        QString value;
        QString description; // "secret header X-Token of profile 'Staging'"
    };
    using SecretValues = QHash<QString, SecretValue>;

    // Secret keys as held in the SecretStore: "profile/<id>/<slot>", "environment/<id>/<var>".
    static SecretValues secretValues(const QList<Profile> &profiles);
    static SecretValues secretValues(const QList<Environment> &environments);
    bool writeSecrets(const SecretValues &desired, QString *errorMessage);
    void removeStaleSecrets(const QString &prefix, const SecretValues &desired,
                            const QStringList &alsoRemove);

    QString m_directory;
    std::shared_ptr<SecretStore> m_secrets;
    QList<Profile> m_profiles;
    QList<Environment> m_environments;
    QJsonArray m_unreadableProfiles; // entries that could not be read, written back as they were
    QJsonArray m_unreadableEnvironments;
    FileState m_profilesState;
    FileState m_environmentsState;
    QString m_profilesBlocked; // why profiles.json must not be written, if it must not
    QString m_environmentsBlocked;
    QHash<QString, QString> m_knownSecrets; // what the secret store holds, as far as we know
    QList<Warning> m_warnings;
    BeforeCommitHook m_beforeCommit;
    int m_lockTimeoutMs = 5000;
};

} // namespace duplex
