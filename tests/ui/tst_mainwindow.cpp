// The window itself: tab management, the state shown in each tab, settings restored on the next
// start, and the URL and JSON checks as the user types.
#include "WindowTestSupport.h"
#include "core/session/ConnectionSession.h"
#include "core/session/LocalEchoServer.h"
#include "ui/AppSettings.h"
#include "ui/Composer.h"
#include "ui/ConnectionTab.h"
#include "ui/HeaderTableModel.h"
#include "ui/RequestBar.h"
#include "ui/RequestEditor.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTest>
#include <QToolButton>

using namespace duplex;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void newCloseAndReopenTabs();
    void renameDuplicateAndReorder();
    void keyboardTabSwitching();
    void tabShowsTheConnectionState();
    void reconnectCountsDown();
    void settingsAreRestoredOnTheNextStart();
    void urlValidationAsYouType();
    void jsonValidationAsYouType();
    void draftsPerKindAndPrettyPrint();
    void connectRefusesBadSettingsWithAReason();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_window = test::makeWindow(*m_dir, false);
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestMainWindow::newCloseAndReopenTabs()
{
    QCOMPARE(m_window->tabCount(), 1);
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 2);
    QCOMPARE(m_window->tabWidget()->currentIndex(), 1);
    ConnectionTab *fresh = m_window->currentTab();
    QCOMPARE(fresh->title(), QStringLiteral("New connection"));
    QTRY_VERIFY(fresh->requestBar()->urlEdit()->hasFocus());

    // Typed into the new tab, then closed with Ctrl+W: Ctrl+Shift+T brings all of it back.
    QTest::keyClicks(fresh->requestBar()->urlEdit(), QStringLiteral("ws://localhost:9/chat"));
    fresh->composer()->setKind(PayloadKind::Json);
    fresh->composer()->setText(QStringLiteral("{\"draft\": true}"));
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 1);
    QVERIFY(m_window->action(QStringLiteral("actionReopenTab"))->isEnabled());
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_window->tabCount(), 2);
    ConnectionTab *back = m_window->currentTab();
    QCOMPARE(back->requestBar()->url(), QStringLiteral("ws://localhost:9/chat"));
    QCOMPARE(back->composer()->kind(), PayloadKind::Json);
    QCOMPARE(back->composer()->text(), QStringLiteral("{\"draft\": true}"));
    QCOMPARE(back->title(), QStringLiteral("localhost:9/chat"));

    // Closing the last tab leaves an empty one rather than an empty window.
    m_window->closeTab(1);
    m_window->closeTab(0);
    QCOMPARE(m_window->tabCount(), 1);
    QVERIFY(m_window->currentTab()->requestBar()->url().isEmpty());
}

void TestMainWindow::renameDuplicateAndReorder()
{
    ConnectionTab *first = m_window->tab(0);
    m_window->renameTab(0, QStringLiteral("Echo & co"));
    QCOMPARE(first->title(), QStringLiteral("Echo & co"));
    QCOMPARE(m_window->tabWidget()->tabText(0), QStringLiteral("Echo && co"));

    // F2 opens an editor on the tab itself; Enter keeps the name, Escape keeps the old one.
    QTest::keyClick(m_window.get(), Qt::Key_F2);
    auto *edit =
        m_window->tabWidget()->tabBar()->findChild<QLineEdit *>(QStringLiteral("tabRenameEdit"));
    QVERIFY(edit);
    QTRY_VERIFY(edit->hasFocus());
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("Staging"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(first->title(), QStringLiteral("Staging"));
    QTest::keyClick(m_window.get(), Qt::Key_F2);
    edit = m_window->tabWidget()->tabBar()->findChild<QLineEdit *>(QStringLiteral("tabRenameEdit"));
    QVERIFY(edit);
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("xyz"));
    QTest::keyClick(edit, Qt::Key_Escape);
    QCOMPARE(first->title(), QStringLiteral("Staging"));

    first->composer()->setText(QStringLiteral("draft to copy"));
    m_window->duplicateTab(0);
    QCOMPARE(m_window->tabCount(), 2);
    ConnectionTab *copy = m_window->tab(1);
    QCOMPARE(m_window->currentTab(), copy);
    QCOMPARE(copy->title(), QStringLiteral("Staging (copy)"));
    QCOMPARE(copy->requestBar()->url(), first->requestBar()->url());
    QCOMPARE(copy->composer()->text(), QStringLiteral("draft to copy"));
    Profile a = first->profile();
    Profile b = copy->profile();
    QVERIFY(a.id != b.id); // a copy of the form, not a second editor of the same profile
    b.name = a.name;
    b.id = a.id;
    QCOMPARE(a, b);

    // Reordering by drag moves the tab widget with its tab.
    QVERIFY(m_window->tabWidget()->tabBar()->isMovable());
    m_window->tabWidget()->tabBar()->moveTab(1, 0);
    QCOMPARE(m_window->tab(0), copy);
    QCOMPARE(m_window->tab(1), first);
}

