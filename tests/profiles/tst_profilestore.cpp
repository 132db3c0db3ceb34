#include "core/session/ProfileStore.h"
#include "core/session/SecretStoreInMemory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

Profile sample(const QString &name, const QString &folder = {})
{
    Profile p = Profile::create(name);
    p.folder = folder;
    p.url = QStringLiteral("wss://echo.example.com/%1").arg(name);
    p.headers = { { QStringLiteral("X-Team"), QStringLiteral("payments"), true, false } };
    p.templates = { { QStringLiteral("hello"), Profile::TemplateKind::Text,
                      QStringLiteral("hello") } };
    return p;
}

Profile withSecrets(const QString &name)
{
    Profile p = sample(name);
    p.headers.append({ QStringLiteral("X-Token"), QStringLiteral("TOKEN-VALUE-123"), true, true });
    p.proxy = { Profile::ProxyType::Http, QStringLiteral("proxy.local"), 3128,
                QStringLiteral("bob"), QStringLiteral("PROXY-PASSWORD-456") };
    return p;
}

QStringList names(const QList<Profile> &profiles)
{
    QStringList list;
    for (const Profile &p : profiles)
        list << p.path();
    return list;
}

QStringList warningTexts(const ProfileStore &store)
{
    QStringList texts;
    for (const ProfileStore::Warning &w : store.warnings())
        texts << w.text();
    return texts;
}

} // namespace

class tst_ProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void defaultDirectoryFollowsXdgConfigHome();
    void emptyDirectoryStartsEmpty();
    void roundTripThroughTheFiles();
    void fileFormat();
    void secretsNeverReachTheFiles();
    void secretsFollowRenamesAndRemovals();
    void secretStoreFailureSavesNothing();
    void missingSecretIsReported();
    void plaintextSecretMovesToTheSecretStore();

    void interruptedWriteLeavesOldFileIntact();
    void interruptedEnvironmentsWriteLeavesOldFileIntact();

    void corruptFileIsPreservedAndReported_data();
    void corruptFileIsPreservedAndReported();
    void corruptEnvironmentsFileKeepsProfiles();
    void corruptTwiceKeepsBothCopies();
    void unreadableEntryIsSkippedAndKept();
    void newerSchemaIsReadWithAWarning();
    void emptyFileIsEmptyStore();

    void twoStoresSeeEachOthersChanges();
    void concurrentChangesAreNotLost();
    void changeToRemovedProfileIsRefused();
    void lockedStoreFailsClearly();

    void crud();
    void namesAreUniquePerFolder_data();
    void namesAreUniquePerFolder();
    void findProfile_data();
    void findProfile();
    void renameFolder();
    void environments();
    void mergeResolvesClashes();
    void uniqueName_data();
    void uniqueName();

private:
    QTemporaryDir m_home;
    QString m_dir;
    std::shared_ptr<SecretStoreInMemory> m_secrets;
    int m_counter = 0;
};

void tst_ProfileStore::initTestCase()
{
    // Nothing here may touch the real configuration of whoever runs the tests.
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toLocal8Bit());
    QStandardPaths::setTestModeEnabled(true);
}

void tst_ProfileStore::init()
{
    m_dir = m_home.filePath(QStringLiteral("store-%1").arg(++m_counter));
    m_secrets = std::make_shared<SecretStoreInMemory>();
}

void tst_ProfileStore::defaultDirectoryFollowsXdgConfigHome()
{
    QStandardPaths::setTestModeEnabled(false);
    QCoreApplication::setApplicationName(QStringLiteral("Duplex"));
    QCoreApplication::setOrganizationName(QString());
    const QString expected = m_home.filePath(QStringLiteral("config/Duplex"));
    QCOMPARE(ProfileStore::defaultDirectory(), expected);
    ProfileStore store(m_secrets);
    QCOMPARE(store.directory(), expected);
    QCOMPARE(store.profilesFilePath(), expected + QStringLiteral("/profiles.json"));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(ProfileStore::defaultDirectory() != expected);
}

void tst_ProfileStore::emptyDirectoryStartsEmpty()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(store.environments().isEmpty());
    QVERIFY(store.warnings().isEmpty());
    QVERIFY(!store.hasExternalChanges());
    QVERIFY(!QFileInfo::exists(m_dir)); // reading creates nothing
}

