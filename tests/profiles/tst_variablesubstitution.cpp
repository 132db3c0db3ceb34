#include "core/session/Environment.h"
#include "core/session/VariableSubstitution.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace duplex;

namespace {

Environment staging()
{
    Environment e = Environment::create(QStringLiteral("staging"));
    e.variables = {
        { QStringLiteral("host"), QStringLiteral("staging.example.com"), false },
        { QStringLiteral("port"), QStringLiteral("8443"), false },
        { QStringLiteral("token"), QStringLiteral("t0ps3cret"), true },
        { QStringLiteral("user.id"), QStringLiteral("42"), false },
        { QStringLiteral("braces"), QStringLiteral("{{host}}"), false },
    };
    return e;
}

} // namespace

class tst_VariableSubstitution : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void environmentJsonRoundTrip();
    void environmentJsonOmitsSecrets();
    void environmentBadInput_data();
    void environmentBadInput();
    void environmentProblems();
    void apply_data();
    void apply();
    void unknownVariableError_data();
    void unknownVariableError();
    void resolveProfile();
    void resolveReportsEveryUnknownVariable();
    void resolveConnectionScopeLeavesTemplates();
    void referencedVariables();
    void escapedRoundTrips_data();
    void escapedRoundTrips();
};

void tst_VariableSubstitution::environmentJsonRoundTrip()
{
    Environment e = staging();
    e.unknownFields.insert(QStringLiteral("colour"), QStringLiteral("orange"));
    const QByteArray bytes = QJsonDocument(e.toJson()).toJson();
    QString error;
    auto read = Environment::fromJson(QJsonDocument::fromJson(bytes).object(), &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(*read, e.withoutSecrets());
    read->setValue(QStringLiteral("token"), QStringLiteral("t0ps3cret"));
    QCOMPARE(*read, e);
    QCOMPARE(read->variables.size(), 5); // order kept
    QCOMPARE(read->variables.at(3).name, QStringLiteral("user.id"));
}

void tst_VariableSubstitution::environmentJsonOmitsSecrets()
{
    const QByteArray bytes = QJsonDocument(staging().toJson()).toJson();
    QVERIFY(!bytes.contains("t0ps3cret"));
    const QJsonObject token = QJsonDocument::fromJson(bytes)
                                  .object()
                                  .value(QStringLiteral("variables"))
                                  .toArray()
                                  .at(2)
                                  .toObject();
    QCOMPARE(token.value(QStringLiteral("secret")).toBool(), true);
    QVERIFY(token.value(QStringLiteral("value")).isNull());
}

void tst_VariableSubstitution::environmentBadInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no name") << QByteArray(R"({"variables": []})")
                             << QStringLiteral("name: expected a string, got nothing");
    QTest::newRow("empty name") << QByteArray(R"({"name": " "})") << QStringLiteral("name: empty");
    QTest::newRow("variables object") << QByteArray(R"({"name": "a", "variables": {}})")
                                      << QStringLiteral("variables: expected an array");
    QTest::newRow("variable not object") << QByteArray(R"({"name": "a", "variables": [1]})")
                                         << QStringLiteral("variables[0]: expected an object");
    QTest::newRow("value number")
        << QByteArray(R"({"name": "a", "variables": [{"name": "x", "value": 1}]})")
        << QStringLiteral("variables[0].value: expected a string, got a number");
    QTest::newRow("secret text") << QByteArray(
        R"({"name": "a", "variables": [{"name": "x", "secret": "no"}]})")
                                 << QStringLiteral("variables[0].secret: expected true or false");
    QTest::newRow("bad id") << QByteArray(R"({"name": "a", "id": "zzz"})")
                            << QStringLiteral("id: \"zzz\" is not a UUID");
}

