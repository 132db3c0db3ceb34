#include "ui/Composer.h"

#include "core/protocol/CloseCode.h"
#include "ui/JsonHighlighter.h"
#include "ui/SvgIconEngine.h"
#include "ui/TemplateButton.h"
#include "ui/Theme.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace duplex {

namespace {

// The composer colours JSON as the history's detail pane does.
QSyntaxHighlighter *createJsonHighlighter(QTextDocument *document, const QPalette &palette)
{
    auto *highlighter = new JsonHighlighter(document);
    highlighter->setPalette(palette);
    return highlighter;
}

struct KindInfo
{
    PayloadKind kind;
    const char *label;
    const char *tip;
    const char *placeholder;
};

constexpr qint64 MaxFileSize = 256LL * 1024 * 1024;

constexpr KindInfo kinds[] = {
    { PayloadKind::Text, "Text", "Send a text frame with the editor's contents in UTF-8 (Ctrl+1)",
      "Type a message; Ctrl+Enter sends it" },
    { PayloadKind::Json, "JSON", "Send a text frame holding JSON, checked as you type (Ctrl+2)",
      "{\"type\": \"subscribe\", \"channel\": \"prices\"}" },
    { PayloadKind::Hex, "Hex", "Send a binary frame given as hex digits, e.g. 01 ff 7e (Ctrl+3)",
      "de ad be ef  (spaces, commas, colons and 0x prefixes are allowed)" },
    { PayloadKind::Base64, "Base64",
      "Send a binary frame given as standard or URL-safe Base64 (Ctrl+4)", "SGVsbG8sIER1cGxleCE=" },
    { PayloadKind::File, "File", "Send a file's bytes as one binary frame (Ctrl+5)", "" },
};

} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
{
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("composerEditor"));
    m_editor->setFont(Theme::monospaceFont());
    m_editor->setTabChangesFocus(true);
    m_editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_editor->setAccessibleName(QStringLiteral("Message"));
    m_editor->setToolTip(QStringLiteral("The message to send. Ctrl+Enter sends; Up on the first "
                                        "line and Down on the last recall sent messages."));
    m_editor->installEventFilter(this);
    m_editor->setMinimumHeight(60);

    m_filePath = new QLineEdit(this);
    m_filePath->setObjectName(QStringLiteral("composerFilePath"));
    m_filePath->setPlaceholderText(QStringLiteral("Path of the file to send"));
    m_filePath->setClearButtonEnabled(true);
    m_filePath->setToolTip(QStringLiteral("The file is read when you press Send, up to 256 MiB"));
    auto *browse = new QPushButton(SvgIconEngine::icon(QStringLiteral("open-file")),
                                   QStringLiteral("Br&owse…"), this);
    browse->setToolTip(QStringLiteral("Choose the file to send"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, QStringLiteral("File to send"), m_filePath->text());
        if (!path.isEmpty())
            m_filePath->setText(path);
    });
    auto *filePage = new QWidget(this);
    auto *fileLayout = new QHBoxLayout(filePage);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    fileLayout->addWidget(m_filePath, 1);
    fileLayout->addWidget(browse);
    auto *fileColumn = new QVBoxLayout;
    fileColumn->addWidget(filePage);
    fileColumn->addStretch(1);
    auto *fileContainer = new QWidget(this);
    fileContainer->setLayout(fileColumn);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_editor);
    m_stack->addWidget(fileContainer);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(createToolbar());
    layout->addWidget(m_stack, 1);
    layout->addWidget(createControlRow());

    connect(m_editor, &QPlainTextEdit::textChanged, this, &Composer::onTextChanged);
    connect(m_filePath, &QLineEdit::textChanged, this, &Composer::onTextChanged);

    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this, nullptr,
                                       nullptr, Qt::WidgetWithChildrenShortcut);
    connect(sendShortcut, &QShortcut::activated, this, &Composer::send);
    auto *sendShortcut2 = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this, nullptr,
                                        nullptr, Qt::WidgetWithChildrenShortcut);
    connect(sendShortcut2, &QShortcut::activated, this, &Composer::send);
    for (int i = 0; i < int(std::size(kinds)); ++i) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this,
                                       nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, i] { setKind(kinds[i].kind); });
    }

    setKind(PayloadKind::Text);
    setConnectionOpen(false);
}