void tst_ProfileStore::roundTripThroughTheFiles()
{
    Profile full = withSecrets(QStringLiteral("Checkout"));
    full.folder = QStringLiteral("Payments/Staging");
    full.subprotocols = { QStringLiteral("v2") };
    full.reconnect.enabled = true;
    full.reconnect.closeCodes = { { 4000, 4010 } };
    full.onConnectMessages = { { QStringLiteral("auth"), Profile::TemplateKind::Json,
                                 QStringLiteral("{\"a\":1}") } };
    Environment env = Environment::create(QStringLiteral("staging"));
    env.variables = { { QStringLiteral("host"), QStringLiteral("h"), false },
                      { QStringLiteral("token"), QStringLiteral("ENV-SECRET-789"), true } };
    {
        ProfileStore store(m_dir, m_secrets);
        QString error;
        QVERIFY2(store.addProfile(full, &error), qPrintable(error));
        QVERIFY2(store.addProfile(sample(QStringLiteral("Echo")), &error), qPrintable(error));
        QVERIFY2(store.addEnvironment(env, &error), qPrintable(error));
    }
    ProfileStore again(m_dir, m_secrets);
    QVERIFY2(again.warnings().isEmpty(), qPrintable(warningTexts(again).join(QLatin1Char('\n'))));
    QCOMPARE(again.profiles().size(), 2);
    QCOMPARE(again.profiles().first(), full);
    QCOMPARE(again.environments().size(), 1);
    QCOMPARE(again.environments().first(), env);
}

void tst_ProfileStore::fileFormat()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("Echo"))));
    QVERIFY(store.addEnvironment(Environment::create(QStringLiteral("dev"))));
    const QJsonObject profiles =
        QJsonDocument::fromJson(readAll(store.profilesFilePath())).object();
    QCOMPARE(profiles.value(QStringLiteral("format")).toString(),
             QStringLiteral("duplex-profiles"));
    QCOMPARE(profiles.value(QStringLiteral("schemaVersion")).toInt(), 1);
    QCOMPARE(profiles.value(QStringLiteral("profiles")).toArray().size(), 1);
    const QJsonObject environments =
        QJsonDocument::fromJson(readAll(store.environmentsFilePath())).object();
    QCOMPARE(environments.value(QStringLiteral("format")).toString(),
             QStringLiteral("duplex-environments"));
    QCOMPARE(environments.value(QStringLiteral("environments")).toArray().size(), 1);
    // Only the two files (the lock is gone once a change is done).
    QCOMPARE(
        QDir(m_dir).entryList(QDir::Files | QDir::Hidden),
        (QStringList { QStringLiteral("environments.json"), QStringLiteral("profiles.json") }));
}

void tst_ProfileStore::secretsNeverReachTheFiles()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(withSecrets(QStringLiteral("Secretive"))));
    Environment env = Environment::create(QStringLiteral("prod"));
    env.variables = { { QStringLiteral("token"), QStringLiteral("ENV-SECRET-789"), true } };
    QVERIFY(store.addEnvironment(env));

    const QByteArray files =
        readAll(store.profilesFilePath()) + readAll(store.environmentsFilePath());
    QVERIFY(!files.isEmpty());
    for (const QByteArray &secret :
         { QByteArray("TOKEN-VALUE-123"), QByteArray("PROXY-PASSWORD-456"),
           QByteArray("ENV-SECRET-789") }) {
        QVERIFY2(!files.contains(secret), secret.constData());
    }
    QVERIFY(files.contains("\"secret\": true"));

    const QStringList held = m_secrets->values().values();
    QVERIFY(held.contains(QStringLiteral("TOKEN-VALUE-123")));
    QVERIFY(held.contains(QStringLiteral("PROXY-PASSWORD-456")));
    QVERIFY(held.contains(QStringLiteral("ENV-SECRET-789")));
    QCOMPARE(store.profiles().first().headers.last().value, QStringLiteral("TOKEN-VALUE-123"));
}

void tst_ProfileStore::secretsFollowRenamesAndRemovals()
{
    ProfileStore store(m_dir, m_secrets);
    const auto id = store.addProfile(withSecrets(QStringLiteral("A")));
    QVERIFY(id);
    QCOMPARE(m_secrets->values().size(), 2);

    // Changing a secret value replaces it; clearing it removes it.
    Profile p = *store.profile(*id);
    p.headers.last().value = QStringLiteral("NEW-TOKEN");
    p.proxy.password.clear();
    QVERIFY(store.updateProfile(p));
    QCOMPARE(m_secrets->values().values(), QStringList { QStringLiteral("NEW-TOKEN") });

    // A duplicate gets its own copy; removing the original keeps the copy's.
    const auto copy = store.duplicateProfile(*id);
    QVERIFY(copy);
    QCOMPARE(m_secrets->values().size(), 2);
    QVERIFY(store.removeProfile(*id));
    QCOMPARE(m_secrets->values().size(), 1);
    QCOMPARE(store.profile(*copy)->headers.last().value, QStringLiteral("NEW-TOKEN"));
    QVERIFY(store.removeProfile(*copy));
    QVERIFY(m_secrets->values().isEmpty());
}

