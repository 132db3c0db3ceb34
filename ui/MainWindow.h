#pragma once

#include "core/session/Profile.h"

#include <QJsonObject>
#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QTabWidget;
QT_END_NAMESPACE

namespace duplex {

class AppSettings;
class ConnectionTab;
class LocalEchoServer;
class NoticeBanner;
class ProfileActions;
class ProfileLibrary;
class ProfilesSidebar;
class SecretStore;
class TabTitleEditor;

// The Duplex window: one tab per connection, the saved profiles beside them, menus, a status
// bar, and the embedded echo server. It remembers its geometry, the open tabs and their layout
// between runs (AppSettings); profiles and environments live in the ProfileStore, which other
// windows and duplex-cli share.
//
// Ownership: the window owns the settings, the profile library, the echo server (a QObject
// child, shared by every tab) and the tabs (through the QTabWidget). Tabs talk to the window
// only through signals.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    struct Options
    {
        // The settings file; empty: AppSettings::defaultPath().
        QString settingsPath;
        // Reopen the tabs of the last run (or, on the first start, a tab on the local echo).
        bool restoreTabs = true;
        // Connect tabs on the local echo server as soon as they open.
        bool connectLocalEcho = true;
        // Where profiles.json and environments.json are; empty: ProfileStore's default
        // (QStandardPaths::AppConfigLocation, which XDG_CONFIG_HOME moves).
        QString profileDirectory;
        // Where secret values go; null: the system keychain, or memory when there is none.
        std::shared_ptr<SecretStore> secretStore;
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QTabWidget *tabWidget() const { return m_tabs; }
    int tabCount() const;
    ConnectionTab *tab(int index) const;
    ConnectionTab *currentTab() const;
    LocalEchoServer *echoServer() const { return m_echoServer; }
    AppSettings &settings() const { return *m_settings; }
    QAction *action(const QString &objectName) const;
    ProfileLibrary *profiles() const { return m_library; }
    ProfilesSidebar *profilesSidebar() const { return m_sidebar; }
    ProfileActions *profileActions() const { return m_profileActions; }
    NoticeBanner *noticeBanner() const { return m_banner; }

    // A new tab on this profile (and a saved tab state), made current.
    ConnectionTab *addTab(const Profile &profile, const QJsonObject &state = {});
    // A tab on the "Local echo" profile (the embedded echo server), connected if the options
    // say so.
    ConnectionTab *addLocalEchoTab();

    // Every tab's settings, drafts and layout, and the window's geometry, to disk.
    void saveSettings();

public Q_SLOTS:
    void newTab();
    void closeTab(int index);
    void closeCurrentTab();
    void duplicateTab(int index);
    void renameTab(int index, const QString &name);
    // Opens an editor on the tab's title in the tab bar (F2, double-click).
    void startRenaming(int index);
    bool reopenClosedTab();
    void nextTab();
    void previousTab();
    void showAbout();
    void showShortcuts();
    void setThemeMode(int mode);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void createProfiles();
    void restoreTabs();
    void connectTab(ConnectionTab *tab);
    void updateTab(ConnectionTab *tab);
    void updateActions();
    void updateEchoStatus();
    void showTabMenu(const QPoint &position);
    void scheduleSave();
    QAction *makeAction(const QString &name, const QString &text, const QString &icon,
                        const QKeySequence &shortcut, const QString &tip);

    Options m_options;
    std::unique_ptr<AppSettings> m_settings;
    ProfileLibrary *m_library = nullptr;
    ProfileActions *m_profileActions = nullptr;
    ProfilesSidebar *m_sidebar = nullptr;
    QDockWidget *m_sidebarDock = nullptr;
    NoticeBanner *m_banner = nullptr;
    LocalEchoServer *m_echoServer = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_echoLabel = nullptr;
    QPointer<TabTitleEditor> m_renameEdit;
    QActionGroup *m_themeGroup = nullptr;
    QTimer m_saveTimer;
    QList<QJsonObject> m_closedTabs; // most recent last, for Reopen Closed Tab
};

} // namespace duplex
