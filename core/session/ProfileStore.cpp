#include "core/session/ProfileStore.h"

#include "core/session/SecretStore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>

namespace duplex {

namespace {

const QString profilesFormat = QStringLiteral("duplex-profiles");
const QString environmentsFormat = QStringLiteral("duplex-environments");
const QString profilesKey = QStringLiteral("profiles");
const QString environmentsKey = QStringLiteral("environments");
constexpr int FileSchemaVersion = 1;

QString profileSecretPrefix(const QUuid &id)
{
    return QStringLiteral("profile/") + id.toString(QUuid::WithoutBraces) + QLatin1Char('/');
}

QString environmentSecretPrefix(const QUuid &id)
{
    return QStringLiteral("environment/") + id.toString(QUuid::WithoutBraces) + QLatin1Char('/');
}

bool sameText(const QString &a, const QString &b)
{
    return a.trimmed().compare(b.trimmed(), Qt::CaseInsensitive) == 0;
}

bool sameFolder(const QString &a, const QString &b)
{
    return Profile::normalizedFolder(a).compare(Profile::normalizedFolder(b), Qt::CaseInsensitive)
        == 0;
}

QString folderLabel(const QString &folder)
{
    return folder.isEmpty() ? QStringLiteral("at the top level")
                            : QStringLiteral("in folder '%1'").arg(folder);
}

void setError(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
}

bool checkName(const QString &name, const QString &what, QString *errorMessage)
{
    if (name.trimmed().isEmpty()) {
        setError(errorMessage, QStringLiteral("a %1 needs a name").arg(what));
        return false;
    }
    if (what == QLatin1String("profile") && name.contains(QLatin1Char('/'))) {
        setError(errorMessage,
                 QStringLiteral("a profile name cannot contain '/' (it separates "
                                "folders): \"%1\"")
                     .arg(name));
        return false;
    }
    return true;
}

const Profile *profileNamed(const QList<Profile> &list, const QString &folder, const QString &name,
                            const QUuid &except = {})
{
    for (const Profile &p : list) {
        if (p.id != except && sameFolder(p.folder, folder) && sameText(p.name, name))
            return &p;
    }
    return nullptr;
}

const Environment *environmentNamed(const QList<Environment> &list, const QString &name,
                                    const QUuid &except = {})
{
    for (const Environment &e : list) {
        if (e.id != except && sameText(e.name, name))
            return &e;
    }
    return nullptr;
}

qsizetype indexOfProfile(const QList<Profile> &list, const QUuid &id)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).id == id)
            return i;
    }
    return -1;
}

qsizetype indexOfEnvironment(const QList<Environment> &list, const QUuid &id)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).id == id)
            return i;
    }
    return -1;
}

QString gone(const QString &what)
{
    return QStringLiteral("that %1 no longer exists (another window may have removed it); "
                          "reload to see the current list")
        .arg(what);
}

QString nameInItem(const QJsonValue &item)
{
    const QString name = item.toObject().value(QStringLiteral("name")).toString();
    return name.isEmpty() ? QString() : QStringLiteral(" ('%1')").arg(name);
}

// 1-based line and column of a byte offset, for parse errors a person can find.
QString positionOf(const QByteArray &bytes, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, bytes.size());
    const qsizetype line = bytes.left(offset).count('\n') + 1;
    const qsizetype lineStart = bytes.lastIndexOf('\n', offset - 1) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

} // namespace