void TestMainWindow::keyboardTabSwitching()
{
    m_window->newTab();
    m_window->newTab();
    QCOMPARE(m_window->tabWidget()->currentIndex(), 2);
    QTest::keyClick(m_window.get(), Qt::Key_Tab, Qt::ControlModifier);
    QCOMPARE(m_window->tabWidget()->currentIndex(), 0);
    QTest::keyClick(m_window.get(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_window->tabWidget()->currentIndex(), 2);
    QTest::keyClick(m_window.get(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(m_window->tabWidget()->currentIndex(), 1);
}

void TestMainWindow::tabShowsTheConnectionState()
{
    ConnectionTab *tab = m_window->tab(0);
    QCOMPARE(tab->stateIconName(), QStringLiteral("state-idle"));
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Open, 10000);
    QCOMPARE(tab->stateIconName(), QStringLiteral("state-open"));
    QCOMPARE(m_window->tabWidget()->tabText(0), QStringLiteral("Local echo"));
    QVERIFY(m_window->tabWidget()->tabToolTip(0).contains(QStringLiteral("Open")));
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Closed, 10000);
    QCOMPARE(tab->stateIconName(), QStringLiteral("state-closed"));

    // A refused connection shows as an error in the tab and says why in the request bar.
    ConnectionTab *refused = m_window->addTab(Profile::create());
    QTcpServer closedPort;
    QVERIFY(closedPort.listen(QHostAddress::LocalHost));
    const quint16 port = closedPort.serverPort();
    closedPort.close();
    refused->requestBar()->setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    refused->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(refused->state(), ConnectionSession::State::Closed, 10000);
    QCOMPARE(refused->stateIconName(), QStringLiteral("state-error"));
    QVERIFY2(!refused->requestBar()->message().isEmpty(), "the failure is explained");
}

void TestMainWindow::reconnectCountsDown()
{
    ConnectionTab *tab = m_window->tab(0);
    Profile settings = tab->profile();
    settings.reconnect.enabled = true;
    settings.reconnect.initialDelayMs = 3000;
    settings.reconnect.jitter = Profile::Jitter::None;
    tab->setProfile(settings);
    tab->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Open, 10000);

    // The server goes away without a close frame (1006): a reconnect is scheduled in 3 s.
    m_window->echoServer()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::WaitingToReconnect, 10000);
    QCOMPARE(tab->stateIconName(), QStringLiteral("state-reconnecting"));
    QTRY_VERIFY(m_window->tabWidget()->tabText(0).contains(QStringLiteral("reconnecting in 3 s")));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->tabWidget()->tabText(0).contains(QStringLiteral("reconnecting in 2 s")), 2500);
    // Stop cancels the scheduled attempt.
    QCOMPARE(tab->requestBar()->connectButton()->text().remove(QLatin1Char('&')),
             QStringLiteral("Stop"));
    QTest::mouseClick(tab->requestBar()->connectButton(), Qt::LeftButton);
    QTRY_COMPARE(tab->state(), ConnectionSession::State::Closed);
    QCOMPARE(m_window->tabWidget()->tabText(0), QStringLiteral("Local echo"));
}

