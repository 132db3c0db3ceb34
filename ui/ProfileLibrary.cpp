#include "ui/ProfileLibrary.h"

#include "core/session/PostmanImport.h"
#include "core/session/ProfileExchange.h"
#include "core/session/ProfileStoreWatcher.h"
#include "core/session/VariableSubstitution.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>

namespace duplex {

namespace {

// "a profile named 'x' exists already" -> "A profile named 'x' exists already."
QString sentence(QString text)
{
    if (text.isEmpty())
        return text;
    text[0] = text[0].toUpper();
    if (!text.endsWith(QLatin1Char('.')))
        text += QLatin1Char('.');
    return text;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = sentence(text);
}

// The profiles concerned by one change, before and after it.
struct ProfileState
{
    QUuid id;
    std::optional<Profile> profile; // none: no profile of that id
    int index = -1;
};

// One undoable change of the profile list: it holds the states before and after, and applies
// one or the other. The change itself was made before the command was pushed.
class ProfileChangeCommand : public QUndoCommand
{
public:
    ProfileChangeCommand(ProfileLibrary *library, const QString &text, QList<ProfileState> before,
                         QList<ProfileState> after)
        : QUndoCommand(text)
        , m_library(library)
        , m_before(std::move(before))
        , m_after(std::move(after))
    { }

    void undo() override { apply(m_before, QStringLiteral("undo")); }
    void redo() override
    {
        if (m_done)
            apply(m_after, QStringLiteral("redo"));
        m_done = true;
    }

private:
    // `verb`: "undo" or "redo", for the message when a state cannot be applied.
    void apply(QList<ProfileState> states, const QString &verb)
    {
        // Removals first, then the others from the top, so each index means what it meant.
        std::stable_sort(states.begin(), states.end(),
                         [](const ProfileState &a, const ProfileState &b) {
                             if (a.profile.has_value() != b.profile.has_value())
                                 return !a.profile.has_value();
                             return a.index < b.index;
                         });
        for (const ProfileState &state : std::as_const(states)) {
            QString error;
            if (!m_library->applyState(state.id, state.profile, state.index, &error)) {
                setObsolete(true);
                Q_EMIT m_library->errorOccurred(
                    QStringLiteral("Could not %1 \"%2\": %3").arg(verb, text(), error));
            }
        }
        Q_EMIT m_library->changed();
    }

    ProfileLibrary *m_library;
    QList<ProfileState> m_before;
    QList<ProfileState> m_after;
    bool m_done = false;
};

} // namespace

ProfileLibrary::ProfileLibrary(std::unique_ptr<ProfileStore> store, QString secretsNote,
                               QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_secretsNote(std::move(secretsNote))
{
    m_undo = new QUndoStack(this);
    m_watcher = new ProfileStoreWatcher(m_store.get(), this);
    m_watcher->setAutoReload(true);
    connect(m_watcher, &ProfileStoreWatcher::reloaded, this, [this] {
        Q_EMIT reloadedFromDisk();
        Q_EMIT changed();
    });
}

ProfileLibrary::~ProfileLibrary()
{
    // The stack, a child, is cleared as it is destroyed after this body, and clearing it emits
    // indexChanged: a listener calling back into this library would find it half destroyed.
    m_undo->blockSignals(true);
}

void ProfileLibrary::keepWarnings()
{
    for (const ProfileStore::Warning &warning : m_store->warnings()) {
        const QString text = warning.text();
        if (!m_told.contains(text) && !m_pending.contains(text))
            m_pending.append(text);
    }
}

QStringList ProfileLibrary::takeNotices()
{
    keepWarnings();
    QStringList fresh = m_pending;
    m_pending.clear();
    if (!m_secretsNote.isEmpty() && !m_told.contains(m_secretsNote))
        fresh.append(m_secretsNote);
    m_told += fresh;
    return fresh;
}

std::optional<Environment> ProfileLibrary::environment(const QUuid &id) const
{
    if (id.isNull())
        return std::nullopt;
    return m_store->environment(id);
}

void ProfileLibrary::fillSecrets(Profile &profile) const
{
    const std::optional<Profile> stored = m_store->profile(profile.id);
    if (!stored)
        return;
    const QList<Profile::SecretSlot> known = stored->secretSlots();
    for (const Profile::SecretSlot &slot : profile.secretSlots()) {
        if (!slot.value.isEmpty())
            continue;
        for (const Profile::SecretSlot &source : known) {
            if (source.key == slot.key)
                profile.setSecretValue(slot.key, source.value);
        }
    }
}

VariableSubstitution ProfileLibrary::variables(const QUuid &environmentId) const
{
    return VariableSubstitution(environment(environmentId));
}

int ProfileLibrary::indexOf(const QUuid &id) const
{
    const QList<Profile> &list = m_store->profiles();
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).id == id)
            return int(i);
    }
    return -1;
}

