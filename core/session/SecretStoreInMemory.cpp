#include "core/session/SecretStoreInMemory.h"

namespace duplex {

namespace {

SecretStore::Result failure()
{
    return { SecretStore::Status::Failed, QString(),
             QStringLiteral("the secret store refused the request") };
}

} // namespace

QString SecretStoreInMemory::backendName() const
{
    return QStringLiteral("memory only (lost on exit)");
}

SecretStore::Result SecretStoreInMemory::read(const QString &key)
{
    if (m_failing)
        return failure();
    const auto it = m_values.constFind(key);
    if (it == m_values.constEnd())
        return { Status::NotFound, QString(), QStringLiteral("no secret stored for %1").arg(key) };
    return { Status::Ok, it.value(), QString() };
}

SecretStore::Result SecretStoreInMemory::write(const QString &key, const QString &value)
{
    if (m_failing)
        return failure();
    m_values.insert(key, value);
    return { Status::Ok, QString(), QString() };
}

SecretStore::Result SecretStoreInMemory::remove(const QString &key)
{
    if (m_failing)
        return failure();
    m_values.remove(key);
    return { Status::Ok, QString(), QString() };
}

} // namespace duplex
