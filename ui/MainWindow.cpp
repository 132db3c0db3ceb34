#include "ui/MainWindow.h"

#include "core/session/LocalEchoServer.h"
#include "core/session/SecretStore.h"
#include "ui/AppSettings.h"
#include "ui/Composer.h"
#include "ui/ConnectionTab.h"
#include "ui/NoticeBanner.h"
#include "ui/ProfileActions.h"
#include "ui/ProfileLibrary.h"
#include "ui/ProfilesSidebar.h"
#include "ui/RequestBar.h"
#include "ui/Resources.h"
#include "ui/ShortcutsDialog.h"
#include "ui/SvgIconEngine.h"
#include "ui/TabTitleEditor.h"
#include "ui/Theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#ifndef DUPLEX_VERSION
#define DUPLEX_VERSION "0.0.0"
#endif

namespace duplex {

namespace {

constexpr int MaxClosedTabs = 20;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : MainWindow(Options {}, parent)
{ }

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_settings(std::make_unique<AppSettings>(options.settingsPath))
{
    Resources::ensureLoaded();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Duplex"));
    setWindowIcon(SvgIconEngine::icon(QStringLiteral("duplex")));
    resize(1280, 800);

    m_echoServer = new LocalEchoServer(this);
    connect(m_echoServer, &LocalEchoServer::started, this, &MainWindow::updateEchoStatus);
    connect(m_echoServer, &LocalEchoServer::clientCountChanged, this,
            &MainWindow::updateEchoStatus);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("connectionTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->tabBar()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tabs->tabBar()->setExpanding(false);
    m_tabs->tabBar()->setIconSize(QSize(12, 12));

    // The notice banner above the tabs, for what must be read once.
    m_banner = new NoticeBanner(this);
    auto *central = new QWidget(this);
    auto *column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_banner);
    column->addWidget(m_tabs, 1);
    setCentralWidget(central);

    auto *newTabButton = new QToolButton(m_tabs);
    newTabButton->setObjectName(QStringLiteral("newTabButton"));
    newTabButton->setIcon(SvgIconEngine::icon(QStringLiteral("new-tab")));
    newTabButton->setAutoRaise(true);
    newTabButton->setToolTip(QStringLiteral("New connection tab (Ctrl+T)"));
    connect(newTabButton, &QToolButton::clicked, this, &MainWindow::newTab);
    m_tabs->setCornerWidget(newTabButton, Qt::TopRightCorner);

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        statusBar()->clearMessage(); // it spoke of the tab left behind
        updateActions();
        if (ConnectionTab *tab = currentTab())
            updateTab(tab);
        scheduleSave();
    });
    connect(m_tabs->tabBar(), &QTabBar::tabMoved, this, &MainWindow::scheduleSave);
    connect(m_tabs->tabBar(), &QTabBar::tabBarDoubleClicked, this, [this](int index) {
        if (index >= 0)
            startRenaming(index);
        else
            newTab();
    });
    connect(m_tabs->tabBar(), &QTabBar::customContextMenuRequested, this, &MainWindow::showTabMenu);

    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(1500);
    connect(&m_saveTimer, &QTimer::timeout, this, &MainWindow::saveSettings);

    createProfiles();
    createActions();
    createMenus();
    createStatusBar();

    if (!restoreGeometry(m_settings->windowGeometry()))
        resize(1280, 800);
    restoreState(m_settings->windowState());
    action(QStringLiteral("actionSidePanel"))->setChecked(m_settings->sidePanelVisible());

    // The first start: the "Local echo" profile is there to open, and the first tab is on it.
    if (!m_settings->hasSavedTabs())
        m_profileActions->ensureLocalEchoProfile();
    if (m_options.restoreTabs) {
        for (const QJsonValue &state : m_settings->closedTabs())
            m_closedTabs.append(state.toObject());
        restoreTabs();
    }
    if (m_tabs->count() == 0)
        addLocalEchoTab();
    updateActions();
    m_profileActions->showNotices();
}