void TestMainWindow::settingsAreRestoredOnTheNextStart()
{
    ConnectionTab *echo = m_window->tab(0);
    echo->composer()->setText(QStringLiteral("unsent words"));
    ConnectionTab *api = m_window->addTab(Profile::create());
    api->requestBar()->setUrl(QStringLiteral("wss://api.example.com/v2/stream?token=%41"));
    api->requestEditor()->headerModel()->setHeaders(
        { { QStringLiteral("X-Api-Key"), QStringLiteral("k"), true } });
    Profile s = api->profile();
    s.subprotocols = { QStringLiteral("v2") };
    s.keepalive.pingIntervalMs = 30000;
    s.deflate.enabled = true;
    s.proxy.type = Profile::ProxyType::None;
    api->setProfile(s);
    api->setName(QStringLiteral("API"));
    api->composer()->setKind(PayloadKind::Hex);
    api->composer()->setText(QStringLiteral("01 02"));
    api->showSidePage(ConnectionTab::SidePage::Stats);
    m_window->resize(1111, 777);
    auto *splitter = api->findChild<QSplitter *>(QStringLiteral("mainSplitter"));
    QVERIFY(splitter);
    const QList<int> before = splitter->sizes();
    splitter->setSizes({ before.at(0) - 150, before.at(1) + 150 });
    QTest::qWait(20);
    const QList<int> splitterSizes = splitter->sizes();
    QVERIFY(splitterSizes != before);
    // A closed tab can still be reopened after the restart.
    ConnectionTab *scratch = m_window->addTab(Profile::create());
    scratch->requestBar()->setUrl(QStringLiteral("ws://closed.example/"));
    m_window->closeTab(m_window->tabWidget()->indexOf(scratch));
    m_window->tabWidget()->setCurrentWidget(api);
    const Profile saved = api->profile();
    m_window->close(); // saves
    m_window.reset();

    m_window = test::makeWindow(*m_dir, false);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->tabCount(), 2);
    QCOMPARE(m_window->tabWidget()->currentIndex(), 1);
    QCOMPARE(m_window->size(), QSize(1111, 777));
    ConnectionTab *restored = m_window->tab(1);
    QCOMPARE(restored->profile(), saved);
    QCOMPARE(restored->title(), QStringLiteral("API"));
    QCOMPARE(restored->composer()->kind(), PayloadKind::Hex);
    QCOMPARE(restored->composer()->text(), QStringLiteral("01 02"));
    QCOMPARE(restored->sidePanel()->currentIndex(), int(ConnectionTab::SidePage::Stats));
    QTRY_COMPARE(restored->findChild<QSplitter *>(QStringLiteral("mainSplitter"))->sizes(),
                 splitterSizes);
    // The local echo tab follows the server's new port: {{localEchoPort}} is filled with it.
    ConnectionTab *echoAgain = m_window->tab(0);
    QCOMPARE(echoAgain->title(), QStringLiteral("Local echo"));
    QCOMPARE(echoAgain->requestBar()->url(), QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/"));
    QCOMPARE(echoAgain->requestBar()->resolvedUrl(), m_window->echoServer()->url().toString());
    QCOMPARE(echoAgain->composer()->text(), QStringLiteral("unsent words"));
    QVERIFY(m_window->reopenClosedTab());
    QCOMPARE(m_window->currentTab()->requestBar()->url(), QStringLiteral("ws://closed.example/"));
}

void TestMainWindow::urlValidationAsYouType()
{
    m_window->newTab();
    RequestBar *bar = m_window->currentTab()->requestBar();
    QTest::keyClicks(bar->urlEdit(), QStringLiteral("http://example.com/x"));
    QVERIFY2(bar->message().contains(QStringLiteral("use ws://")), qPrintable(bar->message()));
    auto *fix = bar->findChild<QPushButton *>(QStringLiteral("urlFixButton"));
    QVERIFY(fix && fix->isVisible());
    QCOMPARE(fix->text(), QStringLiteral("Use ws://example.com/x"));
    QVERIFY(!bar->connectButton()->isEnabled());
    QTest::mouseClick(fix, Qt::LeftButton);
    QCOMPARE(bar->url(), QStringLiteral("ws://example.com/x"));
    QVERIFY(bar->message().isEmpty());
    QVERIFY(bar->connectButton()->isEnabled());

    bar->urlEdit()->clear();
    QTest::keyClicks(bar->urlEdit(), QStringLiteral("ws://host:99999/"));
    QVERIFY(bar->message().contains(QStringLiteral("1 to 65535")));
    bar->urlEdit()->clear();
    QVERIFY(bar->message().isEmpty());
    // Enter on an empty URL explains instead of doing nothing.
    QTest::keyClick(bar->urlEdit(), Qt::Key_Return);
    QVERIFY(bar->message().contains(QStringLiteral("Enter a ws:// or wss:// URL")));
}

