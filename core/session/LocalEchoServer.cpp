#include "core/session/LocalEchoServer.h"

#include <QHostAddress>
#include <QWebSocket>
#include <QWebSocketServer>

namespace duplex {

LocalEchoServer::LocalEchoServer(QObject *parent)
    : QObject(parent)
{ }

LocalEchoServer::~LocalEchoServer()
{
    stop();
}

bool LocalEchoServer::ensureStarted()
{
    if (isListening())
        return true;
    if (!m_server) {
        m_server = new QWebSocketServer(QStringLiteral("Duplex local echo"),
                                        QWebSocketServer::NonSecureMode, this);
        connect(m_server, &QWebSocketServer::newConnection, this,
                &LocalEchoServer::onNewConnection);
    }
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        m_error = QStringLiteral("The local echo server could not listen on 127.0.0.1: %1")
                      .arg(m_server->errorString());
        return false;
    }
    m_error.clear();
    Q_EMIT started(url());
    return true;
}

void LocalEchoServer::stop()
{
    const QList<QWebSocket *> clients = std::exchange(m_clients, {});
    for (QWebSocket *client : clients) {
        client->disconnect(this);
        client->abort();
        client->deleteLater();
    }
    if (m_server)
        m_server->close();
}

bool LocalEchoServer::isListening() const
{
    return m_server && m_server->isListening();
}

quint16 LocalEchoServer::port() const
{
    return isListening() ? m_server->serverPort() : 0;
}

QUrl LocalEchoServer::url() const
{
    if (!isListening())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server->serverPort());
    url.setPath(QStringLiteral("/"));
    return url;
}

void LocalEchoServer::onNewConnection()
{
    while (QWebSocket *client = m_server->nextPendingConnection()) {
        client->setParent(this);
        m_clients.append(client);
        connect(client, &QWebSocket::textMessageReceived, client,
                [this, client](const QString &text) {
                    client->sendTextMessage(text);
                    ++m_echoed;
                });
        connect(client, &QWebSocket::binaryMessageReceived, client,
                [this, client](const QByteArray &data) {
                    client->sendBinaryMessage(data);
                    ++m_echoed;
                });
        connect(client, &QWebSocket::disconnected, this, [this, client] { onClientGone(client); });
        Q_EMIT clientCountChanged(m_clients.size());
    }
}

void LocalEchoServer::onClientGone(QWebSocket *client)
{
    if (m_clients.removeOne(client)) {
        client->deleteLater();
        Q_EMIT clientCountChanged(m_clients.size());
    }
}

} // namespace duplex
