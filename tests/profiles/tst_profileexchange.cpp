#include "core/session/ProfileExchange.h"
#include "core/session/ProfileStore.h"
#include "core/session/SecretStoreInMemory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace duplex;

namespace {

Profile checkout()
{
    Profile p = Profile::create(QStringLiteral("Checkout"));
    p.folder = QStringLiteral("Payments");
    p.url = QStringLiteral("wss://{{host}}/checkout");
    p.headers = { { QStringLiteral("X-Token"), QStringLiteral("HEADER-SECRET-1"), true, true },
                  { QStringLiteral("X-Team"), QStringLiteral("payments"), true, false } };
    p.proxy = { Profile::ProxyType::Http, QStringLiteral("proxy"), 8080, QStringLiteral("u"),
                QStringLiteral("PROXY-SECRET-2") };
    p.templates = { { QStringLiteral("pay"), Profile::TemplateKind::Json,
                      QStringLiteral("{\"amount\": 1}") } };
    return p;
}

Environment staging()
{
    Environment e = Environment::create(QStringLiteral("staging"));
    e.variables = { { QStringLiteral("host"), QStringLiteral("staging.example.com"), false },
                    { QStringLiteral("token"), QStringLiteral("ENV-SECRET-3"), true } };
    return e;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_ProfileExchange : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportHasMarkerAndNoSecrets();
    void exportImportRoundTrip();
    void importIntoStoreResolvesClashes();
    void importedSecretsStayOutOfTheStoreFiles();
    void profilesFileFromAnotherMachineImports();
    void unreadableEntriesAreSkippedWithANote();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_home;
    int m_counter = 0;
    QString newDirectory() { return m_home.filePath(QStringLiteral("store-%1").arg(++m_counter)); }
};

void tst_ProfileExchange::initTestCase()
{
    QVERIFY(m_home.isValid());
    QStandardPaths::setTestModeEnabled(true);
}

void tst_ProfileExchange::exportHasMarkerAndNoSecrets()
{
    const QByteArray bytes = ProfileExchange::exportJson({ checkout() }, { staging() });
    for (const char *secret : { "HEADER-SECRET-1", "PROXY-SECRET-2", "ENV-SECRET-3" })
        QVERIFY2(!bytes.contains(secret), secret);

    const QJsonObject root = QJsonDocument::fromJson(bytes).object();
    QCOMPARE(root.value(QStringLiteral("format")).toString(),
             QStringLiteral("duplex-profile-export"));
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), 1);
    QVERIFY(QDateTime::fromString(root.value(QStringLiteral("exportedAt")).toString(),
                                  Qt::ISODateWithMs)
                .isValid());
    const QJsonObject profile = root.value(QStringLiteral("profiles")).toArray().at(0).toObject();
    const QJsonObject secretHeader =
        profile.value(QStringLiteral("headers")).toArray().at(0).toObject();
    QCOMPARE(secretHeader.value(QStringLiteral("secret")), QJsonValue(true));
    QCOMPARE(secretHeader.value(QStringLiteral("value")), QJsonValue(QJsonValue::Null));
    const QJsonObject plainHeader =
        profile.value(QStringLiteral("headers")).toArray().at(1).toObject();
    QCOMPARE(plainHeader.value(QStringLiteral("value")).toString(), QStringLiteral("payments"));
    QCOMPARE(profile.value(QStringLiteral("proxy")).toObject().value(QStringLiteral("password")),
             QJsonValue(QJsonValue::Null));
    const QJsonObject variable = root.value(QStringLiteral("environments"))
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("variables"))
                                     .toArray()
                                     .at(1)
                                     .toObject();
    QCOMPARE(variable.value(QStringLiteral("secret")), QJsonValue(true));
    QCOMPARE(variable.value(QStringLiteral("value")), QJsonValue(QJsonValue::Null));
}

void tst_ProfileExchange::exportImportRoundTrip()
{
    const Profile secretive = checkout();
    Profile plain = Profile::create(QStringLiteral("Echo"));
    plain.url = QStringLiteral("ws://localhost:9001/");
    const Environment environment = staging();
    const QByteArray bytes = ProfileExchange::exportJson({ secretive, plain }, { environment });
    QString error;
    const auto contents = ProfileExchange::parse(bytes, &error);
    QVERIFY2(contents, qPrintable(error));
    QCOMPARE(contents->profiles.size(), 2);
    QCOMPARE(contents->profiles.at(0), secretive.withoutSecrets());
    QCOMPARE(contents->profiles.at(1), plain);
    QCOMPARE(contents->environments.size(), 1);
    QCOMPARE(contents->environments.at(0), environment.withoutSecrets());
    QCOMPARE(contents->notes,
             (QStringList {
                 QStringLiteral("profile 'Payments/Checkout': secret values were not exported "
                                "(header X-Token, proxy password); enter them again"),
                 QStringLiteral("environment 'staging': secret variables were not exported "
                                "(token); enter them again"),
             }));
}