QString ProfileStore::Warning::text() const
{
    QString sentence = file.isEmpty() ? message : file + QStringLiteral(": ") + message;
    if (!preservedCopy.isEmpty())
        sentence += QStringLiteral(". The file was kept unchanged as %1").arg(preservedCopy);
    if (!sentence.endsWith(QLatin1Char('.')))
        sentence += QLatin1Char('.');
    return sentence;
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
{
    Q_ASSERT(m_secrets);
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
    loadProfiles();
    loadEnvironments();
}

bool ProfileStore::hasExternalChanges() const
{
    return stateOf(profilesFilePath()) != m_profilesState
        || stateOf(environmentsFilePath()) != m_environmentsState;
}

ProfileStore::FileState ProfileStore::stateOf(const QString &path)
{
    FileState state;
    QFile file(path);
    if (!file.exists())
        return state;
    state.exists = true;
    if (!file.open(QIODevice::ReadOnly))
        return state;
    const QByteArray bytes = file.readAll();
    state.size = bytes.size();
    state.hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    return state;
}

ProfileStore::LoadedFile ProfileStore::loadFile(const QString &path, const QString &format,
                                                const QString &listKey)
{
    LoadedFile loaded;
    QFile file(path);
    if (!file.exists())
        return loaded;
    loaded.state.exists = true;
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.blocked = true;
        loaded.blockedReason = QStringLiteral("%1 cannot be read (%2); nothing will be written "
                                              "over it until it can")
                                   .arg(path, file.errorString());
        m_warnings.append(
            { path,
              QStringLiteral("cannot be read (%1); it is left as it is").arg(file.errorString()),
              QString() });
        return loaded;
    }
    const QByteArray bytes = file.readAll();
    file.close();
    loaded.state.size = bytes.size();
    loaded.state.hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    if (bytes.trimmed().isEmpty())
        return loaded;

    QString problem;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        problem = QStringLiteral("not valid JSON (%1 at %2)")
                      .arg(parseError.errorString(), positionOf(bytes, parseError.offset));
    } else if (document.isArray()) {
        loaded.items = document.array(); // a bare list, as someone might write by hand
    } else {
        const QJsonObject root = document.object();
        const QJsonValue fileFormat = root.value(QStringLiteral("format"));
        const QJsonValue list = root.value(listKey);
        if (!fileFormat.isUndefined() && fileFormat.toString() != format) {
            problem =
                QStringLiteral("not a Duplex %1 file (its \"format\" is %2, expected "
                               "\"%3\")")
                    .arg(listKey,
                         fileFormat.isString() ? QStringLiteral("\"%1\"").arg(fileFormat.toString())
                                               : QStringLiteral("not a string"),
                         format);
        } else if (list.isArray()) {
            loaded.items = list.toArray();
            const int version = root.value(QStringLiteral("schemaVersion")).toInt(1);
            if (version > FileSchemaVersion)
                m_warnings.append({ path,
                                    QStringLiteral("written by a newer version of Duplex "
                                                   "(schema %1, this one knows %2); settings "
                                                   "this version does not know are kept as they "
                                                   "are")
                                        .arg(version)
                                        .arg(FileSchemaVersion),
                                    QString() });
        } else if (!list.isUndefined() || !root.isEmpty()) {
            problem = QStringLiteral("has no \"%1\" list").arg(listKey);
        }
    }
    if (problem.isEmpty())
        return loaded;

    // Keep the unreadable file: move it aside under a name nothing else uses.
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString copy = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFile::exists(copy); ++n)
        copy = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    if (QFile::rename(path, copy)) {
        loaded.state = FileState();
        m_warnings.append({ path,
                            problem
                                + QStringLiteral("; starting without it, and a new file will "
                                                 "be written on the next change"),
                            copy });
    } else if (!QFile::exists(path)) {
        loaded.state = FileState(); // another process moved it aside first
        m_warnings.append(
            { path, problem + QStringLiteral("; another process moved it aside"), QString() });
    } else {
        loaded.blocked = true;
        loaded.blockedReason = QStringLiteral("%1 is %2 and could not be moved aside; fix or "
                                              "move it, then reload")
                                   .arg(path, problem);
        m_warnings.append({ path,
                            problem
                                + QStringLiteral("; it could not be moved aside, so it is "
                                                 "left in place and nothing will be written "
                                                 "over it"),
                            QString() });
    }
    return loaded;
}

