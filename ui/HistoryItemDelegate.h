#pragma once

#include <QStyledItemDelegate>

namespace duplex {

// Paints history cells for less than QStyledItemDelegate does: the style draws the row's
// background (selection, alternating colours), the text is drawn on one line, cut to what the
// column can show before it is shaped, and elided only when it may not fit. Every append
// repaints the visible rows of the table, so this is what a live history spends its time on.
class HistoryItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace duplex
