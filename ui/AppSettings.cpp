#include "ui/AppSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>

namespace duplex {

namespace {

const QString keyGeometry = QStringLiteral("window/geometry");
const QString keyState = QStringLiteral("window/state");
const QString keyTheme = QStringLiteral("window/theme");
const QString keySidePanel = QStringLiteral("window/sidePanel");
const QString keyTabs = QStringLiteral("tabs/list");
const QString keyCurrent = QStringLiteral("tabs/current");
const QString keyLayout = QStringLiteral("tabs/layout");
const QString keyClosed = QStringLiteral("tabs/closed");

} // namespace

AppSettings::AppSettings(const QString &path)
{
    const QString file = path.isEmpty() ? defaultPath() : path;
    QDir().mkpath(QFileInfo(file).absolutePath());
    m_settings = std::make_unique<QSettings>(file, QSettings::IniFormat);
}

AppSettings::~AppSettings()
{
    m_settings->sync();
}

QString AppSettings::defaultPath()
{
    const QString fromEnvironment = qEnvironmentVariable("DUPLEX_SETTINGS");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // In test mode this resolves under ~/.qttest, away from the user's own settings.
    QString directory = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    if (directory.isEmpty())
        directory = QDir::homePath() + QStringLiteral("/.config/Duplex");
    return directory + QStringLiteral("/duplex.ini");
}

QString AppSettings::path() const
{
    return m_settings->fileName();
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(keyGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(keyGeometry, geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(keyState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(keyState, state);
}

Theme::Mode AppSettings::theme() const
{
    return Theme::modeFromName(m_settings->value(keyTheme).toString());
}

void AppSettings::setTheme(Theme::Mode mode)
{
    m_settings->setValue(keyTheme, Theme::modeName(mode));
}

bool AppSettings::hasSavedTabs() const
{
    return m_settings->contains(keyTabs);
}

QJsonArray AppSettings::tabs() const
{
    // Stored as one JSON text: readable, diffable, and free of QSettings' type guessing.
    return QJsonDocument::fromJson(m_settings->value(keyTabs).toString().toUtf8()).array();
}

int AppSettings::currentTab() const
{
    return m_settings->value(keyCurrent, 0).toInt();
}

void AppSettings::setTabs(const QJsonArray &tabs, int current)
{
    m_settings->setValue(keyTabs,
                         QString::fromUtf8(QJsonDocument(tabs).toJson(QJsonDocument::Compact)));
    m_settings->setValue(keyCurrent, current);
}

QJsonArray AppSettings::closedTabs() const
{
    return QJsonDocument::fromJson(m_settings->value(keyClosed).toString().toUtf8()).array();
}

void AppSettings::setClosedTabs(const QJsonArray &tabs)
{
    m_settings->setValue(keyClosed,
                         QString::fromUtf8(QJsonDocument(tabs).toJson(QJsonDocument::Compact)));
}

QJsonObject AppSettings::tabLayout() const
{
    return QJsonDocument::fromJson(m_settings->value(keyLayout).toString().toUtf8()).object();
}

void AppSettings::setTabLayout(const QJsonObject &layout)
{
    m_settings->setValue(keyLayout,
                         QString::fromUtf8(QJsonDocument(layout).toJson(QJsonDocument::Compact)));
}

bool AppSettings::sidePanelVisible() const
{
    return m_settings->value(keySidePanel, true).toBool();
}

void AppSettings::setSidePanelVisible(bool visible)
{
    m_settings->setValue(keySidePanel, visible);
}

QString AppSettings::sync()
{
    m_settings->sync();
    switch (m_settings->status()) {
    case QSettings::NoError:
        return {};
    case QSettings::AccessError:
        return QStringLiteral("Cannot write the settings file %1.").arg(path());
    case QSettings::FormatError:
        return QStringLiteral("The settings file %1 is malformed.").arg(path());
    }
    return {};
}

} // namespace duplex