void ProfileStore::loadProfiles()
{
    m_profiles.clear();
    m_unreadableProfiles = QJsonArray();
    for (auto it = m_knownSecrets.begin(); it != m_knownSecrets.end();) {
        if (it.key().startsWith(QLatin1String("profile/")))
            it = m_knownSecrets.erase(it);
        else
            ++it;
    }

    const QString path = profilesFilePath();
    LoadedFile loaded = loadFile(path, profilesFormat, profilesKey);
    m_profilesState = loaded.state;
    m_profilesBlocked = loaded.blocked ? loaded.blockedReason : QString();
    if (loaded.blocked)
        return;

    bool storeBroken = false;
    QSet<QUuid> ids;
    for (qsizetype i = 0; i < loaded.items.size(); ++i) {
        const QJsonValue item = loaded.items.at(i);
        QString error;
        std::optional<Profile> profile;
        if (item.isObject())
            profile = Profile::fromJson(item.toObject(), &error);
        else
            error = QStringLiteral("expected an object");
        if (!profile) {
            m_warnings.append({ path,
                                QStringLiteral("profile #%1%2 skipped: %3; it stays in the file "
                                               "as it is")
                                    .arg(i + 1)
                                    .arg(nameInItem(item), error),
                                QString() });
            m_unreadableProfiles.append(item);
            continue;
        }
        if (ids.contains(profile->id)) {
            m_warnings.append({ path,
                                QStringLiteral("profile '%1' has the same id as another one; it "
                                               "gets a new id")
                                    .arg(profile->path()),
                                QString() });
            profile->id = QUuid::createUuid();
        }
        ids.insert(profile->id);
        for (const Profile::SecretSlot &slot : profile->secretSlots()) {
            if (!slot.value.isEmpty())
                m_warnings.append(
                    { path,
                      QStringLiteral("profile '%1': the %2 is written in the file; "
                                     "it moves to %3 on the next change")
                          .arg(profile->path(), slot.description, m_secrets->backendName()),
                      QString() });
        }
        readProfileSecrets(*profile, storeBroken);
        if (const Profile *clash = profileNamed(m_profiles, profile->folder, profile->name))
            m_warnings.append({ path,
                                QStringLiteral("two profiles are named '%1' %2; look them up "
                                               "by id or rename one")
                                    .arg(clash->name, folderLabel(clash->folder)),
                                QString() });
        m_profiles.append(*profile);
    }
}

void ProfileStore::loadEnvironments()
{
    m_environments.clear();
    m_unreadableEnvironments = QJsonArray();
    for (auto it = m_knownSecrets.begin(); it != m_knownSecrets.end();) {
        if (it.key().startsWith(QLatin1String("environment/")))
            it = m_knownSecrets.erase(it);
        else
            ++it;
    }

    const QString path = environmentsFilePath();
    LoadedFile loaded = loadFile(path, environmentsFormat, environmentsKey);
    m_environmentsState = loaded.state;
    m_environmentsBlocked = loaded.blocked ? loaded.blockedReason : QString();
    if (loaded.blocked)
        return;

    bool storeBroken = false;
    QSet<QUuid> ids;
    for (qsizetype i = 0; i < loaded.items.size(); ++i) {
        const QJsonValue item = loaded.items.at(i);
        QString error;
        std::optional<Environment> environment;
        if (item.isObject())
            environment = Environment::fromJson(item.toObject(), &error);
        else
            error = QStringLiteral("expected an object");
        if (!environment) {
            m_warnings.append({ path,
                                QStringLiteral("environment #%1%2 skipped: %3; it stays in the "
                                               "file as it is")
                                    .arg(i + 1)
                                    .arg(nameInItem(item), error),
                                QString() });
            m_unreadableEnvironments.append(item);
            continue;
        }
        if (ids.contains(environment->id))
            environment->id = QUuid::createUuid();
        ids.insert(environment->id);
        for (const Environment::Variable &v : environment->variables) {
            if (v.secret && !v.value.isEmpty())
                m_warnings.append({ path,
                                    QStringLiteral("environment '%1': the secret variable %2 is "
                                                   "written in the file; it moves to %3 on the "
                                                   "next change")
                                        .arg(environment->name, v.name, m_secrets->backendName()),
                                    QString() });
        }
        readEnvironmentSecrets(*environment, storeBroken);
        if (environmentNamed(m_environments, environment->name))
            m_warnings.append({ path,
                                QStringLiteral("two environments are named '%1'; rename one")
                                    .arg(environment->name),
                                QString() });
        m_environments.append(*environment);
    }
}