void MainWindow::createProfiles()
{
    std::shared_ptr<SecretStore> secrets = m_options.secretStore;
    QString secretsNote;
    if (!secrets)
        secrets = SecretStore::createDefault(QStringLiteral("Duplex"), &secretsNote);
    auto store = m_options.profileDirectory.isEmpty()
        ? std::make_unique<ProfileStore>(secrets)
        : std::make_unique<ProfileStore>(m_options.profileDirectory, secrets);
    m_library = new ProfileLibrary(std::move(store), secretsNote, this);
    m_profileActions = new ProfileActions(this, m_library);
    m_profileActions->installActions();

    m_sidebar = new ProfilesSidebar(m_library, this);
    m_sidebarDock = new QDockWidget(QStringLiteral("Profiles"), this);
    m_sidebarDock->setObjectName(QStringLiteral("profilesDock"));
    m_sidebarDock->setWidget(m_sidebar);
    m_sidebarDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::LeftDockWidgetArea, m_sidebarDock);
    resizeDocks({ m_sidebarDock }, { 220 }, Qt::Horizontal);
    QAction *toggle = m_sidebarDock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("actionProfilesSidebar"));
    toggle->setText(QStringLiteral("&Profiles"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    toggle->setToolTip(QStringLiteral("Show or hide the saved profiles"));

    m_profileActions->connectSidebar(m_sidebar);
}

MainWindow::~MainWindow()
{
    // Tabs go first: their sessions may still tell the window about their last state.
    while (m_tabs->count() > 0) {
        QWidget *widget = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete widget;
    }
}

QAction *MainWindow::makeAction(const QString &name, const QString &text, const QString &icon,
                                const QKeySequence &shortcut, const QString &tip)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    if (!icon.isEmpty())
        action->setIcon(SvgIconEngine::icon(icon));
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    action->setToolTip(tip.isEmpty() ? QString(text).remove(QLatin1Char('&')) : tip);
    action->setStatusTip(action->toolTip());
    addAction(action);
    return action;
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName, Qt::FindDirectChildrenOnly);
}

