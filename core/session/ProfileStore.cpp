#include "core/session/ProfileStore.h"

#include "core/session/SecretStore.h"
#include "core/session/StoredItemTraits.h"

#include <QDir>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>
#include <utility>

namespace duplex {

namespace {

using Names = StoredItemNames;

void setError(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
}

template<typename Item>
bool checkName(const QString &name, QString *errorMessage)
{
    using Traits = StoredItemTraits<Item>;
    if (name.trimmed().isEmpty()) {
        setError(errorMessage, QStringLiteral("a %1 needs a name").arg(Traits::noun()));
        return false;
    }
    if (Traits::slashSeparatesFolders && name.contains(QLatin1Char('/'))) {
        setError(errorMessage,
                 QStringLiteral("a profile name cannot contain '/' (it separates "
                                "folders): \"%1\"")
                     .arg(name));
        return false;
    }
    return true;
}

template<typename Item>
qsizetype indexOf(const QList<Item> &list, const QUuid &id)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).id == id)
            return i;
    }
    return -1;
}

// The item of `list`, other than `except`, whose name is that of `item` where names must be
// unique (a profile's folder, every environment).
template<typename Item>
const Item *sameNameAs(const QList<Item> &list, const Item &item, const QUuid &except = {})
{
    for (const Item &other : list) {
        if (other.id != except && StoredItemTraits<Item>::sameGroup(other, item)
            && Names::same(other.name, item.name))
            return &other;
    }
    return nullptr;
}

template<typename Item>
QString nameTaken(const Item &item)
{
    using Traits = StoredItemTraits<Item>;
    return QStringLiteral("%1 named '%2' exists already%3")
        .arg(Traits::aNoun(), item.name, Traits::where(item));
}

// The index of `id` in `list`; -1, and "that profile no longer exists ...", when it is gone.
template<typename Item>
qsizetype indexOrGone(const QList<Item> &list, const QUuid &id, QString *error)
{
    const qsizetype index = indexOf(list, id);
    if (index < 0)
        setError(error,
                 QStringLiteral("that %1 no longer exists (another window may have removed it); "
                                "reload to see the current list")
                     .arg(StoredItemTraits<Item>::noun()));
    return index;
}

QString nameInItem(const QJsonValue &item)
{
    const QString name = item.toObject().value(QStringLiteral("name")).toString();
    return name.isEmpty() ? QString() : QStringLiteral(" ('%1')").arg(name);
}

} // namespace

template<>
ProfileStore::Stored<Profile> &ProfileStore::stored<Profile>()
{
    return m_profiles;
}

template<>
ProfileStore::Stored<Environment> &ProfileStore::stored<Environment>()
{
    return m_environments;
}

QString ProfileStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

ProfileStore::ProfileStore(std::shared_ptr<SecretStore> secrets)
    : ProfileStore(defaultDirectory(), std::move(secrets))
{ }

ProfileStore::ProfileStore(const QString &directory, std::shared_ptr<SecretStore> secrets)
    : m_directory(QDir::cleanPath(directory))
    , m_secrets(std::move(secrets))
    , m_profiles { JsonListFile(profilesFilePath(), QStringLiteral("duplex-profiles"),
                                QStringLiteral("profiles")),
                   {} }
    , m_environments { JsonListFile(environmentsFilePath(), QStringLiteral("duplex-environments"),
                                    QStringLiteral("environments")),
                       {} }
{
    reload();
}

QString ProfileStore::profilesFilePath() const
{
    return m_directory + QLatin1Char('/') + profilesFileName();
}

QString ProfileStore::environmentsFilePath() const
{
    return m_directory + QLatin1Char('/') + environmentsFileName();
}

void ProfileStore::reload()
{
    m_warnings.clear();
    load<Profile>();
    load<Environment>();
}

bool ProfileStore::hasExternalChanges() const
{
    return m_profiles.file.changedOnDisk() || m_environments.file.changedOnDisk();
}