void ProfileStore::readProfileSecrets(Profile &profile, bool &storeBroken)
{
    for (const Profile::SecretSlot &slot : profile.secretSlots()) {
        if (!slot.value.isEmpty() || storeBroken)
            continue;
        const QString key = profileSecretPrefix(profile.id) + slot.key;
        const SecretStore::Result result = m_secrets->read(key);
        switch (result.status) {
        case SecretStore::Status::Ok:
            profile.setSecretValue(slot.key, result.value);
            m_knownSecrets.insert(key, result.value);
            break;
        case SecretStore::Status::NotFound:
            // A proxy password slot exists for every proxy; only a header is expected to have one.
            if (slot.key.startsWith(QLatin1String("header:")))
                m_warnings.append({ m_secrets->backendName(),
                                    QStringLiteral("profile '%1': the value of the secret %2 is "
                                                   "not stored; enter it again")
                                        .arg(profile.path(), slot.description),
                                    QString() });
            break;
        case SecretStore::Status::Unavailable:
        case SecretStore::Status::Failed:
            storeBroken = true;
            m_warnings.append({ m_secrets->backendName(),
                                QStringLiteral("secret values could not be read (%1); secret "
                                               "headers, passwords and variables stay empty "
                                               "until it works again")
                                    .arg(result.errorMessage),
                                QString() });
            break;
        }
    }
}

void ProfileStore::readEnvironmentSecrets(Environment &environment, bool &storeBroken)
{
    for (Environment::Variable &v : environment.variables) {
        if (!v.secret || !v.value.isEmpty() || storeBroken)
            continue;
        const QString key =
            environmentSecretPrefix(environment.id) + Environment::secretKey(v.name);
        const SecretStore::Result result = m_secrets->read(key);
        switch (result.status) {
        case SecretStore::Status::Ok:
            v.value = result.value;
            m_knownSecrets.insert(key, result.value);
            break;
        case SecretStore::Status::NotFound:
            m_warnings.append({ m_secrets->backendName(),
                                QStringLiteral("environment '%1': the value of the secret "
                                               "variable %2 is not stored; enter it again")
                                    .arg(environment.name, v.name),
                                QString() });
            break;
        case SecretStore::Status::Unavailable:
        case SecretStore::Status::Failed:
            storeBroken = true;
            m_warnings.append({ m_secrets->backendName(),
                                QStringLiteral("secret values could not be read (%1); secret "
                                               "headers, passwords and variables stay empty "
                                               "until it works again")
                                    .arg(result.errorMessage),
                                QString() });
            break;
        }
    }
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

bool ProfileStore::writeFile(const QString &path, const QString &format, const QString &listKey,
                             const QJsonArray &items, FileState *state, QString *errorMessage)
{
    const QJsonObject root {
        { QStringLiteral("format"), format },
        { QStringLiteral("schemaVersion"), FileSchemaVersion },
        { listKey, items },
    };
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(errorMessage,
                 QStringLiteral("cannot write %1 (%2); the previous file is "
                                "unchanged")
                     .arg(path, file.errorString()));
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        setError(errorMessage,
                 QStringLiteral("cannot write %1 (%2); the previous file is "
                                "unchanged")
                     .arg(path, reason));
        return false;
    }
    if (m_beforeCommit && !m_beforeCommit(path)) {
        file.cancelWriting();
        file.commit(); // discards the temporary file
        setError(errorMessage,
                 QStringLiteral("writing %1 was interrupted before it completed; "
                                "the previous file is unchanged")
                     .arg(path));
        return false;
    }
    if (!file.commit()) {
        setError(errorMessage,
                 QStringLiteral("cannot replace %1 (%2); the previous file is "
                                "unchanged")
                     .arg(path, file.errorString()));
        return false;
    }
    state->exists = true;
    state->size = bytes.size();
    state->hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    return true;
}

ProfileStore::SecretValues ProfileStore::secretValues(const QList<Profile> &profiles)
{
    SecretValues values;
    for (const Profile &profile : profiles) {
        for (const Profile::SecretSlot &slot : profile.secretSlots()) {
            if (slot.value.isEmpty())
                continue;
            values.insert(profileSecretPrefix(profile.id) + slot.key,
                          { slot.value,
                            QStringLiteral("the secret %1 of profile '%2'")
                                .arg(slot.description, profile.path()) });
        }
    }
    return values;
}

