#include "ui/ProfileActions.h"

#include "core/session/HarReplay.h"
#include "core/session/SessionExport.h"
#include "ui/ConnectionTab.h"
#include "ui/EnvironmentDialog.h"
#include "ui/MainWindow.h"
#include "ui/NoticeBanner.h"
#include "ui/ProfileLibrary.h"
#include "ui/ProfilesSidebar.h"
#include "ui/Resources.h"
#include "ui/SaveProfileDialog.h"
#include "ui/SvgIconEngine.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoStack>

namespace duplex {

namespace {

QString plural(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

// `title` as a file name to propose: a tab's title may be "localhost:8080/chat", whose '/'
// would point into a folder that does not exist and whose ':' Windows refuses. Characters no
// file system takes (and control characters) become '-'.
QString fileNameFrom(const QString &title)
{
    static const QString forbidden = QStringLiteral("/\\:*?\"<>|");
    QString name = title.trimmed();
    for (QChar &c : name) {
        if (c.category() == QChar::Other_Control || forbidden.contains(c))
            c = QLatin1Char('-');
    }
    return name.isEmpty() ? QStringLiteral("history") : name;
}

bool readFile(const QString &path, QByteArray *bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("Cannot read \"%1\": %2.").arg(path, file.errorString());
        return false;
    }
    *bytes = file.readAll();
    return true;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace

ProfileActions::ProfileActions(MainWindow *window, ProfileLibrary *library)
    : QObject(window)
    , m_window(window)
    , m_library(library)
    , m_lastDirectory(QDir::homePath())
{ }

void ProfileActions::installActions()
{
    const auto add = [this](const char *name, const QString &text, const QString &icon,
                            const QKeySequence &shortcut, const QString &tip,
                            void (ProfileActions::*slot)()) {
        auto *action = new QAction(text, m_window);
        action->setObjectName(QString::fromLatin1(name));
        if (!icon.isEmpty())
            action->setIcon(SvgIconEngine::icon(icon));
        action->setShortcut(shortcut);
        action->setToolTip(tip);
        action->setStatusTip(tip);
        m_window->addAction(action);
        connect(action, &QAction::triggered, this, slot);
    };
    add("actionSaveProfile", QStringLiteral("&Save Tab as Profile"), QStringLiteral("save"),
        QKeySequence::Save,
        QStringLiteral("Save this tab's request as a profile, or update the profile it came from"),
        &ProfileActions::saveCurrent);
    add("actionSaveProfileAs", QStringLiteral("Save as New Pro&file…"), QString(),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        QStringLiteral("Save this tab's request as a new profile, with a name and folder"),
        &ProfileActions::saveCurrentAs);
    add("actionOpenHar", QStringLiteral("&Open HAR…"), QStringLiteral("open-file"),
        QKeySequence::Open,
        QStringLiteral("Show the WebSocket messages of a HAR file in a read-only tab"),
        &ProfileActions::openHarDialog);
    add("actionImportProfiles", QStringLiteral("&Import Profiles…"), QStringLiteral("import"),
        QKeySequence(),
        QStringLiteral("Add profiles and environments from a Duplex export or a Postman "
                       "collection"),
        &ProfileActions::importProfilesDialog);
    add("actionExportProfiles", QStringLiteral("E&xport Profiles…"), QStringLiteral("export"),
        QKeySequence(),
        QStringLiteral("Write every profile and environment to one file to share; secret "
                       "values are left out"),
        &ProfileActions::exportProfilesDialog);
    add("actionExportHar", QStringLiteral("Export History as &HAR…"), QString(), QKeySequence(),
        QStringLiteral("Write this tab's messages as a HAR file that browser devtools open"),
        &ProfileActions::exportHarDialog);
    add("actionExportJsonLines", QStringLiteral("Export History as &JSON Lines…"), QString(),
        QKeySequence(),
        QStringLiteral("Write this tab's frames and events, one JSON object a line, as "
                       "duplex-cli --frames prints them"),
        &ProfileActions::exportJsonLinesDialog);
    add("actionEditEnvironments", QStringLiteral("&Environments…"), QStringLiteral("environment"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E),
        QStringLiteral("Edit the environments whose variables fill {{name}} placeholders"),
        &ProfileActions::editEnvironments);

    QUndoStack *undo = m_library->undoStack();
    QAction *undoAction = undo->createUndoAction(m_window, QStringLiteral("&Undo"));
    undoAction->setObjectName(QStringLiteral("actionUndo"));
    undoAction->setShortcut(QKeySequence::Undo);
    undoAction->setToolTip(QStringLiteral("Undo the last change to the profiles"));
    QAction *redoAction = undo->createRedoAction(m_window, QStringLiteral("&Redo"));
    redoAction->setObjectName(QStringLiteral("actionRedo"));
    redoAction->setShortcut(QKeySequence::Redo);
    redoAction->setToolTip(QStringLiteral("Redo the last change to the profiles undone"));
    m_window->addAction(undoAction);
    m_window->addAction(redoAction);
}

void ProfileActions::updateActions()
{
    // Exporting an empty history says so rather than being greyed out.
    const bool tab = m_window->currentTab() != nullptr;
    for (const char *name :
         { "actionSaveProfile", "actionSaveProfileAs", "actionExportHar", "actionExportJsonLines" })
        m_window->action(QString::fromLatin1(name))->setEnabled(tab);
}

void ProfileActions::connectSidebar(ProfilesSidebar *sidebar)
{
    connect(sidebar, &ProfilesSidebar::openRequested, this, &ProfileActions::openProfile);
    connect(sidebar, &ProfilesSidebar::statusMessage, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 8000); });
    connect(m_library, &ProfileLibrary::errorOccurred, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 10000); });
    connect(m_library, &ProfileLibrary::reloadedFromDisk, this, [this] {
        m_window->statusBar()->showMessage(QStringLiteral("Profiles changed on disk; reloaded."),
                                           4000);
        showNotices();
    });
}

