#include "ui/MessageDetailView.h"

#include "core/session/SessionRecord.h"
#include "ui/FrameHexView.h"
#include "ui/FrameLegend.h"
#include "ui/JsonHighlighter.h"
#include "ui/RecordText.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDataStream>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace duplex {
namespace {

constexpr qsizetype JsonParseLimit = 8 * 1024 * 1024;
constexpr qsizetype HexDumpLimit = 64 * 1024;
constexpr quint32 StateMagic = 0x44564431; // "DVD1"

QPlainTextEdit *makeTextView(QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    view->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return view;
}

// offset | hex | ASCII, as text, for payloads that are not UTF-8.
QString hexDump(QByteArrayView bytes)
{
    QString out;
    const qsizetype size = qMin(bytes.size(), HexDumpLimit);
    for (qsizetype offset = 0; offset < size; offset += 16) {
        const QByteArrayView row = bytes.sliced(offset, qMin<qsizetype>(16, size - offset));
        out += QStringLiteral("%1  ").arg(offset, 8, 16, QLatin1Char('0'));
        out += RecordText::hex(row).leftJustified(16 * 3, QLatin1Char(' '));
        out += QLatin1Char(' ');
        for (char c : row)
            out += (quint8(c) >= 0x20 && quint8(c) < 0x7F) ? QLatin1Char(c) : QLatin1Char('.');
        out += QLatin1Char('\n');
    }
    if (bytes.size() > size)
        out +=
            QStringLiteral("\u2026 %L1 more bytes: see the Frame tab\n").arg(bytes.size() - size);
    return out;
}

// The start of a UTF-8 payload as text: never decodes more than the text views show.
QString decodePrefix(QByteArrayView bytes)
{
    if (bytes.size() <= MessageDetailView::TextLimit)
        return QString::fromUtf8(bytes);
    qsizetype end = MessageDetailView::TextLimit;
    while (end > 0 && (quint8(bytes[end]) & 0xC0) == 0x80)
        --end; // back to the start of a character
    return QString::fromUtf8(bytes.first(end)) + QChar(u'\u2026');
}

// Sets a long text without the cost of finding word boundaries in it: Qt's fallback from word
// boundaries to "anywhere" is quadratic on a line with no spaces (seconds for 256 KiB).
void setText(QPlainTextEdit *view, const QString &text)
{
    view->setWordWrapMode(text.size() > 16 * 1024 ? QTextOption::WrapAnywhere
                                                  : QTextOption::WrapAtWordBoundaryOrAnywhere);
    view->setPlainText(text);
}

QString capped(QString text, qsizetype totalBytes)
{
    if (totalBytes <= MessageDetailView::TextLimit && text.size() <= MessageDetailView::TextLimit)
        return text;
    text.truncate(MessageDetailView::TextLimit);
    text += QStringLiteral("\n\n\u2026 showing the first %L1 characters of a %2 payload; the "
                           "Frame tab shows every byte.")
                .arg(MessageDetailView::TextLimit)
                .arg(RecordText::formatSize(quint64(totalBytes)));
    return text;
}

} // namespace

