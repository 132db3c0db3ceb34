#include "core/session/SessionObserver.h"

namespace duplex {

SessionObserver::~SessionObserver() = default;

void SessionObserver::frameRecorded(const FrameView &, qsizetype) { }

void SessionObserver::eventRecorded(SessionEventKind, QByteArrayView, qsizetype) { }

void SessionObserver::textReceived(QByteArrayView, bool) { }

void SessionObserver::binaryReceived(QByteArrayView, bool) { }

void SessionObserver::pingReceived(QByteArrayView) { }

void SessionObserver::pongReceived(QByteArrayView, qint64) { }

} // namespace duplex
