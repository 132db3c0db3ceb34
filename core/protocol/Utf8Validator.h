#pragma once

#include <QByteArrayView>

namespace duplex {

// Incremental UTF-8 validation (RFC 3629; Unicode table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF). Bytes may arrive in any pieces: feed() fails as soon as the bytes
// seen so far cannot begin a valid string, even mid-sequence, which is what RFC 6455 section
// 8.1 asks of a text message arriving in fragments. Large inputs are checked 32 bytes at a time
// with AVX2 where the CPU has it, a byte state machine with an ASCII word fast path elsewhere.
class Utf8Validator
{
public:
    // False once the input so far is known to be invalid; stays false until reset().
    bool feed(QByteArrayView bytes);

    // True when everything fed is valid and no sequence was left cut off.
    bool isComplete() const { return m_state == Accept; }
    bool hasFailed() const { return m_state == Reject; }

    void reset() { m_state = Accept; }

    static bool isValid(QByteArrayView bytes);

private:
    enum State : quint8 {
        Accept = 0, // between code points
        Need1, // one more continuation byte 80..BF
        Need2, // two more, the next 80..BF
        Need3, // three more, the next 80..BF
        AfterE0, // next A0..BF, then one more
        AfterED, // next 80..9F (no surrogates), then one more
        AfterF0, // next 90..BF, then two more
        AfterF4, // next 80..8F (not above U+10FFFF), then two more
        Reject,
    };

    // Runs the state machine over `bytes`; returns the final state.
    static State step(State state, const quint8 *bytes, qsizetype size);

    State m_state = Accept;
};

} // namespace duplex
