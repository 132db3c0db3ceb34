#pragma once

#include "core/session/ConnectionSession.h"
#include "ui/ConnectionSettings.h"

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QSplitter;
class QTabWidget;
QT_END_NAMESPACE

namespace duplex {

class Composer;
class HandshakeView;
class HistoryPane;
class LocalEchoServer;
class RequestBar;
class RequestEditor;
class StatsView;

// One connection: the request bar on top; the history above the composer on the left; the
// request editor, handshake and stats on the right. It owns its ConnectionSession and the
// record the history shows, and drives the session only through its public API and signals.
//
// Ownership: the tab owns every widget in it (Qt parent) and the session (QObject child). The
// LocalEchoServer belongs to the window and outlives the tab.
class ConnectionTab : public QWidget
{
    Q_OBJECT

public:
    enum class SidePage { Request, Handshake, Stats };

    ConnectionTab(const ConnectionSettings &settings, LocalEchoServer *echoServer,
                  QWidget *parent = nullptr);
    ~ConnectionTab() override;

    // The form as it stands (URL, name and the request editor).
    ConnectionSettings settings() const;
    void setSettings(const ConnectionSettings &settings);

    // What the tab is called: the name given, or one made from the URL.
    QString title() const;
    QString name() const { return m_name; }
    void setName(const QString &name);

    // The state as the tab bar shows it: icon name, a short text (empty when there is nothing
    // to add to the title, "reconnecting in 3 s") and a tooltip.
    QString stateIconName() const;
    QString stateText() const;
    QString toolTipText() const;

    ConnectionSession *session() const { return m_session; }
    ConnectionSession::State state() const;
    RequestBar *requestBar() const { return m_requestBar; }
    RequestEditor *requestEditor() const { return m_requestEditor; }
    Composer *composer() const { return m_composer; }
    HistoryPane *historyPane() const { return m_history; }
    HandshakeView *handshakeView() const { return m_handshakeView; }
    StatsView *statsView() const { return m_statsView; }
    QTabWidget *sidePanel() const { return m_sidePanel; }
    void showSidePage(SidePage page);

    // Splitter sizes, side page, history layout, composer drafts and send history.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);
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

private:
    void buildLayout();
    void wireSession();
    void onStateChanged(ConnectionSession::State state);
    void onOpened();
    void onClosed(const CloseInfo &info);
    void onError(SessionError error, const QString &message);
    void onReconnectScheduled(int attempt, qint64 delayMs);
    void onCountdown();
    void onSendRequested(const QByteArray &payload, bool binary);
    void onResendRequested(Opcode opcode, const QByteArray &payload);
    void onUrlEdited(const QString &url);
    void followEchoServer();

    QString m_name;
    bool m_localEcho = false;
    ConnectionSettings m_loaded; // what the editor was last filled from, for fields it lacks
    QPointer<LocalEchoServer> m_echoServer;
    std::shared_ptr<SessionRecord> m_record;
    ConnectionSession *m_session = nullptr;

    RequestBar *m_requestBar = nullptr;
    RequestEditor *m_requestEditor = nullptr;
    Composer *m_composer = nullptr;
    HistoryPane *m_history = nullptr;
    HandshakeView *m_handshakeView = nullptr;
    StatsView *m_statsView = nullptr;
    QTabWidget *m_sidePanel = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_workSplitter = nullptr;

    QTimer m_countdown;
    int m_countdownSeconds = -1;
    bool m_lastEndWasError = false;
    bool m_focusComposerOnOpen = false;
};

} // namespace duplex
