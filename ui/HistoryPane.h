#pragma once

#include "core/protocol/Opcode.h"

#include <QWidget>

#include <memory>

class QSplitter;

namespace duplex {

class HistoryFilterBar;
class HistoryTableView;
class MessageDetailView;
class MessageLogModel;
class SessionRecord;

// What a connection tab embeds for its history: the filter bar, the message table and the
// detail pane (text, JSON, frame hex view and legend) in a splitter.
//
//     auto *history = new HistoryPane(tab);
//     history->setRecord(session->record());
//     connect(session, &ConnectionSession::recordGrew, history, &HistoryPane::poll);
//     connect(history, &HistoryPane::resendRequested, composer, &Composer::...);
//     connect(history, &HistoryPane::statusMessage, statusBar, ...);
//     settings: history->saveState() / history->restoreState(bytes)
//
// Actions on the selected rows (context menu and shortcuts): copy payload as text (Ctrl+C),
// as hex (Ctrl+Shift+C), as JSON (the row with its frame fields), re-send (Ctrl+R; emits
// resendRequested, the pane never sends), expand/collapse, clear (Ctrl+L), find (Ctrl+F).
class HistoryPane : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryPane(QWidget *parent = nullptr);
    ~HistoryPane() override;

    void setRecord(std::shared_ptr<const SessionRecord> record);

    MessageLogModel *model() const { return m_model; }
    HistoryTableView *view() const { return m_view; }
    MessageDetailView *detailView() const { return m_detail; }
    HistoryFilterBar *filterBar() const { return m_filterBar; }

    // Splitter sizes, column widths and the detail tab, for the window to persist.
    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

    // Row actions, also reachable from the context menu. `row` -1: the selected rows, one line
    // each (JSON: one object a line), or the current row when none is selected.
    QString copyText(int row = -1) const; // what "Copy as text" puts on the clipboard
    QString copyHex(int row = -1) const;
    QString copyJson(int row = -1) const;
    void copyToClipboard(const QString &text) const;

public Q_SLOTS:
    // The record grew (connect the session's recordGrew here).
    void poll();
    // Hide everything recorded so far.
    void clear();
    void jumpToLatest();
    void focusFilter();
    // Emits resendRequested for the current row (data messages, ping and pong only).
    void resendCurrent();

Q_SIGNALS:
    // Send this again: an opcode (text, binary, ping, pong, or a reserved data opcode) and the
    // payload in clear. The window routes it to the session or the composer.
    void resendRequested(duplex::Opcode opcode, const QByteArray &payload);
    // For the window's status bar: the hovered byte's field, filter errors.
    void statusMessage(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void onCurrentRowChanged();
    void updateCounts();
    void showContextMenu(const QPoint &position);
    int targetRow(int row) const;
    QList<int> targetRows(int row) const;
    QString rowText(int row) const;
    QString rowJson(int row) const;

    MessageLogModel *m_model = nullptr;
    HistoryFilterBar *m_filterBar = nullptr;
    HistoryTableView *m_view = nullptr;
    MessageDetailView *m_detail = nullptr;
    QSplitter *m_splitter = nullptr;
};

} // namespace duplex
