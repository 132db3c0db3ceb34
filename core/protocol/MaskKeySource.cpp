#include "core/protocol/MaskKeySource.h"

#include <QRandomGenerator>

#include <cstring>

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

void MaskKeySource::refill()
{
    QRandomGenerator::system()->fillRange(m_pool.data(), qsizetype(m_pool.size()));
    m_used = 0;
}

} // namespace duplex
