#include "core/session/SecretStoreInMemory.h"
#include "core/session/SecretStoreKeychain.h"

#include <QElapsedTimer>
#include <QTest>

using namespace duplex;

// The keychain itself is not exercised: the test machines have no keychain daemon, and a test
// must never write into the keychain of whoever runs it. What is checked is that a missing
// keychain is detected quickly and reported, and that the fallback never persists anything.
class tst_SecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void inMemory();
    void inMemoryFailing();
    void keychainWithoutBackendIsReported();
    void createDefaultSaysWhyNotPersistent();
};

void tst_SecretStore::initTestCase()
{
    // No session bus: on Linux both Secret Service and KWallet are reached through D-Bus, so no
    // keychain answers, whatever this machine has.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/duplex-test-bus");
}

void tst_SecretStore::inMemory()
{
    SecretStoreInMemory store;
    QVERIFY(!store.isPersistent());
    QCOMPARE(store.read(QStringLiteral("k")).status, SecretStore::Status::NotFound);
    QCOMPARE(store.write(QStringLiteral("k"), QStringLiteral("v")).status, SecretStore::Status::Ok);
    const SecretStore::Result read = store.read(QStringLiteral("k"));
    QCOMPARE(read.status, SecretStore::Status::Ok);
    QCOMPARE(read.value, QStringLiteral("v"));
    QCOMPARE(store.remove(QStringLiteral("k")).status, SecretStore::Status::Ok);
    QCOMPARE(store.remove(QStringLiteral("k")).status, SecretStore::Status::Ok); // not an error
    QCOMPARE(store.read(QStringLiteral("k")).status, SecretStore::Status::NotFound);
}

void tst_SecretStore::inMemoryFailing()
{
    SecretStoreInMemory store;
    store.setFailing(true);
    const SecretStore::Result result = store.write(QStringLiteral("k"), QStringLiteral("v"));
    QCOMPARE(result.status, SecretStore::Status::Failed);
    QVERIFY(!result.errorMessage.isEmpty());
    QVERIFY(store.values().isEmpty());
}

void tst_SecretStore::keychainWithoutBackendIsReported()
{
    SecretStoreKeychain keychain(QStringLiteral("Duplex tests"), 3000);
    QVERIFY(keychain.isPersistent());
    QVERIFY(!keychain.backendName().isEmpty());
    QElapsedTimer timer;
    timer.start();
    const SecretStore::Result probe = keychain.probe();
#if defined(Q_OS_LINUX)
    QVERIFY2(probe.status == SecretStore::Status::Unavailable
                 || probe.status == SecretStore::Status::Failed,
             qPrintable(probe.errorMessage));
    QVERIFY(!probe.errorMessage.isEmpty());
    if (!SecretStoreKeychain::isCompiledIn())
        QVERIFY(probe.errorMessage.contains(QStringLiteral("no keychain support")));
#endif
    QVERIFY(timer.elapsed() < 10'000);
}

void tst_SecretStore::createDefaultSaysWhyNotPersistent()
{
    QString why;
    const std::unique_ptr<SecretStore> store =
        SecretStore::createDefault(QStringLiteral("Duplex tests"), &why);
    QVERIFY(store);
    if (store->isPersistent()) {
        QVERIFY(why.isEmpty()); // a keychain answered (not on the Linux test machines)
        return;
    }
    QVERIFY2(why.startsWith(QStringLiteral("No working keychain: ")), qPrintable(why));
    QVERIFY(why.contains(QStringLiteral("never written to disk")));
    QVERIFY(store->backendName().contains(QStringLiteral("memory")));
}

QTEST_GUILESS_MAIN(tst_SecretStore)
#include "tst_secretstore.moc"