void tst_ProfileStore::secretStoreFailureSavesNothing()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("Plain"))));
    const QByteArray before = readAll(store.profilesFilePath());

    m_secrets->setFailing(true);
    QString error;
    QVERIFY(!store.addProfile(withSecrets(QStringLiteral("Secretive")), &error));
    QVERIFY2(error.startsWith(QStringLiteral("the secret header X-Token of profile 'Secretive' "
                                             "could not be saved in memory only"))
                 || error.contains(QStringLiteral("could not be saved")),
             qPrintable(error));
    QVERIFY(error.contains(QStringLiteral("nothing was saved")));
    QCOMPARE(readAll(store.profilesFilePath()), before);
    QCOMPARE(names(store.profiles()), QStringList { QStringLiteral("Plain") });

    // A profile without secrets still saves.
    QVERIFY(store.addProfile(sample(QStringLiteral("Other")), &error));
}

void tst_ProfileStore::missingSecretIsReported()
{
    {
        ProfileStore store(m_dir, m_secrets);
        QVERIFY(store.addProfile(withSecrets(QStringLiteral("Secretive"))));
    }
    // Another run without those secrets (a memory-only store after a restart).
    ProfileStore store(m_dir, std::make_shared<SecretStoreInMemory>());
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().first().headers.last().value, QString());
    QCOMPARE(store.warnings().size(), 1);
    QVERIFY2(store.warnings().first().message.startsWith(
                 QStringLiteral("profile 'Secretive': the value of the secret header X-Token "
                                "is not stored; enter it again")),
             qPrintable(store.warnings().first().message));
}

void tst_ProfileStore::plaintextSecretMovesToTheSecretStore()
{
    QDir().mkpath(m_dir);
    writeAll(m_dir + QStringLiteral("/profiles.json"), R"({"format": "duplex-profiles",
        "profiles": [{"name": "Hand", "url": "ws://h/",
                      "headers": [{"name": "X-Key", "value": "TYPED-IN-FILE", "secret": true}]}]})");
    ProfileStore store(m_dir, m_secrets);
    QCOMPARE(store.profiles().first().headers.first().value, QStringLiteral("TYPED-IN-FILE"));
    QCOMPARE(store.warnings().size(), 1);
    QVERIFY(store.warnings().first().message.contains(QStringLiteral("is written in the file")));

    QVERIFY(store.addProfile(sample(QStringLiteral("Next"))));
    QVERIFY(!readAll(store.profilesFilePath()).contains("TYPED-IN-FILE"));
    QVERIFY(m_secrets->values().values().contains(QStringLiteral("TYPED-IN-FILE")));
}

void tst_ProfileStore::interruptedWriteLeavesOldFileIntact()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("First"))));
    const QByteArray before = readAll(store.profilesFilePath());
    QVERIFY(!before.isEmpty());

    QString seenPath;
    bool intactBeforeCommit = false;
    store.setBeforeCommitHook([&](const QString &path) {
        seenPath = path;
        // The new content is in a temporary file by now; the old file must still be whole.
        intactBeforeCommit = readAll(store.profilesFilePath()) == before;
        return false; // as if the process died here
    });
    QString error;
    QVERIFY(!store.addProfile(sample(QStringLiteral("Second")), &error));
    QCOMPARE(seenPath, store.profilesFilePath());
    QVERIFY(intactBeforeCommit);
    QVERIFY2(error.startsWith(QStringLiteral("writing %1 was interrupted before it completed; the "
                                             "previous file is unchanged")
                                  .arg(store.profilesFilePath())),
             qPrintable(error));

    QCOMPARE(readAll(store.profilesFilePath()), before);
    QCOMPARE(names(store.profiles()), QStringList { QStringLiteral("First") });
    QVERIFY(!store.hasExternalChanges());
    // No temporary file is left behind.
    QCOMPARE(QDir(m_dir).entryList(QDir::Files | QDir::Hidden),
             QStringList { QStringLiteral("profiles.json") });
    QCOMPARE(names(ProfileStore(m_dir, m_secrets).profiles()),
             QStringList { QStringLiteral("First") });

    store.setBeforeCommitHook({});
    QVERIFY(store.addProfile(sample(QStringLiteral("Second")), &error));
    QCOMPARE(names(ProfileStore(m_dir, m_secrets).profiles()),
             (QStringList { QStringLiteral("First"), QStringLiteral("Second") }));
}

void tst_ProfileStore::interruptedEnvironmentsWriteLeavesOldFileIntact()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addEnvironment(Environment::create(QStringLiteral("dev"))));
    const QByteArray before = readAll(store.environmentsFilePath());
    store.setBeforeCommitHook([](const QString &) { return false; });
    QString error;
    QVERIFY(!store.addEnvironment(Environment::create(QStringLiteral("prod")), &error));
    QVERIFY(error.contains(QStringLiteral("interrupted")));
    QCOMPARE(readAll(store.environmentsFilePath()), before);
    QCOMPARE(store.environments().size(), 1);
}

