#pragma once

#include <QList>
#include <QObject>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QWebSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace duplex {

// The echo server Duplex ships: a WebSocket server on 127.0.0.1 that sends every text and
// binary message back as it came. It listens on a free port chosen when it is first needed,
// so a new user has a peer to talk to without any network or set-up, and tests have one too.
class LocalEchoServer : public QObject
{
    Q_OBJECT

public:
    explicit LocalEchoServer(QObject *parent = nullptr);
    ~LocalEchoServer() override;

    // Starts listening if it is not already; returns whether it listens. Idempotent.
    bool ensureStarted();
    void stop();

    bool isListening() const;
    quint16 port() const;
    QUrl url() const; // ws://127.0.0.1:PORT/ ; empty when not listening
    QString errorString() const { return m_error; }
    qsizetype clientCount() const { return m_clients.size(); }
    quint64 echoedMessages() const { return m_echoed; }

Q_SIGNALS:
    void started(const QUrl &url);
    void clientCountChanged(qsizetype count);

private:
    void onNewConnection();
    void onClientGone(QWebSocket *client);

    QWebSocketServer *m_server = nullptr;
    QList<QWebSocket *> m_clients;
    QString m_error;
    quint64 m_echoed = 0;
};

} // namespace duplex
