#pragma once

#include "core/session/SecretStore.h"

#include <QHash>

namespace duplex {

// Secrets kept in this process only: for tests, and for systems without a working keychain
// (never a silent fallback to disk). Copies share nothing.
class SecretStoreInMemory final : public SecretStore
{
public:
    SecretStoreInMemory() = default;

    QString backendName() const override;
    bool isPersistent() const override { return false; }

    Result read(const QString &key) override;
    Result write(const QString &key, const QString &value) override;
    Result remove(const QString &key) override;

    // Everything held, for tests.
    const QHash<QString, QString> &values() const { return m_values; }

    // Makes every later call fail as a broken keychain would, for tests.
    void setFailing(bool failing) { m_failing = failing; }

private:
    QHash<QString, QString> m_values;
    bool m_failing = false;
};

} // namespace duplex
