#include "ui/ConnectionTab.h"

#include "core/protocol/CloseCode.h"
#include "ui/Composer.h"
#include "ui/HandshakeView.h"
#include "ui/LocalEchoServer.h"
#include "ui/RequestBar.h"
#include "ui/RequestEditor.h"
#include "ui/StatsView.h"
#include "ui/SvgIconEngine.h"

#ifdef DUPLEX_HAVE_HISTORY_PANE
#include "ui/HistoryPane.h"
#endif

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace duplex {

namespace {

bool isConnecting(ConnectionSession::State state)
{
    using State = ConnectionSession::State;
    return state == State::Resolving || state == State::Connecting || state == State::Securing
        || state == State::Handshaking;
}

QString closeDescription(const CloseInfo &info)
{
    QString text = QString::number(info.code);
    if (const char *name = closeCodeName(info.code); name && *name)
        text += QStringLiteral(" %1").arg(QString::fromLatin1(name));
    if (!info.reason.isEmpty())
        text += QStringLiteral(" \"%1\"").arg(QString::fromUtf8(info.reason));
    return text;
}

} // namespace

ConnectionTab::ConnectionTab(const ConnectionSettings &settings, LocalEchoServer *echoServer,
                             QWidget *parent)
    : QWidget(parent)
    , m_echoServer(echoServer)
    , m_record(std::make_shared<SessionRecord>())
{
    m_session = new ConnectionSession(SessionOptions {}, m_record, this);
    buildLayout();
    wireSession();
    setSettings(settings);

    m_countdown.setInterval(200);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionTab::onCountdown);
}

ConnectionTab::~ConnectionTab()
{
    // Leave politely: a peer sees 1001 Going Away rather than a dropped connection.
    m_session->disconnect(this);
    if (m_session->state() == ConnectionSession::State::Open)
        m_session->close(CloseCode::GoingAway);
}

