#pragma once

#include "ui/Theme.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QSettings;
QT_END_NAMESPACE

namespace duplex {

// What Duplex remembers between runs: window geometry and layout, the open tabs (URL, request
// settings, composer drafts and send history, splitter sizes) and the theme. One INI file: by
// default the platform's per-user location; an explicit path (--settings, DUPLEX_SETTINGS)
// replaces it; in Qt's test mode (QStandardPaths::setTestModeEnabled) the default moves under
// the test location so that tests never touch a user's settings.
class AppSettings
{
public:
    explicit AppSettings(const QString &path = {});
    ~AppSettings();
    AppSettings(const AppSettings &) = delete;
    AppSettings &operator=(const AppSettings &) = delete;

    static QString defaultPath();
    QString path() const;

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    Theme::Mode theme() const;
    void setTheme(Theme::Mode mode);

    // Whether tabs were ever saved: false on the very first start.
    bool hasSavedTabs() const;
    QJsonArray tabs() const;
    int currentTab() const;
    void setTabs(const QJsonArray &tabs, int current);

    // Tabs closed recently (newest last), so that Reopen Closed Tab works after a restart too.
    QJsonArray closedTabs() const;
    void setClosedTabs(const QJsonArray &tabs);

    // The splitter layout new tabs start with (that of the tab last used).
    QJsonObject tabLayout() const;
    void setTabLayout(const QJsonObject &layout);

    bool sidePanelVisible() const;
    void setSidePanelVisible(bool visible);

    // Writes pending changes to disk; returns a sentence naming the problem if that failed.
    QString sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace duplex
