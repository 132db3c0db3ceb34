// Profiles in the real window: save a tab as a profile and open it again after a restart with
// every field intact, environments and {{variables}} (an unknown one sends nothing), templates
// in the composer, the history exported as HAR and JSON Lines and a HAR opened read-only, a
// corrupt profiles.json reported and kept, and two windows on one store.
#include "WindowTestSupport.h"
#include "core/session/ConnectionSession.h"
#include "core/session/FrameJsonLines.h"
#include "core/session/HarDocument.h"
#include "core/session/LocalEchoServer.h"
#include "core/session/ProfileStore.h"
#include "ui/Composer.h"
#include "ui/ConnectionTab.h"
#include "ui/EnvironmentBox.h"
#include "ui/EnvironmentDialog.h"
#include "ui/FrameHexView.h"
#include "ui/HistoryPane.h"
#include "ui/HistoryTableView.h"
#include "ui/MessageDetailView.h"
#include "ui/MessageLogModel.h"
#include "ui/NoticeBanner.h"
#include "ui/ProfileActions.h"
#include "ui/ProfileLibrary.h"
#include "ui/ProfileTreeModel.h"
#include "ui/ProfilesSidebar.h"
#include "ui/RequestBar.h"
#include "ui/SecretItemDelegate.h"
#include "ui/TemplateButton.h"
#include "ui/VariableTableModel.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace duplex;

class TestProfileWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void firstStartHasTheLocalEchoProfile();
    void saveRestartAndOpenWithEveryField();
    void ctrlSUpdatesTheTabsProfile();
    void environmentsFillVariables();
    void unknownVariableSendsNothing();
    void environmentEditor();
    void templatesInTheComposer();
    void harExportAndImport();
    void jsonLinesExport();
    void importAndExportProfiles();
    void openAChromeHar();
    void corruptProfilesFileIsReportedAndKept();
    void twoWindowsSeeEachOthersChanges();

private:
    std::unique_ptr<MainWindow> openWindow(bool connectLocalEcho = false);
    ConnectionTab *connectedEchoTab();
    qsizetype outgoingFrames(ConnectionTab *tab) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<SecretStoreInMemory> m_secrets;
    std::unique_ptr<MainWindow> m_window;
};

void TestProfileWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestProfileWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_secrets = std::make_shared<SecretStoreInMemory>();
}

void TestProfileWindow::cleanup()
{
    m_window.reset();
    m_secrets.reset();
    m_dir.reset();
}

std::unique_ptr<MainWindow> TestProfileWindow::openWindow(bool connectLocalEcho)
{
    auto window = test::makeWindow(*m_dir, connectLocalEcho, m_secrets);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        qWarning("the window was not exposed");
    return window;
}

ConnectionTab *TestProfileWindow::connectedEchoTab()
{
    ConnectionTab *tab = m_window->tab(0);
    tab->connectToServer();
    if (!QTest::qWaitFor([tab] { return tab->state() == ConnectionSession::State::Open; }, 10000))
        qWarning("the local echo tab did not connect: %s",
                 qPrintable(tab->requestBar()->message()));
    return tab;
}

qsizetype TestProfileWindow::outgoingFrames(ConnectionTab *tab) const
{
    const SessionRecord &record = *tab->record();
    qsizetype count = 0;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type == RecordType::Frame && entry.direction == Direction::Outgoing)
            ++count;
    }
    return count;
}

void TestProfileWindow::firstStartHasTheLocalEchoProfile()
{
    m_window = openWindow(true);
    const ProfileStore &store = m_window->profiles()->store();
    const std::optional<Profile> echo = store.findProfile(QString(), QStringLiteral("Local echo"));
    QVERIFY(echo);
    QCOMPARE(echo->url, QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/"));
    QCOMPARE(echo->templates.size(), 2);
    // The first tab is that profile, on the embedded server wherever it listens, connected.
    ConnectionTab *tab = m_window->tab(0);
    QCOMPARE(tab->profile().id, echo->id);
    QVERIFY(tab->isSavedProfile());
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Open, 10000);
    QCOMPARE(tab->session()->url().port(), int(m_window->echoServer()->port()));
    QVERIFY(m_window->profilesSidebar()->model()->indexOfProfile(echo->id).isValid());
    // Its templates are in the composer.
    QCOMPARE(tab->composer()->templateButton()->templates(), echo->templates);
}