template<typename Item>
void ProfileStore::load()
{
    using Traits = StoredItemTraits<Item>;
    Stored<Item> &held = stored<Item>();
    held.items.clear();
    m_secrets.forget<Item>();

    const QString path = held.file.path();
    const QJsonArray entries = held.file.load(m_warnings);
    if (!held.file.blockedReason().isEmpty())
        return;

    bool storeBroken = false;
    QSet<QUuid> ids;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonValue entry = entries.at(i);
        QString error;
        std::optional<Item> item;
        if (entry.isObject())
            item = Item::fromJson(entry.toObject(), &error);
        else
            error = QStringLiteral("expected an object");
        if (!item) {
            m_warnings.append(
                { path,
                  QStringLiteral("%1 #%2%3 skipped: %4; it stays in the file as it is")
                      .arg(Traits::noun(), QString::number(i + 1), nameInItem(entry), error),
                  QString() });
            held.file.keepUnreadable(entry);
            continue;
        }
        if (ids.contains(item->id)) {
            if constexpr (Traits::warnsOfDuplicateIds)
                m_warnings.append({ path,
                                    QStringLiteral("%1 '%2' has the same id as another one; it "
                                                   "gets a new id")
                                        .arg(Traits::noun(), Traits::label(*item)),
                                    QString() });
            item->id = QUuid::createUuid();
        }
        ids.insert(item->id);
        for (const StoredSecret &secret : Traits::secrets(*item)) {
            if (!secret.value.isEmpty())
                m_warnings.append(
                    { path,
                      QStringLiteral("%1 '%2': the %3 is written in the file; it "
                                     "moves to %4 on the next change")
                          .arg(Traits::noun(), Traits::label(*item), Traits::secretInFile(secret),
                               m_secrets.store().backendName()),
                      QString() });
        }
        m_secrets.read(*item, storeBroken, m_warnings);
        if (const Item *clash = sameNameAs(held.items, *item))
            m_warnings.append({ path, Traits::twoNamed(*clash, *item), QString() });
        held.items.append(*item);
    }
}

template<typename Item>
void ProfileStore::reloadIfChanged()
{
    if (stored<Item>().file.changedOnDisk())
        load<Item>(); // another process changed it: build on its version
}

bool ProfileStore::lock(QLockFile &lockFile, QString *errorMessage) const
{
    if (!QDir().mkpath(m_directory)) {
        setError(errorMessage, QStringLiteral("cannot create the folder %1").arg(m_directory));
        return false;
    }
    if (lockFile.tryLock(m_lockTimeoutMs))
        return true;
    if (lockFile.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString application;
        lockFile.getLockInfo(&pid, &host, &application);
        setError(errorMessage,
                 QStringLiteral("the profiles are being changed by %1 (process %2); try again")
                     .arg(application.isEmpty() ? QStringLiteral("another program") : application)
                     .arg(pid));
    } else {
        setError(errorMessage,
                 QStringLiteral("cannot create a lock file in %1; check that the folder is "
                                "writable")
                     .arg(m_directory));
    }
    return false;
}

template<typename Item>
bool ProfileStore::commit(const QList<Item> &next, QString *errorMessage)
{
    const SecretSync::Values desired = SecretSync::valuesOf(next);
    if (!m_secrets.write(desired, errorMessage))
        return false;

    QJsonArray entries;
    for (const Item &item : next)
        entries.append(item.toJson());
    Stored<Item> &held = stored<Item>();
    if (!held.file.save(entries, m_beforeCommit, errorMessage))
        return false;

    const QList<Item> previous = std::exchange(held.items, next);
    m_secrets.removeUnused(previous, next, desired, m_warnings);
    return true;
}

template<typename Item>
bool ProfileStore::mutate(const std::function<bool(QList<Item> &, QString *)> &change,
                          QString *errorMessage)
{
    QLockFile lockFile(m_directory + QStringLiteral("/store.lock"));
    if (!lock(lockFile, errorMessage))
        return false;
    reloadIfChanged<Item>();
    const Stored<Item> &held = stored<Item>();
    if (!held.file.blockedReason().isEmpty()) {
        setError(errorMessage, held.file.blockedReason());
        return false;
    }
    QList<Item> next = held.items;
    if (!change(next, errorMessage))
        return false;
    return commit(next, errorMessage);
}

template<typename Item>
std::optional<QUuid> ProfileStore::add(Item item, QString *errorMessage)
{
    using Traits = StoredItemTraits<Item>;
    Traits::normalize(item);
    if (!checkName<Item>(item.name, errorMessage))
        return std::nullopt;
    if (item.id.isNull())
        item.id = QUuid::createUuid();
    const bool ok = mutate<Item>(
        [&](QList<Item> &list, QString *error) {
            if (indexOf(list, item.id) >= 0) {
                setError(error,
                         QStringLiteral("%1 with the id %2 exists already")
                             .arg(Traits::aNoun(), item.id.toString(QUuid::WithoutBraces)));
                return false;
            }
            if (sameNameAs(list, item)) {
                setError(error, nameTaken(item));
                return false;
            }
            list.append(item);
            return true;
        },
        errorMessage);
    return ok ? std::optional<QUuid>(item.id) : std::nullopt;
}