void tst_ProfileStore::corruptFileIsPreservedAndReported_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");

    QTest::newRow("syntax error") << QByteArray("{\n  \"profiles\": [\n    {\"name\": \"a\",]\n}")
                                  << QStringLiteral("not valid JSON (");
    QTest::newRow("truncated") << QByteArray(
        R"({"format": "duplex-profiles", "profiles": [{"name": "Echo", "ur)")
                               << QStringLiteral("not valid JSON (");
    QTest::newRow("binary") << QByteArray::fromHex("000102fffe") + QByteArray(" garbage")
                            << QStringLiteral("not valid JSON (");
    QTest::newRow("scalar") << QByteArray("42") << QStringLiteral("not valid JSON (");
    QTest::newRow("wrong format")
        << QByteArray(R"({"format": "something-else", "profiles": []})")
        << QStringLiteral("not a Duplex profiles file (its \"format\" is \"something-else\"");
    QTest::newRow("list not a list")
        << QByteArray(R"({"format": "duplex-profiles", "profiles": 3})")
        << QStringLiteral("has no \"profiles\" list");
}

void tst_ProfileStore::corruptFileIsPreservedAndReported()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);

    // A good environments file beside the broken profiles file.
    {
        ProfileStore store(m_dir, m_secrets);
        QVERIFY(store.addEnvironment(Environment::create(QStringLiteral("dev"))));
    }
    const QString path = m_dir + QStringLiteral("/profiles.json");
    writeAll(path, content);

    ProfileStore store(m_dir, m_secrets);
    QCOMPARE(store.warnings().size(), 1);
    const ProfileStore::Warning warning = store.warnings().first();
    QCOMPARE(warning.file, path);
    QVERIFY2(warning.message.startsWith(problem), qPrintable(warning.message));
    QVERIFY(warning.preservedCopy.startsWith(path + QStringLiteral(".corrupt-")));
    QVERIFY(warning.text().contains(warning.preservedCopy));
    QCOMPARE(readAll(warning.preservedCopy), content); // byte for byte
    QVERIFY(!QFileInfo::exists(path));

    // The rest of the store works: the environments are there, and a change writes a new file
    // without touching the copy.
    QCOMPARE(store.environments().size(), 1);
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(store.addProfile(sample(QStringLiteral("Fresh"))));
    QCOMPARE(readAll(warning.preservedCopy), content);
    QCOMPARE(names(ProfileStore(m_dir, m_secrets).profiles()),
             QStringList { QStringLiteral("Fresh") });
}

void tst_ProfileStore::corruptEnvironmentsFileKeepsProfiles()
{
    {
        ProfileStore store(m_dir, m_secrets);
        QVERIFY(store.addProfile(sample(QStringLiteral("Echo"))));
    }
    const QString path = m_dir + QStringLiteral("/environments.json");
    writeAll(path, "[{\"name\": ");
    ProfileStore store(m_dir, m_secrets);
    QCOMPARE(names(store.profiles()), QStringList { QStringLiteral("Echo") });
    QCOMPARE(store.warnings().size(), 1);
    QCOMPARE(store.warnings().first().file, path);
    QCOMPARE(readAll(store.warnings().first().preservedCopy), QByteArray("[{\"name\": "));
    QVERIFY(store.warnings().first().message.contains(QStringLiteral("line 1, column")));
}

void tst_ProfileStore::corruptTwiceKeepsBothCopies()
{
    const QString path = m_dir + QStringLiteral("/profiles.json");
    QDir().mkpath(m_dir);
    writeAll(path, "first broken");
    const QString first = ProfileStore(m_dir, m_secrets).warnings().first().preservedCopy;
    writeAll(path, "second broken");
    const QString second = ProfileStore(m_dir, m_secrets).warnings().first().preservedCopy;
    QVERIFY(first != second);
    QCOMPARE(readAll(first), QByteArray("first broken"));
    QCOMPARE(readAll(second), QByteArray("second broken"));
}