ProfileStore::SecretValues ProfileStore::secretValues(const QList<Environment> &environments)
{
    SecretValues values;
    for (const Environment &environment : environments) {
        for (const Environment::Variable &v : environment.variables) {
            if (!v.secret || v.value.isEmpty())
                continue;
            values.insert(environmentSecretPrefix(environment.id) + Environment::secretKey(v.name),
                          { v.value,
                            QStringLiteral("the secret variable %1 of environment '%2'")
                                .arg(v.name, environment.name) });
        }
    }
    return values;
}

bool ProfileStore::writeSecrets(const SecretValues &desired, QString *errorMessage)
{
    for (auto it = desired.constBegin(); it != desired.constEnd(); ++it) {
        const auto known = m_knownSecrets.constFind(it.key());
        if (known != m_knownSecrets.constEnd() && known.value() == it->value)
            continue;
        const SecretStore::Result result = m_secrets->write(it.key(), it->value);
        if (result.status != SecretStore::Status::Ok) {
            setError(errorMessage,
                     QStringLiteral("%1 could not be saved in %2 (%3); nothing was saved, and "
                                    "secrets are never written to the profile files instead")
                         .arg(it->description, m_secrets->backendName(), result.errorMessage));
            return false;
        }
        m_knownSecrets.insert(it.key(), it->value);
    }
    return true;
}

void ProfileStore::removeStaleSecrets(const QString &prefix, const SecretValues &desired,
                                      const QStringList &alsoRemove)
{
    QStringList stale = alsoRemove;
    for (auto it = m_knownSecrets.constBegin(); it != m_knownSecrets.constEnd(); ++it) {
        if (it.key().startsWith(prefix) && !desired.contains(it.key()) && !stale.contains(it.key()))
            stale << it.key();
    }
    for (const QString &key : std::as_const(stale)) {
        if (desired.contains(key))
            continue;
        const SecretStore::Result result = m_secrets->remove(key);
        if (result.status != SecretStore::Status::Ok && m_knownSecrets.contains(key))
            m_warnings.append({ m_secrets->backendName(),
                                QStringLiteral("a secret value no longer used could not be "
                                               "removed (%1)")
                                    .arg(result.errorMessage),
                                QString() });
        m_knownSecrets.remove(key);
    }
}

bool ProfileStore::commitProfiles(const QList<Profile> &next, QString *errorMessage)
{
    const SecretValues desired = secretValues(next);
    if (!writeSecrets(desired, errorMessage))
        return false;

    QJsonArray items;
    for (const Profile &profile : next)
        items.append(profile.toJson());
    for (const QJsonValue &raw : std::as_const(m_unreadableProfiles))
        items.append(raw);
    FileState state;
    if (!writeFile(profilesFilePath(), profilesFormat, profilesKey, items, &state, errorMessage))
        return false;

    // Every slot of a profile that is gone, even one this instance never read.
    QStringList removed;
    for (const Profile &old : std::as_const(m_profiles)) {
        if (indexOfProfile(next, old.id) >= 0)
            continue;
        for (const Profile::SecretSlot &slot : old.secretSlots())
            removed << profileSecretPrefix(old.id) + slot.key;
    }
    m_profiles = next;
    m_profilesState = state;
    removeStaleSecrets(QStringLiteral("profile/"), desired, removed);
    return true;
}

bool ProfileStore::commitEnvironments(const QList<Environment> &next, QString *errorMessage)
{
    const SecretValues desired = secretValues(next);
    if (!writeSecrets(desired, errorMessage))
        return false;

    QJsonArray items;
    for (const Environment &environment : next)
        items.append(environment.toJson());
    for (const QJsonValue &raw : std::as_const(m_unreadableEnvironments))
        items.append(raw);
    FileState state;
    if (!writeFile(environmentsFilePath(), environmentsFormat, environmentsKey, items, &state,
                   errorMessage))
        return false;

    QStringList removed;
    for (const Environment &old : std::as_const(m_environments)) {
        if (indexOfEnvironment(next, old.id) >= 0)
            continue;
        for (const Environment::Variable &v : old.variables) {
            if (v.secret)
                removed << environmentSecretPrefix(old.id) + Environment::secretKey(v.name);
        }
    }
    m_environments = next;
    m_environmentsState = state;
    removeStaleSecrets(QStringLiteral("environment/"), desired, removed);
    return true;
}

