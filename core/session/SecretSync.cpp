#include "core/session/SecretSync.h"

#include "core/session/SecretStore.h"
#include "core/session/StoredItemTraits.h"

#include <algorithm>

namespace duplex {

SecretSync::SecretSync(std::shared_ptr<SecretStore> store)
    : m_store(std::move(store))
{
    Q_ASSERT(m_store);
}

template<typename Item>
QString SecretSync::prefix()
{
    return StoredItemTraits<Item>::secretKeyPrefix() + QLatin1Char('/');
}

template<typename Item>
QString SecretSync::prefix(const Item &item)
{
    return prefix<Item>() + item.id.toString(QUuid::WithoutBraces) + QLatin1Char('/');
}

template<typename Item>
void SecretSync::forget()
{
    const QString root = prefix<Item>();
    for (auto it = m_known.begin(); it != m_known.end();) {
        if (it.key().startsWith(root))
            it = m_known.erase(it);
        else
            ++it;
    }
}

template<typename Item>
void SecretSync::read(Item &item, bool &storeBroken, QList<StoreWarning> &warnings)
{
    using Traits = StoredItemTraits<Item>;
    for (const StoredSecret &secret : Traits::secrets(item)) {
        if (!secret.value.isEmpty() || storeBroken)
            continue;
        const QString key = prefix(item) + secret.key;
        const SecretStore::Result result = m_store->read(key);
        switch (result.status) {
        case SecretStore::Status::Ok:
            Traits::setSecret(item, secret.key, result.value);
            m_known.insert(key, result.value);
            break;
        case SecretStore::Status::NotFound:
            if (Traits::expectsStoredValue(secret))
                warnings.append({ m_store->backendName(),
                                  QStringLiteral("%1 '%2': the value of the secret %3 is not "
                                                 "stored; enter it again")
                                      .arg(Traits::noun(), Traits::label(item), secret.description),
                                  QString() });
            break;
        case SecretStore::Status::Unavailable:
        case SecretStore::Status::Failed:
            storeBroken = true;
            warnings.append({ m_store->backendName(),
                              QStringLiteral("secret values could not be read (%1); secret "
                                             "headers, passwords and variables stay empty until "
                                             "it works again")
                                  .arg(result.errorMessage),
                              QString() });
            break;
        }
    }
}

template<typename Item>
SecretSync::Values SecretSync::valuesOf(const QList<Item> &items)
{
    using Traits = StoredItemTraits<Item>;
    Values values;
    for (const Item &item : items) {
        for (const StoredSecret &secret : Traits::secrets(item)) {
            if (secret.value.isEmpty())
                continue;
            values.insert(prefix(item) + secret.key,
                          { secret.value,
                            QStringLiteral("the secret %1 of %2 '%3'")
                                .arg(secret.description, Traits::noun(), Traits::label(item)) });
        }
    }
    return values;
}

bool SecretSync::write(const Values &desired, QString *errorMessage)
{
    for (auto it = desired.constBegin(); it != desired.constEnd(); ++it) {
        const auto known = m_known.constFind(it.key());
        if (known != m_known.constEnd() && known.value() == it->value)
            continue;
        const SecretStore::Result result = m_store->write(it.key(), it->value);
        if (result.status != SecretStore::Status::Ok) {
            if (errorMessage)
                *errorMessage =
                    QStringLiteral("%1 could not be saved in %2 (%3); nothing was "
                                   "saved, and secrets are never written to the "
                                   "profile files instead")
                        .arg(it->description, m_store->backendName(), result.errorMessage);
            return false;
        }
        m_known.insert(it.key(), it->value);
    }
    return true;
}

template<typename Item>
void SecretSync::removeUnused(const QList<Item> &previous, const QList<Item> &next,
                              const Values &desired, QList<StoreWarning> &warnings)
{
    const auto kept = [&](const Item &old) {
        return std::any_of(next.cbegin(), next.cend(),
                           [&](const Item &item) { return item.id == old.id; });
    };
    QStringList stale;
    for (const Item &old : previous) {
        if (kept(old))
            continue;
        for (const StoredSecret &secret : StoredItemTraits<Item>::secrets(old))
            stale << prefix(old) + secret.key;
    }
    const QString root = prefix<Item>();
    for (auto it = m_known.constBegin(); it != m_known.constEnd(); ++it) {
        if (it.key().startsWith(root) && !desired.contains(it.key()) && !stale.contains(it.key()))
            stale << it.key();
    }
    for (const QString &key : std::as_const(stale)) {
        if (desired.contains(key))
            continue;
        const SecretStore::Result result = m_store->remove(key);
        if (result.status != SecretStore::Status::Ok && m_known.contains(key))
            warnings.append({ m_store->backendName(),
                              QStringLiteral("a secret value no longer used could not be removed "
                                             "(%1)")
                                  .arg(result.errorMessage),
                              QString() });
        m_known.remove(key);
    }
}

template void SecretSync::forget<Profile>();
template void SecretSync::forget<Environment>();
template void SecretSync::read(Profile &, bool &, QList<StoreWarning> &);
template void SecretSync::read(Environment &, bool &, QList<StoreWarning> &);
template SecretSync::Values SecretSync::valuesOf(const QList<Profile> &);
template SecretSync::Values SecretSync::valuesOf(const QList<Environment> &);
template void SecretSync::removeUnused(const QList<Profile> &, const QList<Profile> &,
                                       const Values &, QList<StoreWarning> &);
template void SecretSync::removeUnused(const QList<Environment> &, const QList<Environment> &,
                                       const Values &, QList<StoreWarning> &);

} // namespace duplex