void tst_ProfileStore::unreadableEntryIsSkippedAndKept()
{
    QDir().mkpath(m_dir);
    const QByteArray broken = R"({"name": "Broken", "reconnect": {"initialDelayMs": "soon"}})";
    writeAll(m_dir + QStringLiteral("/profiles.json"),
             R"({"format": "duplex-profiles", "schemaVersion": 1, "profiles": [
                 {"name": "Good one", "url": "ws://a/"},
                 )"
                 + broken + R"(,
                 "not even an object",
                 {"name": "Good two", "url": "ws://b/"}]})");
    ProfileStore store(m_dir, m_secrets);
    QCOMPARE(names(store.profiles()),
             (QStringList { QStringLiteral("Good one"), QStringLiteral("Good two") }));
    const QStringList warnings = warningTexts(store);
    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings.at(0).contains(QStringLiteral("profile #2 ('Broken') skipped: "
                                                    "reconnect.initialDelayMs: expected an "
                                                    "integer, got \"soon\"; it stays in the file")),
             qPrintable(warnings.at(0)));
    QVERIFY2(warnings.at(1).contains(QStringLiteral("profile #3 skipped: expected an object")),
             qPrintable(warnings.at(1)));
    QVERIFY(store.warnings().first().preservedCopy.isEmpty());

    // A change keeps the unreadable entries as they were.
    QVERIFY(store.addProfile(sample(QStringLiteral("Third"))));
    const QJsonArray written = QJsonDocument::fromJson(readAll(store.profilesFilePath()))
                                   .object()
                                   .value(QStringLiteral("profiles"))
                                   .toArray();
    QCOMPARE(written.size(), 5);
    QVERIFY(written.contains(QJsonDocument::fromJson(broken).object()));
    QVERIFY(written.contains(QJsonValue(QStringLiteral("not even an object"))));
    ProfileStore again(m_dir, m_secrets);
    QCOMPARE(again.profiles().size(), 3);
    QCOMPARE(again.warnings().size(), 2);
}

void tst_ProfileStore::newerSchemaIsReadWithAWarning()
{
    QDir().mkpath(m_dir);
    writeAll(m_dir + QStringLiteral("/profiles.json"),
             R"({"format": "duplex-profiles", "schemaVersion": 9, "profiles": [
                 {"schemaVersion": 9, "name": "Later", "url": "ws://a/", "http3": true}]})");
    ProfileStore store(m_dir, m_secrets);
    QCOMPARE(names(store.profiles()), QStringList { QStringLiteral("Later") });
    QCOMPARE(store.warnings().size(), 1);
    QVERIFY(store.warnings().first().message.startsWith(
        QStringLiteral("written by a newer version of Duplex (schema 9")));
    QVERIFY(store.addProfile(sample(QStringLiteral("Now"))));
    QVERIFY(readAll(store.profilesFilePath()).contains("\"http3\": true"));
}

void tst_ProfileStore::emptyFileIsEmptyStore()
{
    QDir().mkpath(m_dir);
    writeAll(m_dir + QStringLiteral("/profiles.json"), "  \n");
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.warnings().isEmpty());
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(store.addProfile(sample(QStringLiteral("A"))));
}

void tst_ProfileStore::twoStoresSeeEachOthersChanges()
{
    ProfileStore window(m_dir, m_secrets);
    ProfileStore cli(m_dir, m_secrets);

    QVERIFY(window.addProfile(sample(QStringLiteral("From window"))));
    QVERIFY(!window.hasExternalChanges()); // its own write
    QVERIFY(cli.hasExternalChanges());
    QVERIFY(cli.profiles().isEmpty());
    cli.reload();
    QVERIFY(!cli.hasExternalChanges());
    QCOMPARE(names(cli.profiles()), QStringList { QStringLiteral("From window") });

    Environment env = Environment::create(QStringLiteral("dev"));
    QVERIFY(cli.addEnvironment(env));
    QVERIFY(window.hasExternalChanges());
    window.reload();
    QCOMPARE(window.environments().size(), 1);

    // A change made with an editor, without a store: seen too.
    QFile file(window.profilesFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray text = file.readAll();
    file.close();
    text.replace("From window", "Edited by hand");
    writeAll(window.profilesFilePath(), text);
    QVERIFY(window.hasExternalChanges());
    QVERIFY(cli.hasExternalChanges());
    window.reload();
    QCOMPARE(names(window.profiles()), QStringList { QStringLiteral("Edited by hand") });

    // Deleting the file is a change as well.
    QVERIFY(QFile::remove(window.environmentsFilePath()));
    QVERIFY(window.hasExternalChanges());
}

void tst_ProfileStore::concurrentChangesAreNotLost()
{
    ProfileStore a(m_dir, m_secrets);
    ProfileStore b(m_dir, m_secrets);
    QVERIFY(a.addProfile(sample(QStringLiteral("One"))));
    // b has not reloaded; its change builds on the file as a left it.
    QVERIFY(b.addProfile(sample(QStringLiteral("Two"))));
    QCOMPARE(names(b.profiles()), (QStringList { QStringLiteral("One"), QStringLiteral("Two") }));
    QVERIFY(a.addProfile(sample(QStringLiteral("Three"))));
    QCOMPARE(
        names(a.profiles()),
        (QStringList { QStringLiteral("One"), QStringLiteral("Two"), QStringLiteral("Three") }));
    // A name taken meanwhile by the other window is refused, not duplicated.
    QString error;
    QVERIFY(!b.addProfile(sample(QStringLiteral("three")), &error));
    QCOMPARE(error, QStringLiteral("a profile named 'three' exists already at the top level"));
}

void tst_ProfileStore::changeToRemovedProfileIsRefused()
{
    ProfileStore a(m_dir, m_secrets);
    const auto id = a.addProfile(sample(QStringLiteral("Shared")));
    QVERIFY(id);
    ProfileStore b(m_dir, m_secrets);
    QVERIFY(b.removeProfile(*id));

    Profile edited = *a.profile(*id);
    edited.url = QStringLiteral("ws://changed/");
    QString error;
    QVERIFY(!a.updateProfile(edited, &error));
    QVERIFY2(error.startsWith(QStringLiteral("that profile no longer exists (another window may "
                                             "have removed it)")),
             qPrintable(error));
    QVERIFY(a.profiles().isEmpty()); // it has re-read the file
}

void tst_ProfileStore::lockedStoreFailsClearly()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("A"))));
    QLockFile other(m_dir + QStringLiteral("/store.lock"));
    QVERIFY(other.tryLock(0));
    store.setLockTimeout(50);
    QString error;
    QVERIFY(!store.addProfile(sample(QStringLiteral("B")), &error));
    QVERIFY2(error.startsWith(QStringLiteral("the profiles are being changed by")),
             qPrintable(error));
    QVERIFY(error.endsWith(QStringLiteral("try again")));
    other.unlock();
    QVERIFY(store.addProfile(sample(QStringLiteral("B")), &error));
}

