#include "core/session/StoredItemTraits.h"

namespace duplex {

bool StoredItemNames::same(const QString &a, const QString &b)
{
    return a.trimmed().compare(b.trimmed(), Qt::CaseInsensitive) == 0;
}

bool StoredItemNames::sameFolder(const QString &a, const QString &b)
{
    return Profile::normalizedFolder(a).compare(Profile::normalizedFolder(b), Qt::CaseInsensitive)
        == 0;
}

QString StoredItemNames::folderLabel(const QString &folder)
{
    return folder.isEmpty() ? QStringLiteral("at the top level")
                            : QStringLiteral("in folder '%1'").arg(folder);
}

void StoredItemTraits<Profile>::normalize(Profile &profile)
{
    profile.name = profile.name.trimmed();
    profile.folder = Profile::normalizedFolder(profile.folder);
}

QList<StoredSecret> StoredItemTraits<Profile>::secrets(const Profile &profile)
{
    QList<StoredSecret> secrets;
    for (const Profile::SecretSlot &slot : profile.secretSlots())
        secrets.append({ slot.key, slot.description, slot.value });
    return secrets;
}

void StoredItemTraits<Profile>::setSecret(Profile &profile, const QString &key,
                                          const QString &value)
{
    profile.setSecretValue(key, value);
}

bool StoredItemTraits<Profile>::expectsStoredValue(const StoredSecret &secret)
{
    return secret.key.startsWith(QLatin1String("header:"));
}

QString StoredItemTraits<Profile>::twoNamed(const Profile &existing, const Profile &)
{
    return QStringLiteral("two profiles are named '%1' %2; look them up by id or rename one")
        .arg(existing.name, folderLabel(existing.folder));
}

void StoredItemTraits<Environment>::normalize(Environment &environment)
{
    environment.name = environment.name.trimmed();
}

QList<StoredSecret> StoredItemTraits<Environment>::secrets(const Environment &environment)
{
    QList<StoredSecret> secrets;
    for (const Environment::Variable &v : environment.variables) {
        if (v.secret)
            secrets.append(
                { Environment::secretKey(v.name), QStringLiteral("variable ") + v.name, v.value });
    }
    return secrets;
}

void StoredItemTraits<Environment>::setSecret(Environment &environment, const QString &key,
                                              const QString &value)
{
    for (Environment::Variable &v : environment.variables) {
        if (v.secret && v.value.isEmpty() && Environment::secretKey(v.name) == key)
            v.value = value;
    }
}

QString StoredItemTraits<Environment>::twoNamed(const Environment &, const Environment &environment)
{
    return QStringLiteral("two environments are named '%1'; rename one").arg(environment.name);
}

} // namespace duplex
