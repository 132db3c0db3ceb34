#include "ui/ConnectionTab.h"

#include "core/protocol/CloseCode.h"
#include "core/session/LocalEchoServer.h"
#include "core/session/ProfileConnection.h"
#include "ui/Composer.h"
#include "ui/EnvironmentBox.h"
#include "ui/HandshakeView.h"
#include "ui/HistoryPane.h"
#include "ui/ProfileLibrary.h"
#include "ui/RecordText.h"
#include "ui/RequestBar.h"
#include "ui/RequestEditor.h"
#include "ui/StatsView.h"
#include "ui/SvgIconEngine.h"
#include "ui/TemplateButton.h"
#include "ui/Theme.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace duplex {

namespace {

const QString localEchoPortVariable = QStringLiteral("localEchoPort");

bool isConnecting(ConnectionSession::State state)
{
    using State = ConnectionSession::State;
    return state == State::Resolving || state == State::Connecting || state == State::Securing
        || state == State::Handshaking;
}

QString closeDescription(const CloseInfo &info)
{
    QString text = RecordText::closeCodeText(info.code);
    if (!info.reason.isEmpty())
        text += QStringLiteral(" \"%1\"").arg(QString::fromUtf8(info.reason));
    return text;
}

} // namespace

ConnectionTab::ConnectionTab(const Profile &profile, LocalEchoServer *echoServer,
                             ProfileLibrary *library, QWidget *parent)
    : QWidget(parent)
    , m_echoServer(echoServer)
    , m_library(library)
    , m_record(std::make_shared<SessionRecord>())
{
    m_session = new ConnectionSession(SessionOptions {}, m_record, this);
    buildLayout();
    wireSession();
    setProfile(profile);

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
    if (m_library) {
        m_environmentBox = new EnvironmentBox(m_library, m_requestBar);
        m_requestBar->addLeadingWidget(m_environmentBox);
        connect(m_environmentBox, &EnvironmentBox::environmentChosen, this, [this] {
            refreshVariables();
            Q_EMIT presentationChanged();
            Q_EMIT settingsEdited();
        });
        connect(m_environmentBox, &EnvironmentBox::editRequested, this,
                &ConnectionTab::editEnvironmentsRequested);
        // An environment's variables edited elsewhere count at once; a rename or move of the
        // tab's profile in the sidebar shows on the tab.
        connect(m_library, &ProfileLibrary::changed, this, &ConnectionTab::refreshVariables);
        connect(m_library, &ProfileLibrary::changed, this, &ConnectionTab::followStore);
    }
    m_requestEditor = new RequestEditor(this);
    m_composer = new Composer(this);
    m_handshakeView = new HandshakeView(this);
    m_statsView = new StatsView(this);
    m_statsView->setSession(m_session);

    m_history = new HistoryPane(this);
    m_history->setRecord(m_record);

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
    m_workSplitter->addWidget(m_history);
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

    m_archiveBanner = new QLabel(this);
    m_archiveBanner->setObjectName(QStringLiteral("reconstructedBanner"));
    m_archiveBanner->setWordWrap(true);
    m_archiveBanner->setTextFormat(Qt::PlainText);
    m_archiveBanner->setContentsMargins(8, 5, 8, 5);
    m_archiveBanner->setAutoFillBackground(true);
    m_archiveBanner->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(m_requestBar);
    layout->addWidget(m_archiveBanner);
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
    connect(m_composer->templateButton(), &TemplateButton::templateAdded, this,
            &ConnectionTab::onTemplateAdded);
    connect(m_composer->templateButton(), &TemplateButton::templateRemoved, this,
            &ConnectionTab::onTemplateRemoved);
    connect(m_composer, &Composer::pingRequested, this, [this](const QByteArray &payload) {
        if (const LocalResult result = m_session->sendPing(payload); !result)
            m_composer->sendFailed(result.message);
    });
    connect(m_composer, &Composer::closeRequested, this,
            [this](quint16 code, const QByteArray &reason) {
                if (const LocalResult result = m_session->close(code, reason); !result)
                    m_composer->sendFailed(result.message);
            });
    connect(m_history, &HistoryPane::resendRequested, this, &ConnectionTab::onResendRequested);
    connect(m_history, &HistoryPane::statusMessage, this,
            [this](const QString &text) { Q_EMIT statusMessage(text, 4000); });
    if (m_echoServer)
        connect(m_echoServer, &LocalEchoServer::started, this, &ConnectionTab::refreshVariables);
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
    // The session reports growth at most once per drain; the pane batches its own appends.
    connect(m_session, &Session::recordGrew, m_history, &HistoryPane::poll);
}