void tst_VariableSubstitution::environmentBadInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!Environment::fromJson(QJsonDocument::fromJson(json).object(), &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

void tst_VariableSubstitution::environmentProblems()
{
    Environment e = Environment::create(QStringLiteral("dev"));
    e.variables = { { QStringLiteral("a b"), {}, false },
                    { QStringLiteral("x"), {}, false },
                    { QStringLiteral("x"), {}, false },
                    { {}, {}, false } };
    const QStringList problems = e.problems();
    QCOMPARE(problems.size(), 3);
    QVERIFY(problems.at(0).startsWith(QStringLiteral("variable \"a b\": use only letters")));
    QVERIFY(problems.at(1).startsWith(QStringLiteral("variable \"x\": defined twice")));
    QVERIFY(problems.at(2).startsWith(QStringLiteral("variable #4: empty name")));
    QVERIFY(staging().problems().isEmpty());
}

void tst_VariableSubstitution::apply_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QStringLiteral("no placeholders }} here")
                           << QStringLiteral("no placeholders }} here");
    QTest::newRow("one") << QStringLiteral("wss://{{host}}/ws")
                         << QStringLiteral("wss://staging.example.com/ws");
    QTest::newRow("two adjacent") << QStringLiteral("{{host}}:{{port}}")
                                  << QStringLiteral("staging.example.com:8443");
    QTest::newRow("spaces inside") << QStringLiteral("{{ host }}|{{\thost\t}}")
                                   << QStringLiteral("staging.example.com|staging.example.com");
    QTest::newRow("dotted name") << QStringLiteral("id={{user.id}}") << QStringLiteral("id=42");
    QTest::newRow("secret value") << QStringLiteral("Bearer {{token}}")
                                  << QStringLiteral("Bearer t0ps3cret");
    QTest::newRow("escaped") << QStringLiteral("{{{{host}}") << QStringLiteral("{{host}}");
    QTest::newRow("escaped then variable")
        << QStringLiteral("{{{{{{host}}") << QStringLiteral("{{staging.example.com");
    QTest::newRow("value not rescanned")
        << QStringLiteral("{{braces}}") << QStringLiteral("{{host}}");
    QTest::newRow("json body") << QStringLiteral("{\"host\": \"{{host}}\", \"n\": {{port}}}")
                               << QStringLiteral(
                                      "{\"host\": \"staging.example.com\", \"n\": 8443}");
    QTest::newRow("single braces") << QStringLiteral("{a} {b}") << QStringLiteral("{a} {b}");
    QTest::newRow("empty") << QString() << QString();
}

void tst_VariableSubstitution::apply()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QStringList errors;
    const auto result = VariableSubstitution(staging()).apply(text, QStringLiteral("url"), &errors);
    QVERIFY2(result, qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(*result, expected);
}

void tst_VariableSubstitution::unknownVariableError_data()
{
    QTest::addColumn<bool>("withEnvironment");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("unknown") << true << QStringLiteral("{{tokn}}")
                             << QStringLiteral("header X-Token: unknown variable {{tokn}} "
                                               "(environment 'staging')");
    QTest::newRow("no environment") << false << QStringLiteral("{{token}}")
                                    << QStringLiteral("header X-Token: unknown variable {{token}} "
                                                      "(no environment selected)");
    QTest::newRow("names are case-sensitive") << true << QStringLiteral("{{Host}}")
                                              << QStringLiteral("header X-Token: unknown "
                                                                "variable {{Host}} (environment "
                                                                "'staging')");
    QTest::newRow("unterminated") << true << QStringLiteral("abc {{host")
                                  << QStringLiteral("header X-Token: \"{{\" at position 5 is never "
                                                    "closed with \"}}\"; write {{{{ for a literal "
                                                    "{{");
    QTest::newRow("not a name") << true << QStringLiteral("{{a b}}")
                                << QStringLiteral("header X-Token: {{a b}} is not a variable name "
                                                  "(use letters, digits, '_', '-' and '.'); write "
                                                  "{{{{ for a literal {{");
    QTest::newRow("empty name") << true << QStringLiteral("{{ }}")
                                << QStringLiteral("header X-Token: {{ }} is not a variable name");
}

void tst_VariableSubstitution::unknownVariableError()
{
    QFETCH(bool, withEnvironment);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const VariableSubstitution substitution =
        withEnvironment ? VariableSubstitution(staging()) : VariableSubstitution();
    QStringList errors;
    QVERIFY(!substitution.apply(text, QStringLiteral("header X-Token"), &errors));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(expected), qPrintable(errors.first()));
}

