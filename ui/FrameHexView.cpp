#include "ui/FrameHexView.h"

#include "ui/RecordText.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <array>
#include <cmath>

namespace duplex {
namespace {

constexpr int OffsetDigits = 8;
constexpr char HexDigits[] = "0123456789abcdef";

bool isPrintable(quint8 byte)
{
    return byte >= 0x20 && byte < 0x7F;
}

} // namespace

FrameHexView::FrameHexView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setCursor(Qt::IBeamCursor);
    setToolTip(QString()); // tooltips come per byte, from viewportEvent
    m_colors = FrameFieldColors::forPalette(palette());
    updateMetrics();
}

FrameHexView::~FrameHexView() = default;

void FrameHexView::setDocument(FrameDocument document)
{
    m_document = std::move(document);
    if (!m_document.hasPresentation(m_presentation))
        m_presentation = FramePresentation::Wire;
    m_anchor = -1;
    m_cursor = 0;
    setHovered(-1);
    updateScrollBars();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    viewport()->update();
    Q_EMIT selectionChanged();
}

void FrameHexView::setFrame(QByteArray wire, QByteArray inflated)
{
    setDocument(FrameDocument(std::move(wire), std::move(inflated)));
}

void FrameHexView::clear()
{
    setDocument(FrameDocument());
}

void FrameHexView::setPresentation(FramePresentation presentation)
{
    if (!m_document.hasPresentation(presentation))
        presentation = FramePresentation::Wire;
    if (presentation == m_presentation)
        return;
    const bool sameLayout = presentation != FramePresentation::Inflated
        && m_presentation != FramePresentation::Inflated;
    m_presentation = presentation;
    if (!sameLayout) {
        m_anchor = -1;
        m_cursor = 0;
        verticalScrollBar()->setValue(0);
    }
    updateScrollBars();
    viewport()->update();
    Q_EMIT presentationChanged(presentation);
    Q_EMIT selectionChanged();
}

qsizetype FrameHexView::dataSize() const
{
    return m_document.size(m_presentation);
}

qsizetype FrameHexView::rowCount() const
{
    return (dataSize() + m_bytesPerRow - 1) / m_bytesPerRow;
}

int FrameHexView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

// --- Selection ------------------------------------------------------------------------------

void FrameHexView::select(qsizetype offset, qsizetype length)
{
    const qsizetype size = dataSize();
    if (length <= 0 || offset < 0 || offset >= size) {
        m_anchor = -1;
    } else {
        m_anchor = offset;
        m_cursor = qMin(offset + length, size) - 1;
    }
    viewport()->update();
    Q_EMIT selectionChanged();
}

void FrameHexView::selectAll()
{
    select(0, dataSize());
}

ByteRange FrameHexView::selection() const
{
    if (m_anchor < 0 || dataSize() == 0)
        return {};
    const qsizetype first = qMin(m_anchor, m_cursor);
    const qsizetype last = qMin(qMax(m_anchor, m_cursor), dataSize() - 1);
    return { first, last - first + 1 };
}

QByteArray FrameHexView::selectedBytes() const
{
    const ByteRange range = selection();
    return m_document.bytes(m_presentation, range.offset, range.length);
}

QString FrameHexView::selectedHex() const
{
    return RecordText::hex(selectedBytes());
}

QString FrameHexView::selectedText() const
{
    const QByteArray bytes = selectedBytes();
    bool text = QUtf8StringView(bytes).isValidUtf8();
    for (qsizetype i = 0; text && i < bytes.size(); ++i) {
        const auto byte = quint8(bytes[i]);
        text = byte >= 0x20 || byte == '\n' || byte == '\r' || byte == '\t';
    }
    if (text)
        return QString::fromUtf8(bytes);
    QString out(bytes.size(), Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto byte = quint8(bytes[i]);
        out[i] = isPrintable(byte) ? QLatin1Char(char(byte)) : QLatin1Char('.');
    }
    return out;
}

void FrameHexView::copyAsHex()
{
    if (hasSelection())
        QApplication::clipboard()->setText(selectedHex());
}

void FrameHexView::copyAsText()
{
    if (hasSelection())
        QApplication::clipboard()->setText(selectedText());
}

// --- Geometry -------------------------------------------------------------------------------

void FrameHexView::updateMetrics()
{
    const QFontMetricsF metrics(font());
    m_charWidth = metrics.horizontalAdvance(QLatin1Char('0'));
    m_lineHeight = int(std::ceil(metrics.height())) + 2;
    m_ascent = int(std::ceil(metrics.ascent())) + 1;
    m_margin = int(m_charWidth);
    m_hexStart = m_margin + (OffsetDigits + 2) * m_charWidth;
    fitRowToWidth();
    updateScrollBars();
    updateGeometry();
}