void MainWindow::createActions()
{
    connect(makeAction(QStringLiteral("actionNewTab"), QStringLiteral("&New Tab"),
                       QStringLiteral("new-tab"), QKeySequence(Qt::CTRL | Qt::Key_T),
                       QStringLiteral("Open a new connection tab")),
            &QAction::triggered, this, &MainWindow::newTab);
    connect(makeAction(QStringLiteral("actionLocalEchoTab"), QStringLiteral("New &Local Echo Tab"),
                       QStringLiteral("echo"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                       QStringLiteral("Open a tab connected to the embedded echo server")),
            &QAction::triggered, this, &MainWindow::addLocalEchoTab);
    connect(makeAction(QStringLiteral("actionDuplicateTab"), QStringLiteral("&Duplicate Tab"),
                       QStringLiteral("duplicate"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
                       QStringLiteral("Open a copy of this tab's request and drafts")),
            &QAction::triggered, this, [this] { duplicateTab(m_tabs->currentIndex()); });
    connect(makeAction(QStringLiteral("actionRenameTab"), QStringLiteral("&Rename Tab…"),
                       QStringLiteral("rename"), QKeySequence(Qt::Key_F2),
                       QStringLiteral("Give this tab a name")),
            &QAction::triggered, this, [this] { startRenaming(m_tabs->currentIndex()); });
    connect(makeAction(QStringLiteral("actionCloseTab"), QStringLiteral("&Close Tab"),
                       QStringLiteral("close-tab"), QKeySequence(Qt::CTRL | Qt::Key_W),
                       QStringLiteral("Close this tab (Reopen Closed Tab brings it back)")),
            &QAction::triggered, this, &MainWindow::closeCurrentTab);
    connect(makeAction(
                QStringLiteral("actionReopenTab"), QStringLiteral("Re&open Closed Tab"),
                QStringLiteral("history"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T),
                QStringLiteral("Bring back the last closed tab with its drafts and send history")),
            &QAction::triggered, this, &MainWindow::reopenClosedTab);
    QAction *quit =
        makeAction(QStringLiteral("actionQuit"), QStringLiteral("&Quit"), QStringLiteral("quit"),
                   QKeySequence(Qt::CTRL | Qt::Key_Q), QStringLiteral("Save the tabs and quit"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QAction *next = makeAction(QStringLiteral("actionNextTab"), QStringLiteral("Ne&xt Tab"),
                               QString(), QKeySequence(Qt::CTRL | Qt::Key_Tab), QString());
    next->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown) });
    connect(next, &QAction::triggered, this, &MainWindow::nextTab);
    QAction *previous =
        makeAction(QStringLiteral("actionPreviousTab"), QStringLiteral("Pre&vious Tab"), QString(),
                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab), QString());
    previous->setShortcuts({ QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab),
                             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab),
                             QKeySequence(Qt::CTRL | Qt::Key_PageUp) });
    connect(previous, &QAction::triggered, this, &MainWindow::previousTab);

    connect(makeAction(QStringLiteral("actionConnect"), QStringLiteral("&Connect / Disconnect"),
                       QStringLiteral("connect"), QKeySequence(Qt::Key_F5),
                       QStringLiteral("Connect this tab, or disconnect it when connected")),
            &QAction::triggered, this, [this] {
                if (ConnectionTab *tab = currentTab())
                    tab->requestBar()->trigger();
            });
    connect(makeAction(QStringLiteral("actionSend"), QStringLiteral("&Send Message"),
                       QStringLiteral("send"), QKeySequence(),
                       QStringLiteral("Send the composer's message (Ctrl+Enter in the composer)")),
            &QAction::triggered, this, [this] {
                if (ConnectionTab *tab = currentTab())
                    tab->composer()->send();
            });
    connect(makeAction(QStringLiteral("actionPing"), QStringLiteral("Send &Ping"),
                       QStringLiteral("ping"), QKeySequence(),
                       QStringLiteral("Send a ping with the composer's ping payload")),
            &QAction::triggered, this, [this] {
                if (ConnectionTab *tab = currentTab())
                    tab->composer()->sendPing();
            });
    connect(makeAction(QStringLiteral("actionFocusUrl"), QStringLiteral("Go to &URL"), QString(),
                       QKeySequence(Qt::Key_F6),
                       QStringLiteral("Move the keyboard focus to the URL")),
            &QAction::triggered, this, [this] {
                if (ConnectionTab *tab = currentTab())
                    tab->focusUrl();
            });
    connect(makeAction(QStringLiteral("actionFocusComposer"),
                       QStringLiteral("Go to &Message Editor"), QString(), QKeySequence(Qt::Key_F7),
                       QStringLiteral("Move the keyboard focus to the composer")),
            &QAction::triggered, this, [this] {
                if (ConnectionTab *tab = currentTab())
                    tab->focusComposer();
            });

    const struct
    {
        const char *name;
        const char *text;
        ConnectionTab::SidePage page;
        Qt::Key key;
    } pages[] = {
        { "actionShowRequest", "&Request Settings", ConnectionTab::SidePage::Request, Qt::Key_1 },
        { "actionShowHandshake", "&Handshake", ConnectionTab::SidePage::Handshake, Qt::Key_2 },
        { "actionShowStats", "&Stats", ConnectionTab::SidePage::Stats, Qt::Key_3 },
    };
    for (const auto &page : pages) {
        const ConnectionTab::SidePage target = page.page;
        connect(makeAction(QString::fromLatin1(page.name), QString::fromUtf8(page.text), QString(),
                           QKeySequence(Qt::ALT | page.key), QString()),
                &QAction::triggered, this, [this, target] {
                    if (ConnectionTab *tab = currentTab()) {
                        tab->sidePanel()->setVisible(true);
                        tab->showSidePage(target);
                        action(QStringLiteral("actionSidePanel"))->setChecked(true);
                    }
                });
    }
    QAction *side =
        makeAction(QStringLiteral("actionSidePanel"), QStringLiteral("Side &Panel"), QString(),
                   QKeySequence(Qt::Key_F9),
                   QStringLiteral("Show or hide the request, handshake and stats panel"));
    side->setCheckable(true);
    side->setChecked(true);
    connect(side, &QAction::toggled, this, [this](bool visible) {
        for (int i = 0; i < tabCount(); ++i)
            tab(i)->sidePanel()->setVisible(visible);
        scheduleSave();
    });

    m_themeGroup = new QActionGroup(this);
    const struct
    {
        const char *name;
        const char *text;
        Theme::Mode mode;
    } themes[] = {
        { "actionThemeSystem", "Follow the &System", Theme::Mode::System },
        { "actionThemeLight", "&Light", Theme::Mode::Light },
        { "actionThemeDark", "&Dark", Theme::Mode::Dark },
    };
    for (const auto &theme : themes) {
        QAction *a = makeAction(QString::fromLatin1(theme.name), QString::fromUtf8(theme.text),
                                QString(), QKeySequence(), QString());
        a->setCheckable(true);
        a->setData(int(theme.mode));
        a->setChecked(Theme::mode() == theme.mode);
        m_themeGroup->addAction(a);
        const int mode = int(theme.mode);
        connect(a, &QAction::triggered, this, [this, mode] { setThemeMode(mode); });
    }

    connect(makeAction(QStringLiteral("actionShortcuts"), QStringLiteral("&Keyboard Shortcuts"),
                       QString(), QKeySequence(Qt::CTRL | Qt::Key_Slash),
                       QStringLiteral("List every keyboard shortcut")),
            &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(makeAction(QStringLiteral("actionAbout"), QStringLiteral("&About Duplex"),
                       QStringLiteral("about"), QKeySequence(),
                       QStringLiteral("Version and licence")),
            &QAction::triggered, this, &MainWindow::showAbout);
    connect(makeAction(QStringLiteral("actionAboutQt"), QStringLiteral("About &Qt"), QString(),
                       QKeySequence(), QString()),
            &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createMenus()
{
    const auto addAll = [this](QMenu *menu, std::initializer_list<const char *> names) {
        for (const char *name : names)
            menu->addAction(action(QString::fromLatin1(name)));
    };
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    addAll(file, { "actionNewTab", "actionLocalEchoTab", "actionDuplicateTab", "actionRenameTab" });
    file->addSeparator();
    addAll(file, { "actionSaveProfile", "actionSaveProfileAs" });
    file->addSeparator();
    addAll(file, { "actionOpenHar", "actionImportProfiles", "actionExportProfiles" });
    addAll(file, { "actionExportHar", "actionExportJsonLines" });
    file->addSeparator();
    file->addAction(action(QStringLiteral("actionCloseTab")));
    file->addAction(action(QStringLiteral("actionReopenTab")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("actionQuit")));

    QMenu *edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    addAll(edit, { "actionUndo", "actionRedo" });
    edit->addSeparator();
    addAll(edit, { "actionConnect", "actionSend", "actionPing" });
    edit->addSeparator();
    edit->addAction(action(QStringLiteral("actionEditEnvironments")));
    edit->addSeparator();
    edit->addAction(action(QStringLiteral("actionFocusUrl")));
    edit->addAction(action(QStringLiteral("actionFocusComposer")));

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(m_sidebarDock->toggleViewAction());
    view->addAction(action(QStringLiteral("actionSidePanel")));
    for (const char *name : { "actionShowRequest", "actionShowHandshake", "actionShowStats" })
        view->addAction(action(QString::fromLatin1(name)));
    view->addSeparator();
    view->addAction(action(QStringLiteral("actionNextTab")));
    view->addAction(action(QStringLiteral("actionPreviousTab")));
    view->addSeparator();
    QMenu *theme = view->addMenu(QStringLiteral("&Theme"));
    theme->addActions(m_themeGroup->actions());

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(action(QStringLiteral("actionShortcuts")));
    help->addSeparator();
    help->addAction(action(QStringLiteral("actionAbout")));
    help->addAction(action(QStringLiteral("actionAboutQt")));
}

void MainWindow::createStatusBar()
{
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("tabStateLabel"));
    m_echoLabel = new QLabel(this);
    m_echoLabel->setObjectName(QStringLiteral("echoServerLabel"));
    m_echoLabel->setToolTip(
        QStringLiteral("The embedded echo server: every text and binary message "
                       "sent to it comes back unchanged"));
    statusBar()->addPermanentWidget(m_stateLabel);
    statusBar()->addPermanentWidget(m_echoLabel);
    statusBar()->setSizeGripEnabled(true);
    updateEchoStatus();
}

void MainWindow::updateEchoStatus()
{
    if (!m_echoServer->isListening()) {
        m_echoLabel->setText(m_echoServer->errorString().isEmpty()
                                 ? QString()
                                 : QStringLiteral("Echo server stopped"));
        return;
    }
    const qsizetype clients = m_echoServer->clientCount();
    m_echoLabel->setText(
        QStringLiteral("Echo server %1:%2 · %3 %4")
            .arg(QStringLiteral("127.0.0.1"))
            .arg(m_echoServer->port())
            .arg(clients)
            .arg(clients == 1 ? QStringLiteral("client") : QStringLiteral("clients")));
}

int MainWindow::tabCount() const
{
    return m_tabs->count();
}

ConnectionTab *MainWindow::tab(int index) const
{
    return qobject_cast<ConnectionTab *>(m_tabs->widget(index));
}

ConnectionTab *MainWindow::currentTab() const
{
    return qobject_cast<ConnectionTab *>(m_tabs->currentWidget());
}

ConnectionTab *MainWindow::addTab(const Profile &profile, const QJsonObject &state)
{
    auto *tab = new ConnectionTab(profile, m_echoServer, m_library, m_tabs);
    // A new tab takes the layout of the one in use, so splitter sizes carry over.
    if (ConnectionTab *current = currentTab())
        tab->restoreLayout(current->saveLayout());
    else
        tab->restoreLayout(m_settings->tabLayout());
    if (!state.isEmpty())
        tab->restoreState(state);
    tab->sidePanel()->setVisible(action(QStringLiteral("actionSidePanel"))->isChecked());
    connectTab(tab);
    const int index = m_tabs->addTab(tab, tab->title());
    // Our own close button: the style's is a red square that shouts on every tab.
    auto *close = new QToolButton(m_tabs->tabBar());
    close->setObjectName(QStringLiteral("closeTabButton"));
    close->setIcon(SvgIconEngine::icon(QStringLiteral("close-tab")));
    close->setIconSize(QSize(12, 12));
    close->setAutoRaise(true);
    close->setFocusPolicy(Qt::NoFocus);
    close->setToolTip(QStringLiteral("Close this tab (Ctrl+W); Ctrl+Shift+T reopens it"));
    close->setFixedSize(18, 18);
    connect(close, &QToolButton::clicked, this, [this, tab] { closeTab(m_tabs->indexOf(tab)); });
    m_tabs->tabBar()->setTabButton(index, QTabBar::RightSide, close);
    m_tabs->setCurrentIndex(index);
    updateTab(tab);
    scheduleSave();
    return tab;
}

ConnectionTab *MainWindow::addLocalEchoTab()
{
    if (!m_echoServer->ensureStarted())
        statusBar()->showMessage(m_echoServer->errorString(), 10000);
    const Profile bundled = ProfileActions::localEchoProfile();
    ConnectionTab *tab =
        addTab(m_library->store().findProfile(bundled.folder, bundled.name).value_or(bundled));
    if (m_options.connectLocalEcho && m_echoServer->isListening())
        tab->connectToServer();
    return tab;
}

void MainWindow::connectTab(ConnectionTab *tab)
{
    connect(tab, &ConnectionTab::presentationChanged, this, [this, tab] { updateTab(tab); });
    connect(tab, &ConnectionTab::settingsEdited, this, &MainWindow::scheduleSave);
    connect(tab, &ConnectionTab::editEnvironmentsRequested, m_profileActions,
            &ProfileActions::editEnvironments);
    connect(tab, &ConnectionTab::statusMessage, this,
            [this, tab](const QString &message, int timeoutMs) {
                if (tab == currentTab())
                    statusBar()->showMessage(message, timeoutMs);
            });
}

void MainWindow::updateTab(ConnectionTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    const QString state = tab->stateText();
    QString text = tab->title();
    if (const QString environment = tab->environmentName(); !environment.isEmpty())
        text += QStringLiteral(" · ") + environment;
    if (!state.isEmpty())
        text += QStringLiteral(" · ") + state;
    // A single & in a tab text would become a mnemonic.
    m_tabs->setTabText(index, QString(text).replace(QLatin1Char('&'), QStringLiteral("&&")));
    m_tabs->setTabIcon(index, SvgIconEngine::icon(tab->stateIconName()));
    m_tabs->setTabToolTip(index, tab->toolTipText());
    if (tab == currentTab()) {
        m_stateLabel->setText(tab->toolTipText().section(QLatin1Char('\n'), 1));
        updateActions();
    }
}

void MainWindow::updateActions()
{
    const bool any = tabCount() > 0;
    for (const char *name :
         { "actionDuplicateTab", "actionRenameTab", "actionCloseTab", "actionConnect" })
        action(QString::fromLatin1(name))->setEnabled(any);
    action(QStringLiteral("actionReopenTab"))->setEnabled(!m_closedTabs.isEmpty());
    const ConnectionTab *tab = currentTab();
    const bool open = tab && tab->state() == ConnectionSession::State::Open;
    action(QStringLiteral("actionSend"))->setEnabled(open);
    action(QStringLiteral("actionPing"))->setEnabled(open);
    action(QStringLiteral("actionNextTab"))->setEnabled(tabCount() > 1);
    action(QStringLiteral("actionPreviousTab"))->setEnabled(tabCount() > 1);
    m_profileActions->updateActions();
}

void MainWindow::newTab()
{
    ConnectionTab *tab = addTab(Profile::create());
    tab->focusUrl();
}

void MainWindow::closeCurrentTab()
{
    closeTab(m_tabs->currentIndex());
}

void MainWindow::closeTab(int index)
{
    ConnectionTab *closing = tab(index);
    if (!closing)
        return;
    // Nothing typed is lost: the tab's settings, drafts and send history can be reopened.
    m_closedTabs.append(closing->saveState());
    while (m_closedTabs.size() > MaxClosedTabs)
        m_closedTabs.removeFirst();
    const QString title = closing->title();
    m_settings->setTabLayout(closing->saveLayout());
    m_tabs->removeTab(index);
    closing->deleteLater();
    statusBar()->showMessage(QStringLiteral("Closed \"%1\"; Ctrl+Shift+T reopens it.").arg(title),
                             6000);
    if (m_tabs->count() == 0)
        newTab();
    updateActions();
    scheduleSave();
}

bool MainWindow::reopenClosedTab()
{
    if (m_closedTabs.isEmpty())
        return false;
    const QJsonObject state = m_closedTabs.takeLast();
    QString error;
    std::optional<Profile> profile = ConnectionTab::profileFromState(state, &error);
    if (!profile) {
        statusBar()->showMessage(QStringLiteral("The closed tab cannot be read: %1").arg(error),
                                 10000);
        updateActions();
        return false;
    }
    m_library->fillSecrets(*profile);
    addTab(*profile, state);
    updateActions();
    return true;
}

void MainWindow::duplicateTab(int index)
{
    ConnectionTab *source = tab(index);
    if (!source)
        return;
    QJsonObject state = source->saveState();
    Profile profile = source->profile();
    // A copy of the form, not a second editor of the same saved profile.
    profile.id = QUuid::createUuid();
    if (!profile.name.isEmpty())
        profile.name += QStringLiteral(" (copy)");
    ConnectionTab *copy = addTab(profile, state);
    // Next to its original rather than at the end.
    m_tabs->tabBar()->moveTab(m_tabs->indexOf(copy), index + 1);
    m_tabs->setCurrentWidget(copy);
}

void MainWindow::renameTab(int index, const QString &name)
{
    if (ConnectionTab *target = tab(index))
        target->setName(name);
}

void MainWindow::startRenaming(int index)
{
    ConnectionTab *target = tab(index);
    if (!target)
        return;
    delete m_renameEdit;
    m_renameEdit = new TabTitleEditor(m_tabs->tabBar(), index, target->title());
    QPointer<ConnectionTab> guard(target);
    connect(m_renameEdit, &TabTitleEditor::committed, this, [guard](const QString &title) {
        // Keeping the title a tab was given from its URL leaves it following the URL.
        if (guard)
            guard->setName(title == guard->title() && guard->name().isEmpty() ? QString() : title);
    });
    connect(m_renameEdit, &QObject::destroyed, this, [this, guard] {
        if (guard)
            guard->setFocus();
    });
    m_renameEdit->show();
    m_renameEdit->setFocus();
}

void MainWindow::nextTab()
{
    if (tabCount() > 1)
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % tabCount());
}