Profile ConnectionTab::profile() const
{
    Profile p = m_profile;
    p.url = m_requestBar->url();
    p.templates = m_composer->templateButton()->templates();
    m_requestEditor->applyTo(p);
    return p;
}

void ConnectionTab::setProfile(const Profile &profile)
{
    m_profile = profile;
    if (m_profile.id.isNull())
        m_profile.id = QUuid::createUuid();
    m_requestEditor->setProfile(m_profile);
    m_composer->templateButton()->setTemplates(m_profile.templates);
    m_requestBar->setUrl(m_profile.url);
    m_storedSeen = false;
    followStore();
    refreshVariables();
    Q_EMIT presentationChanged();
}

void ConnectionTab::followStore()
{
    const std::optional<Profile> stored =
        m_library ? m_library->profile(m_profile.id) : std::nullopt;
    if (!stored)
        return;
    // Only what changed in the store since last seen: a name given to the tab itself stays.
    const bool renamed = m_storedSeen && stored->name != m_storedName;
    if (renamed)
        m_profile.name = stored->name;
    if (m_storedSeen && stored->folder != m_storedFolder)
        m_profile.folder = stored->folder;
    m_storedName = stored->name;
    m_storedFolder = stored->folder;
    m_storedSeen = true;
    if (renamed)
        Q_EMIT presentationChanged();
}

bool ConnectionTab::isSavedProfile() const
{
    return m_library && m_library->profile(m_profile.id).has_value();
}

QUuid ConnectionTab::environmentId() const
{
    return m_environmentBox ? m_environmentBox->environmentId() : QUuid();
}

void ConnectionTab::setEnvironmentId(const QUuid &id)
{
    if (!m_environmentBox)
        return;
    m_environmentBox->setEnvironmentId(id);
    refreshVariables();
    Q_EMIT presentationChanged();
}

QString ConnectionTab::environmentName() const
{
    return m_environmentBox ? m_environmentBox->environmentName() : QString();
}

VariableSubstitution ConnectionTab::variables() const
{
    VariableSubstitution variables =
        m_library ? m_library->variables(environmentId()) : VariableSubstitution();
    if (m_echoServer && m_echoServer->isListening())
        variables.setBuiltIn(localEchoPortVariable, QString::number(m_echoServer->port()));
    return variables;
}

void ConnectionTab::refreshVariables()
{
    // The embedded echo server starts when a URL first asks for its port.
    if (m_echoServer && !m_echoServer->isListening() && !m_readOnly
        && m_requestBar->url().contains(localEchoPortVariable))
        m_echoServer->ensureStarted();
    const VariableSubstitution filled = variables();
    m_requestBar->setVariables(filled);
    m_composer->setVariables(filled);
}

void ConnectionTab::onTemplateAdded(const Profile::MessageTemplate &added)
{
    QList<Profile::MessageTemplate> templates = m_composer->templateButton()->templates();
    templates.append(added);
    m_composer->templateButton()->setTemplates(templates);
    Q_EMIT statusMessage(isSavedProfile()
                             ? QStringLiteral("Template \"%1\" added; Save (Ctrl+S) keeps it in "
                                              "the profile.")
                                   .arg(added.name)
                             : QStringLiteral("Template \"%1\" added; save the tab as a profile "
                                              "(Ctrl+S) to keep it.")
                                   .arg(added.name),
                         8000);
    Q_EMIT settingsEdited();
}

void ConnectionTab::onTemplateRemoved(int index)
{
    QList<Profile::MessageTemplate> templates = m_composer->templateButton()->templates();
    if (index < 0 || index >= templates.size())
        return;
    const QString name = templates.takeAt(index).name;
    m_composer->templateButton()->setTemplates(templates);
    Q_EMIT statusMessage(QStringLiteral("Template \"%1\" removed.").arg(name), 5000);
    Q_EMIT settingsEdited();
}