// offset | hex, with a gap after the eighth byte | ASCII.
qreal FrameHexView::rowWidth(int bytes) const
{
    const int gap = bytes > 8 ? 1 : 0;
    return m_hexStart + (bytes * 3 + gap + 1) * m_charWidth + bytes * m_charWidth + m_margin;
}

bool FrameHexView::fitRowToWidth()
{
    const int bytes = rowWidth(WideRow) <= viewport()->width() ? WideRow : NarrowRow;
    const bool changed = bytes != m_bytesPerRow;
    m_bytesPerRow = bytes;
    m_asciiStart = m_hexStart + (bytes * 3 + (bytes > 8 ? 1 : 0) + 1) * m_charWidth;
    m_totalWidth = rowWidth(bytes);
    return changed;
}

void FrameHexView::updateScrollBars()
{
    const int visibleRows = qMax(1, viewport()->height() / m_lineHeight);
    const qsizetype rows = rowCount();
    verticalScrollBar()->setRange(0, int(qMax<qsizetype>(0, rows - visibleRows)));
    verticalScrollBar()->setPageStep(visibleRows);
    verticalScrollBar()->setSingleStep(1);
    horizontalScrollBar()->setRange(0, qMax(0, int(std::ceil(m_totalWidth)) - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(int(m_charWidth));
}

QRect FrameHexView::byteRect(qsizetype offset, bool asciiColumn) const
{
    const qsizetype row = offset / m_bytesPerRow;
    const int column = int(offset % m_bytesPerRow);
    const int y = int(row - firstVisibleRow()) * m_lineHeight;
    const qreal shift = horizontalScrollBar()->value();
    if (asciiColumn) {
        const qreal x = m_asciiStart + column * m_charWidth - shift;
        return QRect(int(x), y, int(std::ceil(m_charWidth)), m_lineHeight);
    }
    // A hex cell spans its two digits and half a space either side; a gap after 8 bytes.
    const qreal x =
        m_hexStart + (column * 3 + (column >= 8 ? 1 : 0)) * m_charWidth - m_charWidth / 2 - shift;
    return QRect(int(x), y, int(std::ceil(3 * m_charWidth)), m_lineHeight);
}

qsizetype FrameHexView::byteAt(const QPoint &position) const
{
    if (position.y() < 0)
        return -1;
    const qsizetype row = firstVisibleRow() + position.y() / m_lineHeight;
    if (row >= rowCount())
        return -1;
    const qreal x = position.x() + horizontalScrollBar()->value();
    int column = -1;
    if (x >= m_asciiStart && x < m_asciiStart + m_bytesPerRow * m_charWidth) {
        column = int((x - m_asciiStart) / m_charWidth);
    } else {
        for (int i = 0; i < m_bytesPerRow; ++i) {
            const qreal left =
                m_hexStart + (i * 3 + (i >= 8 ? 1 : 0)) * m_charWidth - m_charWidth / 2;
            if (x >= left && x < left + 3 * m_charWidth) {
                column = i;
                break;
            }
        }
    }
    if (column < 0)
        return -1;
    const qsizetype offset = row * m_bytesPerRow + column;
    return offset < dataSize() ? offset : -1;
}

FrameField FrameHexView::fieldAt(qsizetype offset) const
{
    return m_document.fieldAt(m_presentation, offset);
}

QColor FrameHexView::byteBackground(qsizetype offset) const
{
    if (selection().contains(offset))
        return palette().color(QPalette::Highlight);
    return m_colors.of(fieldAt(offset));
}

QString FrameHexView::describeByte(qsizetype offset) const
{
    return m_document.describe(m_presentation, offset);
}

void FrameHexView::scrollToByte(qsizetype offset)
{
    const qsizetype row = offset / m_bytesPerRow;
    const int first = firstVisibleRow();
    const int visible = qMax(1, viewport()->height() / m_lineHeight);
    if (row < first)
        verticalScrollBar()->setValue(int(row));
    else if (row >= first + visible)
        verticalScrollBar()->setValue(int(row - visible + 1));
}

QSize FrameHexView::sizeHint() const
{
    const int width = int(std::ceil(rowWidth(WideRow))) + verticalScrollBar()->sizeHint().width()
        + 2 * frameWidth();
    return QSize(width, m_lineHeight * 12 + 2 * frameWidth());
}

// --- Painting -------------------------------------------------------------------------------

void FrameHexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette &pal = palette();
    painter.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    painter.setFont(font());
    const qsizetype size = dataSize();
    if (size == 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(m_margin, 0, 0, 0),
                         Qt::AlignLeft | Qt::AlignTop,
                         m_document.isEmpty() ? QStringLiteral("No frame selected")
                                              : QStringLiteral("Empty payload"));
        return;
    }

    const qreal shift = horizontalScrollBar()->value();
    const int first = firstVisibleRow();
    const qsizetype last =
        qMin<qsizetype>(rowCount(), first + viewport()->height() / m_lineHeight + 2);
    const ByteRange selected = selection();
    const QColor textColor = pal.color(QPalette::Text);
    const QColor selectedColor = pal.color(QPalette::HighlightedText);
    const QColor highlight = pal.color(QPalette::Highlight);
    const QColor offsetColor = pal.color(QPalette::PlaceholderText);
    const bool focused = hasFocus();

    std::array<char, WideRow> bytes {};
    // Text is drawn a row at a time: one string for the hex column and one for the ASCII
    // column in the normal colour, and the same with only the selected bytes in the
    // selection colour (monospace keeps both aligned with the cells).
    QString hexPlain;
    QString hexSelected;
    QString asciiPlain;
    QString asciiSelected;
    for (qsizetype row = first; row < last; ++row) {
        const qsizetype offset = row * m_bytesPerRow;
        // Only this row's bytes are read (and unmasked).
        const qsizetype count =
            m_document.read(m_presentation, offset, m_bytesPerRow, bytes.data());
        const int y = int(row - first) * m_lineHeight;
        const qreal baseline = y + m_ascent;

        painter.setPen(offsetColor);
        painter.drawText(QPointF(m_margin - shift, baseline),
                         QStringLiteral("%1").arg(offset, OffsetDigits, 16, QLatin1Char('0')));

        hexPlain.fill(QLatin1Char(' '), m_bytesPerRow * 3 + 1);
        hexSelected.fill(QLatin1Char(' '), m_bytesPerRow * 3 + 1);
        asciiPlain.fill(QLatin1Char(' '), m_bytesPerRow);
        asciiSelected.fill(QLatin1Char(' '), m_bytesPerRow);
        bool anySelected = false;
        for (qsizetype i = 0; i < count; ++i) {
            const qsizetype position = offset + i;
            const bool isSelected = selected.contains(position);
            anySelected = anySelected || isSelected;
            const QColor background = isSelected ? highlight : m_colors.of(fieldAt(position));
            if (background.isValid()) {
                painter.fillRect(byteRect(position), background);
                painter.fillRect(byteRect(position, true), background);
            }
            const auto byte = quint8(bytes[size_t(i)]);
            const qsizetype column = i * 3 + (i >= 8 ? 1 : 0);
            QString &hexText = isSelected ? hexSelected : hexPlain;
            hexText[column] = QLatin1Char(HexDigits[byte >> 4]);
            hexText[column + 1] = QLatin1Char(HexDigits[byte & 0xF]);
            (isSelected ? asciiSelected : asciiPlain)[i] =
                isPrintable(byte) ? QLatin1Char(char(byte)) : QLatin1Char('.');
        }
        painter.setPen(textColor);
        painter.drawText(QPointF(m_hexStart - shift, baseline), hexPlain);
        painter.drawText(QPointF(m_asciiStart - shift, baseline), asciiPlain);
        if (anySelected) {
            painter.setPen(selectedColor);
            painter.drawText(QPointF(m_hexStart - shift, baseline), hexSelected);
            painter.drawText(QPointF(m_asciiStart - shift, baseline), asciiSelected);
        }
        for (const qsizetype marked : { m_hovered, focused ? m_cursor : qsizetype(-1) }) {
            if (marked < offset || marked >= offset + count)
                continue;
            painter.setPen(marked == m_cursor && focused ? textColor : offsetColor);
            painter.drawRect(byteRect(marked).adjusted(0, 0, -1, -1));
            painter.drawRect(byteRect(marked, true).adjusted(0, 0, -1, -1));
        }
    }
}

void FrameHexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const int topByte = firstVisibleRow() * m_bytesPerRow;
    const bool rowChanged = fitRowToWidth();
    updateScrollBars();
    if (rowChanged) // the byte that was at the top stays at the top
        verticalScrollBar()->setValue(topByte / m_bytesPerRow);
}

void FrameHexView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        updateMetrics();
    if (event->type() == QEvent::PaletteChange)
        m_colors = FrameFieldColors::forPalette(palette());
    QAbstractScrollArea::changeEvent(event);
}

// --- Mouse and keyboard ---------------------------------------------------------------------

void FrameHexView::setHovered(qsizetype offset)
{
    if (offset == m_hovered)
        return;
    m_hovered = offset;
    viewport()->update();
    Q_EMIT hoveredByteChanged(offset, offset >= 0 ? describeByte(offset) : QString());
}

bool FrameHexView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const qsizetype offset = byteAt(help->pos());
        if (offset >= 0)
            QToolTip::showText(help->globalPos(), describeByte(offset), viewport(),
                               byteRect(offset));
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void FrameHexView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const qsizetype offset = byteAt(event->position().toPoint());
    if (offset < 0)
        return;
    moveCursor(offset, event->modifiers() & Qt::ShiftModifier);
    m_selecting = true;
}

void FrameHexView::mouseMoveEvent(QMouseEvent *event)
{
    const qsizetype offset = byteAt(event->position().toPoint());
    setHovered(offset);
    if (m_selecting && offset >= 0 && offset != m_cursor)
        moveCursor(offset, true);
}