void tst_ProfileStore::crud()
{
    ProfileStore store(m_dir, m_secrets);
    QString error;
    const auto a = store.addProfile(sample(QStringLiteral(" Alpha "), QStringLiteral("/Team//")));
    QVERIFY(a);
    QCOMPARE(store.profile(*a)->name, QStringLiteral("Alpha")); // trimmed
    QCOMPARE(store.profile(*a)->folder, QStringLiteral("Team"));
    const auto b = store.addProfile(sample(QStringLiteral("Beta"), QStringLiteral("Team")));
    const auto c = store.addProfile(sample(QStringLiteral("Gamma")));
    QVERIFY(b && c);

    QVERIFY(!store.addProfile(sample(QStringLiteral("a/b")), &error));
    QVERIFY(error.contains(QStringLiteral("cannot contain '/'")));
    QVERIFY(!store.addProfile(sample(QStringLiteral("  ")), &error));
    QCOMPARE(error, QStringLiteral("a profile needs a name"));
    Profile sameId = sample(QStringLiteral("Other"));
    sameId.id = *a;
    QVERIFY(!store.addProfile(sameId, &error));
    QVERIFY(error.startsWith(QStringLiteral("a profile with the id")));

    QVERIFY(store.renameProfile(*a, QStringLiteral("Alpha 2"), &error));
    QVERIFY(!store.renameProfile(*a, QStringLiteral("beta"), &error));
    QCOMPARE(error, QStringLiteral("a profile named 'beta' exists already in folder 'Team'"));

    const auto copy = store.duplicateProfile(*b);
    QVERIFY(copy);
    QCOMPARE(store.profile(*copy)->name, QStringLiteral("Beta (2)"));
    QCOMPARE(store.profile(*copy)->url, store.profile(*b)->url);
    QCOMPARE(names(store.profiles()),
             (QStringList { QStringLiteral("Team/Alpha 2"), QStringLiteral("Team/Beta"),
                            QStringLiteral("Team/Beta (2)"), QStringLiteral("Gamma") }));

    QVERIFY(store.moveProfile(*c, QStringLiteral("Team/Sub"), &error));
    QVERIFY(store.reorderProfile(*c, 0, &error));
    QVERIFY(store.reorderProfile(*a, 99, &error)); // clamped to the end
    QCOMPARE(names(store.profiles()),
             (QStringList { QStringLiteral("Team/Sub/Gamma"), QStringLiteral("Team/Beta"),
                            QStringLiteral("Team/Beta (2)"), QStringLiteral("Team/Alpha 2") }));
    QCOMPARE(store.folders(), (QStringList { QStringLiteral("Team"), QStringLiteral("Team/Sub") }));

    Profile edited = *store.profile(*b);
    edited.url = QStringLiteral("ws://edited/");
    QVERIFY(store.updateProfile(edited, &error));
    QVERIFY(store.removeProfile(*copy, &error));
    QVERIFY(!store.removeProfile(*copy, &error));
    QVERIFY(error.startsWith(QStringLiteral("that profile no longer exists")));

    ProfileStore again(m_dir, m_secrets);
    QCOMPARE(names(again.profiles()),
             (QStringList { QStringLiteral("Team/Sub/Gamma"), QStringLiteral("Team/Beta"),
                            QStringLiteral("Team/Alpha 2") }));
    QCOMPARE(again.profile(*b)->url, QStringLiteral("ws://edited/"));
}