Composer::~Composer() = default;

QWidget *Composer::createToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);

    m_kindButtons = new QButtonGroup(this);
    m_kindButtons->setExclusive(true);
    m_kindBar = bar;
    for (const KindInfo &info : kinds) {
        auto *button = new QToolButton(bar);
        button->setObjectName(QStringLiteral("kind") + QString::fromLatin1(info.label));
        button->setText(QString::fromLatin1(info.label));
        button->setToolTip(QString::fromLatin1(info.tip));
        button->setCheckable(true);
        button->setAutoRaise(false);
        const QString segment = info.kind == PayloadKind::Text ? QStringLiteral("first")
            : info.kind == PayloadKind::File                   ? QStringLiteral("last")
                                                               : QStringLiteral("middle");
        button->setProperty("segment", segment);
        button->setMinimumWidth(54);
        button->setFocusPolicy(Qt::TabFocus);
        m_kindButtons->addButton(button, int(info.kind));
        row->addWidget(button);
    }
    styleKindButtons();
    connect(m_kindButtons, &QButtonGroup::idClicked, this,
            [this](int id) { setKind(PayloadKind(id)); });

    row->addSpacing(10);
    m_prettyButton = new QToolButton(bar);
    m_prettyButton->setObjectName(QStringLiteral("prettyButton"));
    m_prettyButton->setIcon(SvgIconEngine::icon(QStringLiteral("pretty")));
    m_prettyButton->setText(QStringLiteral("Pretty"));
    m_prettyButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_prettyButton->setToolTip(QStringLiteral("Indent the JSON, keeping key order and numbers as "
                                              "typed (Ctrl+Shift+F)"));
    m_prettyButton->setAutoRaise(true);
    connect(m_prettyButton, &QToolButton::clicked, this, &Composer::prettyPrint);
    auto *prettyShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this,
                                         nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(prettyShortcut, &QShortcut::activated, this, &Composer::prettyPrint);
    row->addWidget(m_prettyButton);

    m_historyButton = new QToolButton(bar);
    m_historyButton->setObjectName(QStringLiteral("sendHistoryButton"));
    m_historyButton->setIcon(SvgIconEngine::icon(QStringLiteral("history")));
    m_historyButton->setText(QStringLiteral("History"));
    m_historyButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_historyButton->setToolTip(QStringLiteral("Messages sent from this tab; Up and Down in the "
                                               "editor walk through them too"));
    m_historyButton->setPopupMode(QToolButton::InstantPopup);
    m_historyButton->setAutoRaise(true);
    m_historyButton->setMenu(new QMenu(m_historyButton));
    connect(m_historyButton->menu(), &QMenu::aboutToShow, this, &Composer::rebuildHistoryMenu);
    row->addWidget(m_historyButton);

    m_templateButton = new TemplateButton(bar);
    m_templateButton->setCurrentMessage([this] { return currentTemplate(); });
    connect(m_templateButton, &TemplateButton::templateChosen, this, &Composer::insertTemplate);
    row->addWidget(m_templateButton);

    row->addSpacing(10);
    m_status = new QLabel(bar);
    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long reason (a JSON error, an unknown variable) wraps rather than being cut off.
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    row->addWidget(m_status, 1);
    return bar;
}

