#pragma once

#include "core/session/ProfileStore.h"

#include <QObject>
#include <QStringList>
#include <QUuid>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QUndoStack;
QT_END_NAMESPACE

namespace duplex {

class ProfileStoreWatcher;
class VariableSubstitution;

// The window's profiles and environments: a ProfileStore, a watcher that reloads it when
// another window or duplex-cli changes the files, and the undo stack of profile changes.
// Every view (sidebar, environment boxes, tabs) reads the store through it and is told of any
// change by changed(); every change goes through it, so none is missed.
//
// Profile changes made here (add, update, delete, rename, move, duplicate) are undoable: each
// pushes a command holding the profile before and after, secrets included, so Undo brings a
// deleted profile back exactly as it was, in its place.
class ProfileLibrary : public QObject
{
    Q_OBJECT

public:
    // `secretsNote`: why secrets are not kept persistently, if they are not (shown once).
    ProfileLibrary(std::unique_ptr<ProfileStore> store, QString secretsNote,
                   QObject *parent = nullptr);
    ~ProfileLibrary() override;

    ProfileStore &store() const { return *m_store; }
    QUndoStack *undoStack() const { return m_undo; }
    ProfileStoreWatcher *watcher() const { return m_watcher; }
    QString secretsNote() const { return m_secretsNote; }

    // The store's warnings (unreadable files, where their copies are) as sentences, and the
    // secrets note; each sentence is handed out once, so the user is told once.
    QStringList takeNotices();

    std::optional<Profile> profile(const QUuid &id) const { return m_store->profile(id); }
    std::optional<Environment> environment(const QUuid &id) const;
    // Fills the secret values `profile` lacks (a tab restored from settings holds none) from
    // the stored profile of the same id.
    void fillSecrets(Profile &profile) const;
    // {{variables}} of the environment `id` (none for a null id).
    VariableSubstitution variables(const QUuid &environmentId) const;

    // Undoable profile changes. False and a sentence (capitalised, ending with a full stop)
    // when the store refuses; nothing changes then.
    bool addProfile(const Profile &profile, QString *error = nullptr);
    bool updateProfile(const Profile &profile, QString *error = nullptr);
    bool removeProfile(const QUuid &id, QString *error = nullptr);
    bool renameProfile(const QUuid &id, const QString &name, QString *error = nullptr);
    std::optional<QUuid> duplicateProfile(const QUuid &id, QString *error = nullptr);
    // Moves profiles into `folder`, placed before the profile at overall index `index` (-1:
    // after the last of that folder), as one undoable step.
    bool moveProfiles(const QList<QUuid> &ids, const QString &folder, int index,
                      QString *error = nullptr);
    bool renameFolder(const QString &from, const QString &to, QString *error = nullptr);

    // Environments (not undoable: the editor has its own Cancel). Adds or updates each of
    // `environments` and removes those of `removed`; an environment another process added
    // meanwhile is left alone.
    bool saveEnvironments(const QList<Environment> &environments, const QList<QUuid> &removed = {},
                          QString *error = nullptr);

    // Profiles and environments from a file: our export (or a copied profiles.json) or a
    // Postman collection or environment. Names already taken get " (2)"; `report` lists what
    // was imported, renamed, skipped, and the secrets to enter again. Not undoable.
    bool importData(const QByteArray &json, QStringList *report, QString *error = nullptr);
    // Every profile and environment, secrets left out and marked (ProfileExchange).
    QByteArray exportData() const;

    // Re-reads the files now (the watcher does it on its own after a change on disk).
    void reload();

    // Applies a profile state, for the undo commands: `profile` at overall `index`, or no
    // profile of that id when `profile` is empty.
    bool applyState(const QUuid &id, const std::optional<Profile> &profile, int index,
                    QString *error);
    int indexOf(const QUuid &id) const;

Q_SIGNALS:
    // Profiles or environments changed, here or on disk.
    void changed();
    // A change made by another process was read.
    void reloadedFromDisk();
    // An undo or redo could not be applied (e.g. the name was taken meanwhile).
    void errorOccurred(const QString &message);

private:
    void keepWarnings();
    bool pushChange(const QString &text, const QList<QUuid> &ids,
                    const std::function<bool(QString *)> &change, QString *error);

    std::unique_ptr<ProfileStore> m_store;
    ProfileStoreWatcher *m_watcher = nullptr;
    QUndoStack *m_undo = nullptr;
    QString m_secretsNote;
    QStringList m_told; // sentences handed out already
    QStringList m_pending; // warnings seen before a reload, not handed out yet
};

} // namespace duplex
