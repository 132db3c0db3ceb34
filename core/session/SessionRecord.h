#pragma once

#include "core/protocol/Event.h"

#include <QByteArrayView>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace duplex {

enum class RecordType : quint8 {
    Frame, // a WebSocket frame; data = its wire bytes, then the inflated payload if any
    SessionEvent, // a session event; data = one JSON object (the `duplex-cli --frames` form)
};

// Flags of a frame entry.
enum RecordFlag : quint8 {
    RecordCompressed =
        0x01, // the frame belongs to a compressed message; data holds the inflated payload
    RecordMessageEnd = 0x02, // the frame completes a data message (FIN on a data frame)
    RecordFragment = 0x04, // the frame is part of a message of more than one frame
};

// One row of the history: 32 bytes, fixed, whatever the payload. The bytes live in the
// record's chunked byte store; nothing is decoded or copied until a view asks for it.
struct RecordEntry
{
    qint64 timeUs = 0; // microseconds since the Unix epoch
    quint64 dataLocation = 0; // chunk index (high 24 bits) and offset in the chunk (low 40 bits)
    quint32 dataSize = 0;
    // Frames: the index of the entry holding the first frame of the message this frame is part
    // of (itself for unfragmented messages and control frames). Events: the event's kind.
    quint32 group = 0;
    RecordType type = RecordType::Frame;
    Direction direction = Direction::Incoming;
    quint8 firstByte = 0; // frames: FIN, RSV1-3 and opcode, as on the wire
    quint8 flags = 0; // RecordFlag
    quint16 generation = 0; // which connection of the session (a reconnect starts a new one)
    quint16 reserved = 0;
};
static_assert(sizeof(RecordEntry) == 32, "a history row must stay 32 bytes");

// Kinds of session events, stored in RecordEntry::group for RecordType::SessionEvent.
enum class SessionEventKind : quint32 {
    Connecting,
    Open,
    Close,
    Error,
    Reconnect,
    Redirect,
    Tls,
    Note,
    Pong, // a pong that answered one of our pings, with its round-trip time
};

// The history of one session: append-only, written by one thread, readable from any number of
// others at the same time (a filter running off the UI thread reads while frames keep coming).
// Entries and bytes are stored in chunks that never move, so appending never copies what is
// already there and a million rows never cause one large reallocation.
class SessionRecord
{
public:
    SessionRecord();
    ~SessionRecord();
    SessionRecord(const SessionRecord &) = delete;
    SessionRecord &operator=(const SessionRecord &) = delete;

    // Writer side (one thread). Each returns the new entry's index, or -1 when the record is
    // full (over a hundred million rows or 64 GiB).
    qsizetype appendFrame(qint64 timeUs, quint16 generation, const FrameView &frame);
    qsizetype appendEvent(qint64 timeUs, quint16 generation, SessionEventKind kind,
                          QByteArrayView json);

    // Reader side (any thread). Entries below size() are complete and never change.
    qsizetype size() const { return m_size.load(std::memory_order_acquire); }
    const RecordEntry &entry(qsizetype index) const;
    // Views stay valid as long as the record lives.
    QByteArrayView data(const RecordEntry &entry) const;

    // Frames: the header, wire bytes and payload of an entry.
    static FrameHeader headerOf(QByteArrayView data);
    QByteArrayView wire(const RecordEntry &entry) const;
    QByteArrayView inflated(const RecordEntry &entry) const; // empty unless RecordCompressed
    // The payload in clear (unmasked; for a compressed message, the inflated bytes).
    QByteArray payload(const RecordEntry &entry) const;

    // Bytes held for payloads (excluding entry overhead), and bytes reserved for both.
    quint64 payloadBytes() const { return m_payloadBytes.load(std::memory_order_relaxed); }
    quint64 allocatedBytes() const { return m_allocatedBytes.load(std::memory_order_relaxed); }

    static qint64 nowUs();

private:
    static constexpr qsizetype EntriesPerChunk = 16384; // 512 KiB of entries
    static constexpr qsizetype MaxEntryChunks = 8192; // 134 million rows
    static constexpr qsizetype ByteChunkSize = 4 * 1024 * 1024;
    static constexpr qsizetype MaxByteChunks = 16384; // 64 GiB of packed payloads

    // The row at `index` (the next one), its chunk taken if it is the first row of one; null
    // when the record is full.
    RecordEntry *nextRow(qsizetype index);
    RecordEntry *takeEntryChunk(qsizetype chunkIndex);
    // Copies `first` then `second` into the byte store; false when it is full.
    bool storeBytes(QByteArrayView first, QByteArrayView second, quint64 *location, quint32 *size);
    char *reserveBytes(qsizetype size, quint64 *location);

    std::unique_ptr<std::atomic<RecordEntry *>[]> m_entryChunks;
    std::unique_ptr<std::atomic<char *>[]> m_byteChunks;
    std::atomic<qsizetype> m_size { 0 };
    // Writer-only state
    qsizetype m_byteChunkCount = 0;
    qsizetype m_byteChunkUsed = 0; // bytes used in the last shared chunk
    qsizetype m_sharedChunk = -1; // the chunk small payloads are packed into
    std::vector<bool> m_pooledByteChunks; // per byte chunk: it came from the prefaulted stock
    // Per direction: the first frame of the fragmented message in progress, and whether it is
    // compressed (only its first frame says so).
    std::array<qsizetype, 2> m_openMessage { -1, -1 };
    std::array<bool, 2> m_openCompressed { false, false };
    std::atomic<quint64> m_payloadBytes { 0 };
    std::atomic<quint64> m_allocatedBytes { 0 };
};

} // namespace duplex
