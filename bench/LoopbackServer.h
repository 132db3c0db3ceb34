#pragma once

#include "CpuClock.h"

#include <QObject>
#include <QThread>
#include <QUrl>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace duplex::bench {

// The peer of the loopback and history cases: a QWebSocketServer that echoes every message and,
// asked with "burst N S", pushes N text messages of S bytes (a JSON object from 32 bytes on) at
// once, and asked with "steady N R S", the same at R messages per second; and a raw TCP echo
// server for the round-trip floor.
class LoopbackServer : public QObject
{
public:
    // Runs on the server thread: the servers and their sockets live there.
    void listen();

    quint16 m_webSocketPort = 0;
    quint16 m_tcpPort = 0;
    CpuClock m_cpu; // the server thread's

private:
    static void answer(QWebSocket *socket, const QString &message);

    QWebSocketServer *m_server = nullptr;
    QTcpServer *m_tcp = nullptr;
};

// The payload of a burst's messages: `size` bytes of a JSON object where there is room for
// one, such as {"seq":1,"price":1000.25,"x":""} at 32 bytes.
QString burstPayload(int size);

// Sends `count` messages of `payload` on `socket` at `perSecond`, from its thread's event loop.
void sendSteadily(QWebSocket *socket, int count, int perSecond, const QString &payload);

// Starts the server on its own thread for the lifetime of the object.
class ServerThread
{
public:
    ServerThread();
    ~ServerThread();
    ServerThread(const ServerThread &) = delete;
    ServerThread &operator=(const ServerThread &) = delete;

    quint16 webSocketPort() const { return m_server->m_webSocketPort; }
    QUrl url() const;
    quint16 tcpPort() const { return m_server->m_tcpPort; }
    qint64 cpuNs() const { return m_server->m_cpu.nowNs(); }

private:
    QThread m_thread;
    LoopbackServer *m_server = nullptr;
};

} // namespace duplex::bench