Profile ProfileActions::localEchoProfile()
{
    const QJsonObject object =
        QJsonDocument::fromJson(Resources::read(QStringLiteral("profiles/local-echo.json")))
            .object();
    Profile bundled =
        Profile::fromJson(object).value_or(Profile::create(QStringLiteral("Local echo")));
    if (bundled.url.isEmpty())
        bundled.url = QStringLiteral("ws://127.0.0.1:{{localEchoPort}}/");
    return bundled;
}

void ProfileActions::ensureLocalEchoProfile()
{
    ProfileStore &store = m_library->store();
    const Profile bundled = localEchoProfile();
    if (store.findProfile(bundled.folder, bundled.name))
        return;
    QString error;
    if (store.addProfile(bundled, &error))
        m_library->reload();
    else
        m_window->statusBar()->showMessage(
            QStringLiteral("The \"Local echo\" profile could not be saved: %1").arg(error), 10000);
}

QString ProfileActions::startDirectory() const
{
    return m_lastDirectory;
}

void ProfileActions::remember(const QString &path)
{
    m_lastDirectory = QFileInfo(path).absolutePath();
}

void ProfileActions::report(const QString &message, bool failed)
{
    if (failed)
        QMessageBox::warning(m_window, QStringLiteral("Duplex"), message);
    else
        m_window->statusBar()->showMessage(message, 8000);
}

bool ProfileActions::saveTabAsProfile(ConnectionTab *tab, const QString &name,
                                      const QString &folder, QString *error)
{
    if (!tab)
        return false;
    Profile profile = tab->profile();
    if (tab->isSavedProfile())
        profile.id = QUuid::createUuid(); // a copy: the stored one stays as it is
    profile.name = name.trimmed();
    profile.folder = Profile::normalizedFolder(folder);
    if (!m_library->addProfile(profile, error))
        return false;
    tab->setProfile(m_library->profile(profile.id).value_or(profile));
    m_window->profilesSidebar()->selectProfile(profile.id);
    return true;
}

bool ProfileActions::updateTabProfile(ConnectionTab *tab, QString *error)
{
    if (!tab)
        return false;
    const std::optional<Profile> stored = m_library->profile(tab->profile().id);
    if (!stored) {
        setError(error,
                 QStringLiteral("The tab's profile is no longer in the store; save it as "
                                "a new profile."));
        return false;
    }
    Profile profile = tab->profile();
    profile.folder = stored->folder; // moving is the sidebar's business
    if (profile.name.trimmed().isEmpty())
        profile.name = stored->name;
    if (profile == *stored)
        return true;
    return m_library->updateProfile(profile, error);
}

ConnectionTab *ProfileActions::openProfile(const QUuid &id)
{
    const std::optional<Profile> profile = m_library->profile(id);
    if (!profile)
        return nullptr;
    ConnectionTab *tab = m_window->addTab(*profile);
    m_window->statusBar()->showMessage(
        QStringLiteral("Opened the profile \"%1\"; F5 connects.").arg(profile->path()), 5000);
    return tab;
}