void tst_ProfileExchange::importIntoStoreResolvesClashes()
{
    const auto secrets = std::make_shared<SecretStoreInMemory>();
    ProfileStore store(newDirectory(), secrets);
    QVERIFY(store.addProfile(checkout()));
    QVERIFY(store.addEnvironment(staging()));

    // A colleague's export with the same names (and, being a copy, the same kind of content).
    const QByteArray shared = ProfileExchange::exportJson(store.profiles(), store.environments());
    QStringList report;
    QString error;
    QVERIFY2(ProfileExchange::importInto(store, shared, &report, &error), qPrintable(error));
    QCOMPARE(store.profiles().size(), 2);
    QCOMPARE(store.profiles().at(1).path(), QStringLiteral("Payments/Checkout (2)"));
    QVERIFY(store.profiles().at(1).id != store.profiles().at(0).id);
    QCOMPARE(store.environments().at(1).name, QStringLiteral("staging (2)"));
    QVERIFY(report.contains(QStringLiteral("profile 'Checkout' imported as 'Checkout (2)': a "
                                           "profile of that name exists in folder 'Payments'")));
    QVERIFY(report.contains(QStringLiteral("environment 'staging' imported as 'staging (2)': an "
                                           "environment of that name exists")));
    QCOMPARE(report.last(), QStringLiteral("imported 1 profile and 1 environment"));

    // Importing again counts on.
    QVERIFY(ProfileExchange::importInto(store, shared, &report, &error));
    QCOMPARE(store.profiles().at(2).name, QStringLiteral("Checkout (3)"));
}

void tst_ProfileExchange::importedSecretsStayOutOfTheStoreFiles()
{
    const auto secrets = std::make_shared<SecretStoreInMemory>();
    ProfileStore store(newDirectory(), secrets);
    QVERIFY(store.addProfile(checkout()));
    QVERIFY(store.addEnvironment(staging()));
    const QByteArray exported = ProfileExchange::exportJson(store.profiles(), store.environments());
    const QByteArray files =
        readAll(store.profilesFilePath()) + readAll(store.environmentsFilePath());
    for (const char *secret : { "HEADER-SECRET-1", "PROXY-SECRET-2", "ENV-SECRET-3" }) {
        QVERIFY2(!exported.contains(secret), secret);
        QVERIFY2(!files.contains(secret), secret);
    }
    // Imported profiles arrive without their secrets, so nothing is stored for them.
    const qsizetype held = secrets->values().size();
    QVERIFY(ProfileExchange::importInto(store, exported));
    QCOMPARE(secrets->values().size(), held);
}

void tst_ProfileExchange::profilesFileFromAnotherMachineImports()
{
    const auto secrets = std::make_shared<SecretStoreInMemory>();
    ProfileStore other(newDirectory(), secrets);
    QVERIFY(other.addProfile(checkout()));
    const QByteArray profilesJson = readAll(other.profilesFilePath());

    ProfileStore mine(newDirectory(), std::make_shared<SecretStoreInMemory>());
    QStringList report;
    QString error;
    QVERIFY2(ProfileExchange::importInto(mine, profilesJson, &report, &error), qPrintable(error));
    QCOMPARE(mine.profiles().size(), 1);
    QCOMPARE(mine.profiles().first().path(), QStringLiteral("Payments/Checkout"));
}

void tst_ProfileExchange::unreadableEntriesAreSkippedWithANote()
{
    const QByteArray json = R"({"format": "duplex-profile-export", "version": 1,
        "profiles": [{"name": "Good", "url": "ws://a/"}, {"name": "Bad", "timeouts": {"connectMs": "x"}}],
        "environments": [{"name": "dev"}, 7]})";
    QString error;
    const auto contents = ProfileExchange::parse(json, &error);
    QVERIFY2(contents, qPrintable(error));
    QCOMPARE(contents->profiles.size(), 1);
    QCOMPARE(contents->environments.size(), 1);
    QCOMPARE(contents->notes,
             (QStringList {
                 QStringLiteral("profile #2 skipped: timeouts.connectMs: expected an integer, "
                                "got \"x\""),
                 QStringLiteral("environment #2 skipped: expected an object"),
             }));
}

void tst_ProfileExchange::badInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    QTest::newRow("not json") << QByteArray("profiles: yes") << QStringLiteral("not valid JSON (");
    QTest::newRow("a list") << QByteArray("[]")
                            << QStringLiteral("not a Duplex profile export (expected a JSON "
                                              "object with \"format\": \"duplex-profile-export\")");
    QTest::newRow("no marker") << QByteArray(R"({"profiles": []})")
                               << QStringLiteral("not a Duplex profile export (no \"format\": "
                                                 "\"duplex-profile-export\")");
    QTest::newRow("postman") << QByteArray(R"({"info": {"name": "c"}, "item": []})")
                             << QStringLiteral(
                                    "not a Duplex profile export (no \"format\": "
                                    "\"duplex-profile-export\"); for a Postman collection use the "
                                    "Postman import");
    QTest::newRow("other marker") << QByteArray(R"({"format": "insomnia"})")
                                  << QStringLiteral("not a Duplex profile export (its \"format\" "
                                                    "is \"insomnia\"");
    QTest::newRow("profiles not a list")
        << QByteArray(R"({"format": "duplex-profile-export", "profiles": {}})")
        << QStringLiteral("\"profiles\" is not a list");
    QTest::newRow("nothing readable")
        << QByteArray(R"({"format": "duplex-profile-export", "profiles": [{"name": 1}]})")
        << QStringLiteral("nothing in the file could be read: profile #1 skipped: name: "
                          "expected a string, got 1");
}

void tst_ProfileExchange::badInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!ProfileExchange::parse(json, &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));

    ProfileStore store(newDirectory(), std::make_shared<SecretStoreInMemory>());
    QVERIFY(!ProfileExchange::importInto(store, json, nullptr, &error));
    QVERIFY(store.profiles().isEmpty());
}

QTEST_APPLESS_MAIN(tst_ProfileExchange)
#include "tst_profileexchange.moc"