template<typename Item>
bool ProfileStore::update(Item item, QString *errorMessage)
{
    using Traits = StoredItemTraits<Item>;
    Traits::normalize(item);
    if (!checkName<Item>(item.name, errorMessage))
        return false;
    return edit<Item>(
        item.id, [&](Item &held) { held = item; }, errorMessage);
}

template<typename Item>
bool ProfileStore::rename(const QUuid &id, const QString &newName, QString *errorMessage)
{
    const QString name = newName.trimmed();
    if (!checkName<Item>(name, errorMessage))
        return false;
    return edit<Item>(
        id, [&](Item &held) { held.name = name; }, errorMessage);
}

template<typename Item>
bool ProfileStore::edit(const QUuid &id, const std::function<void(Item &)> &apply,
                        QString *errorMessage)
{
    return mutate<Item>(
        [&](QList<Item> &list, QString *error) {
            const qsizetype index = indexOrGone(list, id, error);
            if (index < 0)
                return false;
            Item changed = list.at(index);
            apply(changed);
            if (sameNameAs(list, changed, id)) {
                setError(error, nameTaken(changed));
                return false;
            }
            list[index] = std::move(changed);
            return true;
        },
        errorMessage);
}

template<typename Item>
bool ProfileStore::remove(const QUuid &id, QString *errorMessage)
{
    return mutate<Item>(
        [&](QList<Item> &list, QString *error) {
            const qsizetype index = indexOrGone(list, id, error);
            if (index < 0)
                return false;
            list.removeAt(index);
            return true;
        },
        errorMessage);
}

std::optional<Profile> ProfileStore::profile(const QUuid &id) const
{
    const qsizetype index = indexOf(m_profiles.items, id);
    if (index < 0)
        return std::nullopt;
    return m_profiles.items.at(index);
}

std::optional<Profile> ProfileStore::findProfile(const QString &folder, const QString &name) const
{
    Profile wanted;
    wanted.folder = folder;
    wanted.name = name;
    if (const Profile *p = sameNameAs(m_profiles.items, wanted))
        return *p;
    return std::nullopt;
}

std::optional<Profile> ProfileStore::findProfile(const QString &spec, QString *errorMessage) const
{
    const QString trimmed = spec.trimmed();
    if (trimmed.isEmpty()) {
        setError(errorMessage, QStringLiteral("no profile name given"));
        return std::nullopt;
    }
    const QUuid id = QUuid::fromString(trimmed);
    if (!id.isNull()) {
        if (auto p = profile(id))
            return p;
    }
    const qsizetype slash = trimmed.lastIndexOf(QLatin1Char('/'));
    if (slash >= 0) {
        const QString folder = Profile::normalizedFolder(trimmed.left(slash));
        const QString name = trimmed.mid(slash + 1).trimmed();
        if (auto p = findProfile(folder, name))
            return p;
        setError(errorMessage,
                 QStringLiteral("no profile named '%1' %2 (in %3)")
                     .arg(name, Names::folderLabel(folder), profilesFilePath()));
        return std::nullopt;
    }
    QList<const Profile *> matches;
    for (const Profile &p : m_profiles.items) {
        if (Names::same(p.name, trimmed))
            matches << &p;
    }
    if (matches.size() == 1)
        return *matches.first();
    if (matches.isEmpty()) {
        setError(errorMessage,
                 QStringLiteral("no profile named '%1' (in %2)").arg(trimmed, profilesFilePath()));
        return std::nullopt;
    }
    QStringList paths;
    for (const Profile *p : std::as_const(matches)) // "/name" is how to say the top level
        paths << (p->folder.isEmpty() ? QLatin1Char('/') + p->name : p->path());
    setError(errorMessage,
             QStringLiteral("'%1' is the name of %2 profiles (%3); say which, e.g. "
                            "\"%4\"")
                 .arg(trimmed)
                 .arg(matches.size())
                 .arg(paths.join(QStringLiteral(", ")), paths.first()));
    return std::nullopt;
}

QStringList ProfileStore::folders() const
{
    QSet<QString> all;
    for (const Profile &p : m_profiles.items) {
        QString folder = Profile::normalizedFolder(p.folder);
        while (!folder.isEmpty()) {
            all.insert(folder);
            const qsizetype slash = folder.lastIndexOf(QLatin1Char('/'));
            folder = slash < 0 ? QString() : folder.left(slash);
        }
    }
    QStringList sorted(all.cbegin(), all.cend());
    sorted.sort(Qt::CaseInsensitive);
    return sorted;
}