void tst_ProfileStore::namesAreUniquePerFolder_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("same folder, same name")
        << QStringLiteral("Payments") << QStringLiteral("Checkout") << false;
    QTest::newRow("same folder, other case")
        << QStringLiteral("payments") << QStringLiteral("CHECKOUT") << false;
    QTest::newRow("other folder") << QStringLiteral("Payments/Staging")
                                  << QStringLiteral("Checkout") << true;
    QTest::newRow("top level") << QString() << QStringLiteral("Checkout") << true;
    QTest::newRow("other name") << QStringLiteral("Payments") << QStringLiteral("Refunds") << true;
}

void tst_ProfileStore::namesAreUniquePerFolder()
{
    QFETCH(QString, folder);
    QFETCH(QString, name);
    QFETCH(bool, accepted);
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("Checkout"), QStringLiteral("Payments"))));
    QString error;
    QCOMPARE(bool(store.addProfile(sample(name, folder), &error)), accepted);
    if (!accepted)
        QVERIFY(error.contains(QStringLiteral("exists already in folder")));
}

void tst_ProfileStore::findProfile_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("found"); // path, or empty for an error
    QTest::addColumn<QString>("error");

    QTest::newRow("unique name") << QStringLiteral("Refunds") << QStringLiteral("Payments/Refunds")
                                 << QString();
    QTest::newRow("any case") << QStringLiteral("refunds") << QStringLiteral("Payments/Refunds")
                              << QString();
    QTest::newRow("folder/name") << QStringLiteral("Payments/Staging/Checkout")
                                 << QStringLiteral("Payments/Staging/Checkout") << QString();
    QTest::newRow("top level") << QStringLiteral("/Checkout") << QStringLiteral("Checkout")
                               << QString();
    QTest::newRow("ambiguous") << QStringLiteral("Checkout") << QString()
                               << QStringLiteral("'Checkout' is the name of 2 profiles (/Checkout, "
                                                 "Payments/Staging/Checkout); say which, e.g. "
                                                 "\"/Checkout\"");
    QTest::newRow("unknown") << QStringLiteral("Nope") << QString()
                             << QStringLiteral("no profile named 'Nope'");
    QTest::newRow("unknown in folder") << QStringLiteral("Payments/Checkout") << QString()
                                       << QStringLiteral("no profile named 'Checkout' in folder "
                                                         "'Payments'");
    QTest::newRow("empty") << QStringLiteral(" ") << QString()
                           << QStringLiteral("no profile name given");
}

void tst_ProfileStore::findProfile()
{
    QFETCH(QString, spec);
    QFETCH(QString, found);
    QFETCH(QString, error);
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("Checkout"))));
    QVERIFY(
        store.addProfile(sample(QStringLiteral("Checkout"), QStringLiteral("Payments/Staging"))));
    const auto refunds =
        store.addProfile(sample(QStringLiteral("Refunds"), QStringLiteral("Payments")));
    QVERIFY(refunds);

    QString message;
    const auto p = store.findProfile(spec, &message);
    if (found.isEmpty()) {
        QVERIFY(!p);
        QVERIFY2(message.startsWith(error), qPrintable(message));
    } else {
        QVERIFY2(p, qPrintable(message));
        QCOMPARE(p->path(), found);
    }
    // By id, as well.
    QCOMPARE(store.findProfile(refunds->toString(), &message)->name, QStringLiteral("Refunds"));
}

void tst_ProfileStore::renameFolder()
{
    ProfileStore store(m_dir, m_secrets);
    QVERIFY(store.addProfile(sample(QStringLiteral("A"), QStringLiteral("Old"))));
    QVERIFY(store.addProfile(sample(QStringLiteral("B"), QStringLiteral("Old/Deep"))));
    QVERIFY(store.addProfile(sample(QStringLiteral("C"), QStringLiteral("Older"))));
    QVERIFY(store.addProfile(sample(QStringLiteral("A"), QStringLiteral("New"))));
    QString error;
    QVERIFY(!store.renameFolder(QStringLiteral("Old"), QStringLiteral("New"), &error));
    QCOMPARE(error, QStringLiteral("two profiles would be named 'A' in folder 'New'"));
    QVERIFY(store.renameFolder(QStringLiteral("Old"), QStringLiteral("Renamed"), &error));
    QCOMPARE(names(store.profiles()),
             (QStringList { QStringLiteral("Renamed/A"), QStringLiteral("Renamed/Deep/B"),
                            QStringLiteral("Older/C"), QStringLiteral("New/A") }));
    QVERIFY(!store.renameFolder(QStringLiteral("Missing"), QStringLiteral("X"), &error));
    QCOMPARE(error, QStringLiteral("there is no folder 'Missing'"));
}