MessageDetailView::MessageDetailView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_summary);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs, 1);

    m_text = makeTextView(m_tabs);
    m_tabs->addTab(m_text, QStringLiteral("&Text"));
    m_tabs->setTabToolTip(TextTab,
                          QStringLiteral("The payload as UTF-8 text (hex dump when it "
                                         "is not text)"));

    auto *jsonPage = new QWidget(m_tabs);
    auto *jsonLayout = new QVBoxLayout(jsonPage);
    jsonLayout->setContentsMargins(0, 0, 0, 0);
    jsonLayout->setSpacing(0);
    m_jsonStatus = new QLabel(jsonPage);
    m_jsonStatus->setContentsMargins(6, 2, 6, 2);
    m_jsonStatus->setVisible(false);
    m_json = makeTextView(jsonPage);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_highlighter = new JsonHighlighter(m_json->document());
    jsonLayout->addWidget(m_jsonStatus);
    jsonLayout->addWidget(m_json, 1);
    m_tabs->addTab(jsonPage, QStringLiteral("&JSON"));
    m_tabs->setTabToolTip(JsonTab, QStringLiteral("The payload pretty-printed as JSON"));

    auto *framePage = new QWidget(m_tabs);
    auto *frameLayout = new QVBoxLayout(framePage);
    frameLayout->setContentsMargins(0, 0, 0, 0);
    frameLayout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 0);
    m_framePicker = new QComboBox(framePage);
    m_framePicker->setToolTip(QStringLiteral("Which frame of the message the hex view shows"));
    m_framePicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_framePicker->hide(); // shown for messages of more than one frame
    bar->addWidget(m_framePicker);
    bar->addStretch(1);
    auto *group = new QButtonGroup(this);
    group->setExclusive(true);
    const auto makeButton = [&](const QString &text, const QString &tip,
                                FramePresentation presentation) {
        auto *button = new QToolButton(framePage);
        button->setText(text);
        button->setToolTip(tip);
        button->setCheckable(true);
        button->setAutoRaise(true);
        group->addButton(button);
        bar->addWidget(button);
        connect(button, &QToolButton::clicked, this, [this, presentation] {
            m_preferred = presentation;
            m_hexView->setPresentation(presentation);
        });
        return button;
    };
    m_wireButton = makeButton(QStringLiteral("Wire"),
                              QStringLiteral("The frame's bytes exactly as they crossed the wire"),
                              FramePresentation::Wire);
    m_unmaskedButton = makeButton(
        QStringLiteral("Unmasked"),
        QStringLiteral("A masked frame with its payload unmasked (the header stays as sent)"),
        FramePresentation::Unmasked);
    m_inflatedButton =
        makeButton(QStringLiteral("Inflated"),
                   QStringLiteral("What the compressed payload of this frame inflated to"),
                   FramePresentation::Inflated);
    frameLayout->addLayout(bar);

    m_frameSplitter = new QSplitter(Qt::Horizontal, framePage);
    m_hexView = new FrameHexView(m_frameSplitter);
    m_legend = new FrameLegend(m_frameSplitter);
    m_frameSplitter->addWidget(m_hexView);
    m_frameSplitter->addWidget(m_legend);
    m_frameSplitter->setStretchFactor(0, 3);
    m_frameSplitter->setStretchFactor(1, 1);
    m_frameSplitter->setChildrenCollapsible(false);
    frameLayout->addWidget(m_frameSplitter, 1);
    m_tabs->addTab(framePage, QStringLiteral("&Frame"));
    m_tabs->setTabToolTip(FrameTab,
                          QStringLiteral("The frame as bytes, its header fields "
                                         "decoded; hover a byte to name its field"));

    connect(m_tabs, &QTabWidget::currentChanged, this, &MessageDetailView::fillCurrentTab);
    connect(m_framePicker, &QComboBox::currentIndexChanged, this, &MessageDetailView::showFrame);
    connect(m_hexView, &FrameHexView::presentationChanged, this,
            &MessageDetailView::updatePresentationButtons);
    connect(m_hexView, &FrameHexView::hoveredByteChanged, this,
            [this](qsizetype, const QString &text) { Q_EMIT statusTextChanged(text); });
    clear();
}

MessageDetailView::~MessageDetailView() = default;

void MessageDetailView::clear()
{
    showEntries(nullptr, {});
}

