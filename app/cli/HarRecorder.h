#pragma once

#include "core/session/HarDocument.h"
#include "core/session/SessionObserver.h"

#include <array>

namespace duplex {
class ConnectionSession;
}

namespace duplex::cli {

// Collects what --export-har writes: one HAR entry per connection attempt that got an answer
// (its opening handshake, request and response headers, timings) with the data messages of
// that connection in both directions, as Chrome's devtools write them.
class HarRecorder : private SessionObserver
{
public:
    explicit HarRecorder(ConnectionSession &session);
    ~HarRecorder() override;
    HarRecorder(const HarRecorder &) = delete;
    HarRecorder &operator=(const HarRecorder &) = delete;

    // The document so far: attempts that never got an answer are left out.
    HarDocument document() const;
    // Writes it atomically; false and a sentence naming the file when that fails.
    bool write(const QString &path, QString *error) const;

private:
    void frameRecorded(const FrameView &frame, qsizetype index) override;
    void eventRecorded(SessionEventKind kind, QByteArrayView json, qsizetype index) override;

    void takeHandshake();

    struct MessageInProgress
    {
        bool active = false;
        bool compressed = false;
        quint8 opcode = 0;
        double time = 0;
        QByteArray data;
    };

    ConnectionSession &m_session;
    QList<HarDocument::Entry> m_entries;
    bool m_answered = false; // the current entry got a response
    std::array<MessageInProgress, 2> m_messages {};
};

} // namespace duplex::cli
