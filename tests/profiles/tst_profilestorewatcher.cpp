#include "core/session/ProfileStore.h"
#include "core/session/ProfileStoreWatcher.h"
#include "core/session/SecretStoreInMemory.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

class tst_ProfileStoreWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reportsChangesFromAnotherStore();
    void ownChangesAreNotReported();
    void autoReload();
    void checkWithoutEvents();

private:
    QTemporaryDir m_home;
    std::shared_ptr<SecretStoreInMemory> m_secrets = std::make_shared<SecretStoreInMemory>();
    int m_counter = 0;
    QString newDirectory() { return m_home.filePath(QStringLiteral("store-%1").arg(++m_counter)); }
};

void tst_ProfileStoreWatcher::initTestCase()
{
    QVERIFY(m_home.isValid());
    QStandardPaths::setTestModeEnabled(true);
}

void tst_ProfileStoreWatcher::reportsChangesFromAnotherStore()
{
    const QString dir = newDirectory();
    ProfileStore window(dir, m_secrets);
    ProfileStoreWatcher watcher(&window);
    QSignalSpy changed(&watcher, &ProfileStoreWatcher::externallyChanged);

    ProfileStore cli(dir, m_secrets);
    QVERIFY(cli.addProfile(Profile::create(QStringLiteral("From the command line"))));
    QTRY_VERIFY(changed.count() >= 1);
    QVERIFY(window.profiles().isEmpty()); // not reloaded behind the UI's back
    window.reload();
    QCOMPARE(window.profiles().size(), 1);

    // The file was replaced (a new inode): the watcher still sees the next change.
    changed.clear();
    QVERIFY(cli.addProfile(Profile::create(QStringLiteral("Second"))));
    QTRY_VERIFY(changed.count() >= 1);
}

void tst_ProfileStoreWatcher::ownChangesAreNotReported()
{
    ProfileStore store(newDirectory(), m_secrets);
    ProfileStoreWatcher watcher(&store);
    watcher.setSettleInterval(20);
    QSignalSpy changed(&watcher, &ProfileStoreWatcher::externallyChanged);
    QVERIFY(store.addProfile(Profile::create(QStringLiteral("Mine"))));
    QVERIFY(store.addEnvironment(Environment::create(QStringLiteral("dev"))));
    QTest::qWait(300);
    QCOMPARE(changed.count(), 0);
}

void tst_ProfileStoreWatcher::autoReload()
{
    const QString dir = newDirectory();
    ProfileStore window(dir, m_secrets);
    ProfileStoreWatcher watcher(&window);
    watcher.setAutoReload(true);
    QSignalSpy reloaded(&watcher, &ProfileStoreWatcher::reloaded);
    QSignalSpy changed(&watcher, &ProfileStoreWatcher::externallyChanged);

    ProfileStore other(dir, m_secrets);
    QVERIFY(other.addEnvironment(Environment::create(QStringLiteral("staging"))));
    QTRY_VERIFY(reloaded.count() >= 1);
    QCOMPARE(window.environments().size(), 1);
    QCOMPARE(changed.count(), 0);
}

void tst_ProfileStoreWatcher::checkWithoutEvents()
{
    const QString dir = newDirectory();
    ProfileStore window(dir, m_secrets);
    ProfileStoreWatcher watcher(&window);
    QSignalSpy changed(&watcher, &ProfileStoreWatcher::externallyChanged);
    watcher.check();
    QCOMPARE(changed.count(), 0);
    ProfileStore other(dir, m_secrets);
    QVERIFY(other.addProfile(Profile::create(QStringLiteral("x"))));
    watcher.check();
    QVERIFY(changed.count() >= 1);
}

QTEST_GUILESS_MAIN(tst_ProfileStoreWatcher)
#include "tst_profilestorewatcher.moc"