void MessageDetailView::showEntries(std::shared_ptr<const SessionRecord> record,
                                    const QList<qsizetype> &entries)
{
    m_record = std::move(record);
    m_entries = m_record ? entries : QList<qsizetype>();
    m_payload.clear();
    m_isEvent = false;
    m_textFilled = m_jsonFilled = m_frameFilled = false;

    if (m_entries.isEmpty()) {
        m_summary->setText(QStringLiteral("Select a message to see its payload and frames."));
        m_text->clear();
        m_json->clear();
        m_jsonStatus->hide();
        m_framePicker->clear();
        m_framePicker->hide();
        m_hexView->clear();
        m_legend->clear();
        m_tabs->setTabEnabled(FrameTab, true);
        updatePresentationButtons();
        return;
    }

    const RecordEntry &first = m_record->entry(m_entries.first());
    m_isEvent = first.type == RecordType::SessionEvent;
    for (qsizetype index : std::as_const(m_entries))
        m_payload += m_isEvent ? m_record->data(m_record->entry(index)).toByteArray()
                               : RecordText::payloadPrefix(*m_record, m_record->entry(index),
                                                           std::numeric_limits<qsizetype>::max());

    const QString when = QDateTime::fromMSecsSinceEpoch(first.timeUs / 1000)
                             .toString(QStringLiteral("HH:mm:ss.zzz"));
    if (m_isEvent) {
        m_summary->setText(QStringLiteral("Session event \u201c%1\u201d at %2")
                               .arg(RecordText::typeName(first), when));
    } else {
        const QString direction = first.direction == Direction::Incoming
            ? QStringLiteral("received")
            : QStringLiteral("sent");
        QString text =
            QStringLiteral("%1 %2, %3, %4 at %5")
                .arg(RecordText::typeName(first))
                .arg(m_entries.size() > 1 ? QStringLiteral("message") : QStringLiteral("frame"))
                .arg(RecordText::formatSize(quint64(m_payload.size())), direction, when);
        if (m_entries.size() > 1)
            text += QStringLiteral(", in %1 frames").arg(m_entries.size());
        if (first.flags & RecordCompressed)
            text += QStringLiteral(", compressed");
        m_summary->setText(text);
    }
    m_tabs->setTabEnabled(FrameTab, !m_isEvent);
    if (m_isEvent && m_tabs->currentIndex() == FrameTab)
        m_tabs->setCurrentIndex(TextTab);
    fillCurrentTab();
}

MessageDetailView::Tab MessageDetailView::currentTab() const
{
    return static_cast<Tab>(m_tabs->currentIndex());
}

void MessageDetailView::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
    fillCurrentTab();
}

int MessageDetailView::currentFrame() const
{
    return m_framePicker->currentIndex();
}

void MessageDetailView::setCurrentFrame(int frame)
{
    if (!m_frameFilled)
        fillFrame();
    m_framePicker->setCurrentIndex(frame);
}

void MessageDetailView::fillCurrentTab()
{
    if (m_entries.isEmpty())
        return;
    switch (currentTab()) {
    case TextTab:
        fillText();
        break;
    case JsonTab:
        fillJson();
        break;
    case FrameTab:
        fillFrame();
        break;
    }
}

void MessageDetailView::fillText()
{
    if (m_textFilled)
        return;
    m_textFilled = true;
    if (m_isEvent) {
        setText(m_text,
                RecordText::eventSentence(m_record->entry(m_entries.first()), m_payload)
                    + QStringLiteral("\n\n")
                    + QString::fromUtf8(RecordText::prettyJson(m_payload)));
        return;
    }
    const MessageKind kind = RecordText::kindOf(m_record->entry(m_entries.first()));
    if (kind == MessageKind::Close) {
        setText(m_text, RecordText::closeDescription(m_payload));
        return;
    }
    if (QUtf8StringView(m_payload).isValidUtf8() && kind != MessageKind::Binary) {
        setText(m_text, capped(decodePrefix(m_payload), m_payload.size()));
        return;
    }
    if (QUtf8StringView(m_payload).isValidUtf8() && !m_payload.isEmpty()) {
        // Binary that happens to be text: show both.
        setText(m_text,
                capped(decodePrefix(m_payload), m_payload.size()) + QStringLiteral("\n\n")
                    + hexDump(m_payload));
        return;
    }
    setText(m_text,
            QStringLiteral("%1 of binary payload (not UTF-8 text)\n\n")
                    .arg(RecordText::formatSize(quint64(m_payload.size())))
                + hexDump(m_payload));
}

