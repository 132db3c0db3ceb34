#pragma once

#include <QString>

namespace duplex {

// Something a reader of stored settings should know about: a file that could not be read, an
// entry that was skipped, a secret that is missing. Nothing is lost silently; it is said here.
struct StoreWarning
{
    QString file; // the file (or secret store) concerned
    QString message; // what was wrong
    QString preservedCopy; // where an unreadable original was kept, when it was moved
    QString text() const; // all of it in one sentence, for a message box or stderr
    friend bool operator==(const StoreWarning &, const StoreWarning &) = default;
};

} // namespace duplex
