#include "ui/RequestBar.h"

#include "ui/SvgIconEngine.h"
#include "ui/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace duplex {

namespace {

bool isClosed(ConnectionSession::State state)
{
    return state == ConnectionSession::State::Idle || state == ConnectionSession::State::Closed;
}

} // namespace

RequestBar::RequestBar(QWidget *parent)
    : QWidget(parent)
{
    m_urlEdit = new QLineEdit(this);
    m_urlEdit->setObjectName(QStringLiteral("urlEdit"));
    m_urlEdit->setPlaceholderText(QStringLiteral("ws://localhost:8080/socket"));
    m_urlEdit->setClearButtonEnabled(true);
    m_urlEdit->setToolTip(QStringLiteral("The WebSocket URL: ws:// or wss://, host, port and path. "
                                         "Press Enter to connect (F6 focuses it)."));
    m_urlEdit->setAccessibleName(QStringLiteral("URL"));
    QFont urlFont = Theme::monospaceFont();
    urlFont.setPointSizeF(font().pointSizeF() + 0.5);
    m_urlEdit->setFont(urlFont);
    m_urlEdit->setMinimumHeight(30);

    m_connectButton = new QPushButton(this);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    m_connectButton->setMinimumWidth(120);
    m_connectButton->setMinimumHeight(30);
    m_connectButton->setAutoDefault(false);

    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("urlMessage"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->hide();

    m_fixButton = new QPushButton(this);
    m_fixButton->setObjectName(QStringLiteral("urlFixButton"));
    m_fixButton->setFlat(true);
    m_fixButton->setCursor(Qt::PointingHandCursor);
    m_fixButton->setToolTip(QStringLiteral("Replace the URL with the suggested one"));
    QFont linkFont = m_fixButton->font();
    linkFont.setUnderline(true);
    m_fixButton->setFont(linkFont);
    m_fixButton->setStyleSheet(
        QStringLiteral("QPushButton { border: none; padding: 0px 2px; color: palette(link); }"));
    m_fixButton->hide();

    auto *row = new QHBoxLayout;
    m_row = row;
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);
    row->addWidget(m_urlEdit, 1);
    row->addWidget(m_connectButton);

    auto *messageRow = new QHBoxLayout;
    m_messageRow = messageRow;
    messageRow->setContentsMargins(2, 0, 0, 0);
    messageRow->setSpacing(6);
    messageRow->addWidget(m_messageLabel);
    messageRow->addWidget(m_fixButton);
    messageRow->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(row);
    layout->addLayout(messageRow);

    connect(m_urlEdit, &QLineEdit::textChanged, this, &RequestBar::onTextEdited);
    connect(m_urlEdit, &QLineEdit::returnPressed, this, [this] {
        if (isClosed(m_state))
            trigger();
    });
    connect(m_connectButton, &QPushButton::clicked, this, &RequestBar::trigger);
    connect(m_fixButton, &QPushButton::clicked, this, &RequestBar::applySuggestion);

    updateButton();
}

QString RequestBar::url() const
{
    return m_urlEdit->text().trimmed();
}

void RequestBar::setUrl(const QString &url)
{
    if (m_urlEdit->text() == url)
        return;
    // Keeps the edit on the undo stack, so a replaced URL can be brought back with Ctrl+Z.
    m_urlEdit->selectAll();
    m_urlEdit->insert(url);
    m_urlEdit->setCursorPosition(0);
}

void RequestBar::onTextEdited(const QString &text)
{
    m_problem.clear();
    recheck();
    Q_EMIT urlEdited(text);
}

void RequestBar::recheck()
{
    const QString text = m_urlEdit->text().trimmed();
    // Every variable reference opens with "{{" (so does a malformed one, which apply() below
    // then reports).
    m_usesVariables = text.contains(QLatin1String("{{"));
    m_resolved.clear();
    if (!m_usesVariables) {
        m_check = UrlCheck::of(text);
        m_resolved = text;
    } else {
        QStringList errors;
        if (const auto filled = m_variables.apply(text, QStringLiteral("URL"), &errors)) {
            m_resolved = *filled;
            m_check = UrlCheck::of(m_resolved);
            m_check.suggestion.clear(); // a fix would replace the variables
        } else {
            m_check = UrlCheck {};
            m_check.verdict = UrlCheck::Verdict::Invalid;
            m_check.message = errors.join(QLatin1Char(' '));
        }
    }
    updateMessage();
    updateButton();
}

void RequestBar::setVariables(const VariableSubstitution &variables)
{
    m_variables = variables;
    recheck();
}

void RequestBar::addLeadingWidget(QWidget *widget)
{
    m_row->insertWidget(0, widget);
}

void RequestBar::setReadOnly(bool readOnly, const QString &reason)
{
    m_readOnly = readOnly;
    m_readOnlyReason = reason;
    m_urlEdit->setReadOnly(readOnly);
    updateMessage();
    updateButton();
}

