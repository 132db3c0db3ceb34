#include "core/session/SecretStore.h"

#include "core/session/SecretStoreInMemory.h"
#include "core/session/SecretStoreKeychain.h"

namespace duplex {

SecretStore::~SecretStore() = default;

std::unique_ptr<SecretStore> SecretStore::createDefault(const QString &service,
                                                        QString *whyNotPersistent)
{
    auto keychain = std::make_unique<SecretStoreKeychain>(service);
    const SecretStore::Result probe = keychain->probe();
    if (probe.status == Status::Ok)
        return keychain;
    if (whyNotPersistent)
        *whyNotPersistent = QStringLiteral("No working keychain: %1. Secret values (secret "
                                           "headers, proxy passwords, secret variables) are kept "
                                           "in memory only and are lost when Duplex exits; they "
                                           "are never written to disk.")
                                .arg(probe.errorMessage);
    return std::make_unique<SecretStoreInMemory>();
}

} // namespace duplex