void ProfileActions::saveCurrent()
{
    ConnectionTab *tab = m_window->currentTab();
    if (!tab)
        return;
    if (!tab->isSavedProfile()) {
        saveCurrentAs();
        return;
    }
    QString error;
    if (updateTabProfile(tab, &error))
        report(QStringLiteral("Saved the profile \"%1\".").arg(tab->profile().path()), false);
    else
        report(error, true);
}

void ProfileActions::saveCurrentAs()
{
    ConnectionTab *tab = m_window->currentTab();
    if (!tab)
        return;
    const Profile current = tab->profile();
    SaveProfileDialog dialog(m_library->store(),
                             current.name.isEmpty() ? tab->title() : current.name, current.folder,
                             m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (saveTabAsProfile(tab, dialog.name(), dialog.folder(), &error)) {
        report(tab->isReadOnly()
                   ? QStringLiteral("Saved the profile \"%1\"; open it from the profiles to "
                                    "connect.")
                         .arg(tab->profile().path())
                   : QStringLiteral("Saved the profile \"%1\".").arg(tab->profile().path()),
               false);
    } else {
        report(error, true);
    }
}

bool ProfileActions::importProfiles(const QString &path, QStringList *lines, QString *error)
{
    QByteArray bytes;
    if (!readFile(path, &bytes, error))
        return false;
    QString problem;
    if (m_library->importData(bytes, lines, &problem))
        return true;
    setError(error, QStringLiteral("Nothing was imported from \"%1\": %2").arg(path, problem));
    return false;
}

bool ProfileActions::exportProfiles(const QString &path, QString *summary, QString *error)
{
    const ProfileStore &store = m_library->store();
    QStringList withheld;
    for (const Profile &profile : store.profiles()) {
        for (const Profile::SecretSlot &slot : profile.secretSlots())
            withheld.append(QStringLiteral("%1 of \"%2\"").arg(slot.description, profile.name));
    }
    for (const Environment &environment : store.environments()) {
        for (const Environment::Variable &variable : environment.variables) {
            if (variable.secret)
                withheld.append(QStringLiteral("variable %1 of environment \"%2\"")
                                    .arg(variable.name, environment.name));
        }
    }
    if (!SessionExport::writeFile(path, m_library->exportData(), error))
        return false;
    if (summary) {
        *summary = QStringLiteral("Exported %1 and %2 to %3.")
                       .arg(plural(store.profiles().size(), QStringLiteral("profile"),
                                   QStringLiteral("profiles")),
                            plural(store.environments().size(), QStringLiteral("environment"),
                                   QStringLiteral("environments")),
                            QDir::toNativeSeparators(path));
        *summary += withheld.isEmpty()
            ? QStringLiteral(" There were no secret values to leave out.")
            : QStringLiteral(" Secret values were left out and marked, to be entered again "
                             "after importing: %1.")
                  .arg(withheld.join(QStringLiteral(", ")));
    }
    return true;
}

bool ProfileActions::exportHistory(ConnectionTab *tab, const QString &path, HistoryFormat format,
                                   QString *error)
{
    if (!tab || !tab->record())
        return false;
    const SessionRecord &record = *tab->record();
    if (record.size() == 0) {
        setError(error,
                 QStringLiteral("Nothing to export: \"%1\" has no history yet.").arg(tab->title()));
        return false;
    }
    QByteArray bytes;
    if (format == HistoryFormat::JsonLines) {
        bytes = SessionExport::jsonLines(record);
    } else {
        const HarDocument document = SessionExport::har(record, tab->handshakes());
        if (document.entries.isEmpty()) {
            setError(error,
                     QStringLiteral("Nothing to export as HAR: \"%1\" never opened a "
                                    "connection.")
                         .arg(tab->title()));
            return false;
        }
        // Secret header values never leave the machine, nor do credentials in general.
        HarDocument::WriteOptions options;
        for (const Profile::Header &header : tab->profile().headers) {
            if (header.secret)
                options.redactedHeaders.append(header.name);
        }
        bytes = document.toJson(options);
    }
    return SessionExport::writeFile(path, bytes, error);
}

ConnectionTab *ProfileActions::openHar(const QString &path, QString *error)
{
    QByteArray bytes;
    if (!readFile(path, &bytes, error))
        return nullptr;
    QString problem;
    const std::optional<HarDocument> document = HarDocument::fromJson(bytes, &problem);
    if (!document) {
        setError(error, QStringLiteral("\"%1\" cannot be opened: %2").arg(path, problem));
        return nullptr;
    }
    const QFileInfo info(path);
    auto record = std::make_shared<SessionRecord>();
    const qsizetype messages = HarReplay::fill(*record, *document, info.fileName());
    ConnectionTab *tab =
        m_window->addTab(HarReplay::profileOf(document->entries.first(), info.completeBaseName()));
    tab->showArchive(record, info.fileName(), messages);
    QString status =
        QStringLiteral("Opened %1: %2 in %3.")
            .arg(info.fileName(),
                 plural(messages, QStringLiteral("message"), QStringLiteral("messages")),
                 plural(document->entries.size(), QStringLiteral("connection"),
                        QStringLiteral("connections")));
    if (!document->warnings.isEmpty())
        status += QLatin1Char(' ') + document->warnings.join(QLatin1Char(' '));
    m_window->statusBar()->showMessage(status, 10000);
    return tab;
}

void ProfileActions::importProfilesDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        m_window, QStringLiteral("Import Profiles"), startDirectory(),
        QStringLiteral("Profiles or Postman collections (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    remember(path);
    QStringList lines;
    QString error;
    if (!importProfiles(path, &lines, &error)) {
        report(error, true);
        return;
    }
    QMessageBox box(QMessageBox::Information, QStringLiteral("Import Profiles"),
                    QStringLiteral("Imported from %1.").arg(QFileInfo(path).fileName()),
                    QMessageBox::Ok, m_window);
    box.setInformativeText(lines.join(QLatin1Char('\n')));
    box.exec();
}

void ProfileActions::exportProfilesDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        m_window, QStringLiteral("Export Profiles"),
        QDir(startDirectory()).filePath(QStringLiteral("duplex-profiles.json")),
        QStringLiteral("JSON (*.json)"));
    if (path.isEmpty())
        return;
    remember(path);
    QString summary;
    QString error;
    if (exportProfiles(path, &summary, &error))
        QMessageBox::information(m_window, QStringLiteral("Export Profiles"), summary);
    else
        report(error, true);
}

