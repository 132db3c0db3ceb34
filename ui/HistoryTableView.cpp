#include "ui/HistoryTableView.h"

#include "ui/HistoryItemDelegate.h"
#include "ui/MessageLogModel.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QScrollBar>
#include <QToolButton>

namespace duplex {

HistoryTableView::HistoryTableView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setWordWrap(false);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setTextElideMode(Qt::ElideRight);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setTabKeyNavigation(false);
    setCornerButtonEnabled(false);
    setItemDelegate(new HistoryItemDelegate(this));

    // Fixed row heights: the view never measures rows, so a million rows cost what a hundred do.
    QHeaderView *rows = verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setMinimumSectionSize(1);
    updateRowHeight();

    QHeaderView *columns = horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setSectionResizeMode(QHeaderView::Interactive);

    m_jumpButton = new QToolButton(viewport());
    m_jumpButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_jumpButton->setCursor(Qt::PointingHandCursor);
    m_jumpButton->setToolTip(QStringLiteral("Scroll to the newest message and keep following "
                                            "new ones (End)"));
    m_jumpButton->setFocusPolicy(Qt::NoFocus);
    m_jumpButton->hide();
    connect(m_jumpButton, &QToolButton::clicked, this, &HistoryTableView::jumpToLatest);

    connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
            &HistoryTableView::onScrollValueChanged);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this,
            &HistoryTableView::onScrollRangeChanged);
}

void HistoryTableView::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    QTableView::setModel(model);
    m_model = qobject_cast<MessageLogModel *>(model);
    if (m_model) {
        connect(m_model, &MessageLogModel::rowsAppended, this, &HistoryTableView::onRowsAppended);
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            m_unseen = 0;
            updateJumpButton();
        });
        const QFontMetrics metrics(font());
        setColumnWidth(MessageLogModel::TimeColumn,
                       metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + 16);
        setColumnWidth(MessageLogModel::DirectionColumn,
                       metrics.horizontalAdvance(QStringLiteral("\u2192 out")) + 16);
        setColumnWidth(MessageLogModel::TypeColumn,
                       metrics.horizontalAdvance(QStringLiteral("\u25be continuation \u00d799"))
                           + 16);
        setColumnWidth(
            MessageLogModel::SizeColumn,
            metrics.horizontalAdvance(QStringLiteral("1.5 KiB \u2192 16.0 KiB (9.9\u00d7)")) + 8);
    }
}

void HistoryTableView::updateRowHeight()
{
    const int height = fontMetrics().height() + 6;
    verticalHeader()->setDefaultSectionSize(height);
}

// --- Following ------------------------------------------------------------------------------

void HistoryTableView::setFollowing(bool following)
{
    if (following == m_following)
        return;
    m_following = following;
    if (following)
        m_unseen = 0;
    updateJumpButton();
    Q_EMIT followingChanged(following);
}

void HistoryTableView::jumpToLatest()
{
    setFollowing(true);
    scrollToEnd();
}

void HistoryTableView::scrollToEnd()
{
    m_scrollingProgrammatically = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_scrollingProgrammatically = false;
}

void HistoryTableView::onRowsAppended(int count)
{
    if (m_following)
        return; // the range grows and onScrollRangeChanged keeps the end in sight
    m_unseen += count;
    updateJumpButton();
}

void HistoryTableView::onScrollRangeChanged(int, int)
{
    if (m_following)
        scrollToEnd();
}

void HistoryTableView::onScrollValueChanged(int value)
{
    if (m_scrollingProgrammatically)
        return;
    // The user moved: away from the end pauses following, back to the end resumes it.
    setFollowing(value >= verticalScrollBar()->maximum());
}

void HistoryTableView::updateJumpButton()
{
    m_jumpButton->setVisible(!m_following);
    m_jumpButton->setText(m_unseen > 0 ? QStringLiteral("\u2193 %L1 new").arg(m_unseen)
                                       : QStringLiteral("\u2193 Latest"));
    m_jumpButton->adjustSize();
    placeJumpButton();
}

void HistoryTableView::placeJumpButton()
{
    const QSize size = m_jumpButton->sizeHint();
    m_jumpButton->resize(size);
    m_jumpButton->move(viewport()->width() - size.width() - 12,
                       viewport()->height() - size.height() - 8);
    m_jumpButton->raise();
}

void HistoryTableView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    placeJumpButton();
}

void HistoryTableView::changeEvent(QEvent *event)
{
    QTableView::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateRowHeight();
}

// --- Expanding fragmented messages -----------------------------------------------------------

void HistoryTableView::setRowExpanded(int row, bool expanded)
{
    // The user is looking at this message: keep it in sight rather than chase new rows.
    if (row < model()->rowCount() - 1)
        setFollowing(false);
    m_model->setExpanded(row, expanded);
    scrollTo(model()->index(row, 0));
}

bool HistoryTableView::hitsExpander(const QPoint &position, int *row) const
{
    const QModelIndex index = indexAt(position);
    if (!m_model || !index.isValid() || index.column() != MessageLogModel::TypeColumn
        || !m_model->isExpandable(index.row()))
        return false;
    const QRect cell = visualRect(index);
    if (position.x() > cell.left() + fontMetrics().horizontalAdvance(QStringLiteral("\u25be ")) + 8)
        return false;
    *row = index.row();
    return true;
}

void HistoryTableView::mousePressEvent(QMouseEvent *event)
{
    int row = -1;
    if (event->button() == Qt::LeftButton && hitsExpander(event->position().toPoint(), &row)) {
        setRowExpanded(row, !m_model->isExpanded(row));
        setCurrentIndex(model()->index(row, MessageLogModel::TypeColumn));
        event->accept();
        return;
    }
    QTableView::mousePressEvent(event);
}

void HistoryTableView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    if (m_model && index.isValid() && m_model->isExpandable(index.row())) {
        setRowExpanded(index.row(), !m_model->isExpanded(index.row()));
        event->accept();
        return;
    }
    QTableView::mouseDoubleClickEvent(event);
}

void HistoryTableView::keyPressEvent(QKeyEvent *event)
{
    const QModelIndex current = currentIndex();
    if (m_model && current.isValid() && event->modifiers() == Qt::NoModifier) {
        const int row = current.row();
        switch (event->key()) {
        case Qt::Key_Right:
        case Qt::Key_Plus:
            if (m_model->isExpandable(row) && !m_model->isExpanded(row)) {
                setRowExpanded(row, true);
                return;
            }
            break;
        case Qt::Key_Left:
        case Qt::Key_Minus:
            if (m_model->isExpanded(row)) {
                setRowExpanded(row, false);
                return;
            }
            if (m_model->rowKind(row) == MessageLogModel::RowKind::Frame) {
                // Back to the message row the frame belongs to.
                const int head = m_model->rowOfRecordIndex(m_model->recordIndex(row));
                if (head >= 0)
                    setCurrentIndex(model()->index(head, current.column()));
                return;
            }
            break;
        default:
            break;
        }
    }
    if (event->key() == Qt::Key_End
        && (event->modifiers() == Qt::NoModifier || event->modifiers() == Qt::ControlModifier)) {
        if (model() && model()->rowCount() > 0)
            setCurrentIndex(
                model()->index(model()->rowCount() - 1, current.isValid() ? current.column() : 0));
        jumpToLatest();
        return;
    }
    QTableView::keyPressEvent(event);
}

} // namespace duplex