QWidget *Composer::createControlRow()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);

    m_pingPayload = new QLineEdit(bar);
    m_pingPayload->setObjectName(QStringLiteral("pingPayload"));
    m_pingPayload->setPlaceholderText(QStringLiteral("ping payload"));
    m_pingPayload->setToolTip(QStringLiteral("Text carried by the ping (at most 125 bytes); the "
                                             "pong echoes it and the round trip shows in Stats"));
    m_pingPayload->setMaxLength(125);
    m_pingPayload->setMaximumWidth(160);
    m_pingButton =
        new QPushButton(SvgIconEngine::icon(QStringLiteral("ping")), QStringLiteral("&Ping"), bar);
    m_pingButton->setObjectName(QStringLiteral("pingButton"));
    m_pingButton->setToolTip(QStringLiteral("Send a ping frame with the payload on the left"));
    m_pingButton->setAutoDefault(false);
    connect(m_pingButton, &QPushButton::clicked, this, &Composer::sendPing);
    connect(m_pingPayload, &QLineEdit::returnPressed, this, &Composer::sendPing);

    m_closeCode = new QComboBox(bar);
    m_closeCode->setObjectName(QStringLiteral("closeCode"));
    m_closeCode->setEditable(true);
    m_closeCode->setInsertPolicy(QComboBox::NoInsert);
    for (const quint16 code :
         { CloseCode::Normal, CloseCode::GoingAway, CloseCode::ProtocolError,
           CloseCode::UnsupportedData, CloseCode::InvalidPayload, CloseCode::PolicyViolation,
           CloseCode::MessageTooBig, CloseCode::InternalError }) {
        m_closeCode->addItem(
            QStringLiteral("%1 %2").arg(code).arg(QString::fromLatin1(closeCodeName(code))));
    }
    m_closeCode->addItem(QStringLiteral("4000 (application)"));
    m_closeCode->setToolTip(QStringLiteral("The close code: 1000-1003, 1007-1014, or 3000-4999 "
                                           "for libraries and applications"));
    m_closeCode->setMinimumContentsLength(12);
    m_closeReason = new QLineEdit(bar);
    m_closeReason->setObjectName(QStringLiteral("closeReason"));
    m_closeReason->setPlaceholderText(QStringLiteral("close reason"));
    m_closeReason->setToolTip(QStringLiteral("The close frame's reason text (at most 123 bytes)"));
    m_closeReason->setMaximumWidth(160);
    m_closeButton = new QPushButton(SvgIconEngine::icon(QStringLiteral("close-connection")),
                                    QStringLiteral("C&lose"), bar);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    m_closeButton->setToolTip(
        QStringLiteral("Start the closing handshake with this code and reason"));
    m_closeButton->setAutoDefault(false);
    connect(m_closeButton, &QPushButton::clicked, this, &Composer::sendClose);
    connect(m_closeReason, &QLineEdit::returnPressed, this, &Composer::sendClose);

    m_sendButton =
        new QPushButton(SvgIconEngine::icon(QStringLiteral("send")), QStringLiteral("&Send"), bar);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_sendButton->setToolTip(QStringLiteral("Send the message (Ctrl+Enter)"));
    m_sendButton->setAutoDefault(false);
    m_sendButton->setMinimumWidth(96);
    QFont bold = m_sendButton->font();
    bold.setBold(true);
    m_sendButton->setFont(bold);
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::send);

    row->addWidget(m_pingPayload);
    row->addWidget(m_pingButton);
    row->addSpacing(12);
    row->addWidget(m_closeCode);
    row->addWidget(m_closeReason);
    row->addWidget(m_closeButton);
    row->addStretch(1);
    row->addWidget(m_sendButton);

    for (QWidget *w :
         { static_cast<QWidget *>(m_pingPayload), static_cast<QWidget *>(m_closeReason) })
        connect(static_cast<QLineEdit *>(w), &QLineEdit::textEdited, this, &Composer::draftChanged);
    connect(m_closeCode, &QComboBox::currentTextChanged, this, &Composer::draftChanged);
    return bar;
}

void Composer::setKind(PayloadKind kind)
{
    if (m_kindButtons->checkedId() != int(kind) || m_kind != kind) {
        // Keep the draft of the kind being left; each kind has its own.
        if (m_kind != PayloadKind::File)
            m_drafts.insert(int(m_kind), m_editor->toPlainText());
        m_kind = kind;
        m_applying = true;
        if (kind != PayloadKind::File)
            m_editor->setPlainText(m_drafts.value(int(kind)));
        m_applying = false;
    }
    if (QAbstractButton *button = m_kindButtons->button(int(kind)))
        button->setChecked(true);
    const KindInfo &info = kinds[int(kind)];
    m_editor->setPlaceholderText(QString::fromUtf8(info.placeholder));
    m_stack->setCurrentIndex(kind == PayloadKind::File ? 1 : 0);
    m_prettyButton->setVisible(kind == PayloadKind::Json);
    updateHighlighter();
    updateValidation();
    Q_EMIT draftChanged();
}

