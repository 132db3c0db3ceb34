#include "LoopbackServer.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

namespace duplex::bench {

void LoopbackServer::listen()
{
    m_server =
        new QWebSocketServer(QStringLiteral("duplex-bench"), QWebSocketServer::NonSecureMode, this);
    QObject::connect(m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket](const QString &message) { answer(socket, message); });
            QObject::connect(
                socket, &QWebSocket::binaryMessageReceived, socket,
                [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    m_tcp = new QTcpServer(this);
    QObject::connect(m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            QObject::connect(socket, &QTcpSocket::readyRead, socket,
                             [socket] { socket->write(socket->readAll()); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    m_server->listen(QHostAddress::LocalHost, 0);
    m_tcp->listen(QHostAddress::LocalHost, 0);
    m_webSocketPort = m_server->serverPort();
    m_tcpPort = m_tcp->serverPort();
    m_cpu = CpuClock::thisThread();
}

// An echo, or the messages a "burst" or "steady" request asks for.
void LoopbackServer::answer(QWebSocket *socket, const QString &message)
{
    // Echoes are most of what this serves: only a request is split into words.
    if (!message.startsWith(QLatin1String("burst "))
        && !message.startsWith(QLatin1String("steady "))) {
        socket->sendTextMessage(message);
        return;
    }
    const QStringList parts = message.split(QLatin1Char(' '));
    if (parts.first() == QLatin1String("burst") && parts.size() == 3) {
        const int count = parts.at(1).toInt();
        const QString payload = burstPayload(parts.at(2).toInt());
        for (int i = 0; i < count; ++i)
            socket->sendTextMessage(payload);
    } else if (parts.first() == QLatin1String("steady") && parts.size() == 4) {
        sendSteadily(socket, parts.at(1).toInt(), parts.at(2).toInt(),
                     burstPayload(parts.at(3).toInt()));
    } else {
        socket->sendTextMessage(message);
    }
}

void sendSteadily(QWebSocket *socket, int count, int perSecond, const QString &payload)
{
    // Every millisecond, what is due by then: the rate holds however late a tick comes.
    auto *timer = new QTimer(socket);
    timer->setTimerType(Qt::PreciseTimer);
    auto clock = std::make_shared<QElapsedTimer>();
    auto sent = std::make_shared<qint64>(0);
    clock->start();
    QObject::connect(timer, &QTimer::timeout, socket, [=] {
        const qint64 due = qMin<qint64>(count, clock->nsecsElapsed() * perSecond / 1'000'000'000);
        for (; *sent < due; ++*sent)
            socket->sendTextMessage(payload);
        if (*sent >= count)
            timer->deleteLater();
    });
    timer->start(1);
}

QString burstPayload(int size)
{
    static const QLatin1String head("{\"seq\":1,\"price\":1000.25,\"x\":\"");
    static const QLatin1String tail("\"}");
    const int filler = size - int(head.size() + tail.size());
    if (filler < 0)
        return QString(qMax(0, size), QLatin1Char('x'));
    return head + QString(filler, QLatin1Char('x')) + tail;
}

ServerThread::ServerThread()
{
    m_server = new LoopbackServer;
    m_server->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_server, [this] { m_server->listen(); }, Qt::BlockingQueuedConnection);
}

ServerThread::~ServerThread()
{
    m_thread.quit();
    m_thread.wait();
}

QUrl ServerThread::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server->m_webSocketPort));
}

} // namespace duplex::bench