QString ConnectionTab::title() const
{
    if (!m_profile.name.isEmpty())
        return m_profile.name;
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
    m_profile.name = name.trimmed();
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
    if (m_readOnly)
        return QStringLiteral("read-only");
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
    if (m_readOnly) {
        Q_EMIT statusMessage(QStringLiteral("This tab shows an archive and cannot connect; save "
                                            "it as a profile (Ctrl+S) and open that."),
                             8000);
        return;
    }
    if (m_session->state() != State::Idle && m_session->state() != State::Closed)
        return;
    refreshVariables();
    // Variables first, then the checks that name the field, then the mapping: an unknown
    // variable or a field that cannot work stops everything before a byte is sent.
    QStringList problems;
    std::optional<SessionOptions> options;
    const std::optional<Profile> resolved =
        variables().resolve(profile(), &problems, VariableSubstitution::Scope::Connection);
    if (resolved)
        problems = ProfileConnection::connectionProblems(*resolved);
    if (resolved && problems.isEmpty())
        options = ProfileConnection::sessionOptions(*resolved, &problems);
    if (!options) {
        // Nothing is sent: the first problem under the URL, all of them in the status bar.
        QString first = problems.value(0);
        if (!first.isEmpty())
            first[0] = first[0].toUpper();
        m_requestBar->showProblem(first);
        Q_EMIT statusMessage(problems.join(QStringLiteral("; ")), 10000);
        return;
    }
    m_focusComposerOnOpen =
        m_requestBar->urlEdit()->hasFocus() || m_requestBar->connectButton()->hasFocus();
    m_requestBar->clearProblem();
    m_handshakeView->clear();
    m_session->setOptions(*options);
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

void ConnectionTab::onOpened(quint16 generation)
{
    m_handshakes.insert(generation,
                        { m_session->handshakeRequest(), m_session->handshakeResponse() });
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
    if (url.contains(localEchoPortVariable) && m_echoServer && !m_echoServer->isListening())
        refreshVariables();
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
        { QStringLiteral("history"), QString::fromLatin1(m_history->saveState().toBase64()) },
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
    if (const QByteArray state = bytes("history"); !state.isEmpty())
        m_history->restoreState(state);
}

QJsonObject ConnectionTab::saveState() const
{
    QJsonObject state {
        { QStringLiteral("profile"), profile().toJson() },
        { QStringLiteral("composer"), m_composer->saveState() },
        { QStringLiteral("layout"), saveLayout() },
        { QStringLiteral("sidePage"), m_sidePanel->currentIndex() },
    };
    if (!environmentId().isNull())
        state.insert(QStringLiteral("environment"), environmentId().toString(QUuid::WithoutBraces));
    return state;
}

void ConnectionTab::restoreState(const QJsonObject &state)
{
    m_composer->restoreState(state.value(QStringLiteral("composer")).toObject());
    restoreLayout(state.value(QStringLiteral("layout")).toObject());
    m_sidePanel->setCurrentIndex(state.value(QStringLiteral("sidePage")).toInt(0));
    setEnvironmentId(environmentFromState(state));
}

std::optional<Profile> ConnectionTab::profileFromState(const QJsonObject &state, QString *error)
{
    QJsonObject object = state.value(QStringLiteral("profile")).toObject();
    if (object.isEmpty()) // a tab saved before tabs held profiles: the same field names
        object = state.value(QStringLiteral("settings")).toObject();
    // A profile needs a name; a tab may have none yet.
    const bool unnamed = object.value(QStringLiteral("name")).toString().trimmed().isEmpty();
    if (unnamed)
        object.insert(QStringLiteral("name"), QStringLiteral("tab"));
    // Earlier versions marked a tab on the embedded echo server instead of using its port.
    const bool localEcho = object.take(QStringLiteral("localEcho")).toBool();
    std::optional<Profile> profile = Profile::fromJson(object, error);
    if (!profile)
        return std::nullopt;
    if (unnamed)
        profile->name.clear();
    if (localEcho)
        profile->url = QStringLiteral("ws://127.0.0.1:{{%1}}/").arg(localEchoPortVariable);
    return profile;
}

QUuid ConnectionTab::environmentFromState(const QJsonObject &state)
{
    return QUuid::fromString(state.value(QStringLiteral("environment")).toString());
}

void ConnectionTab::showArchive(std::shared_ptr<SessionRecord> record, const QString &sourceName,
                                qsizetype messages)
{
    m_readOnly = true;
    m_record = std::move(record);
    m_history->setRecord(m_record);
    m_history->poll();
    m_requestBar->setReadOnly(
        true,
        QStringLiteral("Read-only: %1 %2 from %3. Ctrl+S saves its URL as a profile.")
            .arg(messages)
            .arg(messages == 1 ? QStringLiteral("message") : QStringLiteral("messages"),
                 sourceName));
    m_composer->setEnabled(false);
    m_requestEditor->setEnabled(false);
    if (m_environmentBox)
        m_environmentBox->setEnabled(false);
    m_archiveBanner->setText(
        QStringLiteral("Reconstructed frames: a HAR keeps each message's direction, time, opcode "
                       "and data, not the frames that carried it. Every frame in this history "
                       "and its hex view is rebuilt from them (one frame, FIN set, unmasked, "
                       "uncompressed); its bytes are not those that crossed the wire."));
    QPalette palette = m_archiveBanner->palette();
    QColor background = Theme::warningColor();
    background.setAlpha(45);
    palette.setColor(QPalette::Window, background);
    m_archiveBanner->setPalette(palette);
    m_archiveBanner->show();
    Q_EMIT presentationChanged();
}

} // namespace duplex