QString Composer::text() const
{
    return m_kind == PayloadKind::File ? m_filePath->text() : m_editor->toPlainText();
}

void Composer::setText(const QString &text)
{
    if (m_kind == PayloadKind::File) {
        m_filePath->setText(text);
        return;
    }
    // Through the cursor, so that Ctrl+Z brings back what was replaced.
    QTextCursor cursor(m_editor->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    m_editor->moveCursor(QTextCursor::End);
}

std::optional<QString> Composer::filledText(QString *error) const
{
    const QString input = text();
    if (!input.contains(QLatin1String("{{")))
        return input;
    QStringList errors;
    auto filled = m_variables.apply(input, QStringLiteral("Message"), &errors);
    if (!filled && error)
        *error = errors.join(QLatin1Char(' '));
    return filled;
}

PayloadParse Composer::parse() const
{
    const bool variables = text().contains(QLatin1String("{{"));
    QString error;
    const auto filled = filledText(&error);
    if (!filled) {
        PayloadParse failed;
        failed.ok = false;
        failed.error = error;
        return failed;
    }
    const QString &input = *filled;
    PayloadParse result;
    switch (m_kind) {
    case PayloadKind::Text:
        result = PayloadCodec::parseText(input);
        break;
    case PayloadKind::Json:
        result = PayloadCodec::parseJson(input);
        break;
    case PayloadKind::Hex:
        result = PayloadCodec::parseHex(input);
        break;
    case PayloadKind::Base64:
        result = PayloadCodec::parseBase64(input);
        break;
    case PayloadKind::File:
        return PayloadCodec::parseFile(input, MaxFileSize);
    }
    if (variables && !result.ok)
        result.offset = -1; // the position is in the filled text, not in the editor's
    return result;
}

void Composer::setVariables(const VariableSubstitution &variables)
{
    m_variables = variables;
    updateValidation();
}

void Composer::insertTemplate(const Profile::MessageTemplate &message)
{
    setKind(PayloadKind(quint8(message.kind)));
    setText(message.body);
    if (message.kind != Profile::TemplateKind::File)
        m_editor->setFocus();
}

Profile::MessageTemplate Composer::currentTemplate() const
{
    return { QString(), Profile::TemplateKind(quint8(m_kind)), text() };
}

// The composer's kinds and a template's list the same values in the same order.
static_assert(quint8(PayloadKind::Text) == quint8(Profile::TemplateKind::Text)
              && quint8(PayloadKind::Json) == quint8(Profile::TemplateKind::Json)
              && quint8(PayloadKind::Hex) == quint8(Profile::TemplateKind::Hex)
              && quint8(PayloadKind::Base64) == quint8(Profile::TemplateKind::Base64)
              && quint8(PayloadKind::File) == quint8(Profile::TemplateKind::File));

void Composer::setConnectionOpen(bool open)
{
    m_open = open;
    updateSendEnabled();
}

void Composer::updateSendEnabled()
{
    m_pingButton->setEnabled(m_open);
    m_closeButton->setEnabled(m_open);
    m_sendButton->setEnabled(m_open);
    const QString why = m_open ? QString() : QStringLiteral(" (connect first)");
    m_sendButton->setToolTip(QStringLiteral("Send the message (Ctrl+Enter)") + why);
}

void Composer::onTextChanged()
{
    if (m_applying)
        return;
    if (m_history.isBrowsing() && !m_editor->hasFocus())
        m_history.stopBrowsing();
    updateValidation();
    Q_EMIT draftChanged();
}

void Composer::showStatus(const QString &text, const QColor &color)
{
    m_status->setText(text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, color);
    m_status->setPalette(palette);
    m_status->setToolTip(text);
}

QString Composer::statusText() const
{
    return m_status->text();
}

void Composer::updateValidation()
{
    QList<QTextEdit::ExtraSelection> marks;
    const QColor muted = Theme::mutedTextColor();
    if (m_kind == PayloadKind::File) {
        // The path as Send reads it: {{variables}} filled.
        QString error;
        const auto path = filledText(&error);
        const QFileInfo info(path.value_or(QString()));
        if (m_filePath->text().isEmpty())
            showStatus(QStringLiteral("Choose a file; its bytes go out as one binary message."),
                       muted);
        else if (!path)
            showStatus(error, Theme::errorColor());
        else if (!info.isFile())
            showStatus(QStringLiteral("No file at this path."), Theme::errorColor());
        else
            showStatus(QStringLiteral("%1 · binary").arg(PayloadCodec::describeSize(info.size())),
                       muted);
        m_editor->setExtraSelections(marks);
        return;
    }
    const QString text = m_editor->toPlainText();
    if (text.isEmpty() && m_kind != PayloadKind::Text) {
        showStatus(QString(), muted);
        m_editor->setExtraSelections(marks);
        return;
    }
    const PayloadParse result = parse();
    m_prettyButton->setEnabled(m_kind == PayloadKind::Json && result.ok);
    if (result.ok) {
        QString label;
        switch (m_kind) {
        case PayloadKind::Json:
            label = QStringLiteral("Valid JSON · %1 · text")
                        .arg(PayloadCodec::describeSize(result.bytes.size()));
            showStatus(label, Theme::successColor());
            break;
        case PayloadKind::Text:
            showStatus(QStringLiteral("%1 UTF-8 · text")
                           .arg(PayloadCodec::describeSize(result.bytes.size())),
                       muted);
            break;
        default:
            showStatus(
                QStringLiteral("%1 · binary").arg(PayloadCodec::describeSize(result.bytes.size())),
                muted);
            break;
        }
    } else {
        showStatus(result.error, Theme::errorColor());
        if (result.offset >= 0) {
            // A wavy red line under the offending character (or the last one at the end).
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(m_editor->document());
            const qsizetype at =
                qMin<qsizetype>(result.offset, qMax<qsizetype>(0, text.size() - 1));
            mark.cursor.setPosition(int(at));
            mark.cursor.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
            mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            mark.format.setUnderlineColor(Theme::errorColor());
            QColor background = Theme::errorColor();
            background.setAlpha(40);
            mark.format.setBackground(background);
            marks.append(mark);
        }
    }
    m_editor->setExtraSelections(marks);
}

void Composer::updateHighlighter()
{
    if (m_kind == PayloadKind::Json) {
        if (!m_highlighter)
            m_highlighter = createJsonHighlighter(m_editor->document(), palette());
    } else if (m_highlighter) {
        delete m_highlighter;
        m_highlighter = nullptr;
    }
}

// The kinds as one segmented control: the chosen one filled with the highlight colour.
void Composer::styleKindButtons()
{
    m_kindBar->setStyleSheet(QStringLiteral(
        "QToolButton[segment] { border: 1px solid palette(mid); background: palette(button);"
        "  padding: 3px 12px; margin: 0px; }"
        "QToolButton[segment=\"middle\"], QToolButton[segment=\"last\"] { border-left: none; }"
        "QToolButton[segment=\"first\"] { border-top-left-radius: 4px; border-bottom-left-radius: "
        "4px; }"
        "QToolButton[segment=\"last\"] { border-top-right-radius: 4px; border-bottom-right-radius: "
        "4px; }"
        "QToolButton[segment]:hover { background: palette(midlight); }"
        "QToolButton[segment]:checked { background: palette(highlight); color: "
        "palette(highlighted-text); }"
        "QToolButton[segment]:focus { text-decoration: underline; }"));
}

void Composer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        styleKindButtons();
        if (auto *highlighter = qobject_cast<JsonHighlighter *>(m_highlighter))
            highlighter->setPalette(palette());
        updateValidation();
    }
    QWidget::changeEvent(event);
}

