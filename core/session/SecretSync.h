#pragma once

#include "core/session/StoreWarning.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace duplex {

class SecretStore;

// Keeps the SecretStore in step with the secret values of ProfileStore's items (secret headers
// and proxy passwords of profiles, secret variables of environments), under the keys
// "profile/<id>/<place>" and "environment/<id>/<place>".
//
// Remembers what the store holds, as far as this process knows, so that a save writes only the
// values that changed and removes only those no longer used. The item-kind templates are
// instantiated for Profile and Environment.
class SecretSync
{
public:
    struct Value
    {
        QString value;
        QString description; // "the secret header X-Token of profile 'Staging'", for errors
    };
    using Values = QHash<QString, Value>; // by SecretStore key

    explicit SecretSync(std::shared_ptr<SecretStore> store);

    SecretStore &store() const { return *m_store; }

    // Forgets what is known of the secrets of one kind, before its items are read again.
    template<typename Item>
    void forget();
    // Fills the empty secret places of `item` from the store. Once the store fails, `storeBroken`
    // is set and the store is not asked again while it stays set.
    template<typename Item>
    void read(Item &item, bool &storeBroken, QList<StoreWarning> &warnings);

    // The secret values of `items`, as they should be in the store.
    template<typename Item>
    static Values valuesOf(const QList<Item> &items);
    // Writes what the store does not hold yet. False (and why) on the first value that fails.
    bool write(const Values &desired, QString *errorMessage);
    // Once `previous` is replaced by `next`: removes the secrets of that kind no longer used,
    // every place of an item that is gone included, even one never read here.
    template<typename Item>
    void removeUnused(const QList<Item> &previous, const QList<Item> &next, const Values &desired,
                      QList<StoreWarning> &warnings);

private:
    template<typename Item>
    static QString prefix(); // "profile/"
    template<typename Item>
    static QString prefix(const Item &item); // "profile/<id>/"

    std::shared_ptr<SecretStore> m_store;
    QHash<QString, QString> m_known; // what the store holds, as far as we know
};

} // namespace duplex
