// Steady-state receiving of small frames allocates nothing: after a warm-up, feeding thousands
// of frames of up to 125 bytes (text, binary, ping with its automatic pong, pong, fragments)
// and draining every event must not call malloc once. Counts calls by interposing the C
// allocator, which every C++ and Qt allocation goes through on glibc.

#include "core/protocol/Connection.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstdlib>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define DUPLEX_COUNT_ALLOCATIONS 1

extern "C" {
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *pointer, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
}

namespace {
std::atomic<long> allocations { 0 };
}

extern "C" void *malloc(size_t size)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}

extern "C" void *calloc(size_t count, size_t size)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(count, size);
}

extern "C" void *realloc(void *pointer, size_t size)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(pointer, size);
}

extern "C" void *aligned_alloc(size_t alignment, size_t size)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, size);
}

extern "C" int posix_memalign(void **pointer, size_t alignment, size_t size)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    *pointer = __libc_memalign(alignment, size);
    return *pointer ? 0 : 12; // ENOMEM
}
#endif

using namespace duplex;

namespace {

QByteArray frame(quint8 first, QByteArrayView payload)
{
    QByteArray out;
    out.append(char(first));
    out.append(char(payload.size()));
    out.append(payload);
    return out;
}

// One round of traffic: every kind of small frame a server sends.
QByteArray traffic()
{
    QByteArray bytes;
    for (int size = 0; size <= 125; size += 5) {
        bytes += frame(0x81, QByteArray(size, 'a'));
        bytes += frame(0x82, QByteArray(size, '\xff'));
    }
    bytes += frame(0x81, QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));
    bytes += frame(0x89, "ping payload");
    bytes += frame(0x8a, "pong payload");
    bytes += frame(0x01, "frag");
    bytes += frame(0x89, "");
    bytes += frame(0x80, "ment");
    return bytes;
}

long runRound(Connection &connection, const QByteArray &bytes, qsizetype piece, bool inPlace,
              long *events)
{
#if DUPLEX_COUNT_ALLOCATIONS
    const long before = allocations.load();
#endif
    for (qsizetype offset = 0; offset < bytes.size(); offset += piece) {
        const QByteArrayView data =
            QByteArrayView(bytes).sliced(offset, qMin(piece, bytes.size() - offset));
        if (inPlace) { // as ConnectionSession reads its socket
            char *room = connection.prepareReceive(qMax<qsizetype>(piece, 64));
            std::copy(data.begin(), data.end(), room);
            connection.commitReceive(data.size());
        } else {
            connection.receiveData(data);
        }
        while (auto event = connection.nextEvent())
            ++*events;
        connection.consumeOutput(connection.pendingOutput().size());
    }
#if DUPLEX_COUNT_ALLOCATIONS
    return allocations.load() - before;
#else
    return 0;
#endif
}

} // namespace

class TestAllocations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallFramesAllocateNothing_data();
    void smallFramesAllocateNothing();
};

void TestAllocations::smallFramesAllocateNothing_data()
{
    QTest::addColumn<qsizetype>("piece");
    QTest::addColumn<bool>("inPlace");
    QTest::newRow("whole rounds") << qsizetype(1 << 20) << false;
    QTest::newRow("4 KiB reads") << qsizetype(4096) << false;
    QTest::newRow("7-byte reads") << qsizetype(7) << false;
    QTest::newRow("byte by byte") << qsizetype(1) << false;
    QTest::newRow("64 KiB reads in place") << qsizetype(65536) << true;
    QTest::newRow("4 KiB reads in place") << qsizetype(4096) << true;
    QTest::newRow("7-byte reads in place") << qsizetype(7) << true;
}

void TestAllocations::smallFramesAllocateNothing()
{
    QFETCH(qsizetype, piece);
    QFETCH(bool, inPlace);
    Connection connection(Role::Client);
    connection.openWithoutHandshake();
    const QByteArray bytes = traffic();
    long events = 0;
    for (int i = 0; i < 300; ++i)
        runRound(connection, bytes, piece, inPlace, &events); // warm-up: buffers reach their size
    events = 0;
    long allocated = 0;
    for (int i = 0; i < 100; ++i)
        allocated += runRound(connection, bytes, piece, inPlace, &events);
    QVERIFY(events > 10000);
    QCOMPARE(connection.state(), ConnectionState::Open);
#if DUPLEX_COUNT_ALLOCATIONS
    QCOMPARE(allocated, 0L);
#else
    // The traffic still runs, under the sanitizer that replaced malloc.
    Q_UNUSED(allocated);
    QSKIP("allocations are counted only with glibc's malloc and no sanitizer");
#endif
}

QTEST_APPLESS_MAIN(TestAllocations)
#include "tst_allocations.moc"