void Composer::prettyPrint()
{
    if (m_kind != PayloadKind::Json)
        return;
    const QString pretty = PayloadCodec::prettyJson(m_editor->toPlainText());
    if (pretty.isEmpty()) {
        updateValidation();
        return;
    }
    setText(pretty);
    m_editor->moveCursor(QTextCursor::Start);
}

void Composer::send()
{
    const PayloadParse result = parse();
    if (!result.ok) {
        showStatus(result.error, Theme::errorColor());
        if (m_kind == PayloadKind::File) {
            m_filePath->setFocus();
        } else {
            m_editor->setFocus();
            if (result.offset >= 0) {
                QTextCursor cursor = m_editor->textCursor();
                cursor.setPosition(int(
                    qMin<qsizetype>(result.offset, m_editor->document()->characterCount() - 1)));
                m_editor->setTextCursor(cursor);
            }
        }
        return;
    }
    if (!m_open) {
        showStatus(QStringLiteral("Not connected: press Connect (F5) first."), Theme::errorColor());
        return;
    }
    m_pending = SendHistory::Entry { m_kind, text() };
    const bool binary =
        m_kind == PayloadKind::Hex || m_kind == PayloadKind::Base64 || m_kind == PayloadKind::File;
    Q_EMIT sendRequested(result.bytes, binary);
}