std::optional<Environment> ProfileStore::environment(const QUuid &id) const
{
    const qsizetype index = indexOf(m_environments.items, id);
    if (index < 0)
        return std::nullopt;
    return m_environments.items.at(index);
}

std::optional<Environment> ProfileStore::findEnvironment(const QString &name) const
{
    Environment wanted;
    wanted.name = name;
    if (const Environment *e = sameNameAs(m_environments.items, wanted))
        return *e;
    return std::nullopt;
}

std::optional<QUuid> ProfileStore::addProfile(Profile profile, QString *errorMessage)
{
    return add(std::move(profile), errorMessage);
}

bool ProfileStore::updateProfile(const Profile &profile, QString *errorMessage)
{
    return update(profile, errorMessage);
}

bool ProfileStore::removeProfile(const QUuid &id, QString *errorMessage)
{
    return remove<Profile>(id, errorMessage);
}

bool ProfileStore::renameProfile(const QUuid &id, const QString &newName, QString *errorMessage)
{
    return rename<Profile>(id, newName, errorMessage);
}

std::optional<QUuid> ProfileStore::duplicateProfile(const QUuid &id, QString *errorMessage)
{
    const QUuid copyId = QUuid::createUuid();
    const bool ok = mutate<Profile>(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype index = indexOrGone(list, id, error);
            if (index < 0)
                return false;
            Profile copy = list.at(index);
            copy.id = copyId;
            QStringList taken;
            for (const Profile &p : std::as_const(list)) {
                if (Names::sameFolder(p.folder, copy.folder))
                    taken << p.name;
            }
            copy.name = uniqueName(copy.name, taken);
            list.insert(index + 1, copy);
            return true;
        },
        errorMessage);
    return ok ? std::optional<QUuid>(copyId) : std::nullopt;
}

bool ProfileStore::moveProfile(const QUuid &id, const QString &folder, QString *errorMessage)
{
    const QString target = Profile::normalizedFolder(folder);
    return edit<Profile>(
        id, [&](Profile &profile) { profile.folder = target; }, errorMessage);
}

bool ProfileStore::reorderProfile(const QUuid &id, int index, QString *errorMessage)
{
    return mutate<Profile>(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype from = indexOrGone(list, id, error);
            if (from < 0)
                return false;
            const qsizetype to = std::clamp<qsizetype>(index, 0, list.size() - 1);
            list.move(from, to);
            return true;
        },
        errorMessage);
}

bool ProfileStore::renameFolder(const QString &from, const QString &to, QString *errorMessage)
{
    const QString source = Profile::normalizedFolder(from);
    const QString target = Profile::normalizedFolder(to);
    if (source.isEmpty()) {
        setError(errorMessage, QStringLiteral("the top level cannot be renamed"));
        return false;
    }
    return mutate<Profile>(
        [&](QList<Profile> &list, QString *error) {
            bool any = false;
            for (Profile &p : list) {
                const QString folder = Profile::normalizedFolder(p.folder);
                if (Names::sameFolder(folder, source)) {
                    p.folder = target;
                } else if (folder.startsWith(source + QLatin1Char('/'), Qt::CaseInsensitive)) {
                    p.folder = Profile::normalizedFolder(target + QLatin1Char('/')
                                                         + folder.mid(source.size() + 1));
                } else {
                    continue;
                }
                any = true;
            }
            if (!any) {
                setError(error, QStringLiteral("there is no folder '%1'").arg(source));
                return false;
            }
            for (const Profile &p : std::as_const(list)) {
                if (const Profile *clash = sameNameAs(list, p, p.id)) {
                    setError(error,
                             QStringLiteral("two profiles would be named '%1' %2")
                                 .arg(clash->name, Names::folderLabel(clash->folder)));
                    return false;
                }
            }
            return true;
        },
        errorMessage);
}

std::optional<QUuid> ProfileStore::addEnvironment(Environment environment, QString *errorMessage)
{
    return add(std::move(environment), errorMessage);
}

bool ProfileStore::updateEnvironment(const Environment &environment, QString *errorMessage)
{
    return update(environment, errorMessage);
}

bool ProfileStore::removeEnvironment(const QUuid &id, QString *errorMessage)
{
    return remove<Environment>(id, errorMessage);
}

