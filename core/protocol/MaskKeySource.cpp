#include "core/protocol/MaskKeySource.h"

#include <QRandomGenerator>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#if defined(Q_OS_LINUX)
#include <sys/random.h>
#endif

namespace duplex {

MaskKeySource::MaskKeySource() = default;

MaskKey MaskKeySource::next()
{
    if (m_generator)
        return m_generator();
    if (m_used == m_pool.size())
        refill();
    MaskKey key;
    std::memcpy(key.data(), &m_pool[m_used++], 4);
    return key;
}

void MaskKeySource::setGenerator(std::function<MaskKey()> generator)
{
    m_generator = std::move(generator);
}

namespace {

// The kernel's generator. QRandomGenerator::system() prefers the CPU's RDRAND instruction where
// there is one, and RDRAND is slow, on virtual machines especially: 372 us per refill of this
// pool was measured there against 5 us for getrandom(), which made drawing mask keys half the
// cost of sending a small message.
bool fillFromKernel(void *buffer, std::size_t size)
{
#if defined(Q_OS_LINUX)
    auto *bytes = static_cast<char *>(buffer);
    while (size > 0) {
        const ssize_t got = getrandom(bytes, size, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return false; // e.g. ENOSYS on an old kernel
        }
        bytes += got;
        size -= std::size_t(got);
    }
    return true;
#elif defined(Q_OS_DARWIN) || defined(Q_OS_FREEBSD) || defined(Q_OS_OPENBSD) || defined(Q_OS_NETBSD)
    arc4random_buf(buffer, size);
    return true;
#else
    Q_UNUSED(buffer);
    Q_UNUSED(size);
    return false;
#endif
}

} // namespace

void MaskKeySource::refill()
{
    if (!fillFromKernel(m_pool.data(), sizeof m_pool))
        QRandomGenerator::system()->fillRange(m_pool.data(), qsizetype(m_pool.size()));
    m_used = 0;
}

} // namespace duplex