void MainWindow::previousTab()
{
    if (tabCount() > 1)
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + tabCount() - 1) % tabCount());
}

void MainWindow::showTabMenu(const QPoint &position)
{
    const int index = m_tabs->tabBar()->tabAt(position);
    if (index < 0)
        return;
    QMenu menu(this);
    connect(
        menu.addAction(SvgIconEngine::icon(QStringLiteral("rename")), QStringLiteral("&Rename…")),
        &QAction::triggered, this, [this, index] { startRenaming(index); });
    connect(menu.addAction(SvgIconEngine::icon(QStringLiteral("duplicate")),
                           QStringLiteral("&Duplicate")),
            &QAction::triggered, this, [this, index] { duplicateTab(index); });
    menu.addSeparator();
    connect(
        menu.addAction(SvgIconEngine::icon(QStringLiteral("close-tab")), QStringLiteral("&Close")),
        &QAction::triggered, this, [this, index] { closeTab(index); });
    QAction *others = menu.addAction(QStringLiteral("Close &Other Tabs"));
    others->setEnabled(tabCount() > 1);
    QPointer<ConnectionTab> keep(tab(index));
    connect(others, &QAction::triggered, this, [this, keep] {
        for (int i = tabCount() - 1; i >= 0; --i) {
            if (tab(i) != keep)
                closeTab(i);
        }
    });
    menu.exec(m_tabs->tabBar()->mapToGlobal(position));
}

