#pragma once

#include "core/session/Profile.h"

#include <QObject>
#include <QStringList>
#include <QUuid>

namespace duplex {

class ConnectionTab;
class MainWindow;
class ProfileLibrary;
class ProfilesSidebar;

// What the window does with profiles and files: save a tab as a profile, open a profile in a
// tab, import and export profiles, export a tab's history as HAR or JSON Lines, open a HAR in
// a read-only tab, edit environments. Each has a form without dialogs (for tests and scripts)
// that reports failure as a sentence naming the file and the reason, and a slot that asks with
// a dialog and reports in the status bar or a message box. Files are written atomically.
class ProfileActions : public QObject
{
    Q_OBJECT

public:
    enum class HistoryFormat { Har, JsonLines };

    ProfileActions(MainWindow *window, ProfileLibrary *library);

    // Adds the window's actions for all this (actionSaveProfile, actionSaveProfileAs,
    // actionOpenHar, actionImportProfiles, actionExportProfiles, actionExportHar,
    // actionExportJsonLines, actionEditEnvironments, actionUndo, actionRedo).
    void installActions();
    // Enables what needs a tab, a history or a saved profile.
    void updateActions();
    // Opens what the sidebar asks for; its messages and the library's go to the status bar.
    void connectSidebar(ProfilesSidebar *sidebar);

    // The bundled "Local echo" profile (resources/profiles/local-echo.json): its URL uses
    // {{localEchoPort}}, so it reaches the embedded server whatever port it got.
    static Profile localEchoProfile();
    // Adds it to the store unless a profile of that name is there.
    void ensureLocalEchoProfile();

    // A new profile from the tab, named `name` in `folder`; the tab is then that profile's.
    bool saveTabAsProfile(ConnectionTab *tab, const QString &name, const QString &folder,
                          QString *error = nullptr);
    // The tab's profile written over the stored one (whose folder it keeps).
    bool updateTabProfile(ConnectionTab *tab, QString *error = nullptr);
    ConnectionTab *openProfile(const QUuid &id);

    bool importProfiles(const QString &path, QStringList *report, QString *error = nullptr);
    // `summary`: what was written, and which secrets were left out.
    bool exportProfiles(const QString &path, QString *summary = nullptr, QString *error = nullptr);
    bool exportHistory(ConnectionTab *tab, const QString &path, HistoryFormat format,
                       QString *error = nullptr);
    ConnectionTab *openHar(const QString &path, QString *error = nullptr);

public Q_SLOTS:
    // Ctrl+S: updates the tab's profile when it has one in the store, otherwise Save As.
    void saveCurrent();
    void saveCurrentAs();
    void importProfilesDialog();
    void exportProfilesDialog();
    void exportHarDialog();
    void exportJsonLinesDialog();
    void openHarDialog();
    void editEnvironments();
    // The store's warnings and the secrets note, not shown before, in the window's banner.
    void showNotices();

private:
    void report(const QString &message, bool failed);
    QString startDirectory() const;
    void remember(const QString &path);

    MainWindow *m_window;
    ProfileLibrary *m_library;
    QString m_lastDirectory;
};

} // namespace duplex