bool ProfileStore::mutateProfiles(const std::function<bool(QList<Profile> &, QString *)> &change,
                                  QString *errorMessage)
{
    QLockFile lockFile(m_directory + QStringLiteral("/store.lock"));
    if (!lock(lockFile, errorMessage))
        return false;
    if (stateOf(profilesFilePath()) != m_profilesState)
        loadProfiles(); // another process changed it: build on its version
    if (!m_profilesBlocked.isEmpty()) {
        setError(errorMessage, m_profilesBlocked);
        return false;
    }
    QList<Profile> next = m_profiles;
    if (!change(next, errorMessage))
        return false;
    return commitProfiles(next, errorMessage);
}

bool ProfileStore::mutateEnvironments(
    const std::function<bool(QList<Environment> &, QString *)> &change, QString *errorMessage)
{
    QLockFile lockFile(m_directory + QStringLiteral("/store.lock"));
    if (!lock(lockFile, errorMessage))
        return false;
    if (stateOf(environmentsFilePath()) != m_environmentsState)
        loadEnvironments();
    if (!m_environmentsBlocked.isEmpty()) {
        setError(errorMessage, m_environmentsBlocked);
        return false;
    }
    QList<Environment> next = m_environments;
    if (!change(next, errorMessage))
        return false;
    return commitEnvironments(next, errorMessage);
}

std::optional<Profile> ProfileStore::profile(const QUuid &id) const
{
    const qsizetype index = indexOfProfile(m_profiles, id);
    if (index < 0)
        return std::nullopt;
    return m_profiles.at(index);
}

std::optional<Profile> ProfileStore::findProfile(const QString &folder, const QString &name) const
{
    if (const Profile *p = profileNamed(m_profiles, folder, name))
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
                     .arg(name, folderLabel(folder), profilesFilePath()));
        return std::nullopt;
    }
    QList<const Profile *> matches;
    for (const Profile &p : m_profiles) {
        if (sameText(p.name, trimmed))
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
    for (const Profile &p : m_profiles) {
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
    const qsizetype index = indexOfEnvironment(m_environments, id);
    if (index < 0)
        return std::nullopt;
    return m_environments.at(index);
}

std::optional<Environment> ProfileStore::findEnvironment(const QString &name) const
{
    if (const Environment *e = environmentNamed(m_environments, name))
        return *e;
    return std::nullopt;
}

std::optional<QUuid> ProfileStore::addProfile(Profile profile, QString *errorMessage)
{
    profile.name = profile.name.trimmed();
    profile.folder = Profile::normalizedFolder(profile.folder);
    if (!checkName(profile.name, QStringLiteral("profile"), errorMessage))
        return std::nullopt;
    if (profile.id.isNull())
        profile.id = QUuid::createUuid();
    const bool ok = mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            if (indexOfProfile(list, profile.id) >= 0) {
                setError(error,
                         QStringLiteral("a profile with the id %1 exists already")
                             .arg(profile.id.toString(QUuid::WithoutBraces)));
                return false;
            }
            if (profileNamed(list, profile.folder, profile.name)) {
                setError(error,
                         QStringLiteral("a profile named '%1' exists already %2")
                             .arg(profile.name, folderLabel(profile.folder)));
                return false;
            }
            list.append(profile);
            return true;
        },
        errorMessage);
    return ok ? std::optional<QUuid>(profile.id) : std::nullopt;
}

bool ProfileStore::updateProfile(const Profile &changed, QString *errorMessage)
{
    Profile profile = changed;
    profile.name = profile.name.trimmed();
    profile.folder = Profile::normalizedFolder(profile.folder);
    if (!checkName(profile.name, QStringLiteral("profile"), errorMessage))
        return false;
    return mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype index = indexOfProfile(list, profile.id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("profile")));
                return false;
            }
            if (profileNamed(list, profile.folder, profile.name, profile.id)) {
                setError(error,
                         QStringLiteral("a profile named '%1' exists already %2")
                             .arg(profile.name, folderLabel(profile.folder)));
                return false;
            }
            list[index] = profile;
            return true;
        },
        errorMessage);
}