void MainWindow::restoreTabs()
{
    if (!m_settings->hasSavedTabs())
        return; // the first start: the caller opens the local echo tab
    const QJsonArray tabs = m_settings->tabs();
    QStringList warnings;
    for (const QJsonValue &value : tabs) {
        const QJsonObject state = value.toObject();
        QString error;
        std::optional<Profile> profile = ConnectionTab::profileFromState(state, &error);
        if (!profile) {
            // Keep what can be kept: the URL and the name, with the reason said.
            const QJsonObject saved = state.value(QStringLiteral("profile")).toObject();
            profile = Profile::create(saved.value(QStringLiteral("name")).toString());
            profile->url = saved.value(QStringLiteral("url")).toString();
            warnings.append(error);
        }
        m_library->fillSecrets(*profile);
        ConnectionTab *tab = addTab(*profile, state);
        if (m_options.connectLocalEcho && profile->url.contains(QLatin1String("{{localEchoPort}}")))
            tab->connectToServer();
    }
    if (tabs.isEmpty())
        return;
    m_tabs->setCurrentIndex(qBound(0, m_settings->currentTab(), m_tabs->count() - 1));
    if (!warnings.isEmpty()) {
        statusBar()->showMessage(
            QStringLiteral("Some saved tabs could not be read in full and kept only their URL: "
                           "%1")
                .arg(warnings.join(QLatin1Char(' '))),
            15000);
    }
}

