#pragma once

#include <QTableView>

class QToolButton;

namespace duplex {

class MessageLogModel;

// The history table: a QTableView with fixed row heights (a million rows cost what a hundred
// do) that follows new rows while the user is at the bottom, pauses as soon as the user
// scrolls or moves up, and offers a "N new" button (and End / Ctrl+End) to jump back to the
// latest row and follow again. Fragmented messages expand with a click on their arrow, a
// double-click, or Right/Left (also +/-) on the keyboard.
class HistoryTableView : public QTableView
{
    Q_OBJECT
public:
    explicit HistoryTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    MessageLogModel *logModel() const { return m_model; }

    // Following: the view keeps the newest row in sight.
    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);
    // Rows added since following paused.
    int unseenRows() const { return m_unseen; }
    QToolButton *jumpButton() const { return m_jumpButton; }

    // Expands or collapses a fragmented message's frames as the user asked (click, double-click,
    // keyboard, context menu): stops following unless it is the last row, and keeps it in sight.
    void setRowExpanded(int row, bool expanded);

public Q_SLOTS:
    // Scroll to the newest row and follow again.
    void jumpToLatest();

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onRowsAppended(int count);
    void onScrollValueChanged(int value);
    void onScrollRangeChanged(int minimum, int maximum);
    void scrollToEnd();
    void updateJumpButton();
    void placeJumpButton();
    void updateRowHeight();
    bool hitsExpander(const QPoint &position, int *row) const;

    MessageLogModel *m_model = nullptr;
    QToolButton *m_jumpButton = nullptr;
    bool m_following = true;
    bool m_scrollingProgrammatically = false;
    int m_unseen = 0;
};

} // namespace duplex