void tst_VariableSubstitution::resolveProfile()
{
    Profile p = Profile::create(QStringLiteral("api"));
    p.url = QStringLiteral("wss://{{host}}:{{port}}/ws");
    p.origin = QStringLiteral("https://{{host}}");
    p.subprotocols = { QStringLiteral("v{{user.id}}") };
    p.headers = {
        { QStringLiteral("X-Token"), QStringLiteral("{{token}}"), true, true },
        { QStringLiteral("X-{{user.id}}"), QStringLiteral("a"), true, false },
        { QStringLiteral("X-Off"), QStringLiteral("{{nowhere}}"), false, false },
    };
    p.onConnectMessages = { { QStringLiteral("login"), Profile::TemplateKind::Json,
                              QStringLiteral("{\"token\":\"{{token}}\"}") } };
    p.templates = { { QStringLiteral("who"), Profile::TemplateKind::Text,
                      QStringLiteral("I am {{user.id}}") } };

    QStringList errors;
    const auto resolved = VariableSubstitution(staging()).resolve(p, &errors);
    QVERIFY2(resolved, qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(resolved->url, QStringLiteral("wss://staging.example.com:8443/ws"));
    QCOMPARE(resolved->origin, QStringLiteral("https://staging.example.com"));
    QCOMPARE(resolved->subprotocols, QStringList { QStringLiteral("v42") });
    QCOMPARE(resolved->headers.at(0).value, QStringLiteral("t0ps3cret"));
    QCOMPARE(resolved->headers.at(1).name, QStringLiteral("X-42"));
    QCOMPARE(resolved->headers.at(2).value, QStringLiteral("{{nowhere}}")); // disabled: untouched
    QCOMPARE(resolved->onConnectMessages.at(0).body, QStringLiteral("{\"token\":\"t0ps3cret\"}"));
    QCOMPARE(resolved->templates.at(0).body, QStringLiteral("I am 42"));
    QCOMPARE(p.url, QStringLiteral("wss://{{host}}:{{port}}/ws")); // the original is unchanged
    QVERIFY(resolved->problems().isEmpty());
}

void tst_VariableSubstitution::resolveReportsEveryUnknownVariable()
{
    Profile p = Profile::create(QStringLiteral("api"));
    p.url = QStringLiteral("wss://{{host}}/{{path}}");
    p.headers = { { QStringLiteral("X-Token"), QStringLiteral("{{token}}"), true, true } };
    p.templates = { { QStringLiteral("greet"), Profile::TemplateKind::Text,
                      QStringLiteral("{{greeting}} {{greeting}}") } };

    Environment dev = Environment::create(QStringLiteral("dev"));
    dev.variables = { { QStringLiteral("host"), QStringLiteral("localhost"), false } };
    QStringList errors;
    QVERIFY(!VariableSubstitution(dev).resolve(p, &errors));
    QCOMPARE(errors,
             (QStringList {
                 QStringLiteral("url: unknown variable {{path}} (environment 'dev')"),
                 QStringLiteral("header X-Token: unknown variable {{token}} (environment "
                                "'dev')"),
                 QStringLiteral("template 'greet': unknown variable {{greeting}} "
                                "(environment 'dev')"),
             }));
}

void tst_VariableSubstitution::resolveConnectionScopeLeavesTemplates()
{
    Profile p = Profile::create(QStringLiteral("api"));
    p.url = QStringLiteral("ws://{{host}}/");
    p.templates = { { QStringLiteral("later"), Profile::TemplateKind::Text,
                      QStringLiteral("{{notHere}}") } };
    const VariableSubstitution substitution(staging());
    QStringList errors;
    const auto resolved = substitution.resolve(p, &errors, VariableSubstitution::Scope::Connection);
    QVERIFY2(resolved, qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(resolved->url, QStringLiteral("ws://staging.example.com/"));
    QCOMPARE(resolved->templates.at(0).body, QStringLiteral("{{notHere}}"));

    QVERIFY(!substitution.resolveTemplate(resolved->templates.at(0), &errors));
    QCOMPARE(errors.last(),
             QStringLiteral("template 'later': unknown variable {{notHere}} "
                            "(environment 'staging')"));
}

void tst_VariableSubstitution::referencedVariables()
{
    QCOMPARE(VariableSubstitution::referencedVariables(
                 QStringLiteral("{{a}} {{ b }} {{{{c}} {{a}} {{bad name}}")),
             (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
}

void tst_VariableSubstitution::escapedRoundTrips_data()
{
    QTest::addColumn<QString>("literal");
    QTest::newRow("braces") << QStringLiteral("{{not a variable}}");
    QTest::newRow("many") << QStringLiteral("{{{{{");
    QTest::newRow("handlebars") << QStringLiteral("<p>{{#each items}}{{this}}{{/each}}</p>");
    QTest::newRow("none") << QStringLiteral("plain");
}

void tst_VariableSubstitution::escapedRoundTrips()
{
    QFETCH(QString, literal);
    const auto result = VariableSubstitution().apply(VariableSubstitution::escaped(literal),
                                                     QStringLiteral("body"));
    QVERIFY(result);
    QCOMPARE(*result, literal);
}

QTEST_APPLESS_MAIN(tst_VariableSubstitution)
#include "tst_variablesubstitution.moc"
