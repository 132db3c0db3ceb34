#include "core/session/SessionRecord.h"

#include "core/protocol/Masking.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#endif

namespace duplex {
namespace {

constexpr int OffsetBits = 40;
constexpr quint64 OffsetMask = (quint64(1) << OffsetBits) - 1;

// The writer is the only thread that changes a counter: a plain load and store is enough, and
// spares the locked read-modify-write of fetch_add() on every appended frame.
void addTo(std::atomic<quint64> &counter, quint64 amount)
{
    counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

// Fresh memory costs a page fault for every 4 KiB on first touch; on the virtual machines we
// measured, that was two thirds of the time of recording a 1 MiB frame and a sixth of
// recording a small one. So the chunks a record fills come from a process-wide stock whose
// pages a background thread touched ahead of time, and a destroyed record's chunks go back to
// it (up to a cap) instead of to the system.
//
// Touching them ahead of time moves the cost to another thread but does not remove it: with
// 1 MiB echoes on a machine of two cores, that thread used as much processor time as the
// client's own. Byte chunks are therefore two aligned transparent huge pages where the system
// offers them (Linux, THP "madvise" or "always"): two faults per chunk instead of 1,024, and
// the kernel clears 2 MiB at a time.
class PrefaultedChunks
{
public:
    enum Kind { Bytes, Entries, KindCount };

    static PrefaultedChunks &instance()
    {
        static auto *pool = new PrefaultedChunks; // never destroyed: its thread may outlive main()
        return *pool;
    }

    static std::size_t sizeOf(Kind kind)
    {
        return kind == Bytes ? std::size_t(4 * 1024 * 1024) : std::size_t(512 * 1024);
    }

    // A chunk's memory, freed with std::free().
    static void *allocate(Kind kind)
    {
        const std::size_t size = sizeOf(kind);
#if defined(Q_OS_LINUX) && defined(MADV_HUGEPAGE)
        constexpr std::size_t HugePage = 2 * 1024 * 1024;
        if (kind == Bytes) {
            static_assert(4 * 1024 * 1024 % HugePage == 0);
            void *chunk = std::aligned_alloc(HugePage, size);
            if (chunk)
                madvise(chunk, size, MADV_HUGEPAGE); // a hint: without it, 4 KiB pages
            return chunk;
        }
#endif
        return std::malloc(size);
    }

    // A chunk of sizeOf(kind) bytes, its pages touched when the stock had one; never null
    // unless the system is out of memory.
    void *take(Kind kind)
    {
        void *chunk = nullptr;
        {
            std::lock_guard lock(m_mutex);
            std::vector<void *> &stock = m_stock[kind];
            if (!stock.empty()) {
                chunk = stock.back();
                stock.pop_back();
            }
            if (!m_started) {
                m_started = true;
                std::thread([this] { run(); }).detach();
            }
        }
        m_wake.notify_one();
        return chunk ? chunk : allocate(kind);
    }

    void give(Kind kind, void *chunk)
    {
        if (!chunk)
            return;
        {
            std::lock_guard lock(m_mutex);
            if (m_stock[kind].size() < MaxRetained[kind]) {
                m_stock[kind].push_back(chunk);
                return;
            }
        }
        std::free(chunk);
    }

private:
    // A burst of 200,000 small frames fills 13 chunks of rows: with 2 in stock the thread
    // touching them fell behind and the writer took fresh ones.
    static constexpr std::size_t Target[KindCount] = { 4, 8 }; // 16 MiB, 4 MiB
    static constexpr std::size_t MaxRetained[KindCount] = { 8, 8 }; // 32 MiB, 4 MiB

    bool needsRefill(Kind *kind) const
    {
        for (const Kind candidate : { Entries, Bytes }) {
            if (m_stock[candidate].size() < Target[candidate]) {
                *kind = candidate;
                return true;
            }
        }
        return false;
    }

    void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            Kind kind = Bytes;
            m_wake.wait(lock, [&] { return needsRefill(&kind); });
            lock.unlock();
            const std::size_t size = sizeOf(kind);
            auto *chunk = static_cast<volatile char *>(allocate(kind));
            if (chunk) {
                for (std::size_t offset = 0; offset < size; offset += 4096)
                    chunk[offset] = 0;
            }
            lock.lock();
            if (!chunk)
                return; // out of memory: records allocate for themselves from now on
            m_stock[kind].push_back(const_cast<char *>(chunk));
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<void *> m_stock[KindCount];
    bool m_started = false;
};

} // namespace

SessionRecord::SessionRecord()
    : m_entryChunks(new std::atomic<RecordEntry *>[MaxEntryChunks]())
    , m_byteChunks(new std::atomic<char *>[MaxByteChunks]())
{ }

SessionRecord::~SessionRecord()
{
    PrefaultedChunks &pool = PrefaultedChunks::instance();
    for (qsizetype i = 0; i < MaxEntryChunks; ++i)
        pool.give(PrefaultedChunks::Entries, m_entryChunks[i].load(std::memory_order_relaxed));
    for (qsizetype i = 0; i < m_byteChunkCount; ++i) {
        char *chunk = m_byteChunks[i].load(std::memory_order_relaxed);
        if (m_pooledByteChunks[std::size_t(i)])
            pool.give(PrefaultedChunks::Bytes, chunk);
        else
            std::free(chunk);
    }
}

qint64 SessionRecord::nowUs()
{
    // Microseconds, not milliseconds: frames of one burst are often less than 1 ms apart.
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

const RecordEntry &SessionRecord::entry(qsizetype index) const
{
    const RecordEntry *chunk =
        m_entryChunks[index / EntriesPerChunk].load(std::memory_order_acquire);
    return chunk[index % EntriesPerChunk];
}

QByteArrayView SessionRecord::data(const RecordEntry &entry) const
{
    if (entry.dataSize == 0)
        return {};
    const char *chunk =
        m_byteChunks[qsizetype(entry.dataLocation >> OffsetBits)].load(std::memory_order_acquire);
    return QByteArrayView(chunk + (entry.dataLocation & OffsetMask), entry.dataSize);
}

FrameHeader SessionRecord::headerOf(QByteArrayView data)
{
    return parseFrameHeader(data).header;
}

QByteArrayView SessionRecord::wire(const RecordEntry &entry) const
{
    const QByteArrayView bytes = data(entry);
    if (entry.type != RecordType::Frame)
        return {};
    const HeaderParse parsed = parseFrameHeader(bytes);
    if (parsed.status != HeaderParse::Status::Complete)
        return bytes;
    const qsizetype size = parsed.headerSize + qsizetype(parsed.header.payloadLength);
    return bytes.first(qMin(size, bytes.size()));
}

QByteArrayView SessionRecord::inflated(const RecordEntry &entry) const
{
    if (entry.type != RecordType::Frame || !(entry.flags & RecordCompressed))
        return {};
    return data(entry).sliced(wire(entry).size());
}

QByteArray SessionRecord::payload(const RecordEntry &entry) const
{
    if (entry.type != RecordType::Frame)
        return data(entry).toByteArray();
    if (entry.flags & RecordCompressed) {
        const QByteArrayView inflatedBytes = inflated(entry);
        const FrameHeader header = headerOf(data(entry));
        if (!isControl(header.opcode))
            return inflatedBytes.toByteArray();
    }
    const QByteArrayView bytes = wire(entry);
    const HeaderParse parsed = parseFrameHeader(bytes);
    if (parsed.status != HeaderParse::Status::Complete)
        return {};
    QByteArray clear = bytes.sliced(parsed.headerSize).toByteArray();
    if (parsed.header.masked)
        applyMask(clear.data(), clear.size(), parsed.header.maskKey);
    return clear;
}

// The fast paths of appending, inline; what they rarely need (a new chunk) is not.
inline RecordEntry *SessionRecord::nextRow(qsizetype index)
{
    const qsizetype chunkIndex = index / EntriesPerChunk;
    RecordEntry *chunk = chunkIndex < MaxEntryChunks
        ? m_entryChunks[chunkIndex].load(std::memory_order_relaxed)
        : nullptr;
    if (Q_UNLIKELY(!chunk)) {
        chunk = takeEntryChunk(chunkIndex);
        if (!chunk)
            return nullptr;
    }
    // Trivially copyable: its fields are all written before the row is published.
    return new (&chunk[index % EntriesPerChunk]) RecordEntry;
}

inline bool SessionRecord::storeBytes(QByteArrayView first, QByteArrayView second,
                                      quint64 *location, quint32 *size)
{
    const qsizetype total = first.size() + second.size();
    if (total > qsizetype(std::numeric_limits<quint32>::max()))
        return false;
    *size = quint32(total);
    if (total == 0)
        return true;
    char *bytes = nullptr;
    if (total <= ByteChunkSize / 2 && m_sharedChunk >= 0
        && m_byteChunkUsed + total <= ByteChunkSize) {
        // The common case: packed after the previous payload in the shared chunk.
        *location = (quint64(m_sharedChunk) << OffsetBits) | quint64(m_byteChunkUsed);
        bytes = m_byteChunks[m_sharedChunk].load(std::memory_order_relaxed) + m_byteChunkUsed;
        m_byteChunkUsed += total;
    } else {
        bytes = reserveBytes(total, location);
        if (!bytes)
            return false;
    }
    std::memcpy(bytes, first.data(), size_t(first.size()));
    if (!second.isEmpty())
        std::memcpy(bytes + first.size(), second.data(), size_t(second.size()));
    addTo(m_payloadBytes, quint64(total));
    return true;
}

qsizetype SessionRecord::appendFrame(qint64 timeUs, quint16 generation, const FrameView &frame)
{
    const qsizetype index = m_size.load(std::memory_order_relaxed);
    const auto side = static_cast<std::size_t>(frame.direction);
    const FrameHeader &header = frame.header;

    quint32 group = quint32(index);
    quint8 flags = 0;
    if (!isControl(header.opcode)) {
        const bool continuation = header.opcode == Opcode::Continuation;
        if (!continuation) {
            m_openCompressed[side] = header.rsv1;
            m_openMessage[side] = header.fin ? -1 : index;
            if (!header.fin)
                flags |= RecordFragment;
        } else if (m_openMessage[side] >= 0) {
            group = quint32(m_openMessage[side]);
            flags |= RecordFragment;
            if (header.fin)
                m_openMessage[side] = -1;
        } else {
            flags |= RecordFragment; // a continuation with no start: kept as sent
        }
        if (header.fin)
            flags |= RecordMessageEnd;
        if (m_openCompressed[side] || header.rsv1)
            flags |= RecordCompressed;
    }
    RecordEntry *row = nextRow(index);
    if (!row)
        return -1;
    quint64 location = 0;
    quint32 dataSize = 0;
    if (!storeBytes(frame.wire, (flags & RecordCompressed) ? frame.inflated : QByteArrayView(),
                    &location, &dataSize))
        return -1;
    // Field by field into the row: a row built aside and copied in would be read back as wider
    // words than it was written with, and wait for the stores to drain (store forwarding).
    row->timeUs = timeUs;
    row->dataLocation = location;
    row->dataSize = dataSize;
    row->group = group;
    row->type = RecordType::Frame;
    row->direction = frame.direction;
    row->firstByte = frame.wire.isEmpty() ? 0 : quint8(frame.wire[0]);
    row->flags = flags;
    row->generation = generation;
    row->reserved = 0;
    m_size.store(index + 1, std::memory_order_release);
    return index;
}

qsizetype SessionRecord::appendEvent(qint64 timeUs, quint16 generation, SessionEventKind kind,
                                     QByteArrayView json)
{
    const qsizetype index = m_size.load(std::memory_order_relaxed);
    RecordEntry *row = nextRow(index);
    if (!row)
        return -1;
    quint64 location = 0;
    quint32 dataSize = 0;
    if (!storeBytes(json, {}, &location, &dataSize))
        return -1;
    row->timeUs = timeUs;
    row->dataLocation = location;
    row->dataSize = dataSize;
    row->group = static_cast<quint32>(kind);
    row->type = RecordType::SessionEvent;
    row->direction = Direction::Incoming;
    row->firstByte = 0;
    row->flags = 0;
    row->generation = generation;
    row->reserved = 0;
    m_size.store(index + 1, std::memory_order_release);
    return index;
}

RecordEntry *SessionRecord::takeEntryChunk(qsizetype chunkIndex)
{
    if (chunkIndex >= MaxEntryChunks)
        return nullptr;
    // Rows are written whole before size() admits them: the chunk needs no initialising.
    static_assert(sizeof(RecordEntry) * EntriesPerChunk == 512 * 1024);
    auto *chunk =
        static_cast<RecordEntry *>(PrefaultedChunks::instance().take(PrefaultedChunks::Entries));
    if (!chunk)
        return nullptr;
    addTo(m_allocatedBytes, sizeof(RecordEntry) * EntriesPerChunk);
    m_entryChunks[chunkIndex].store(chunk, std::memory_order_release);
    return chunk;
}

char *SessionRecord::reserveBytes(qsizetype size, quint64 *location)
{
    // Large payloads get a chunk of their own; small ones are packed into a shared chunk.
    const bool own = size > ByteChunkSize / 2;
    if (!own && m_sharedChunk >= 0 && m_byteChunkUsed + size <= ByteChunkSize) {
        char *chunk = m_byteChunks[m_sharedChunk].load(std::memory_order_relaxed);
        *location = (quint64(m_sharedChunk) << OffsetBits) | quint64(m_byteChunkUsed);
        char *bytes = chunk + m_byteChunkUsed;
        m_byteChunkUsed += size;
        return bytes;
    }
    if (m_byteChunkCount >= MaxByteChunks)
        return nullptr;
    const qsizetype chunkSize = own ? size : ByteChunkSize;
    static_assert(ByteChunkSize == 4 * 1024 * 1024);
    char *chunk = own
        ? static_cast<char *>(std::malloc(size_t(chunkSize)))
        : static_cast<char *>(PrefaultedChunks::instance().take(PrefaultedChunks::Bytes));
    if (!chunk)
        return nullptr;
    m_pooledByteChunks.push_back(!own);
    addTo(m_allocatedBytes, quint64(chunkSize));
    const qsizetype chunkIndex = m_byteChunkCount++;
    m_byteChunks[chunkIndex].store(chunk, std::memory_order_release);
    *location = quint64(chunkIndex) << OffsetBits;
    if (!own) {
        m_sharedChunk = chunkIndex;
        m_byteChunkUsed = size;
    }
    return chunk;
}

} // namespace duplex