void RequestBar::applySuggestion()
{
    if (!m_check.suggestion.isEmpty()) {
        setUrl(m_check.suggestion);
        m_urlEdit->setFocus();
    }
}

void RequestBar::setSessionState(ConnectionSession::State state)
{
    m_state = state;
    if (!isClosed(state))
        m_problem.clear();
    updateMessage();
    updateButton();
}

void RequestBar::showProblem(const QString &message)
{
    m_problem = message;
    updateMessage();
}

void RequestBar::clearProblem()
{
    m_problem.clear();
    updateMessage();
}

QString RequestBar::message() const
{
    return m_messageLabel->isVisible() ? m_messageLabel->text() : QString();
}

void RequestBar::trigger()
{
    if (m_readOnly)
        return;
    if (isClosed(m_state)) {
        if (m_check.isValid()) {
            Q_EMIT connectRequested();
        } else {
            if (m_check.verdict == UrlCheck::Verdict::Empty)
                showProblem(QStringLiteral("Enter a ws:// or wss:// URL to connect to."));
            m_urlEdit->setFocus();
        }
        return;
    }
    Q_EMIT disconnectRequested();
}

void RequestBar::updateMessage()
{
    QString text;
    QColor color = Theme::errorColor();
    if (m_readOnly) {
        text = m_readOnlyReason;
        color = Theme::mutedTextColor();
    } else if (m_check.verdict == UrlCheck::Verdict::Invalid) {
        text = m_check.message;
    } else if (!m_problem.isEmpty()) {
        text = m_problem;
    } else if (m_usesVariables && m_check.isValid()) {
        text = QStringLiteral("Connects to %1").arg(m_resolved);
        color = Theme::mutedTextColor();
    }

    const bool showFix =
        m_check.verdict == UrlCheck::Verdict::Invalid && !m_check.suggestion.isEmpty();
    m_fixButton->setVisible(showFix);
    // With a fix to offer, the message stays on one line and the fix follows it; otherwise a
    // long explanation may wrap over the whole width.
    m_messageLabel->setWordWrap(!showFix);
    m_messageRow->setStretchFactor(m_messageLabel, showFix ? 0 : 1);
    if (showFix)
        m_fixButton->setText(QStringLiteral("Use %1").arg(m_check.suggestion));

    m_messageLabel->setText(text);
    QPalette palette = m_messageLabel->palette();
    palette.setColor(QPalette::WindowText, color);
    m_messageLabel->setPalette(palette);
    m_messageLabel->setVisible(!text.isEmpty());

    // A red frame on the URL while it cannot be used. Set only when it changes: setting a style
    // sheet re-polishes the edit, and this runs at every keystroke.
    const QString frame = m_check.verdict == UrlCheck::Verdict::Invalid
        ? QStringLiteral(
              "QLineEdit { border: 1px solid %1; border-radius: 3px; padding: 1px 3px; }")
              .arg(color.name())
        : QString();
    if (m_urlEdit->styleSheet() != frame)
        m_urlEdit->setStyleSheet(frame);
}

void RequestBar::updateButton()
{
    using State = ConnectionSession::State;
    QString text;
    QString icon = QStringLiteral("disconnect");
    QString tip;
    switch (m_state) {
    case State::Idle:
    case State::Closed:
        text = QStringLiteral("&Connect");
        icon = QStringLiteral("connect");
        tip = m_check.isValid() ? QStringLiteral("Open the WebSocket connection (F5)")
                                : QStringLiteral("Enter a valid ws:// or wss:// URL first");
        break;
    case State::Resolving:
    case State::Connecting:
    case State::Securing:
    case State::Handshaking:
        text = QStringLiteral("&Cancel");
        tip = QStringLiteral("Stop connecting (F5)");
        break;
    case State::Open:
        text = QStringLiteral("Dis&connect");
        tip = QStringLiteral("Close the connection with code 1000 (F5). The composer's Close "
                             "button sends another code.");
        break;
    case State::Closing:
        text = QStringLiteral("&Abort");
        tip = QStringLiteral("Drop the TCP connection without waiting for the peer's close frame "
                             "(F5)");
        break;
    case State::WaitingToReconnect:
        text = QStringLiteral("&Stop");
        tip = QStringLiteral("Cancel the scheduled reconnect (F5)");
        break;
    }
    m_connectButton->setText(text);
    m_connectButton->setIcon(SvgIconEngine::icon(icon));
    m_connectButton->setToolTip(tip);
    // Greyed out only when it could do nothing at all; otherwise a click explains the problem.
    m_connectButton->setEnabled(
        !m_readOnly && (!isClosed(m_state) || m_check.verdict != UrlCheck::Verdict::Invalid));
    if (m_readOnly)
        m_connectButton->setToolTip(m_readOnlyReason);
}

} // namespace duplex