bool ProfileStore::removeProfile(const QUuid &id, QString *errorMessage)
{
    return mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype index = indexOfProfile(list, id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("profile")));
                return false;
            }
            list.removeAt(index);
            return true;
        },
        errorMessage);
}

bool ProfileStore::renameProfile(const QUuid &id, const QString &newName, QString *errorMessage)
{
    const QString name = newName.trimmed();
    if (!checkName(name, QStringLiteral("profile"), errorMessage))
        return false;
    return mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype index = indexOfProfile(list, id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("profile")));
                return false;
            }
            const QString folder = list.at(index).folder;
            if (profileNamed(list, folder, name, id)) {
                setError(error,
                         QStringLiteral("a profile named '%1' exists already %2")
                             .arg(name, folderLabel(folder)));
                return false;
            }
            list[index].name = name;
            return true;
        },
        errorMessage);
}

std::optional<QUuid> ProfileStore::duplicateProfile(const QUuid &id, QString *errorMessage)
{
    const QUuid copyId = QUuid::createUuid();
    const bool ok = mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype index = indexOfProfile(list, id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("profile")));
                return false;
            }
            Profile copy = list.at(index);
            copy.id = copyId;
            QStringList taken;
            for (const Profile &p : std::as_const(list)) {
                if (sameFolder(p.folder, copy.folder))
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
    return mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype index = indexOfProfile(list, id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("profile")));
                return false;
            }
            const QString name = list.at(index).name;
            if (profileNamed(list, target, name, id)) {
                setError(error,
                         QStringLiteral("a profile named '%1' exists already %2")
                             .arg(name, folderLabel(target)));
                return false;
            }
            list[index].folder = target;
            return true;
        },
        errorMessage);
}

bool ProfileStore::reorderProfile(const QUuid &id, int index, QString *errorMessage)
{
    return mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            const qsizetype from = indexOfProfile(list, id);
            if (from < 0) {
                setError(error, gone(QStringLiteral("profile")));
                return false;
            }
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
    return mutateProfiles(
        [&](QList<Profile> &list, QString *error) {
            bool any = false;
            for (Profile &p : list) {
                const QString folder = Profile::normalizedFolder(p.folder);
                if (sameFolder(folder, source)) {
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
                if (const Profile *clash = profileNamed(list, p.folder, p.name, p.id)) {
                    setError(error,
                             QStringLiteral("two profiles would be named '%1' %2")
                                 .arg(clash->name, folderLabel(clash->folder)));
                    return false;
                }
            }
            return true;
        },
        errorMessage);
}

std::optional<QUuid> ProfileStore::addEnvironment(Environment environment, QString *errorMessage)
{
    environment.name = environment.name.trimmed();
    if (!checkName(environment.name, QStringLiteral("environment"), errorMessage))
        return std::nullopt;
    if (environment.id.isNull())
        environment.id = QUuid::createUuid();
    const bool ok = mutateEnvironments(
        [&](QList<Environment> &list, QString *error) {
            if (indexOfEnvironment(list, environment.id) >= 0) {
                setError(error,
                         QStringLiteral("an environment with the id %1 exists already")
                             .arg(environment.id.toString(QUuid::WithoutBraces)));
                return false;
            }
            if (environmentNamed(list, environment.name)) {
                setError(error,
                         QStringLiteral("an environment named '%1' exists already")
                             .arg(environment.name));
                return false;
            }
            list.append(environment);
            return true;
        },
        errorMessage);
    return ok ? std::optional<QUuid>(environment.id) : std::nullopt;
}

bool ProfileStore::updateEnvironment(const Environment &changed, QString *errorMessage)
{
    Environment environment = changed;
    environment.name = environment.name.trimmed();
    if (!checkName(environment.name, QStringLiteral("environment"), errorMessage))
        return false;
    return mutateEnvironments(
        [&](QList<Environment> &list, QString *error) {
            const qsizetype index = indexOfEnvironment(list, environment.id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("environment")));
                return false;
            }
            if (environmentNamed(list, environment.name, environment.id)) {
                setError(error,
                         QStringLiteral("an environment named '%1' exists already")
                             .arg(environment.name));
                return false;
            }
            list[index] = environment;
            return true;
        },
        errorMessage);
}