void ProfileActions::exportHarDialog()
{
    ConnectionTab *tab = m_window->currentTab();
    if (!tab)
        return;
    const QString path = QFileDialog::getSaveFileName(
        m_window, QStringLiteral("Export History as HAR"),
        QDir(startDirectory()).filePath(fileNameFrom(tab->title()) + QStringLiteral(".har")),
        QStringLiteral("HTTP Archive (*.har);;All files (*)"));
    if (path.isEmpty())
        return;
    remember(path);
    QString error;
    if (exportHistory(tab, path, HistoryFormat::Har, &error))
        report(QStringLiteral("Wrote %1 (secret header values redacted).")
                   .arg(QDir::toNativeSeparators(path)),
               false);
    else
        report(error, true);
}

void ProfileActions::exportJsonLinesDialog()
{
    ConnectionTab *tab = m_window->currentTab();
    if (!tab)
        return;
    const QString path = QFileDialog::getSaveFileName(
        m_window, QStringLiteral("Export History as JSON Lines"),
        QDir(startDirectory()).filePath(fileNameFrom(tab->title()) + QStringLiteral(".jsonl")),
        QStringLiteral("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    remember(path);
    QString error;
    if (exportHistory(tab, path, HistoryFormat::JsonLines, &error))
        report(QStringLiteral("Wrote %1.").arg(QDir::toNativeSeparators(path)), false);
    else
        report(error, true);
}

void ProfileActions::openHarDialog()
{
    const QString path =
        QFileDialog::getOpenFileName(m_window, QStringLiteral("Open HAR"), startDirectory(),
                                     QStringLiteral("HTTP Archive (*.har *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    remember(path);
    QString error;
    if (!openHar(path, &error))
        report(error, true);
}

void ProfileActions::editEnvironments()
{
    EnvironmentDialog dialog(m_library, m_window);
    if (ConnectionTab *tab = m_window->currentTab()) {
        const QUuid current = tab->environmentId();
        const QList<Environment> &list = dialog.environments();
        for (int i = 0; i < list.size(); ++i) {
            if (list.at(i).id == current)
                dialog.selectEnvironment(i);
        }
    }
    dialog.exec();
}

void ProfileActions::showNotices()
{
    m_window->noticeBanner()->addNotices(m_library->takeNotices());
}

} // namespace duplex