void ConnectionTab::buildLayout()
{
    m_requestBar = new RequestBar(this);
    m_requestEditor = new RequestEditor(this);
    m_composer = new Composer(this);
    m_handshakeView = new HandshakeView(this);
    m_statsView = new StatsView(this);
    m_statsView->setSession(m_session);

    QWidget *historyWidget = nullptr;
#ifdef DUPLEX_HAVE_HISTORY_PANE
    m_history = new HistoryPane(this);
    m_history->setRecord(m_record);
    historyWidget = m_history;
#else
    auto *placeholder =
        new QLabel(QStringLiteral("The message history is not part of this build."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    historyWidget = placeholder;
#endif

    m_sidePanel = new QTabWidget(this);
    m_sidePanel->setObjectName(QStringLiteral("sidePanel"));
    m_sidePanel->setDocumentMode(true);
    m_sidePanel->addTab(m_requestEditor, SvgIconEngine::icon(QStringLiteral("settings")),
                        QStringLiteral("Request"));
    m_sidePanel->addTab(m_handshakeView, SvgIconEngine::icon(QStringLiteral("echo")),
                        QStringLiteral("Handshake"));
    m_sidePanel->addTab(m_statsView, SvgIconEngine::icon(QStringLiteral("ping")),
                        QStringLiteral("Stats"));
    m_sidePanel->setTabToolTip(0,
                               QStringLiteral("Headers, subprotocols, compression, reconnect, "
                                              "timeouts, TLS and proxy (Alt+1)"));
    m_sidePanel->setTabToolTip(1,
                               QStringLiteral("The opening handshake as sent and received, and "
                                              "its timings (Alt+2)"));
    m_sidePanel->setTabToolTip(
        2, QStringLiteral("Messages, bytes, rates and ping round trips (Alt+3)"));

    m_workSplitter = new QSplitter(Qt::Vertical, this);
    m_workSplitter->setObjectName(QStringLiteral("workSplitter"));
    m_workSplitter->addWidget(historyWidget);
    m_workSplitter->addWidget(m_composer);
    m_workSplitter->setStretchFactor(0, 3);
    m_workSplitter->setStretchFactor(1, 1);
    m_workSplitter->setChildrenCollapsible(false);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(m_workSplitter);
    m_mainSplitter->addWidget(m_sidePanel);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setCollapsible(0, false);
    m_mainSplitter->setSizes({ 760, 340 });
    m_workSplitter->setSizes({ 470, 230 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(m_requestBar);
    layout->addWidget(m_mainSplitter, 1);

    setTabOrder(m_requestBar->urlEdit(), m_requestBar->connectButton());
    setTabOrder(m_requestBar->connectButton(), m_composer->editor());

    connect(m_requestBar, &RequestBar::connectRequested, this, &ConnectionTab::connectToServer);
    connect(m_requestBar, &RequestBar::disconnectRequested, this,
            &ConnectionTab::disconnectFromServer);
    connect(m_requestBar, &RequestBar::urlEdited, this, &ConnectionTab::onUrlEdited);
    connect(m_requestEditor, &RequestEditor::edited, this, &ConnectionTab::settingsEdited);
    connect(m_composer, &Composer::draftChanged, this, &ConnectionTab::settingsEdited);
    connect(m_composer, &Composer::sendRequested, this, &ConnectionTab::onSendRequested);
    connect(m_composer, &Composer::pingRequested, this, [this](const QByteArray &payload) {
        if (const LocalResult result = m_session->sendPing(payload); !result)
            m_composer->sendFailed(result.message);
    });
    connect(m_composer, &Composer::closeRequested, this,
            [this](quint16 code, const QByteArray &reason) {
                if (const LocalResult result = m_session->close(code, reason); !result)
                    m_composer->sendFailed(result.message);
            });
#ifdef DUPLEX_HAVE_HISTORY_PANE
    connect(m_history, &HistoryPane::resendRequested, this, &ConnectionTab::onResendRequested);
    connect(m_history, &HistoryPane::statusMessage, this,
            [this](const QString &text) { Q_EMIT statusMessage(text, 4000); });
#endif
    if (m_echoServer)
        connect(m_echoServer, &LocalEchoServer::started, this, &ConnectionTab::followEchoServer);
}

void ConnectionTab::wireSession()
{
    using Session = ConnectionSession;
    connect(m_session, &Session::stateChanged, this,
            [this](Session::State state, quint16) { onStateChanged(state); });
    connect(m_session, &Session::opened, this, &ConnectionTab::onOpened);
    connect(m_session, &Session::closed, this,
            [this](const CloseInfo &info, quint16) { onClosed(info); });
    connect(
        m_session, &Session::errorOccurred, this,
        [this](SessionError error, const QString &message, quint16) { onError(error, message); });
    connect(m_session, &Session::warningOccurred, this,
            [this](const QString &message, quint16) { Q_EMIT statusMessage(message, 8000); });
    connect(
        m_session, &Session::reconnectScheduled, this,
        [this](int attempt, qint64 delayMs, quint16) { onReconnectScheduled(attempt, delayMs); });
    connect(m_session, &Session::pongReceived, this,
            [this](qint64 rttUs, quint16) { m_statsView->addRoundTrip(rttUs); });
    connect(m_session, &Session::redirected, this,
            [this](const QUrl &from, const QUrl &to, int status, quint16) {
                Q_EMIT statusMessage(QStringLiteral("%1 redirected (%2) to %3")
                                         .arg(from.toDisplayString())
                                         .arg(status)
                                         .arg(to.toDisplayString()),
                                     6000);
            });
#ifdef DUPLEX_HAVE_HISTORY_PANE
    // The session reports growth at most once per drain; the pane batches its own appends.
    connect(m_session, &Session::recordGrew, m_history, &HistoryPane::poll);
#endif
}

ConnectionSettings ConnectionTab::settings() const
{
    ConnectionSettings s = m_loaded;
    s.name = m_name;
    s.url = m_requestBar->url();
    s.localEcho = m_localEcho;
    m_requestEditor->applyTo(s);
    return s;
}

void ConnectionTab::setSettings(const ConnectionSettings &settings)
{
    m_loaded = settings;
    m_name = settings.name;
    m_localEcho = settings.localEcho;
    m_requestEditor->setSettings(settings);
    if (m_localEcho && m_echoServer && m_echoServer->ensureStarted())
        m_requestBar->setUrl(m_echoServer->url().toString());
    else
        m_requestBar->setUrl(settings.url);
    Q_EMIT presentationChanged();
}

void ConnectionTab::followEchoServer()
{
    if (m_localEcho && m_echoServer)
        m_requestBar->setUrl(m_echoServer->url().toString());
}

QString ConnectionTab::title() const
{
    if (!m_name.isEmpty())
        return m_name;
    if (m_localEcho)
        return QStringLiteral("Local echo");
    const UrlCheck check = m_requestBar->check();
    if (!check.isValid())
        return QStringLiteral("New connection");
    QString title = check.url.host();
    if (check.url.port() > 0)
        title += QStringLiteral(":%1").arg(check.url.port());
    const QString path = check.url.path();
    if (path.size() > 1)
        title += path.size() > 18 ? path.left(17) + QChar(0x2026) : path;
    return title;
}

void ConnectionTab::setName(const QString &name)
{
    m_name = name.trimmed();
    Q_EMIT presentationChanged();
    Q_EMIT settingsEdited();
}

ConnectionSession::State ConnectionTab::state() const
{
    return m_session->state();
}

QString ConnectionTab::stateIconName() const
{
    using State = ConnectionSession::State;
    const State s = m_session->state();
    if (isConnecting(s))
        return QStringLiteral("state-connecting");
    switch (s) {
    case State::Open:
        return QStringLiteral("state-open");
    case State::Closing:
        return QStringLiteral("state-closing");
    case State::WaitingToReconnect:
        return QStringLiteral("state-reconnecting");
    case State::Closed:
        return m_lastEndWasError ? QStringLiteral("state-error") : QStringLiteral("state-closed");
    default:
        return QStringLiteral("state-idle");
    }
}

QString ConnectionTab::stateText() const
{
    using State = ConnectionSession::State;
    const State s = m_session->state();
    if (isConnecting(s))
        return QStringLiteral("connecting…");
    switch (s) {
    case State::Closing:
        return QStringLiteral("closing…");
    case State::WaitingToReconnect:
        return m_countdownSeconds > 0
            ? QStringLiteral("reconnecting in %1 s").arg(m_countdownSeconds)
            : QStringLiteral("reconnecting…");
    default:
        return {};
    }
}

QString ConnectionTab::toolTipText() const
{
    using State = ConnectionSession::State;
    QString state;
    switch (m_session->state()) {
    case State::Idle:
        state = QStringLiteral("Not connected");
        break;
    case State::Resolving:
        state = QStringLiteral("Looking up the host");
        break;
    case State::Connecting:
        state = QStringLiteral("Connecting");
        break;
    case State::Securing:
        state = QStringLiteral("TLS handshake");
        break;
    case State::Handshaking:
        state = QStringLiteral("Opening handshake");
        break;
    case State::Open:
        state = QStringLiteral("Open");
        break;
    case State::Closing:
        state = QStringLiteral("Closing");
        break;
    case State::WaitingToReconnect:
        state = stateText();
        state[0] = state[0].toUpper();
        break;
    case State::Closed:
        state = m_lastEndWasError ? QStringLiteral("Failed: %1").arg(m_session->errorString())
                                  : QStringLiteral("Closed");
        break;
    }
    return QStringLiteral("%1\n%2").arg(m_requestBar->url(), state);
}

void ConnectionTab::connectToServer()
{
    using State = ConnectionSession::State;
    if (m_session->state() != State::Idle && m_session->state() != State::Closed)
        return;
    if (m_localEcho && m_echoServer) {
        if (!m_echoServer->ensureStarted()) {
            m_requestBar->showProblem(m_echoServer->errorString());
            return;
        }
        followEchoServer();
    }
    QString error;
    const SessionOptions options = settings().toSessionOptions(&error);
    if (!error.isEmpty()) {
        m_requestBar->showProblem(error);
        Q_EMIT statusMessage(error, 8000);
        return;
    }
    m_focusComposerOnOpen =
        m_requestBar->urlEdit()->hasFocus() || m_requestBar->connectButton()->hasFocus();
    m_requestBar->clearProblem();
    m_handshakeView->clear();
    m_session->setOptions(options);
    if (const LocalResult result = m_session->open(); !result) {
        m_requestBar->showProblem(result.message);
        Q_EMIT statusMessage(result.message, 8000);
    }
}

void ConnectionTab::disconnectFromServer()
{
    using State = ConnectionSession::State;
    switch (m_session->state()) {
    case State::Idle:
    case State::Closed:
        return;
    case State::Closing:
        m_session->abort();
        return;
    default:
        if (const LocalResult result = m_session->close(CloseCode::Normal); !result)
            Q_EMIT statusMessage(result.message, 6000);
        return;
    }
}

void ConnectionTab::focusUrl()
{
    m_requestBar->urlEdit()->setFocus(Qt::ShortcutFocusReason);
    m_requestBar->urlEdit()->selectAll();
}

void ConnectionTab::focusComposer()
{
    m_composer->editor()->setFocus(Qt::ShortcutFocusReason);
}

void ConnectionTab::showSidePage(SidePage page)
{
    m_sidePanel->setCurrentIndex(int(page));
}

void ConnectionTab::onStateChanged(ConnectionSession::State state)
{
    using State = ConnectionSession::State;
    m_requestBar->setSessionState(state);
    m_composer->setConnectionOpen(state == State::Open);
    if (state == State::Resolving || state == State::Connecting)
        m_lastEndWasError = false;
    if (state != State::WaitingToReconnect) {
        m_countdown.stop();
        m_countdownSeconds = -1;
    }
    Q_EMIT presentationChanged();
}

void ConnectionTab::onOpened()
{
    m_handshakeView->showSession(*m_session);
    m_statsView->connectionOpened();
    const QByteArray subprotocol = m_session->negotiated().subprotocol;
    QString message = QStringLiteral("Connected to %1").arg(m_session->url().toDisplayString());
    if (!subprotocol.isEmpty())
        message += QStringLiteral(" (subprotocol %1)").arg(QString::fromUtf8(subprotocol));
    Q_EMIT statusMessage(message, 5000);
    if (m_focusComposerOnOpen)
        focusComposer();
    m_focusComposerOnOpen = false;
}

void ConnectionTab::onClosed(const CloseInfo &info)
{
    m_statsView->connectionClosed();
    m_handshakeView->showSession(*m_session);
    QString message = info.clean
        ? QStringLiteral("Closed: %1").arg(closeDescription(info))
        : QStringLiteral("Connection ended: %1").arg(closeDescription(info));
    if (info.origin == CloseOrigin::Remote)
        message += QStringLiteral(" (closed by the server)");
    Q_EMIT statusMessage(message, 8000);
}

void ConnectionTab::onError(SessionError error, const QString &message)
{
    m_lastEndWasError = true;
    m_handshakeView->showSession(*m_session);
    if (isOpeningError(error) || error == SessionError::ReconnectGaveUp)
        m_requestBar->showProblem(message);
    Q_EMIT statusMessage(message, 10000);
    Q_EMIT presentationChanged();
}

void ConnectionTab::onReconnectScheduled(int attempt, qint64 delayMs)
{
    m_countdownSeconds = int((delayMs + 999) / 1000);
    m_countdown.start();
    Q_EMIT statusMessage(QStringLiteral("Reconnecting in %1 s (attempt %2)")
                             .arg(double(delayMs) / 1000.0, 0, 'f', 1)
                             .arg(attempt),
                         int(qMin<qint64>(delayMs, 10000)));
    Q_EMIT presentationChanged();
}

void ConnectionTab::onCountdown()
{
    const qint64 remaining = m_session->reconnectController()->remainingMs();
    const int seconds = remaining < 0 ? 0 : int((remaining + 999) / 1000);
    if (seconds != m_countdownSeconds) {
        m_countdownSeconds = seconds;
        Q_EMIT presentationChanged();
    }
}

void ConnectionTab::onSendRequested(const QByteArray &payload, bool binary)
{
    const LocalResult result =
        binary ? m_session->sendBinary(payload) : m_session->sendText(payload);
    if (result)
        m_composer->sendSucceeded();
    else
        m_composer->sendFailed(result.message);
}

void ConnectionTab::onResendRequested(Opcode opcode, const QByteArray &payload)
{
    if (m_session->state() != ConnectionSession::State::Open) {
        m_composer->loadMessage(opcode, payload);
        Q_EMIT statusMessage(
            QStringLiteral("Not connected: the message is in the composer, ready to send "
                           "once connected."),
            6000);
        return;
    }
    LocalResult result;
    switch (opcode) {
    case Opcode::Text:
        result = m_session->sendText(payload);
        break;
    case Opcode::Ping:
        result = m_session->sendPing(payload);
        break;
    case Opcode::Pong:
        result = m_session->sendPong(payload);
        break;
    default:
        result = m_session->sendBinary(payload);
        break;
    }
    if (!result)
        Q_EMIT statusMessage(result.message, 6000);
}

void ConnectionTab::onUrlEdited(const QString &url)
{
    // Typing another URL detaches the tab from the embedded echo server.
    if (m_localEcho && m_echoServer && url.trimmed() != m_echoServer->url().toString())
        m_localEcho = false;
    Q_EMIT presentationChanged();
    Q_EMIT settingsEdited();
}

QJsonObject ConnectionTab::saveLayout() const
{
    return QJsonObject {
        { QStringLiteral("mainSplitter"),
          QString::fromLatin1(m_mainSplitter->saveState().toBase64()) },
        { QStringLiteral("workSplitter"),
          QString::fromLatin1(m_workSplitter->saveState().toBase64()) },
#ifdef DUPLEX_HAVE_HISTORY_PANE
        { QStringLiteral("history"), QString::fromLatin1(m_history->saveState().toBase64()) },
#endif
    };
}

void ConnectionTab::restoreLayout(const QJsonObject &layout)
{
    const auto bytes = [&](const char *key) {
        return QByteArray::fromBase64(layout.value(QLatin1String(key)).toString().toLatin1());
    };
    if (const QByteArray state = bytes("mainSplitter"); !state.isEmpty())
        m_mainSplitter->restoreState(state);
    if (const QByteArray state = bytes("workSplitter"); !state.isEmpty())
        m_workSplitter->restoreState(state);
#ifdef DUPLEX_HAVE_HISTORY_PANE
    if (const QByteArray state = bytes("history"); !state.isEmpty())
        m_history->restoreState(state);
#endif
}

QJsonObject ConnectionTab::saveState() const
{
    return QJsonObject {
        { QStringLiteral("settings"), settings().toJson() },
        { QStringLiteral("composer"), m_composer->saveState() },
        { QStringLiteral("layout"), saveLayout() },
        { QStringLiteral("sidePage"), m_sidePanel->currentIndex() },
    };
}

void ConnectionTab::restoreState(const QJsonObject &state)
{
    m_composer->restoreState(state.value(QStringLiteral("composer")).toObject());
    restoreLayout(state.value(QStringLiteral("layout")).toObject());
    m_sidePanel->setCurrentIndex(state.value(QStringLiteral("sidePage")).toInt(0));
}

} // namespace duplex