void MainWindow::scheduleSave()
{
    m_saveTimer.start();
}

void MainWindow::saveSettings()
{
    m_saveTimer.stop();
    QJsonArray tabs;
    for (int i = 0; i < tabCount(); ++i) {
        if (!tab(i)->isReadOnly()) // an archive's tab is opened again from its file
            tabs.append(tab(i)->saveState());
    }
    m_settings->setTabs(tabs, m_tabs->currentIndex());
    QJsonArray closed;
    for (const QJsonObject &state : std::as_const(m_closedTabs))
        closed.append(state);
    m_settings->setClosedTabs(closed);
    if (ConnectionTab *current = currentTab())
        m_settings->setTabLayout(current->saveLayout());
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(QMainWindow::saveState());
    m_settings->setTheme(Theme::mode());
    m_settings->setSidePanelVisible(action(QStringLiteral("actionSidePanel"))->isChecked());
    if (const QString problem = m_settings->sync(); !problem.isEmpty())
        statusBar()->showMessage(problem, 10000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    event->accept();
}

void MainWindow::setThemeMode(int mode)
{
    Theme::apply(Theme::Mode(mode));
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toInt() == mode);
    scheduleSave();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        // Icons draw in the palette's text colour at paint time; tabs repaint on their own.
        for (int i = 0; i < tabCount(); ++i)
            updateTab(tab(i));
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, QStringLiteral("About Duplex"),
        QStringLiteral("<h3>Duplex %1</h3>"
                       "<p>A native desktop workbench for WebSocket APIs: connect, send, and see "
                       "every frame as it crossed the wire.</p>"
                       "<p>Built with Qt %2 (running on Qt %3).</p>")
            .arg(QStringLiteral(DUPLEX_VERSION), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion())));
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(actions(), this);
    dialog.exec();
}

} // namespace duplex
