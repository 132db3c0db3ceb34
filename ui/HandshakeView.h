#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPlainTextEdit;
QT_END_NAMESPACE

namespace duplex {

class ConnectionSession;

// The opening handshake of a tab's current (or last) connection: the request and the response
// exactly as they crossed the wire, what was negotiated (subprotocol, extensions, TLS), and how
// long each step took (DNS, TCP, TLS, handshake).
class HandshakeView : public QWidget
{
    Q_OBJECT

public:
    explicit HandshakeView(QWidget *parent = nullptr);

    // Reads everything from the session; call when a connection opened, failed or closed.
    void showSession(const ConnectionSession &session);
    void clear();

    QString requestText() const;
    QString responseText() const;
    QString summaryText() const;

    // Handshake bytes as readable text: CR LF line ends become line breaks and any other
    // control or non-ASCII byte is shown as \xNN, so nothing invisible hides in a header.
    static QString visibleText(const QByteArray &bytes);

protected:
    void changeEvent(QEvent *event) override;

private:
    const ConnectionSession *m_session = nullptr;
    QLabel *m_summary = nullptr;
    QWidget *m_timingBar = nullptr;
    QPlainTextEdit *m_request = nullptr;
    QPlainTextEdit *m_response = nullptr;
};

} // namespace duplex
