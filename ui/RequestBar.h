#pragma once

#include "core/session/ConnectionSession.h"
#include "core/session/VariableSubstitution.h"
#include "ui/UrlCheck.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
QT_END_NAMESPACE

namespace duplex {

// The top of a connection tab: the environment, the URL, checked as it is typed, and the
// Connect/Disconnect button. Below them, one line tells what is wrong with the URL (with a
// one-click fix when there is an obvious one; an unknown {{variable}}) or why the last
// connection attempt failed. A URL with {{variables}} is checked as it will be sent, and that
// URL is shown under it.
class RequestBar : public QWidget
{
    Q_OBJECT

public:
    explicit RequestBar(QWidget *parent = nullptr);

    // The URL as typed, {{variables}} included.
    QString url() const;
    void setUrl(const QString &url);
    // The check of the URL as it will be sent (variables filled).
    UrlCheck check() const { return m_check; }
    // The variables the URL is filled from; the URL is checked again.
    void setVariables(const VariableSubstitution &variables);
    // The URL with its variables filled, when they all are known.
    QString resolvedUrl() const { return m_resolved; }

    // A widget before the URL (the environment box).
    void addLeadingWidget(QWidget *widget);
    // Read-only: the URL cannot be edited and the button cannot connect; `reason` says why.
    void setReadOnly(bool readOnly, const QString &reason = {});
    bool isReadOnly() const { return m_readOnly; }

    // What the button offers follows the session: Connect, Cancel, Disconnect, Abort, Stop.
    void setSessionState(ConnectionSession::State state);

    // A problem that is not the URL's (a refused connection, a bad option); cleared by the
    // next edit or connection attempt.
    void showProblem(const QString &message);
    void clearProblem();
    QString message() const;

    QLineEdit *urlEdit() const { return m_urlEdit; }
    QPushButton *connectButton() const { return m_connectButton; }

public Q_SLOTS:
    // The button's action: connect when closed, otherwise disconnect, cancel or stop.
    void trigger();

Q_SIGNALS:
    void connectRequested();
    void disconnectRequested();
    void urlEdited(const QString &url);

private:
    void onTextEdited(const QString &text);
    void recheck();
    void applySuggestion();
    void updateMessage();
    void updateButton();

    QLineEdit *m_urlEdit = nullptr;
    QPushButton *m_connectButton = nullptr;
    QLabel *m_messageLabel = nullptr;
    QPushButton *m_fixButton = nullptr;
    QHBoxLayout *m_messageRow = nullptr;
    QHBoxLayout *m_row = nullptr;
    VariableSubstitution m_variables;
    QString m_resolved;
    bool m_usesVariables = false;
    bool m_readOnly = false;
    QString m_readOnlyReason;
    UrlCheck m_check;
    QString m_problem;
    ConnectionSession::State m_state = ConnectionSession::State::Idle;
};

} // namespace duplex
