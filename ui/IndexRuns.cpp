#include "ui/IndexRuns.h"

#include <algorithm>

namespace duplex {

qsizetype IndexRuns::runAtRow(qsizetype row) const
{
    // The last run starting at or before `row`.
    const auto it = std::upper_bound(m_runs.begin(), m_runs.end(), quint32(row),
                                     [](quint32 value, const Run &run) { return value < run.row; });
    return qsizetype(it - m_runs.begin()) - 1;
}

quint32 IndexRuns::at(qsizetype row) const
{
    Q_ASSERT(row >= 0 && row < m_size);
    const Run &last = m_runs.back();
    if (row >= qsizetype(last.row))
        return last.first + quint32(row - last.row);
    const Run &run = m_runs[size_t(runAtRow(row))];
    return run.first + quint32(row - run.row);
}

qsizetype IndexRuns::lowerBound(quint32 index) const
{
    // The first run whose last index is >= index.
    const auto it =
        std::lower_bound(m_runs.begin(), m_runs.end(), index, [](const Run &run, quint32 value) {
            return run.first + run.count - 1 < value;
        });
    if (it == m_runs.end())
        return m_size;
    if (index <= it->first)
        return it->row;
    return it->row + (index - it->first);
}

qsizetype IndexRuns::rowOf(quint32 index) const
{
    const qsizetype row = lowerBound(index);
    if (row >= m_size || at(row) != index)
        return -1;
    return row;
}

void IndexRuns::append(quint32 index)
{
    Q_ASSERT(m_runs.empty() || index > last());
    if (!m_runs.empty()) {
        Run &run = m_runs.back();
        if (run.first + run.count == index) {
            ++run.count;
            ++m_size;
            return;
        }
    }
    m_runs.push_back(Run { quint32(m_size), index, 1 });
    ++m_size;
}

qsizetype IndexRuns::insert(quint32 index)
{
    if (m_runs.empty() || index > last()) {
        append(index);
        return m_size - 1;
    }
    const auto it =
        std::lower_bound(m_runs.begin(), m_runs.end(), index, [](const Run &run, quint32 value) {
            return run.first + run.count - 1 < value;
        });
    // `it` is the first run ending at or after `index` (there is one: index <= last()).
    if (index >= it->first)
        return -1; // already present
    const qsizetype row = it->row;
    auto position = it;
    // Join the run before when it ends right below `index`; else start a new run.
    if (it != m_runs.begin() && std::prev(it)->first + std::prev(it)->count == index) {
        ++std::prev(it)->count;
    } else {
        position = m_runs.insert(it, Run { quint32(row), index, 1 });
        ++position;
    }
    for (auto run = position; run != m_runs.end(); ++run)
        ++run->row;
    ++m_size;
    // The run before may now touch the next one: merge them.
    if (position != m_runs.begin() && position != m_runs.end()) {
        auto before = std::prev(position);
        if (before->first + before->count == position->first) {
            before->count += position->count;
            m_runs.erase(position);
        }
    }
    return row;
}

void IndexRuns::clear()
{
    m_runs.clear();
    m_runs.shrink_to_fit();
    m_size = 0;
}

} // namespace duplex