bool ProfileStore::removeEnvironment(const QUuid &id, QString *errorMessage)
{
    return mutateEnvironments(
        [&](QList<Environment> &list, QString *error) {
            const qsizetype index = indexOfEnvironment(list, id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("environment")));
                return false;
            }
            list.removeAt(index);
            return true;
        },
        errorMessage);
}

bool ProfileStore::renameEnvironment(const QUuid &id, const QString &newName, QString *errorMessage)
{
    const QString name = newName.trimmed();
    if (!checkName(name, QStringLiteral("environment"), errorMessage))
        return false;
    return mutateEnvironments(
        [&](QList<Environment> &list, QString *error) {
            const qsizetype index = indexOfEnvironment(list, id);
            if (index < 0) {
                setError(error, gone(QStringLiteral("environment")));
                return false;
            }
            if (environmentNamed(list, name, id)) {
                setError(error,
                         QStringLiteral("an environment named '%1' exists already").arg(name));
                return false;
            }
            list[index].name = name;
            return true;
        },
        errorMessage);
}

bool ProfileStore::merge(const QList<Profile> &profiles, const QList<Environment> &environments,
                         QStringList *report, QString *errorMessage)
{
    QLockFile lockFile(m_directory + QStringLiteral("/store.lock"));
    if (!lock(lockFile, errorMessage))
        return false;
    if (!profiles.isEmpty() && stateOf(profilesFilePath()) != m_profilesState)
        loadProfiles();
    if (!environments.isEmpty() && stateOf(environmentsFilePath()) != m_environmentsState)
        loadEnvironments();
    if (!profiles.isEmpty() && !m_profilesBlocked.isEmpty()) {
        setError(errorMessage, m_profilesBlocked);
        return false;
    }
    if (!environments.isEmpty() && !m_environmentsBlocked.isEmpty()) {
        setError(errorMessage, m_environmentsBlocked);
        return false;
    }
    QStringList lines;

    QList<Profile> nextProfiles = m_profiles;
    for (Profile profile : profiles) {
        profile.name = profile.name.trimmed();
        profile.folder = Profile::normalizedFolder(profile.folder);
        QString nameError;
        if (!checkName(profile.name, QStringLiteral("profile"), &nameError)) {
            lines << QStringLiteral("skipped a profile: %1").arg(nameError);
            continue;
        }
        if (profile.id.isNull() || indexOfProfile(nextProfiles, profile.id) >= 0)
            profile.id = QUuid::createUuid();
        QStringList taken;
        for (const Profile &p : std::as_const(nextProfiles)) {
            if (sameFolder(p.folder, profile.folder))
                taken << p.name;
        }
        const QString name = uniqueName(profile.name, taken);
        if (name != profile.name) {
            lines << QStringLiteral("profile '%1' imported as '%2': a profile of that name "
                                    "exists %3")
                         .arg(profile.name, name, folderLabel(profile.folder));
            profile.name = name;
        }
        nextProfiles.append(profile);
    }

    QList<Environment> nextEnvironments = m_environments;
    for (Environment environment : environments) {
        environment.name = environment.name.trimmed();
        QString nameError;
        if (!checkName(environment.name, QStringLiteral("environment"), &nameError)) {
            lines << QStringLiteral("skipped an environment: %1").arg(nameError);
            continue;
        }
        if (environment.id.isNull() || indexOfEnvironment(nextEnvironments, environment.id) >= 0)
            environment.id = QUuid::createUuid();
        QStringList taken;
        for (const Environment &e : std::as_const(nextEnvironments))
            taken << e.name;
        const QString name = uniqueName(environment.name, taken);
        if (name != environment.name) {
            lines << QStringLiteral("environment '%1' imported as '%2': an environment of that "
                                    "name exists")
                         .arg(environment.name, name);
            environment.name = name;
        }
        nextEnvironments.append(environment);
    }

    const bool profilesChanged = nextProfiles.size() != m_profiles.size();
    if (profilesChanged && !commitProfiles(nextProfiles, errorMessage))
        return false;
    if (nextEnvironments.size() != m_environments.size()
        && !commitEnvironments(nextEnvironments, errorMessage)) {
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
            if (sameText(t, candidate))
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
