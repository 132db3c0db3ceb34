#pragma once

#include "core/protocol/Opcode.h"
#include "core/session/Profile.h"
#include "core/session/VariableSubstitution.h"
#include "ui/PayloadCodec.h"
#include "ui/SendHistory.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QSyntaxHighlighter;
class QToolButton;
QT_END_NAMESPACE

namespace duplex {

class TemplateButton;

// Where messages are written and sent: Text, JSON (checked as it is typed, with the position of
// the first error, pretty-printing and highlighting), binary as hex or Base64 or from a file.
// Ctrl+Enter sends; Up on the first line and Down on the last walk the send history. Below the
// editor: a Ping with its payload and a Close with a chosen code and reason.
//
// {{variables}} in a message are filled when it is sent (setVariables()); an unknown one is an
// error shown here, and nothing is sent. The Templates menu inserts the tab's saved messages.
//
// The composer never sends anything itself: it emits what to send, and whoever sends reports
// back with sendSucceeded() or sendFailed(), so only messages that went out enter the history.
class Composer : public QWidget
{
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);
    ~Composer() override;

    PayloadKind kind() const { return m_kind; }
    void setKind(PayloadKind kind);
    // The draft of the current kind (for File, the path).
    QString text() const;
    void setText(const QString &text);
    // What the current draft turns into, {{variables}} filled, or why it cannot be sent.
    PayloadParse parse() const;
    void setVariables(const VariableSubstitution &variables);

    // Puts a template into the editor with its kind; and the current message as one.
    void insertTemplate(const Profile::MessageTemplate &message);
    Profile::MessageTemplate currentTemplate() const;
    TemplateButton *templateButton() const { return m_templateButton; }

    // Whether messages can go out now (the connection is open).
    void setConnectionOpen(bool open);

    // Puts a message from the history back into the editor: text as Text (or JSON when it
    // parses as JSON), anything else as hex.
    void loadMessage(duplex::Opcode opcode, const QByteArray &payload);

    const SendHistory &history() const { return m_history; }
    // Every draft, the kind, the send history and the Ping/Close fields, to restore later.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

    QPlainTextEdit *editor() const { return m_editor; }
    QPushButton *sendButton() const { return m_sendButton; }
    QPushButton *pingButton() const { return m_pingButton; }
    QPushButton *closeButton() const { return m_closeButton; }
    QComboBox *closeCodeBox() const { return m_closeCode; }
    QLineEdit *closeReasonEdit() const { return m_closeReason; }
    QLineEdit *pingPayloadEdit() const { return m_pingPayload; }
    QLineEdit *filePathEdit() const { return m_filePath; }
    QString statusText() const;

public Q_SLOTS:
    void send();
    void sendPing();
    void sendClose();
    void prettyPrint();
    void recallOlder();
    void recallNewer();
    // The result of the last sendRequested().
    void sendSucceeded();
    void sendFailed(const QString &message);

Q_SIGNALS:
    // Send one data message: `binary` false means a text frame with UTF-8 `payload`.
    void sendRequested(const QByteArray &payload, bool binary);
    void pingRequested(const QByteArray &payload);
    void closeRequested(quint16 code, const QByteArray &reason);
    // Anything in the composer changed (for saving drafts).
    void draftChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *createToolbar();
    QWidget *createControlRow();
    void onTextChanged();
    // text() with its {{variables}} filled, as parse() sends it; or nothing and why.
    std::optional<QString> filledText(QString *error) const;
    void updateValidation();
    void updateHighlighter();
    void updateSendEnabled();
    void showStatus(const QString &text, const QColor &color);
    void styleKindButtons();
    void rebuildHistoryMenu();
    void applyEntry(const SendHistory::Entry &entry);
    std::optional<quint16> closeCode(QString *error) const;

    PayloadKind m_kind = PayloadKind::Text;
    VariableSubstitution m_variables;
    QHash<int, QString> m_drafts; // per PayloadKind, the current kind's lives in the editor
    SendHistory m_history;
    std::optional<SendHistory::Entry> m_pending;
    bool m_open = false;
    bool m_applying = false;

    QButtonGroup *m_kindButtons = nullptr;
    QWidget *m_kindBar = nullptr;
    QStackedWidget *m_stack = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QSyntaxHighlighter *m_highlighter = nullptr;
    QLineEdit *m_filePath = nullptr;
    QLabel *m_status = nullptr;
    QToolButton *m_prettyButton = nullptr;
    QToolButton *m_historyButton = nullptr;
    TemplateButton *m_templateButton = nullptr;
    QPushButton *m_sendButton = nullptr;
    QLineEdit *m_pingPayload = nullptr;
    QPushButton *m_pingButton = nullptr;
    QComboBox *m_closeCode = nullptr;
    QLineEdit *m_closeReason = nullptr;
    QPushButton *m_closeButton = nullptr;
};

} // namespace duplex