bool ProfileStore::saveEnvironments(QList<Environment> changed, const QList<QUuid> &removed,
                                    QString *errorMessage)
{
    for (Environment &environment : changed) {
        StoredItemTraits<Environment>::normalize(environment);
        if (!checkName<Environment>(environment.name, errorMessage))
            return false;
        if (environment.id.isNull())
            environment.id = QUuid::createUuid();
    }
    return mutate<Environment>(
        [&](QList<Environment> &list, QString *error) {
            for (const QUuid &id : removed) {
                const qsizetype index = indexOf(list, id);
                if (index >= 0)
                    list.removeAt(index);
            }
            for (const Environment &environment : std::as_const(changed)) {
                const qsizetype index = indexOf(list, environment.id);
                if (index >= 0)
                    list[index] = environment;
                else
                    list.append(environment);
            }
            // Names are checked on the result, so that two environments may swap names.
            for (const Environment &environment : std::as_const(list)) {
                if (sameNameAs(list, environment, environment.id)) {
                    setError(error, nameTaken(environment));
                    return false;
                }
            }
            return true;
        },
        errorMessage);
}

bool ProfileStore::renameEnvironment(const QUuid &id, const QString &newName, QString *errorMessage)
{
    return rename<Environment>(id, newName, errorMessage);
}

// Adds `incoming` to `next` under free names and ids, saying in `report` what was changed.
template<typename Item>
void ProfileStore::mergeInto(QList<Item> &next, const QList<Item> &incoming, QStringList &report)
{
    using Traits = StoredItemTraits<Item>;
    for (Item item : incoming) {
        Traits::normalize(item);
        QString nameError;
        if (!checkName<Item>(item.name, &nameError)) {
            report << QStringLiteral("skipped %1: %2").arg(Traits::aNoun(), nameError);
            continue;
        }
        if (item.id.isNull() || indexOf(next, item.id) >= 0)
            item.id = QUuid::createUuid();
        QStringList taken;
        for (const Item &other : std::as_const(next)) {
            if (Traits::sameGroup(other, item))
                taken << other.name;
        }
        const QString name = uniqueName(item.name, taken);
        if (name != item.name) {
            report << QStringLiteral("%1 '%2' imported as '%3': %4 of that name exists%5")
                          .arg(Traits::noun(), item.name, name, Traits::aNoun(),
                               Traits::where(item));
            item.name = name;
        }
        next.append(item);
    }
}

bool ProfileStore::merge(const QList<Profile> &profiles, const QList<Environment> &environments,
                         QStringList *report, QString *errorMessage)
{
    QLockFile lockFile(m_directory + QStringLiteral("/store.lock"));
    if (!lock(lockFile, errorMessage))
        return false;
    if (!profiles.isEmpty())
        reloadIfChanged<Profile>();
    if (!environments.isEmpty())
        reloadIfChanged<Environment>();
    if (!profiles.isEmpty() && !m_profiles.file.blockedReason().isEmpty()) {
        setError(errorMessage, m_profiles.file.blockedReason());
        return false;
    }
    if (!environments.isEmpty() && !m_environments.file.blockedReason().isEmpty()) {
        setError(errorMessage, m_environments.file.blockedReason());
        return false;
    }
    QStringList lines;
    QList<Profile> nextProfiles = m_profiles.items;
    mergeInto(nextProfiles, profiles, lines);
    QList<Environment> nextEnvironments = m_environments.items;
    mergeInto(nextEnvironments, environments, lines);

    const bool profilesChanged = nextProfiles.size() != m_profiles.items.size();
    if (profilesChanged && !commit(nextProfiles, errorMessage))
        return false;
    if (nextEnvironments.size() != m_environments.items.size()
        && !commit(nextEnvironments, errorMessage)) {
        if (errorMessage && profilesChanged)
            *errorMessage += QStringLiteral(" (the profiles were imported; the environments "
                                            "were not)");
        return false;
    }
    if (report)
        *report << lines;
    return true;
}

QString ProfileStore::uniqueName(const QString &name, const QStringList &taken)
{
    const auto isTaken = [&](const QString &candidate) {
        for (const QString &t : taken) {
            if (Names::same(t, candidate))
                return true;
        }
        return false;
    };
    if (!isTaken(name))
        return name;
    static const QRegularExpression numbered(QStringLiteral("^(.*) \\((\\d+)\\)$"));
    QString base = name;
    int n = 1;
    if (const auto match = numbered.match(name); match.hasMatch()) {
        base = match.captured(1);
        n = match.captured(2).toInt();
    }
    for (int k = qMax(n, 1) + 1;; ++k) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(base).arg(k);
        if (!isTaken(candidate))
            return candidate;
    }
}

} // namespace duplex
