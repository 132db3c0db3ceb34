#pragma once

#include "ui/HistoryFilter.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace duplex {

// The filter controls above the history: a search field (text, or a regular expression with
// the ".*" toggle, case sensitivity with "Aa"), a direction choice and a menu of message
// kinds. Typing is debounced; filterChanged carries the whole spec. Invalid regular
// expressions are flagged in the field and its tooltip.
class HistoryFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryFilterBar(QWidget *parent = nullptr);

    HistoryFilterSpec spec() const;
    void setSpec(const HistoryFilterSpec &spec);

    // Status on the right: "1,204 of 50,000", "filtering… 40%".
    void setCounts(qsizetype shown, qsizetype total, bool filtered);
    void setProgress(int percent, bool running);

    QLineEdit *searchField() const { return m_search; }
    QWidget *clearButton() const;

public Q_SLOTS:
    void focusSearch();

Q_SIGNALS:
    void filterChanged(const duplex::HistoryFilterSpec &spec);
    void clearRequested();

private:
    void emitChanged();
    void updateKindsButton();

    QLineEdit *m_search = nullptr;
    QToolButton *m_regexButton = nullptr;
    QToolButton *m_caseButton = nullptr;
    QComboBox *m_direction = nullptr;
    QToolButton *m_kindsButton = nullptr;
    QToolButton *m_clearButton = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_debounce = nullptr;
    MessageKinds m_kinds = AllMessageKinds;
    QString m_countText;
    bool m_running = false;
    int m_percent = 0;
};

} // namespace duplex