void TestMainWindow::jsonValidationAsYouType()
{
    ConnectionTab *tab = m_window->tab(0);
    tab->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(tab->state(), ConnectionSession::State::Open, 10000);
    Composer *composer = tab->composer();
    composer->setKind(PayloadKind::Json);
    composer->editor()->setFocus();
    QTest::keyClicks(composer->editor(), QStringLiteral("{\"a\": }"));
    QVERIFY2(composer->statusText().startsWith(QStringLiteral("Line 1, column 7")),
             qPrintable(composer->statusText()));
    QCOMPARE(composer->editor()->extraSelections().size(), 1); // the error is underlined
    auto *pretty = composer->findChild<QToolButton *>(QStringLiteral("prettyButton"));
    QVERIFY(!pretty->isEnabled());

    const qsizetype before = tab->session()->record()->size();
    QTest::keyClick(composer->editor(), Qt::Key_Return, Qt::ControlModifier);
    QTest::qWait(50);
    QCOMPARE(tab->session()->record()->size(), before); // nothing sent
    QCOMPARE(composer->editor()->textCursor().position(), 6); // the cursor went to the error

    composer->editor()->moveCursor(QTextCursor::End);
    QTest::keyClick(composer->editor(), Qt::Key_Backspace);
    QTest::keyClicks(composer->editor(), QStringLiteral("[1, 2]}"));
    QVERIFY2(composer->statusText().startsWith(QStringLiteral("Valid JSON")),
             qPrintable(composer->statusText()));
    QVERIFY(composer->editor()->extraSelections().isEmpty());
    QVERIFY(pretty->isEnabled());
}

void TestMainWindow::draftsPerKindAndPrettyPrint()
{
    Composer *composer = m_window->tab(0)->composer();
    composer->setKind(PayloadKind::Text);
    composer->setText(QStringLiteral("plain words"));
    composer->setKind(PayloadKind::Json);
    QVERIFY(composer->text().isEmpty());
    composer->setText(QStringLiteral("{\"b\":1,\"a\":[true,null]}"));
    composer->editor()->setFocus();
    QTRY_VERIFY(composer->editor()->hasFocus());
    QTest::keyClick(composer->editor(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(composer->text(),
             QStringLiteral("{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null\n  ]\n}"));
    // Undo brings back what pretty-printing replaced.
    composer->editor()->undo();
    QCOMPARE(composer->text(), QStringLiteral("{\"b\":1,\"a\":[true,null]}"));
    composer->setKind(PayloadKind::Hex);
    composer->setText(QStringLiteral("zz"));
    QVERIFY(composer->statusText().contains(QStringLiteral("not a hex digit")));
    composer->setKind(PayloadKind::Text);
    QCOMPARE(composer->text(), QStringLiteral("plain words"));
    composer->setKind(PayloadKind::Hex);
    QCOMPARE(composer->text(), QStringLiteral("zz"));
    // Not connected: Send says so instead of doing nothing.
    composer->setText(QStringLiteral("01"));
    composer->send();
    QVERIFY(composer->statusText().contains(QStringLiteral("Not connected")));
}

void TestMainWindow::connectRefusesBadSettingsWithAReason()
{
    m_window->newTab();
    ConnectionTab *tab = m_window->currentTab();
    tab->requestBar()->setUrl(QStringLiteral("ws://localhost:1/"));
    tab->requestEditor()->headerModel()->setHeaders(
        { { QStringLiteral("Bad Header"), QStringLiteral("v"), true } });
    tab->connectToServer();
    QCOMPARE(tab->state(), ConnectionSession::State::Idle);
    QVERIFY2(tab->requestBar()->message().contains(QStringLiteral("Bad Header")),
             qPrintable(tab->requestBar()->message()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