void MessageDetailView::fillJson()
{
    if (m_jsonFilled)
        return;
    m_jsonFilled = true;
    if (m_payload.size() > JsonParseLimit) {
        m_jsonStatus->setText(QStringLiteral("Too large to pretty-print here (%1).")
                                  .arg(RecordText::formatSize(quint64(m_payload.size()))));
        m_jsonStatus->show();
        m_json->clear();
        return;
    }
    QJsonParseError error;
    // Parsed only to validate: the text shown is the payload's own, re-indented.
    QJsonDocument::fromJson(m_payload, &error);
    // Colour only what is JSON: in other text every word would be flagged.
    m_highlighter->setDocument(error.error == QJsonParseError::NoError ? m_json->document()
                                                                       : nullptr);
    if (error.error != QJsonParseError::NoError) {
        m_jsonStatus->setText(QStringLiteral("Not JSON: %1 at offset %2.")
                                  .arg(error.errorString())
                                  .arg(error.offset));
        m_jsonStatus->show();
        setText(m_json, capped(decodePrefix(m_payload), m_payload.size()));
        return;
    }
    m_jsonStatus->hide();
    setText(m_json, capped(QString::fromUtf8(RecordText::prettyJson(m_payload)), m_payload.size()));
}

void MessageDetailView::fillFrame()
{
    if (m_frameFilled || m_isEvent || m_entries.isEmpty())
        return;
    m_frameFilled = true;
    const QSignalBlocker blocker(m_framePicker);
    m_framePicker->clear();
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const RecordEntry &entry = m_record->entry(m_entries.at(i));
        m_framePicker->addItem(QStringLiteral("Frame %1 of %2: %3, FIN=%4, %5")
                                   .arg(i + 1)
                                   .arg(m_entries.size())
                                   .arg(RecordText::typeName(entry))
                                   .arg((entry.firstByte & 0x80) ? 1 : 0)
                                   .arg(RecordText::formatSize(
                                       RecordText::wirePayloadSize(entry, m_record->data(entry)))));
    }
    m_framePicker->setVisible(m_entries.size() > 1);
    m_framePicker->setCurrentIndex(0);
    showFrame(0);
}

void MessageDetailView::showFrame(int frame)
{
    if (frame < 0 || frame >= m_entries.size() || m_isEvent)
        return;
    const FrameDocument document = FrameDocument::fromRecord(m_record, m_entries.at(frame));
    m_hexView->setDocument(document);
    m_hexView->setPresentation(m_preferred);
    m_legend->setDocument(document);
    updatePresentationButtons();
}

void MessageDetailView::updatePresentationButtons()
{
    const FrameDocument &document = m_hexView->document();
    m_wireButton->setEnabled(!document.isEmpty());
    m_unmaskedButton->setEnabled(document.hasPresentation(FramePresentation::Unmasked));
    m_inflatedButton->setEnabled(document.hasPresentation(FramePresentation::Inflated));
    m_unmaskedButton->setVisible(document.isMasked());
    m_inflatedButton->setVisible(document.isCompressed());
    m_wireButton->setVisible(document.isMasked() || document.isCompressed());
    switch (m_hexView->presentation()) {
    case FramePresentation::Wire:
        m_wireButton->setChecked(true);
        break;
    case FramePresentation::Unmasked:
        m_unmaskedButton->setChecked(true);
        break;
    case FramePresentation::Inflated:
        m_inflatedButton->setChecked(true);
        break;
    }
}

QByteArray MessageDetailView::saveState() const
{
    QByteArray state;
    QDataStream stream(&state, QIODevice::WriteOnly);
    stream << StateMagic << qint32(m_tabs->currentIndex()) << m_frameSplitter->saveState()
           << qint32(m_preferred);
    return state;
}

bool MessageDetailView::restoreState(const QByteArray &state)
{
    QDataStream stream(state);
    quint32 magic = 0;
    qint32 tab = 0;
    QByteArray splitter;
    qint32 preferred = 0;
    stream >> magic >> tab >> splitter >> preferred;
    if (stream.status() != QDataStream::Ok || magic != StateMagic)
        return false;
    if (tab >= 0 && tab < m_tabs->count())
        m_tabs->setCurrentIndex(tab);
    if (preferred >= 0 && preferred <= int(FramePresentation::Inflated))
        m_preferred = static_cast<FramePresentation>(preferred);
    return m_frameSplitter->restoreState(splitter);
}

void MessageDetailView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setPalette(palette());
    QWidget::changeEvent(event);
}

} // namespace duplex
