#pragma once

#include "core/session/ConnectionSession.h"
#include "core/session/Profile.h"
#include "core/session/SessionExport.h"
#include "core/session/VariableSubstitution.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QSplitter;
class QTabWidget;
QT_END_NAMESPACE

namespace duplex {

class Composer;
class EnvironmentBox;
class HandshakeView;
class HistoryPane;
class LocalEchoServer;
class ProfileLibrary;
class RequestBar;
class RequestEditor;
class StatsView;

// One connection: the request bar on top; the history above the composer on the left; the
// request editor, handshake and stats on the right. It owns its ConnectionSession and the
// record the history shows, and drives the session only through its public API and signals.
//
// What a tab connects with is a Profile: the one it was opened on (from the store, a saved
// tab, a HAR), with what the request bar and editor show written over it. Connecting fills its
// {{variables}} from the tab's environment (and localEchoPort, the embedded echo server's
// port) and maps it to SessionOptions through ProfileConnection, as duplex-cli does; an
// unknown variable is shown before anything is sent.
//
// A tab opened on a HAR file is read-only: its history shows the archive's messages as
// reconstructed frames, it cannot connect, and it can be saved as a profile.
//
// Ownership: the tab owns every widget in it (Qt parent) and the session (QObject child). The
// LocalEchoServer and the ProfileLibrary belong to the window and outlive the tab.
class ConnectionTab : public QWidget
{
    Q_OBJECT

public:
    enum class SidePage { Request, Handshake, Stats };

    ConnectionTab(const Profile &profile, LocalEchoServer *echoServer, ProfileLibrary *library,
                  QWidget *parent = nullptr);
    ~ConnectionTab() override;

    // The form as a profile, and the profile the form is filled from.
    Profile profile() const;
    void setProfile(const Profile &profile);
    // Whether the tab's profile is one of the store's (the store has its id).
    bool isSavedProfile() const;

    // The environment whose variables fill {{name}} (null: none).
    QUuid environmentId() const;
    void setEnvironmentId(const QUuid &id);
    QString environmentName() const;
    // The variables a connection and a message of this tab are filled from.
    VariableSubstitution variables() const;

    // What the tab is called: the name given, or one made from the URL.
    QString title() const;
    QString name() const { return m_profile.name; }
    void setName(const QString &name);

    // The state as the tab bar shows it: icon name, a short text (empty when there is nothing
    // to add to the title, "reconnecting in 3 s") and a tooltip.
    QString stateIconName() const;
    QString stateText() const;
    QString toolTipText() const;

    ConnectionSession *session() const { return m_session; }
    ConnectionSession::State state() const;
    const std::shared_ptr<SessionRecord> &record() const { return m_record; }
    // The opening handshake of each connection (by generation), for the HAR export.
    const QHash<quint16, SessionExport::HandshakeBytes> &handshakes() const { return m_handshakes; }
    RequestBar *requestBar() const { return m_requestBar; }
    RequestEditor *requestEditor() const { return m_requestEditor; }
    Composer *composer() const { return m_composer; }
    HistoryPane *historyPane() const { return m_history; }
    HandshakeView *handshakeView() const { return m_handshakeView; }
    StatsView *statsView() const { return m_statsView; }
    EnvironmentBox *environmentBox() const { return m_environmentBox; }
    QTabWidget *sidePanel() const { return m_sidePanel; }
    void showSidePage(SidePage page);

    // Read-only: the history shows `record` (a HAR's messages) and nothing can be sent.
    void showArchive(std::shared_ptr<SessionRecord> record, const QString &sourceName,
                     qsizetype messages);
    bool isReadOnly() const { return m_readOnly; }
    QLabel *archiveBanner() const { return m_archiveBanner; }

    // The profile (secrets left out), environment, splitter sizes, side page, history layout,
    // composer drafts and send history.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);
    // The profile of a saved state; also reads the tab settings of earlier versions. Nothing,
    // and why, when it cannot be read.
    static std::optional<Profile> profileFromState(const QJsonObject &state, QString *error);
    static QUuid environmentFromState(const QJsonObject &state);
    // Only the layout part (splitters), to give a new tab the look of the current one.
    QJsonObject saveLayout() const;
    void restoreLayout(const QJsonObject &layout);

public Q_SLOTS:
    void connectToServer();
    // Close (1000) when open, abort while closing, stop an attempt or a scheduled reconnect.
    void disconnectFromServer();
    void focusUrl();
    void focusComposer();

Q_SIGNALS:
    // Title, state icon or state text changed: the window updates the tab.
    void presentationChanged();
    // Anything that is saved with the tab changed.
    void settingsEdited();
    void statusMessage(const QString &message, int timeoutMs);
    void editEnvironmentsRequested();

private:
    void buildLayout();
    void wireSession();
    void refreshVariables();
    void followStore();
    void onStateChanged(ConnectionSession::State state);
    void onOpened(quint16 generation);
    void onClosed(const CloseInfo &info);
    void onError(SessionError error, const QString &message);
    void onReconnectScheduled(int attempt, qint64 delayMs);
    void onCountdown();
    void onSendRequested(const QByteArray &payload, bool binary);
    void onResendRequested(Opcode opcode, const QByteArray &payload);
    void onUrlEdited(const QString &url);
    void onTemplateAdded(const Profile::MessageTemplate &added);
    void onTemplateRemoved(int index);

    Profile m_profile; // what the form was last filled from, for the fields it lacks
    // The stored profile's name and folder as last seen, to follow a rename in the sidebar.
    QString m_storedName;
    QString m_storedFolder;
    bool m_storedSeen = false;
    QPointer<LocalEchoServer> m_echoServer;
    ProfileLibrary *m_library = nullptr;
    std::shared_ptr<SessionRecord> m_record;
    QHash<quint16, SessionExport::HandshakeBytes> m_handshakes;
    ConnectionSession *m_session = nullptr;
    bool m_readOnly = false;

    RequestBar *m_requestBar = nullptr;
    EnvironmentBox *m_environmentBox = nullptr;
    RequestEditor *m_requestEditor = nullptr;
    Composer *m_composer = nullptr;
    HistoryPane *m_history = nullptr;
    HandshakeView *m_handshakeView = nullptr;
    StatsView *m_statsView = nullptr;
    QTabWidget *m_sidePanel = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_workSplitter = nullptr;
    QLabel *m_archiveBanner = nullptr;

    QTimer m_countdown;
    int m_countdownSeconds = -1;
    bool m_lastEndWasError = false;
    bool m_focusComposerOnOpen = false;
};

} // namespace duplex
