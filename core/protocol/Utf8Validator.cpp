#include "core/protocol/Utf8Validator.h"

#include <cstring>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DUPLEX_UTF8_AVX2 1
#endif

namespace duplex {
namespace {

#if DUPLEX_UTF8_AVX2
// Vectorised validation of a complete string after Keiser and Lemire, "Validating UTF-8 in less
// than one instruction per byte" (2021): three 16-entry nibble tables classify every pair of
// adjacent bytes into error kinds; a separate check demands continuation bytes exactly where a
// 3- or 4-byte sequence needs them.
constexpr quint8 TooShort = 1 << 0; // a lead byte not followed by a continuation
constexpr quint8 TooLong = 1 << 1; // a continuation after ASCII
constexpr quint8 Overlong3 = 1 << 2; // E0 80..9F
constexpr quint8 TooLarge = 1 << 3; // F4 90..BF, F5..FF
constexpr quint8 Surrogate = 1 << 4; // ED A0..BF
constexpr quint8 Overlong2 = 1 << 5; // C0/C1 followed by a continuation
constexpr quint8 TooLarge1000 = 1 << 6; // F5..FF 80..8F
constexpr quint8 Overlong4 = 1 << 6; // F0 80..8F
constexpr quint8 TwoConts = 1 << 7; // two continuations in a row: fine only mid-sequence
constexpr quint8 Carry = TooShort | TooLong | TwoConts;

#define DUPLEX_TABLE(t) \
    _mm256_setr_epi8(char(t[0]), char(t[1]), char(t[2]), char(t[3]), char(t[4]), char(t[5]), \
                     char(t[6]), char(t[7]), char(t[8]), char(t[9]), char(t[10]), char(t[11]), \
                     char(t[12]), char(t[13]), char(t[14]), char(t[15]), char(t[0]), char(t[1]), \
                     char(t[2]), char(t[3]), char(t[4]), char(t[5]), char(t[6]), char(t[7]), \
                     char(t[8]), char(t[9]), char(t[10]), char(t[11]), char(t[12]), char(t[13]), \
                     char(t[14]), char(t[15]))

constexpr quint8 firstHighNibble[16] = {
    TooLong,
    TooLong,
    TooLong,
    TooLong,
    TooLong,
    TooLong,
    TooLong,
    TooLong, //
    TwoConts,
    TwoConts,
    TwoConts,
    TwoConts, //
    TooShort | Overlong2, // C
    TooShort, // D
    TooShort | Overlong3 | Surrogate, // E
    TooShort | TooLarge | TooLarge1000 | Overlong4, // F
};
constexpr quint8 firstLowNibble[16] = {
    Carry | Overlong3 | Overlong2 | Overlong4, // 0
    Carry | Overlong2, // 1
    Carry,
    Carry, // 2, 3
    Carry | TooLarge, // 4
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000, // 5..C
    Carry | TooLarge | TooLarge1000 | Surrogate, // D
    Carry | TooLarge | TooLarge1000,
    Carry | TooLarge | TooLarge1000, // E, F
};
constexpr quint8 secondHighNibble[16] = {
    TooShort,
    TooShort,
    TooShort,
    TooShort,
    TooShort,
    TooShort,
    TooShort,
    TooShort, //
    TooLong | Overlong2 | TwoConts | Overlong3 | TooLarge1000 | Overlong4, // 8
    TooLong | Overlong2 | TwoConts | Overlong3 | TooLarge, // 9
    TooLong | Overlong2 | TwoConts | Surrogate | TooLarge, // A
    TooLong | Overlong2 | TwoConts | Surrogate | TooLarge, // B
    TooShort,
    TooShort,
    TooShort,
    TooShort, // C..F
};

// Bytes shifted right by N across the whole 32-byte register, filled from `before`.
#define DUPLEX_PREVIOUS(input, before, N) \
    _mm256_alignr_epi8(input, _mm256_permute2x128_si256(before, input, 0x21), 16 - (N))
#define DUPLEX_HIGH_NIBBLES(v) _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F))

// Validates a string that must end on a code point boundary.
__attribute__((target("avx2"))) bool validateCompleteAvx2(const quint8 *data, qsizetype size)
{
    const __m256i highTable1 = DUPLEX_TABLE(firstHighNibble);
    const __m256i lowTable1 = DUPLEX_TABLE(firstLowNibble);
    const __m256i highTable2 = DUPLEX_TABLE(secondHighNibble);
    const __m256i lowMask = _mm256_set1_epi8(0x0F);
    // A lead byte in the last three positions whose sequence runs past the block.
    const __m256i incompleteLimit = _mm256_setr_epi8(
        char(255), char(255), char(255), char(255), char(255), char(255), char(255), char(255),
        char(255), char(255), char(255), char(255), char(255), char(255), char(255), char(255),
        char(255), char(255), char(255), char(255), char(255), char(255), char(255), char(255),
        char(255), char(255), char(255), char(255), char(255), char(0xF0 - 1), char(0xE0 - 1),
        char(0xC0 - 1));
    __m256i error = _mm256_setzero_si256();
    __m256i previousInput = _mm256_setzero_si256();
    __m256i previousIncomplete = _mm256_setzero_si256();
    alignas(32) quint8 tail[32] = {};

    for (qsizetype i = 0; i < size; i += 32) {
        // Runs of ASCII four blocks at a time: one test for 128 bytes.
        while (i + 128 <= size) {
            const auto *block = reinterpret_cast<const __m256i *>(data + i);
            const __m256i any = _mm256_or_si256(
                _mm256_or_si256(_mm256_loadu_si256(block), _mm256_loadu_si256(block + 1)),
                _mm256_or_si256(_mm256_loadu_si256(block + 2), _mm256_loadu_si256(block + 3)));
            if (_mm256_movemask_epi8(any) != 0)
                break;
            error = _mm256_or_si256(error, previousIncomplete);
            previousIncomplete = _mm256_setzero_si256();
            previousInput = _mm256_loadu_si256(block + 3);
            i += 128;
        }
        if (i >= size)
            break;
        __m256i input;
        if (i + 32 <= size) {
            input = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(data + i));
        } else {
            // The last, partial block, padded with zeros (ASCII, so a cut-off sequence shows).
            std::memcpy(tail, data + i, size_t(size - i));
            input = _mm256_load_si256(reinterpret_cast<const __m256i *>(tail));
        }
        if (_mm256_movemask_epi8(input) == 0) {
            // All ASCII: only an unfinished sequence from the block before can be wrong.
            error = _mm256_or_si256(error, previousIncomplete);
        } else {
            const __m256i prev1 = DUPLEX_PREVIOUS(input, previousInput, 1);
            const __m256i special = _mm256_and_si256(
                _mm256_and_si256(_mm256_shuffle_epi8(highTable1, DUPLEX_HIGH_NIBBLES(prev1)),
                                 _mm256_shuffle_epi8(lowTable1, _mm256_and_si256(prev1, lowMask))),
                _mm256_shuffle_epi8(highTable2, DUPLEX_HIGH_NIBBLES(input)));
            const __m256i prev2 = DUPLEX_PREVIOUS(input, previousInput, 2);
            const __m256i prev3 = DUPLEX_PREVIOUS(input, previousInput, 3);
            const __m256i thirdByte = _mm256_subs_epu8(prev2, _mm256_set1_epi8(char(0xE0 - 1)));
            const __m256i fourthByte = _mm256_subs_epu8(prev3, _mm256_set1_epi8(char(0xF0 - 1)));
            const __m256i mustContinue = _mm256_and_si256(
                _mm256_cmpgt_epi8(_mm256_or_si256(thirdByte, fourthByte), _mm256_setzero_si256()),
                _mm256_set1_epi8(char(0x80)));
            error = _mm256_or_si256(error, _mm256_xor_si256(mustContinue, special));
            previousIncomplete = _mm256_subs_epu8(input, incompleteLimit);
        }
        previousInput = input;
        // Testing the accumulated error costs little; doing it every 1 KiB lets a bad byte early
        // in a large message fail without reading the rest.
        if ((i & 1023) == 0 && !_mm256_testz_si256(error, error))
            return false;
    }
    error = _mm256_or_si256(error, previousIncomplete);
    return _mm256_testz_si256(error, error);
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
#endif

// Length of the sequence a lead byte starts (1 for ASCII, continuation and invalid bytes).
inline int sequenceLength(quint8 lead)
{
    if (lead >= 0xF0)
        return 4;
    if (lead >= 0xE0)
        return 3;
    if (lead >= 0xC0)
        return 2;
    return 1;
}

// Where the trailing, possibly unfinished sequence of `data` starts: the end of the part that
// can be judged as a complete string.
qsizetype completePrefixLength(const quint8 *data, qsizetype size)
{
    for (qsizetype back = 1; back <= 3 && back <= size; ++back) {
        const quint8 byte = data[size - back];
        if (byte < 0x80)
            return size;
        if (byte >= 0xC0)
            return sequenceLength(byte) > back ? size - back : size;
    }
    return size;
}

} // namespace

Utf8Validator::State Utf8Validator::step(State state, const quint8 *bytes, qsizetype size)
{
    qsizetype i = 0;
    while (i < size) {
        if (state == Accept) {
            // ASCII runs a word at a time.
            while (i + 8 <= size) {
                quint64 word;
                std::memcpy(&word, bytes + i, 8);
                if (word & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            if (i == size)
                break;
            const quint8 byte = bytes[i++];
            if (byte < 0x80)
                continue;
            if (byte >= 0xC2 && byte <= 0xDF)
                state = Need1;
            else if (byte == 0xE0)
                state = AfterE0;
            else if (byte == 0xED)
                state = AfterED;
            else if (byte >= 0xE1 && byte <= 0xEF)
                state = Need2;
            else if (byte == 0xF0)
                state = AfterF0;
            else if (byte >= 0xF1 && byte <= 0xF3)
                state = Need3;
            else if (byte == 0xF4)
                state = AfterF4;
            else
                return Reject;
            continue;
        }
        const quint8 byte = bytes[i++];
        quint8 low = 0x80;
        quint8 high = 0xBF;
        State next = Accept;
        switch (state) {
        case Need1:
            next = Accept;
            break;
        case Need2:
            next = Need1;
            break;
        case Need3:
            next = Need2;
            break;
        case AfterE0:
            low = 0xA0;
            next = Need1;
            break;
        case AfterED:
            high = 0x9F;
            next = Need1;
            break;
        case AfterF0:
            low = 0x90;
            next = Need2;
            break;
        case AfterF4:
            high = 0x8F;
            next = Need2;
            break;
        case Accept:
        case Reject:
            return Reject;
        }
        if (byte < low || byte > high)
            return Reject;
        state = next;
    }
    return state;
}

bool Utf8Validator::feed(QByteArrayView input)
{
    if (m_state == Reject)
        return false;
    const auto *bytes = reinterpret_cast<const quint8 *>(input.data());
    qsizetype size = input.size();

    // Finish a sequence left open by the previous piece.
    qsizetype i = 0;
    while (m_state != Accept && i < size) {
        m_state = step(m_state, bytes + i, 1);
        ++i;
        if (m_state == Reject)
            return false;
    }
    bytes += i;
    size -= i;

#if DUPLEX_UTF8_AVX2
    // Below a few hundred bytes the word-at-a-time loop wins: the vector setup costs more.
    if (size >= 256 && cpuHasAvx2()) {
        const qsizetype complete = completePrefixLength(bytes, size);
        if (!validateCompleteAvx2(bytes, complete)) {
            m_state = Reject;
            return false;
        }
        bytes += complete;
        size -= complete;
    }
#endif
    m_state = step(m_state, bytes, size);
    return m_state != Reject;
}

bool Utf8Validator::isValid(QByteArrayView bytes)
{
    // Short messages are mostly ASCII: one pass that ORs the words together settles them.
    if (bytes.size() <= 256) {
        const char *data = bytes.data();
        const qsizetype size = bytes.size();
        quint64 any = 0;
        qsizetype i = 0;
        for (; i + 8 <= size; i += 8) {
            quint64 word;
            std::memcpy(&word, data + i, 8);
            any |= word;
        }
        for (; i < size; ++i)
            any |= quint8(data[i]);
        if (!(any & 0x8080808080808080ULL))
            return true;
    }
    Utf8Validator validator;
    return validator.feed(bytes) && validator.isComplete();
}

} // namespace duplex