void Composer::sendSucceeded()
{
    if (m_pending) {
        m_history.add(*m_pending);
        m_pending.reset();
        Q_EMIT draftChanged();
    }
}

void Composer::sendFailed(const QString &message)
{
    m_pending.reset();
    showStatus(message, Theme::errorColor());
}

void Composer::sendPing()
{
    const QByteArray payload = m_pingPayload->text().toUtf8();
    if (payload.size() > 125) {
        showStatus(QStringLiteral("A ping payload is at most 125 bytes; this one is %1.")
                       .arg(payload.size()),
                   Theme::errorColor());
        return;
    }
    Q_EMIT pingRequested(payload);
}

std::optional<quint16> Composer::closeCode(QString *error) const
{
    const QString text = m_closeCode->currentText().trimmed();
    const QString digits = text.section(QLatin1Char(' '), 0, 0);
    bool ok = false;
    const uint code = digits.toUInt(&ok);
    if (!ok || code > 65535) {
        *error = QStringLiteral("The close code must be a number such as 1000 or 4000, not \"%1\".")
                     .arg(text);
        return std::nullopt;
    }
    if (!isSendableCloseCode(quint16(code))) {
        *error = QStringLiteral("%1 may not be sent in a close frame; use 1000-1003, 1007-1014 or "
                                "3000-4999.")
                     .arg(code);
        return std::nullopt;
    }
    return quint16(code);
}

void Composer::sendClose()
{
    QString error;
    const auto code = closeCode(&error);
    if (!code) {
        showStatus(error, Theme::errorColor());
        m_closeCode->setFocus();
        return;
    }
    const QByteArray reason = m_closeReason->text().toUtf8();
    if (reason.size() > 123) {
        showStatus(QStringLiteral("A close reason is at most 123 bytes of UTF-8; this one is %1.")
                       .arg(reason.size()),
                   Theme::errorColor());
        m_closeReason->setFocus();
        return;
    }
    Q_EMIT closeRequested(*code, reason);
}

void Composer::applyEntry(const SendHistory::Entry &entry)
{
    setKind(entry.kind);
    setText(entry.text);
}

void Composer::recallOlder()
{
    if (const auto entry = m_history.older({ m_kind, text() })) {
        m_applying = true;
        applyEntry(*entry);
        m_applying = false;
        m_editor->moveCursor(QTextCursor::Start);
        updateValidation();
    }
}

void Composer::recallNewer()
{
    if (const auto entry = m_history.newer()) {
        m_applying = true;
        applyEntry(*entry);
        m_applying = false;
        updateValidation();
    }
}