void TestProfileWindow::saveRestartAndOpenWithEveryField()
{
    m_window = openWindow();
    ProfileActions *actions = m_window->profileActions();
    m_window->newTab();
    ConnectionTab *tab = m_window->currentTab();
    const QString ca = m_dir->filePath(QStringLiteral("ca.pem"));
    QFile(ca).open(QIODevice::WriteOnly);

    // Every field a profile has, set through the tab.
    Profile p = tab->profile();
    p.url = QStringLiteral("wss://{{host}}:8443/v1/stream?x=%41");
    p.headers = { { QStringLiteral("Authorization"), QStringLiteral("Bearer t0ken"), true, true },
                  { QStringLiteral("X-Client"), QStringLiteral("duplex"), true, false },
                  { QStringLiteral("X-Off"), QStringLiteral("1"), false, false } };
    p.subprotocols = { QStringLiteral("v2.prices"), QStringLiteral("v1.prices") };
    p.origin = QStringLiteral("https://app.example.com");
    p.deflate = { true, 12, 10, true, true };
    p.reconnect.enabled = true;
    p.reconnect.initialDelayMs = 250;
    p.reconnect.maxDelayMs = 8000;
    p.reconnect.multiplier = 1.5;
    p.reconnect.jitter = Profile::Jitter::Equal;
    p.reconnect.maxAttempts = 7;
    p.reconnect.resetAfterMs = 20000;
    p.reconnect.closeCodes = { { 1001, 1001 }, { 4000, 4010 } };
    p.onConnectMessages = { { QStringLiteral("subscribe"), Profile::TemplateKind::Json,
                              QStringLiteral("{\"op\":\"sub\"}") } };
    p.keepalive = { 15000, 4000 };
    p.timeouts = { 3000, 4000, 2000 };
    p.redirects = { false, 3 };
    p.tls = { ca, QString(), QString(), true };
    p.proxy = { Profile::ProxyType::Socks5, QStringLiteral("proxy.local"), 1080,
                QStringLiteral("me"), QStringLiteral("proxy-pass") };
    p.maxMessageSize = 3 * 1024 * 1024;
    tab->setProfile(p);
    // A template saved from the composer, and a header typed into the editor's table.
    tab->composer()->setKind(PayloadKind::Hex);
    tab->composer()->setText(QStringLiteral("de ad"));
    tab->composer()->templateButton()->saveCurrentAs(QStringLiteral("ping bytes"));
    QString error;
    QVERIFY2(actions->saveTabAsProfile(tab, QStringLiteral("Prices"), QStringLiteral("Markets/EU"),
                                       &error),
             qPrintable(error));
    QVERIFY(tab->isSavedProfile());

    const std::optional<Profile> stored = m_window->profiles()->store().findProfile(
        QStringLiteral("Markets/EU"), QStringLiteral("Prices"));
    QVERIFY(stored);
    Profile expected = p;
    expected.id = stored->id;
    expected.name = QStringLiteral("Prices");
    expected.folder = QStringLiteral("Markets/EU");
    expected.templates = { { QStringLiteral("ping bytes"), Profile::TemplateKind::Hex,
                             QStringLiteral("de ad") } };
    QCOMPARE(stored->toJson(), expected.toJson());
    QCOMPARE(*stored, expected); // the secrets too
    // Secret values are in the secret store, never in profiles.json.
    QFile file(m_window->profiles()->store().profilesFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray onDisk = file.readAll();
    QVERIFY(!onDisk.contains("t0ken"));
    QVERIFY(!onDisk.contains("proxy-pass"));
    QVERIFY(!m_secrets->values().isEmpty());

    // Restart: the same store (and keychain), a new window.
    m_window->close();
    m_window.reset();
    m_window = openWindow();
    ProfilesSidebar *sidebar = m_window->profilesSidebar();
    const QModelIndex source = sidebar->model()->indexOfProfile(expected.id);
    QVERIFY(source.isValid());
    QCOMPARE(source.parent().data(ProfileTreeModel::FolderPathRole).toString(),
             QStringLiteral("Markets/EU"));
    const int tabsBefore = m_window->tabCount();
    sidebar->view()->setFocus();
    sidebar->view()->setCurrentIndex(sidebar->filterModel()->mapFromSource(source));
    QTest::keyClick(sidebar->view(), Qt::Key_Return);
    QCOMPARE(m_window->tabCount(), tabsBefore + 1);
    ConnectionTab *opened = m_window->currentTab();
    QCOMPARE(opened->title(), QStringLiteral("Prices"));
    QCOMPARE(opened->profile().toJson(), expected.toJson());
    QCOMPARE(opened->profile(), expected);
    QCOMPARE(opened->composer()->templateButton()->templates(), expected.templates);

    // The tab the profile was saved from came back too, secrets filled from the store.
    bool found = false;
    for (int i = 0; i < m_window->tabCount() - 1; ++i) {
        if (m_window->tab(i)->profile().id == expected.id) {
            QCOMPARE(m_window->tab(i)->profile(), expected);
            found = true;
        }
    }
    QVERIFY(found);
}

void TestProfileWindow::ctrlSUpdatesTheTabsProfile()
{
    m_window = openWindow();
    ConnectionTab *tab = m_window->tab(0); // the Local echo profile
    QVERIFY(tab->isSavedProfile());
    const QUuid id = tab->profile().id;
    tab->requestBar()->setUrl(QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/chat"));
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(m_window->profiles()->profile(id)->url,
             QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/chat"));
    // Undo takes the change back.
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->profiles()->profile(id)->url,
             QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/"));

    // A rename in the sidebar shows on the tab, and the tab's next save keeps it.
    QVERIFY(m_window->profiles()->renameProfile(id, QStringLiteral("Echo server")));
    QTRY_COMPARE(tab->title(), QStringLiteral("Echo server"));
    QTRY_VERIFY(m_window->tabWidget()->tabText(0).startsWith(QStringLiteral("Echo server")));
    QVERIFY(m_window->profileActions()->updateTabProfile(tab));
    QCOMPARE(m_window->profiles()->profile(id)->name, QStringLiteral("Echo server"));
}

void TestProfileWindow::environmentsFillVariables()
{
    m_window = openWindow();
    ProfileLibrary *library = m_window->profiles();
    Environment dev = Environment::create(QStringLiteral("dev"));
    dev.variables = { { QStringLiteral("path"), QStringLiteral("feed"), false },
                      { QStringLiteral("token"), QStringLiteral("s3cret"), true },
                      { QStringLiteral("who"), QStringLiteral("world"), false } };
    QVERIFY(library->saveEnvironments({ dev }));

    ConnectionTab *tab = m_window->tab(0);
    tab->requestBar()->setUrl(QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/{{path}}"));
    Profile p = tab->profile();
    p.headers = { { QStringLiteral("X-Token"), QStringLiteral("{{token}}"), true, true } };
    tab->setProfile(p);
    tab->environmentBox()->setCurrentIndex(tab->environmentBox()->findText(QStringLiteral("dev")));
    Q_EMIT tab->environmentBox()->activated(tab->environmentBox()->currentIndex());
    QCOMPARE(tab->environmentId(), dev.id);
    // The active environment is on the tab, and the URL shows where it goes.
    QTRY_COMPARE(m_window->tabWidget()->tabText(0), QStringLiteral("Local echo · dev"));
    QVERIFY2(tab->requestBar()->message().contains(QStringLiteral("/feed")),
             qPrintable(tab->requestBar()->message()));

    tab->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Open, 10000);
    QCOMPARE(tab->session()->url().path(), QStringLiteral("/feed"));
    QVERIFY(tab->handshakes().value(1).request.contains("X-Token: s3cret\r\n"));

    // A message body: filled at send time.
    tab->composer()->setKind(PayloadKind::Text);
    tab->composer()->setText(QStringLiteral("hello {{who}}"));
    tab->composer()->send();
    QTRY_COMPARE(outgoingFrames(tab), qsizetype(1));
    const SessionRecord &record = *tab->record();
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type == RecordType::Frame && entry.direction == Direction::Outgoing)
            QCOMPARE(record.payload(entry), QByteArray("hello world"));
    }
    // The environment is kept with the tab.
    QCOMPARE(ConnectionTab::environmentFromState(tab->saveState()), dev.id);
}

void TestProfileWindow::unknownVariableSendsNothing()
{
    m_window = openWindow();
    ConnectionTab *tab = m_window->tab(0);
    tab->requestBar()->setUrl(QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/{{path}}"));
    // Shown as soon as it is typed, and again on Connect; nothing goes out.
    QVERIFY2(tab->requestBar()->message().contains(QStringLiteral("unknown variable {{path}}")),
             qPrintable(tab->requestBar()->message()));
    const qsizetype before = tab->record()->size();
    tab->connectToServer();
    QCOMPARE(tab->state(), ConnectionSession::State::Idle);
    QVERIFY(tab->requestBar()->message().contains(QStringLiteral("{{path}}")));
    QCOMPARE(tab->record()->size(), before);

    // In a header: refused before connecting, naming the header.
    tab->requestBar()->setUrl(QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/"));
    Profile p = tab->profile();
    p.headers = { { QStringLiteral("X-Token"), QStringLiteral("{{token}}"), true, false } };
    tab->setProfile(p);
    tab->connectToServer();
    QCOMPARE(tab->state(), ConnectionSession::State::Idle);
    QVERIFY2(tab->requestBar()->message().contains(QStringLiteral("X-Token")),
             qPrintable(tab->requestBar()->message()));
    QVERIFY(tab->requestBar()->message().contains(QStringLiteral("{{token}}")));
    QCOMPARE(tab->record()->size(), before);

    // In a message: the composer says so and sends nothing.
    p.headers.clear();
    tab->setProfile(p);
    tab->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Open, 10000);
    tab->composer()->setText(QStringLiteral("{\"user\": \"{{user}}\"}"));
    tab->composer()->send();
    QVERIFY2(tab->composer()->statusText().contains(QStringLiteral("unknown variable {{user}}")),
             qPrintable(tab->composer()->statusText()));
    QTest::qWait(50);
    QCOMPARE(outgoingFrames(tab), qsizetype(0));
}

void TestProfileWindow::environmentEditor()
{
    m_window = openWindow();
    ProfileLibrary *library = m_window->profiles();
    Environment kept = Environment::create(QStringLiteral("kept"));
    Environment doomed = Environment::create(QStringLiteral("doomed"));
    QVERIFY(library->saveEnvironments({ kept, doomed }));

    EnvironmentDialog dialog(library, m_window.get());
    QCOMPARE(dialog.environments().size(), 2);
    dialog.addEnvironment(QStringLiteral("staging"));
    VariableTableModel *model = dialog.variableModel();
    QVERIFY(
        model->setData(model->index(0, VariableTableModel::NameColumn), QStringLiteral("host")));
    QVERIFY(model->setData(model->index(0, VariableTableModel::ValueColumn),
                           QStringLiteral("staging.example")));
    QVERIFY(
        model->setData(model->index(1, VariableTableModel::NameColumn), QStringLiteral("token")));
    QVERIFY(
        model->setData(model->index(1, VariableTableModel::ValueColumn), QStringLiteral("s3cret")));
    QVERIFY(model->setData(model->index(1, VariableTableModel::SecretColumn), Qt::Checked,
                           Qt::CheckStateRole));
    // Masked on screen unless asked.
    QCOMPARE(model->index(1, VariableTableModel::ValueColumn).data().toString(),
             SecretItemDelegate::maskedText(QStringLiteral("s3cret")));
    dialog.revealBox()->setChecked(true);
    QCOMPARE(model->index(1, VariableTableModel::ValueColumn).data().toString(),
             QStringLiteral("s3cret"));
    // Remove one; meanwhile another window adds one, which Save must not remove.
    dialog.selectEnvironment(1);
    QCOMPARE(dialog.environments().at(1).name, QStringLiteral("doomed"));
    auto *remove = dialog.findChild<QToolButton *>(QStringLiteral("removeEnvironment"));
    QVERIFY(remove);
    remove->click();
    ProfileStore other(library->store().directory(), m_secrets);
    QVERIFY(other.addEnvironment(Environment::create(QStringLiteral("theirs"))));

    // A problem is shown and nothing is written.
    dialog.addEnvironment(QStringLiteral("broken"));
    QVERIFY(model->setData(model->index(0, VariableTableModel::NameColumn),
                           QStringLiteral("not valid")));
    QString error;
    QVERIFY(!dialog.save(&error));
    QVERIFY2(dialog.problemText().contains(QStringLiteral("broken")),
             qPrintable(dialog.problemText()));
    // Without a name it is reported once, and its other problems are labelled by position.
    QListWidgetItem *brokenItem =
        dialog.environmentList()->item(dialog.environmentList()->count() - 1);
    brokenItem->setText(QString());
    QVERIFY(!dialog.save(&error));
    const QString position = QStringLiteral("Environment %1").arg(dialog.environments().size());
    QVERIFY2(dialog.problemText().contains(position + QStringLiteral(" has no name.")),
             qPrintable(dialog.problemText()));
    QVERIFY2(dialog.problemText().contains(position + QStringLiteral(": variable")),
             qPrintable(dialog.problemText()));
    QVERIFY2(!dialog.problemText().contains(QStringLiteral("name: empty")),
             qPrintable(dialog.problemText()));
    brokenItem->setText(QStringLiteral("broken"));
    QVERIFY(!library->store().findEnvironment(QStringLiteral("staging")));
    QVERIFY(model->removeRows(0, 1));

    QVERIFY2(dialog.save(&error), qPrintable(error));
    library->reload();
    const ProfileStore &store = library->store();
    QVERIFY(store.findEnvironment(QStringLiteral("kept")));
    QVERIFY(!store.findEnvironment(QStringLiteral("doomed")));
    QVERIFY(store.findEnvironment(QStringLiteral("theirs")));
    const std::optional<Environment> staging = store.findEnvironment(QStringLiteral("staging"));
    QVERIFY(staging);
    QCOMPARE(staging->value(QStringLiteral("token")), QStringLiteral("s3cret"));
    QVERIFY(staging->variable(QStringLiteral("token"))->secret);
    QFile file(store.environmentsFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("s3cret"));
    // The tabs' environment boxes list it.
    QTRY_VERIFY(m_window->tab(0)->environmentBox()->findText(QStringLiteral("staging")) >= 0);
}

void TestProfileWindow::templatesInTheComposer()
{
    m_window = openWindow();
    ConnectionTab *tab = m_window->tab(0);
    Composer *composer = tab->composer();
    TemplateButton *templates = composer->templateButton();
    const int before = int(templates->templates().size());
    composer->setKind(PayloadKind::Base64);
    composer->setText(QStringLiteral("AAEC"));
    templates->saveCurrentAs(QStringLiteral("three bytes"));
    QCOMPARE(templates->templates().size(), before + 1);
    QCOMPARE(tab->profile().templates.last(),
             (Profile::MessageTemplate { QStringLiteral("three bytes"),
                                         Profile::TemplateKind::Base64, QStringLiteral("AAEC") }));
    // Inserting one puts its kind and body into the composer.
    Q_EMIT templates->templateChosen(tab->profile().templates.first());
    QCOMPARE(composer->kind(), PayloadKind(quint8(tab->profile().templates.first().kind)));
    QCOMPARE(composer->text(), tab->profile().templates.first().body);
    Q_EMIT templates->templateRemoved(before);
    QCOMPARE(tab->profile().templates.size(), before);
}

void TestProfileWindow::harExportAndImport()
{
    m_window = openWindow();
    ConnectionTab *tab = connectedEchoTab();
    QCOMPARE(tab->state(), ConnectionSession::State::Open);
    Composer *composer = tab->composer();
    const QList<QPair<PayloadKind, QString>> sent = {
        { PayloadKind::Text, QStringLiteral("Hello, Duplex!") },
        { PayloadKind::Json, QStringLiteral("{\"n\": 1}") },
        { PayloadKind::Hex, QStringLiteral("de ad be ef") },
    };
    quint64 echoed = 0;
    for (const auto &[kind, text] : sent) {
        composer->setKind(kind);
        composer->setText(text);
        composer->send();
        ++echoed; // in turn: sent, then echoed
        QTRY_COMPARE(tab->session()->stats().messagesIn, echoed);
    }

    const QString path = m_dir->filePath(QStringLiteral("session.har"));
    QString error;
    QVERIFY2(m_window->profileActions()->exportHistory(tab, path,
                                                       ProfileActions::HistoryFormat::Har, &error),
             qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject entry = root.value(QStringLiteral("log"))
                                  .toObject()
                                  .value(QStringLiteral("entries"))
                                  .toArray()
                                  .at(0)
                                  .toObject();
    QCOMPARE(entry.value(QStringLiteral("_resourceType")).toString(), QStringLiteral("websocket"));
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    QCOMPARE(messages.size(), 6); // each message and its echo
    const QStringList expectedData = { QStringLiteral("Hello, Duplex!"),
                                       QStringLiteral("{\"n\": 1}"),
                                       QStringLiteral("3q2+7w==") }; // de ad be ef in Base64
    for (int i = 0; i < 6; ++i) {
        const QJsonObject message = messages.at(i).toObject();
        QCOMPARE(message.value(QStringLiteral("type")).toString(),
                 i % 2 == 0 ? QStringLiteral("send") : QStringLiteral("receive"));
        QCOMPARE(message.value(QStringLiteral("opcode")).toInt(), i < 4 ? 1 : 2);
        QCOMPARE(message.value(QStringLiteral("data")).toString(), expectedData.at(i / 2));
        QVERIFY(message.value(QStringLiteral("time")).toDouble() > 1.6e9); // seconds
    }
    // The handshake's headers are there too.
    const QJsonArray requestHeaders = entry.value(QStringLiteral("request"))
                                          .toObject()
                                          .value(QStringLiteral("headers"))
                                          .toArray();
    QVERIFY(!requestHeaders.isEmpty());

    // Opened again: a read-only tab with the same messages, as reconstructed frames.
    ConnectionTab *archive = m_window->profileActions()->openHar(path, &error);
    QVERIFY2(archive, qPrintable(error));
    QVERIFY(archive->isReadOnly());
    QCOMPARE(m_window->currentTab(), archive);
    QVERIFY(archive->archiveBanner()->isVisible());
    QVERIFY(archive->archiveBanner()->text().contains(QStringLiteral("Reconstructed")));
    const SessionRecord &record = *archive->record();
    QList<QByteArray> payloads;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const RecordEntry &frame = record.entry(i);
        if (frame.type == RecordType::Frame)
            payloads.append(record.payload(frame));
    }
    QCOMPARE(
        payloads,
        (QList<QByteArray> { "Hello, Duplex!", "Hello, Duplex!", "{\"n\": 1}", "{\"n\": 1}",
                             QByteArray::fromHex("deadbeef"), QByteArray::fromHex("deadbeef") }));
    // The history shows them, and the hex view shows a rebuilt frame.
    MessageLogModel *model = archive->historyPane()->model();
    int row = -1;
    QTRY_VERIFY([&] {
        for (int r = 0; r < model->rowCount(); ++r) {
            const QModelIndex index = model->index(r, 0);
            if (index.data(MessageLogModel::OpcodeRole).toInt() == 2
                && index.data(MessageLogModel::DirectionRole).toInt() == int(Direction::Incoming))
                row = r;
        }
        return row >= 0;
    }());
    HistoryPane *pane = archive->historyPane();
    pane->view()->setCurrentIndex(model->index(row, 0));
    pane->view()->selectRow(row);
    pane->detailView()->setCurrentTab(MessageDetailView::FrameTab);
    QTRY_VERIFY(!pane->detailView()->hexView()->document().isEmpty());
    QCOMPARE(pane->detailView()->hexView()->document().wire().toByteArray(),
             QByteArray::fromHex("8204deadbeef"));
    // It cannot connect, but it can be saved as a profile of its URL.
    archive->connectToServer();
    QCOMPARE(archive->state(), ConnectionSession::State::Idle);
    QVERIFY(!archive->requestBar()->connectButton()->isEnabled());
    QVERIFY(m_window->profileActions()->saveTabAsProfile(archive, QStringLiteral("From HAR"),
                                                         QString(), &error));
    QCOMPARE(m_window->profiles()->store().findProfile(QString(), QStringLiteral("From HAR"))->url,
             tab->session()->url().toString());

    // A file that is not a HAR: a clear error, no tab.
    const QString bad = m_dir->filePath(QStringLiteral("bad.har"));
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write("{\"log\": 5}");
    badFile.close();
    const int tabs = m_window->tabCount();
    QVERIFY(!m_window->profileActions()->openHar(bad, &error));
    QVERIFY2(error.contains(bad) && error.contains(QStringLiteral("log")), qPrintable(error));
    QCOMPARE(m_window->tabCount(), tabs);
}

void TestProfileWindow::jsonLinesExport()
{
    m_window = openWindow();
    ConnectionTab *tab = connectedEchoTab();
    tab->composer()->setText(QStringLiteral("one line"));
    tab->composer()->send();
    QTRY_COMPARE(tab->session()->stats().messagesIn, quint64(1));

    const QString path = m_dir->filePath(QStringLiteral("frames.jsonl"));
    QString error;
    QVERIFY2(m_window->profileActions()->exportHistory(
                 tab, path, ProfileActions::HistoryFormat::JsonLines, &error),
             qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    const SessionRecord &record = *tab->record();
    QVERIFY(lines.size() > 4);
    int frames = 0;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const RecordEntry &entry = record.entry(i);
        if (entry.type == RecordType::Frame) {
            QCOMPARE(lines.at(i),
                     FrameJsonLines::frameLine(record, entry, FrameJsonLines::WithTime));
            ++frames;
        } else {
            QVERIFY(
                QJsonDocument::fromJson(lines.at(i)).object().contains(QStringLiteral("event")));
        }
    }
    QVERIFY(frames >= 2);

    // Nowhere to write: a sentence naming the file, and nothing else changed.
    const QString nowhere = m_dir->filePath(QStringLiteral("missing/frames.jsonl"));
    QVERIFY(!m_window->profileActions()->exportHistory(
        tab, nowhere, ProfileActions::HistoryFormat::JsonLines, &error));
    QVERIFY2(error.contains(nowhere), qPrintable(error));
}

void TestProfileWindow::importAndExportProfiles()
{
    m_window = openWindow();
    ProfileActions *actions = m_window->profileActions();
    QString error;
    // A Postman collection: its WebSocket requests become profiles in their folders.
    QStringList report;
    QVERIFY2(
        actions->importProfiles(
            QFINDTESTDATA("../profiles/data/market-data.postman_collection.json"), &report, &error),
        qPrintable(error));
    QVERIFY(!report.isEmpty());
    const ProfileStore &store = m_window->profiles()->store();
    QVERIFY(
        store.findProfile(QStringLiteral("Market data/Streaming"), QStringLiteral("Ticker feed")));
    QTRY_VERIFY(m_window->profilesSidebar()
                    ->model()
                    ->indexOfFolder(QStringLiteral("Market data/Streaming"))
                    .isValid());

    // Export: every profile, secrets left out, and the summary says so.
    Profile secret = Profile::create(QStringLiteral("With secret"));
    secret.url = QStringLiteral("wss://secret.example/");
    secret.headers = { { QStringLiteral("X-Token"), QStringLiteral("t0p-s3cret"), true, true } };
    QVERIFY(m_window->profiles()->addProfile(secret));
    const QString path = m_dir->filePath(QStringLiteral("export.json"));
    QString summary;
    QVERIFY2(actions->exportProfiles(path, &summary, &error), qPrintable(error));
    QVERIFY2(summary.contains(QStringLiteral("left out")), qPrintable(summary));
    QVERIFY(summary.contains(QStringLiteral("X-Token")));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray exported = file.readAll();
    QVERIFY(!exported.contains("t0p-s3cret"));

    // Into another store: the profiles arrive, the secret to be entered again.
    m_window.reset();
    const std::unique_ptr<QTemporaryDir> first = std::exchange(m_dir, {}); // keeps the file
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = openWindow();
    report.clear();
    QVERIFY2(m_window->profileActions()->importProfiles(path, &report, &error), qPrintable(error));
    const std::optional<Profile> imported =
        m_window->profiles()->store().findProfile(QString(), QStringLiteral("With secret"));
    QVERIFY(imported);
    QVERIFY(imported->headers.first().secret);
    QVERIFY(imported->headers.first().value.isEmpty());
    QVERIFY2(report.join(QLatin1Char(' ')).contains(QStringLiteral("X-Token")),
             qPrintable(report.join(QLatin1Char('|'))));

    // Not a profile file: a clear error naming the file, nothing imported.
    const int before = int(m_window->profiles()->store().profiles().size());
    QVERIFY(!m_window->profileActions()->importProfiles(
        QFINDTESTDATA("../profiles/data/chrome-websocket.har"), &report, &error));
    QVERIFY2(error.contains(QStringLiteral("chrome-websocket.har")), qPrintable(error));
    QCOMPARE(int(m_window->profiles()->store().profiles().size()), before);
}

void TestProfileWindow::openAChromeHar()
{
    m_window = openWindow();
    QString error;
    const QString path = QFINDTESTDATA("../profiles/data/chrome-websocket.har");
    const auto document = [&] {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? HarDocument::fromJson(file.readAll())
                                              : std::nullopt;
    }();
    QVERIFY(document);
    ConnectionTab *tab = m_window->profileActions()->openHar(path, &error);
    QVERIFY2(tab, qPrintable(error));
    QVERIFY(tab->isReadOnly());
    qsizetype frames = 0;
    for (qsizetype i = 0; i < tab->record()->size(); ++i)
        frames += tab->record()->entry(i).type == RecordType::Frame ? 1 : 0;
    qsizetype messages = 0;
    for (const HarDocument::Entry &entry : document->entries)
        messages += entry.messages.size();
    QCOMPARE(frames, messages);
    QCOMPARE(tab->profile().url, document->entries.first().handshake.url);
}

void TestProfileWindow::corruptProfilesFileIsReportedAndKept()
{
    const QString directory = m_dir->filePath(QStringLiteral("profiles"));
    QVERIFY(QDir().mkpath(directory));
    const QByteArray garbage = "{ \"profiles\": [ this is not JSON";
    {
        QFile file(directory + QStringLiteral("/profiles.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(garbage);
    }
    m_window = openWindow();
    NoticeBanner *banner = m_window->noticeBanner();
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("profiles.json")), qPrintable(banner->text()));
    // The original is kept beside, byte for byte, and the banner says where.
    const QStringList copies =
        QDir(directory).entryList({ QStringLiteral("profiles.json.corrupt-*") }, QDir::Files);
    QCOMPARE(copies.size(), 1);
    QVERIFY2(banner->text().contains(copies.first()), qPrintable(banner->text()));
    QFile copy(directory + QLatin1Char('/') + copies.first());
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QCOMPARE(copy.readAll(), garbage);
    // Told once: a reload with nothing new adds nothing.
    const QString shown = banner->text();
    m_window->profileActions()->showNotices();
    QCOMPARE(banner->text(), shown);
}

void TestProfileWindow::twoWindowsSeeEachOthersChanges()
{
    m_window = openWindow();
    std::unique_ptr<MainWindow> other = openWindow();
    m_window->newTab();
    ConnectionTab *tab = m_window->currentTab();
    tab->requestBar()->setUrl(QStringLiteral("ws://shared.example/"));
    QVERIFY(m_window->profileActions()->saveTabAsProfile(tab, QStringLiteral("Shared"), QString()));
    const QUuid id = tab->profile().id;
    QTRY_VERIFY_WITH_TIMEOUT(other->profilesSidebar()->model()->indexOfProfile(id).isValid(), 5000);
    QVERIFY(other->profiles()->profile(id));
    // And back: deleted there, gone here.
    QVERIFY(other->profiles()->removeProfile(id));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->profilesSidebar()->model()->indexOfProfile(id).isValid(),
                             5000);
    QVERIFY(!tab->isSavedProfile());
}

QTEST_MAIN(TestProfileWindow)
#include "tst_profilewindow.moc"
