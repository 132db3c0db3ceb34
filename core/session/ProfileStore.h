#pragma once

#include "core/session/Environment.h"
#include "core/session/JsonListFile.h"
#include "core/session/Profile.h"
#include "core/session/SecretSync.h"
#include "core/session/StoreWarning.h"

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
//
// JsonListFile does the work on each file, SecretSync keeps the SecretStore in step, and
// StoredItemTraits says how a profile and an environment differ, so that the logic here is
// written once for both.
class ProfileStore
{
public:
    using Warning = StoreWarning;

    // Called with a file's path after its new content is written to the temporary file and
    // before it replaces the file; returning false abandons the write (QSaveFile::cancelWriting)
    // as a crash at that point would. For tests.
    using BeforeCommitHook = JsonListFile::BeforeCommitHook;

    static QString defaultDirectory();
    static QString profilesFileName() { return QStringLiteral("profiles.json"); }
    static QString environmentsFileName() { return QStringLiteral("environments.json"); }

    // Reads the store at once; see warnings(). The secret store must not be null.
    explicit ProfileStore(std::shared_ptr<SecretStore> secrets);
    ProfileStore(const QString &directory, std::shared_ptr<SecretStore> secrets);

    QString directory() const { return m_directory; }
    QString profilesFilePath() const;
    QString environmentsFilePath() const;
    SecretStore &secretStore() const { return m_secrets.store(); }

    // Re-reads both files (and the secrets), replacing what is held. Warnings start afresh.
    void reload();
    // Whether either file differs (existence, size or content hash) from what this instance
    // last read or wrote. Reads the files; they are small. Secret-only changes are not seen.
    bool hasExternalChanges() const;

    const QList<Warning> &warnings() const { return m_warnings; }
    void clearWarnings() { m_warnings.clear(); }

    // Reading. Lookups by name ignore case.
    const QList<Profile> &profiles() const { return m_profiles.items; }
    std::optional<Profile> profile(const QUuid &id) const;
    std::optional<Profile> findProfile(const QString &folder, const QString &name) const;
    // What the command line accepts: "name" (when only one folder has it), "folder/name", or
    // the profile's id. Nothing and a sentence saying why otherwise (unknown, ambiguous).
    std::optional<Profile> findProfile(const QString &spec, QString *errorMessage) const;
    QStringList folders() const; // every folder and parent folder in use, sorted
    const QList<Environment> &environments() const { return m_environments.items; }
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
    // Removes `removed`, then adds or replaces each of `changed` (by id), in one save: names
    // must be unique only in the result (two environments may swap names), and a failure
    // changes nothing.
    bool saveEnvironments(QList<Environment> changed, const QList<QUuid> &removed,
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
    // One kind of item, as held here and as in its file.
    template<typename Item>
    struct Stored
    {
        JsonListFile file;
        QList<Item> items;
    };
    template<typename Item>
    Stored<Item> &stored();

    template<typename Item>
    void load();
    template<typename Item>
    void reloadIfChanged();

    bool lock(QLockFile &lockFile, QString *errorMessage) const;
    template<typename Item>
    bool mutate(const std::function<bool(QList<Item> &, QString *)> &change, QString *errorMessage);
    template<typename Item>
    bool commit(const QList<Item> &next, QString *errorMessage);

    template<typename Item>
    std::optional<QUuid> add(Item item, QString *errorMessage);
    template<typename Item>
    bool update(Item item, QString *errorMessage);
    template<typename Item>
    bool rename(const QUuid &id, const QString &newName, QString *errorMessage);
    // Applies `apply` to the item `id` unless the result's name clashes with another one.
    template<typename Item>
    bool edit(const QUuid &id, const std::function<void(Item &)> &apply, QString *errorMessage);
    template<typename Item>
    bool remove(const QUuid &id, QString *errorMessage);
    template<typename Item>
    static void mergeInto(QList<Item> &next, const QList<Item> &incoming, QStringList &report);

    QString m_directory;
    SecretSync m_secrets;
    Stored<Profile> m_profiles;
    Stored<Environment> m_environments;
    QList<Warning> m_warnings;
    BeforeCommitHook m_beforeCommit;
    int m_lockTimeoutMs = 5000;
};

} // namespace duplex