bool ProfileLibrary::applyState(const QUuid &id, const std::optional<Profile> &profile, int index,
                                QString *error)
{
    QString problem;
    bool ok = true;
    const bool exists = m_store->profile(id).has_value();
    if (!profile) {
        ok = !exists || m_store->removeProfile(id, &problem);
    } else {
        ok = exists ? m_store->updateProfile(*profile, &problem)
                    : m_store->addProfile(*profile, &problem).has_value();
        if (ok && index >= 0 && indexOf(id) != index)
            ok = m_store->reorderProfile(id, index, &problem);
    }
    if (!ok)
        setError(error, problem);
    return ok;
}

bool ProfileLibrary::pushChange(const QString &text, const QList<QUuid> &ids,
                                const std::function<bool(QString *)> &change, QString *error)
{
    const auto snapshot = [this, &ids] {
        QList<ProfileState> states;
        for (const QUuid &id : ids)
            states.append({ id, m_store->profile(id), indexOf(id) });
        return states;
    };
    const QList<ProfileState> before = snapshot();
    QString problem;
    const bool ok = change(&problem);
    const QList<ProfileState> after = snapshot();
    if (!ok) {
        setError(error, problem);
        // A change made of several steps may have gone part of the way: put it back.
        for (const ProfileState &state : before)
            applyState(state.id, state.profile, state.index, nullptr);
        Q_EMIT changed();
        return false;
    }
    m_undo->push(new ProfileChangeCommand(this, text, before, after));
    Q_EMIT changed();
    return true;
}

bool ProfileLibrary::addProfile(const Profile &profile, QString *error)
{
    return pushChange(
        QStringLiteral("Save \"%1\"").arg(profile.name), { profile.id },
        [&](QString *problem) { return m_store->addProfile(profile, problem).has_value(); }, error);
}

bool ProfileLibrary::updateProfile(const Profile &profile, QString *error)
{
    return pushChange(
        QStringLiteral("Save \"%1\"").arg(profile.name), { profile.id },
        [&](QString *problem) { return m_store->updateProfile(profile, problem); }, error);
}

bool ProfileLibrary::removeProfile(const QUuid &id, QString *error)
{
    const std::optional<Profile> existing = m_store->profile(id);
    const QString name = existing ? existing->name : QString();
    return pushChange(
        QStringLiteral("Delete \"%1\"").arg(name), { id },
        [&](QString *problem) { return m_store->removeProfile(id, problem); }, error);
}

bool ProfileLibrary::renameProfile(const QUuid &id, const QString &name, QString *error)
{
    return pushChange(
        QStringLiteral("Rename to \"%1\"").arg(name.trimmed()), { id },
        [&](QString *problem) { return m_store->renameProfile(id, name, problem); }, error);
}

std::optional<QUuid> ProfileLibrary::duplicateProfile(const QUuid &id, QString *error)
{
    QString problem;
    const std::optional<QUuid> copy = m_store->duplicateProfile(id, &problem);
    if (!copy) {
        setError(error, problem);
        return std::nullopt;
    }
    const std::optional<Profile> made = m_store->profile(*copy);
    m_undo->push(new ProfileChangeCommand(
        this, QStringLiteral("Duplicate \"%1\"").arg(made ? made->name : QString()),
        { { *copy, std::nullopt, -1 } }, { { *copy, made, indexOf(*copy) } }));
    Q_EMIT changed();
    return copy;
}

