#include "core/protocol/Masking.h"

#include <cstring>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#include <immintrin.h>
#define DUPLEX_MASK_SSE2 1
#if defined(__GNUC__) || defined(__clang__)
#define DUPLEX_MASK_AVX2 1
#endif
#endif

namespace duplex {
namespace {

// The key rotated so that pattern byte 0 applies to data byte 0.
std::array<quint8, 4> rotatedKey(const MaskKey &key, quint64 keyOffset)
{
    const unsigned shift = unsigned(keyOffset & 3);
    return { key[shift], key[(shift + 1) & 3], key[(shift + 2) & 3], key[(shift + 3) & 3] };
}

// Word-at-a-time tail and fallback; `pattern` holds the rotated key twice.
void maskWords(char *destination, const char *source, qsizetype size, quint64 pattern)
{
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, source + i, 8);
        word ^= pattern;
        std::memcpy(destination + i, &word, 8);
    }
    const auto *patternBytes = reinterpret_cast<const quint8 *>(&pattern);
    for (; i < size; ++i)
        destination[i] = char(quint8(source[i]) ^ patternBytes[i & 7]);
}

#if DUPLEX_MASK_AVX2
__attribute__((target("avx2"))) qsizetype maskAvx2(char *destination, const char *source,
                                                   qsizetype size, quint64 pattern)
{
    const __m256i key = _mm256_set1_epi64x(qint64(pattern));
    qsizetype i = 0;
    for (; i + 128 <= size; i += 128) {
        const auto *in = reinterpret_cast<const __m256i *>(source + i);
        auto *out = reinterpret_cast<__m256i *>(destination + i);
        const __m256i a = _mm256_loadu_si256(in);
        const __m256i b = _mm256_loadu_si256(in + 1);
        const __m256i c = _mm256_loadu_si256(in + 2);
        const __m256i d = _mm256_loadu_si256(in + 3);
        _mm256_storeu_si256(out, _mm256_xor_si256(a, key));
        _mm256_storeu_si256(out + 1, _mm256_xor_si256(b, key));
        _mm256_storeu_si256(out + 2, _mm256_xor_si256(c, key));
        _mm256_storeu_si256(out + 3, _mm256_xor_si256(d, key));
    }
    for (; i + 32 <= size; i += 32) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(source + i));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(destination + i), _mm256_xor_si256(a, key));
    }
    return i; // a multiple of 8, so the pattern's phase is unchanged for the rest
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2");
    return has;
}
#endif

#if DUPLEX_MASK_SSE2
qsizetype maskSse2(char *destination, const char *source, qsizetype size, quint64 pattern)
{
    const __m128i key = _mm_set1_epi64x(qint64(pattern));
    qsizetype i = 0;
    for (; i + 64 <= size; i += 64) {
        const auto *in = reinterpret_cast<const __m128i *>(source + i);
        auto *out = reinterpret_cast<__m128i *>(destination + i);
        const __m128i a = _mm_loadu_si128(in);
        const __m128i b = _mm_loadu_si128(in + 1);
        const __m128i c = _mm_loadu_si128(in + 2);
        const __m128i d = _mm_loadu_si128(in + 3);
        _mm_storeu_si128(out, _mm_xor_si128(a, key));
        _mm_storeu_si128(out + 1, _mm_xor_si128(b, key));
        _mm_storeu_si128(out + 2, _mm_xor_si128(c, key));
        _mm_storeu_si128(out + 3, _mm_xor_si128(d, key));
    }
    return i;
}
#endif

void mask(char *destination, const char *source, qsizetype size, const MaskKey &key,
          quint64 keyOffset)
{
    // A ping, a pong, a short close: a few bytes, cheaper one by one than through the pattern.
    if (size <= 8) {
        for (qsizetype i = 0; i < size; ++i)
            destination[i] = char(quint8(source[i]) ^ key[(keyOffset + quint64(i)) & 3]);
        return;
    }
    const auto rotated = rotatedKey(key, keyOffset);
    quint32 half;
    std::memcpy(&half, rotated.data(), 4);
    const quint64 pattern = (quint64(half) << 32) | half;

    qsizetype done = 0;
#if DUPLEX_MASK_AVX2
    if (size >= 64 && cpuHasAvx2())
        done = maskAvx2(destination, source, size, pattern);
#endif
#if DUPLEX_MASK_SSE2
    if (done == 0 && size >= 64)
        done = maskSse2(destination, source, size, pattern);
#endif
    maskWords(destination + done, source + done, size - done, pattern);
}

} // namespace

void applyMask(char *data, qsizetype size, const MaskKey &key, quint64 keyOffset)
{
    mask(data, data, size, key, keyOffset);
}

void copyMasked(char *destination, const char *source, qsizetype size, const MaskKey &key,
                quint64 keyOffset)
{
    mask(destination, source, size, key, keyOffset);
}

void applyMaskBytewise(char *data, qsizetype size, const MaskKey &key, quint64 keyOffset)
{
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(quint8(data[i]) ^ key[(keyOffset + quint64(i)) & 3]);
}

} // namespace duplex