void tst_ProfileStore::environments()
{
    ProfileStore store(m_dir, m_secrets);
    QString error;
    const auto dev = store.addEnvironment(Environment::create(QStringLiteral("dev")), &error);
    QVERIFY(dev);
    QVERIFY(!store.addEnvironment(Environment::create(QStringLiteral("DEV")), &error));
    QCOMPARE(error, QStringLiteral("an environment named 'DEV' exists already"));
    const auto prod = store.addEnvironment(Environment::create(QStringLiteral("prod")), &error);
    QVERIFY(prod);
    QVERIFY(!store.renameEnvironment(*prod, QStringLiteral("dev"), &error));
    QVERIFY(store.renameEnvironment(*prod, QStringLiteral("production"), &error));
    Environment changed = *store.findEnvironment(QStringLiteral("Production"));
    changed.setValue(QStringLiteral("host"), QStringLiteral("prod.example.com"));
    QVERIFY(store.updateEnvironment(changed, &error));
    QVERIFY(store.removeEnvironment(*dev, &error));
    ProfileStore again(m_dir, m_secrets);
    QCOMPARE(again.environments().size(), 1);
    QCOMPARE(again.environment(*prod)->value(QStringLiteral("host")),
             QStringLiteral("prod.example.com"));

    // The editor's save: names are checked on the result, so two environments swap names in
    // one save, and a clash left in the result saves nothing.
    const auto staging = store.addEnvironment(Environment::create(QStringLiteral("staging")));
    QVERIFY(staging);
    Environment first = *store.environment(*prod);
    Environment second = *store.environment(*staging);
    std::swap(first.name, second.name);
    QVERIFY2(store.saveEnvironments({ first, second }, {}, &error), qPrintable(error));
    QCOMPARE(store.environment(*prod)->name, QStringLiteral("staging"));
    QCOMPARE(store.environment(*staging)->name, QStringLiteral("production"));
    Environment clash = Environment::create(QStringLiteral("Staging"));
    Environment added = Environment::create(QStringLiteral("qa"));
    QVERIFY(!store.saveEnvironments({ added, clash }, { *staging }, &error));
    QCOMPARE(error, QStringLiteral("an environment named 'staging' exists already"));
    QCOMPARE(ProfileStore(m_dir, m_secrets).environments().size(), 2);
    QVERIFY(!store.findEnvironment(QStringLiteral("qa")));
}

void tst_ProfileStore::mergeResolvesClashes()
{
    ProfileStore store(m_dir, m_secrets);
    const auto existing = store.addProfile(sample(QStringLiteral("Echo")));
    QVERIFY(store.addEnvironment(Environment::create(QStringLiteral("dev"))));

    Profile sameName = sample(QStringLiteral("Echo"));
    Profile sameId = sample(QStringLiteral("Fresh"));
    sameId.id = *existing;
    QStringList report;
    QString error;
    QVERIFY2(store.merge({ sameName, sameId, sample(QStringLiteral("Echo")) },
                         { Environment::create(QStringLiteral("dev")) }, &report, &error),
             qPrintable(error));
    QCOMPARE(names(store.profiles()),
             (QStringList { QStringLiteral("Echo"), QStringLiteral("Echo (2)"),
                            QStringLiteral("Fresh"), QStringLiteral("Echo (3)") }));
    QVERIFY(store.profile(*existing)->name == QStringLiteral("Echo")); // not replaced
    QCOMPARE(store.environments().size(), 2);
    QCOMPARE(store.environments().last().name, QStringLiteral("dev (2)"));
    QCOMPARE(report,
             (QStringList {
                 QStringLiteral("profile 'Echo' imported as 'Echo (2)': a profile of that "
                                "name exists at the top level"),
                 QStringLiteral("profile 'Echo' imported as 'Echo (3)': a profile of that "
                                "name exists at the top level"),
                 QStringLiteral("environment 'dev' imported as 'dev (2)': an environment of "
                                "that name exists"),
             }));
}

void tst_ProfileStore::uniqueName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("taken");
    QTest::addColumn<QString>("expected");
    QTest::newRow("free") << QStringLiteral("A") << QStringList { QStringLiteral("B") }
                          << QStringLiteral("A");
    QTest::newRow("taken") << QStringLiteral("A") << QStringList { QStringLiteral("a") }
                           << QStringLiteral("A (2)");
    QTest::newRow("taken twice") << QStringLiteral("A")
                                 << QStringList { QStringLiteral("A"), QStringLiteral("A (2)") }
                                 << QStringLiteral("A (3)");
    QTest::newRow("numbered") << QStringLiteral("A (2)")
                              << QStringList { QStringLiteral("A"), QStringLiteral("A (2)") }
                              << QStringLiteral("A (3)");
}

void tst_ProfileStore::uniqueName()
{
    QFETCH(QString, name);
    QFETCH(QStringList, taken);
    QFETCH(QString, expected);
    QCOMPARE(ProfileStore::uniqueName(name, taken), expected);
}

QTEST_APPLESS_MAIN(tst_ProfileStore)
#include "tst_profilestore.moc"