bool ProfileLibrary::moveProfiles(const QList<QUuid> &ids, const QString &folder, int index,
                                  QString *error)
{
    const QString target = Profile::normalizedFolder(folder);
    const QList<Profile> &list = m_store->profiles();
    // The profile to land before (when it is not one of those moving), found before anything
    // moves.
    QUuid anchor;
    for (qsizetype i = qMax(0, index); index >= 0 && i < list.size(); ++i) {
        if (!ids.contains(list.at(i).id)) {
            anchor = list.at(i).id;
            break;
        }
    }
    const QString text = ids.size() == 1
        ? QStringLiteral("Move \"%1\"").arg(m_store->profile(ids.first()).value_or(Profile()).name)
        : QStringLiteral("Move %1 profiles").arg(ids.size());
    return pushChange(
        text, ids,
        [&](QString *problem) {
            for (const QUuid &id : ids) {
                const std::optional<Profile> p = m_store->profile(id);
                if (!p) {
                    *problem = QStringLiteral("the profile was deleted meanwhile");
                    return false;
                }
                if (Profile::normalizedFolder(p->folder) != target
                    && !m_store->moveProfile(id, target, problem))
                    return false;
                // Out of the way first: at the end, in the order given.
                if (!m_store->reorderProfile(id, int(m_store->profiles().size()) - 1, problem))
                    return false;
            }
            const QList<Profile> &now = m_store->profiles();
            int position = int(now.size() - ids.size()); // after everything else
            if (!anchor.isNull() && indexOf(anchor) >= 0) {
                position = indexOf(anchor);
            } else if (index < 0) {
                // After the last profile of the target folder, or its parent's, if any.
                for (qsizetype i = 0; i < now.size() - ids.size(); ++i) {
                    const QString f = Profile::normalizedFolder(now.at(i).folder);
                    if (f == target || f.startsWith(target + QLatin1Char('/')))
                        position = int(i) + 1;
                }
            }
            for (qsizetype k = 0; k < ids.size(); ++k) {
                if (!m_store->reorderProfile(ids.at(k), position + int(k), problem))
                    return false;
            }
            return true;
        },
        error);
}

bool ProfileLibrary::renameFolder(const QString &from, const QString &to, QString *error)
{
    QList<QUuid> ids;
    const QString source = Profile::normalizedFolder(from);
    for (const Profile &p : m_store->profiles()) {
        const QString folder = Profile::normalizedFolder(p.folder);
        if (folder == source || folder.startsWith(source + QLatin1Char('/')))
            ids.append(p.id);
    }
    return pushChange(
        QStringLiteral("Rename folder \"%1\"").arg(source), ids,
        [&](QString *problem) { return m_store->renameFolder(from, to, problem); }, error);
}

bool ProfileLibrary::saveEnvironments(const QList<Environment> &environments,
                                      const QList<QUuid> &removed, QString *error)
{
    // Only what the dialog changed is written, all in one save: an environment added by another
    // window meanwhile stays, and two environments may swap names.
    QList<Environment> edited;
    for (const Environment &environment : environments) {
        const std::optional<Environment> stored = m_store->environment(environment.id);
        if (!stored || *stored != environment)
            edited.append(environment);
    }
    QString problem;
    const bool ok = m_store->saveEnvironments(edited, removed, &problem);
    Q_EMIT changed();
    if (!ok)
        setError(error, problem);
    return ok;
}

bool ProfileLibrary::importData(const QByteArray &json, QStringList *report, QString *error)
{
    QString ours;
    QString postman;
    QString problem;
    bool ok = false;
    if (ProfileExchange::parse(json, &ours))
        ok = ProfileExchange::importInto(*m_store, json, report, &problem);
    else if (PostmanImport::parse(json, &postman))
        ok = PostmanImport::importInto(*m_store, json, report, &problem);
    else
        problem = QStringLiteral("the file is neither a Duplex profile export (%1) nor a Postman "
                                 "collection or environment (%2)")
                      .arg(ours, postman);
    Q_EMIT changed();
    if (!ok)
        setError(error, problem);
    return ok;
}

QByteArray ProfileLibrary::exportData() const
{
    return ProfileExchange::exportJson(m_store->profiles(), m_store->environments());
}

void ProfileLibrary::reload()
{
    keepWarnings(); // a reload starts the store's warnings afresh; none is lost untold
    m_store->reload();
    Q_EMIT changed();
}

} // namespace duplex
