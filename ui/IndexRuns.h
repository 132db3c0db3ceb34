#pragma once

#include <QtGlobal>

#include <vector>

namespace duplex {

// A sorted set of record indices kept as runs of consecutive indices, with their positions
// (rows). It is the history model's row mapping: while nothing is filtered or hidden the whole
// history is one run (a few bytes for a million rows, nothing per row); a filter or fragmented
// messages split it into more runs, 12 bytes each. Plain C++, no Qt objects, tested on its own.
class IndexRuns
{
public:
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    qsizetype runCount() const { return qsizetype(m_runs.size()); }
    quint64 memoryBytes() const { return quint64(m_runs.capacity()) * sizeof(Run); }

    // The index at a row (0 <= row < size()).
    quint32 at(qsizetype row) const;
    // The row of an index, or -1 when it is not in the set.
    qsizetype rowOf(quint32 index) const;
    // The row at which `index` is or would be inserted (the number of indices below it).
    qsizetype lowerBound(quint32 index) const;
    quint32 last() const { return m_runs.back().first + m_runs.back().count - 1; }

    // Adds an index above every index held so far.
    void append(quint32 index);
    // Adds an index anywhere; returns its row (or -1 if it was already there). O(runs).
    qsizetype insert(quint32 index);
    void clear();

private:
    struct Run
    {
        quint32 row; // row of `first`
        quint32 first; // first index of the run
        quint32 count;
    };
    qsizetype runAtRow(qsizetype row) const;

    std::vector<Run> m_runs;
    qsizetype m_size = 0;
};

} // namespace duplex