void Composer::rebuildHistoryMenu()
{
    QMenu *menu = m_historyButton->menu();
    menu->clear();
    const auto &entries = m_history.entries();
    if (entries.isEmpty()) {
        menu->addAction(QStringLiteral("Nothing sent yet"))->setEnabled(false);
        return;
    }
    for (qsizetype i = entries.size() - 1; i >= 0 && i >= entries.size() - 25; --i) {
        const SendHistory::Entry entry = entries.at(i);
        QString label = entry.text.simplified();
        if (label.size() > 60)
            label = label.left(59) + QChar(0x2026);
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *action = menu->addAction(
            QStringLiteral("%1  %2").arg(QString::fromLatin1(kinds[int(entry.kind)].label), label));
        connect(action, &QAction::triggered, this, [this, entry] {
            applyEntry(entry);
            m_editor->setFocus();
        });
    }
    menu->addSeparator();
    connect(menu->addAction(QStringLiteral("Clear history")), &QAction::triggered, this, [this] {
        m_history.clear();
        Q_EMIT draftChanged();
    });
}

void Composer::loadMessage(Opcode opcode, const QByteArray &payload)
{
    if (opcode == Opcode::Text) {
        const QString text = QString::fromUtf8(payload);
        setKind(PayloadCodec::parseJson(text).ok ? PayloadKind::Json : PayloadKind::Text);
        setText(text);
    } else {
        setKind(PayloadKind::Hex);
        setText(PayloadCodec::toHex(payload, 16));
    }
    m_editor->setFocus();
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const QTextCursor cursor = m_editor->textCursor();
        const bool plain = key->modifiers() == Qt::NoModifier;
        if (key->key() == Qt::Key_Up && plain && !cursor.hasSelection()
            && cursor.block() == m_editor->document()->firstBlock()
            && !m_history.entries().isEmpty()) {
            recallOlder();
            return true;
        }
        if (key->key() == Qt::Key_Down && plain && !cursor.hasSelection() && m_history.isBrowsing()
            && cursor.block() == m_editor->document()->lastBlock()) {
            recallNewer();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QJsonObject Composer::saveState() const
{
    QJsonObject drafts;
    for (const KindInfo &info : kinds) {
        QString draft = info.kind == m_kind ? text() : m_drafts.value(int(info.kind));
        if (info.kind == PayloadKind::File)
            draft = m_filePath->text();
        if (!draft.isEmpty())
            drafts.insert(payloadKindName(info.kind), draft);
    }
    return QJsonObject {
        { QStringLiteral("kind"), payloadKindName(m_kind) },
        { QStringLiteral("drafts"), drafts },
        { QStringLiteral("history"), m_history.toJson() },
        { QStringLiteral("pingPayload"), m_pingPayload->text() },
        { QStringLiteral("closeCode"), m_closeCode->currentText() },
        { QStringLiteral("closeReason"), m_closeReason->text() },
    };
}

void Composer::restoreState(const QJsonObject &state)
{
    const QJsonObject drafts = state.value(QStringLiteral("drafts")).toObject();
    m_drafts.clear();
    for (auto it = drafts.begin(); it != drafts.end(); ++it) {
        if (const auto kind = payloadKindFromName(it.key()))
            m_drafts.insert(int(*kind), it.value().toString());
    }
    m_filePath->setText(m_drafts.value(int(PayloadKind::File)));
    m_history = SendHistory::fromJson(state.value(QStringLiteral("history")).toArray());
    m_pingPayload->setText(state.value(QStringLiteral("pingPayload")).toString());
    if (const QString code = state.value(QStringLiteral("closeCode")).toString(); !code.isEmpty())
        m_closeCode->setCurrentText(code);
    m_closeReason->setText(state.value(QStringLiteral("closeReason")).toString());
    const auto kind = payloadKindFromName(state.value(QStringLiteral("kind")).toString())
                          .value_or(PayloadKind::Text);
    // Load the saved kind's draft into the editor without saving the editor's over it.
    m_kind = kind;
    m_applying = true;
    m_editor->setPlainText(kind == PayloadKind::File ? QString() : m_drafts.value(int(kind)));
    m_applying = false;
    setKind(kind);
}

} // namespace duplex