void FrameHexView::mouseReleaseEvent(QMouseEvent *event)
{
    m_selecting = false;
    event->accept();
}

void FrameHexView::leaveEvent(QEvent *event)
{
    setHovered(-1);
    QAbstractScrollArea::leaveEvent(event);
}

void FrameHexView::moveCursor(qsizetype offset, bool extend)
{
    const qsizetype size = dataSize();
    if (size == 0)
        return;
    offset = qBound<qsizetype>(0, offset, size - 1);
    if (!extend || m_anchor < 0)
        m_anchor = offset;
    m_cursor = offset;
    ensureCursorVisible();
    viewport()->update();
    Q_EMIT selectionChanged();
}

void FrameHexView::ensureCursorVisible()
{
    scrollToByte(m_cursor);
}

void FrameHexView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        copyAsHex();
        return;
    }
    if (event->key() == Qt::Key_C
        && event->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier)) {
        copyAsText();
        return;
    }
    if (event == QKeySequence::SelectAll) {
        selectAll();
        return;
    }
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const bool control = event->modifiers() & Qt::ControlModifier;
    const qsizetype page = qsizetype(qMax(1, viewport()->height() / m_lineHeight)) * m_bytesPerRow;
    switch (event->key()) {
    case Qt::Key_Left:
        moveCursor(m_cursor - 1, extend);
        return;
    case Qt::Key_Right:
        moveCursor(m_cursor + 1, extend);
        return;
    case Qt::Key_Up:
        moveCursor(m_cursor - m_bytesPerRow, extend);
        return;
    case Qt::Key_Down:
        moveCursor(m_cursor + m_bytesPerRow, extend);
        return;
    case Qt::Key_PageUp:
        moveCursor(m_cursor - page, extend);
        return;
    case Qt::Key_PageDown:
        moveCursor(m_cursor + page, extend);
        return;
    case Qt::Key_Home:
        moveCursor(control ? 0 : m_cursor - m_cursor % m_bytesPerRow, extend);
        return;
    case Qt::Key_End:
        moveCursor(control ? dataSize() - 1
                           : m_cursor - m_cursor % m_bytesPerRow + m_bytesPerRow - 1,
                   extend);
        return;
    case Qt::Key_Escape:
        if (m_anchor >= 0) {
            select(0, 0);
            return;
        }
        break;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void FrameHexView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *hex = menu.addAction(QStringLiteral("Copy as Hex"), this, &FrameHexView::copyAsHex);
    hex->setShortcut(QKeySequence::Copy);
    hex->setEnabled(hasSelection());
    QAction *text = menu.addAction(QStringLiteral("Copy as Text"), this, &FrameHexView::copyAsText);
    text->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    text->setEnabled(hasSelection());
    menu.addAction(QStringLiteral("Select All"), this, &FrameHexView::selectAll)
        ->setShortcut(QKeySequence::SelectAll);
    if (m_document.isMasked() || m_document.isCompressed()) {
        menu.addSeparator();
        auto *group = new QActionGroup(&menu);
        const auto add = [&](const QString &label, FramePresentation presentation) {
            QAction *action = menu.addAction(label);
            action->setCheckable(true);
            action->setChecked(m_presentation == presentation);
            action->setEnabled(m_document.hasPresentation(presentation));
            group->addAction(action);
            connect(action, &QAction::triggered, this,
                    [this, presentation] { setPresentation(presentation); });
        };
        add(QStringLiteral("Wire Bytes"), FramePresentation::Wire);
        if (m_document.isMasked())
            add(QStringLiteral("Unmasked Payload"), FramePresentation::Unmasked);
        if (m_document.isCompressed())
            add(QStringLiteral("Inflated Payload"), FramePresentation::Inflated);
    }
    menu.exec(event->globalPos());
}

} // namespace duplex
