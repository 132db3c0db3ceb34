#pragma once

#include "core/protocol/FrameHeader.h"

#include <QByteArray>
#include <QColor>
#include <QString>

#include <memory>

class QPalette;

namespace duplex {

class SessionRecord;

// The parts of a frame the hex view colours and names.
enum class FrameField : quint8 {
    None,
    FlagsAndOpcode, // byte 0: FIN, RSV1-3, opcode
    MaskAndLength, // byte 1: MASK and the 7-bit length
    ExtendedLength, // 16- or 64-bit payload length
    MaskingKey,
    Payload, // as on the wire (masked, compressed) or unmasked, per presentation
    InflatedPayload, // what a compressed frame's payload inflated to
};

// Which bytes the hex view shows.
enum class FramePresentation : quint8 {
    Wire, // exactly as on the wire
    Unmasked, // the whole frame, its payload unmasked (masked frames)
    Inflated, // the inflated payload alone (frames of a compressed message)
};

// "Header: FIN, RSV1-3, opcode", "Masking key", ...
QString frameFieldName(FrameField field);

// Background colours of the fields, derived from a palette so that they read well on light
// and dark themes alike. Shared by the hex view and its legend.
struct FrameFieldColors
{
    QColor header;
    QColor extendedLength;
    QColor maskKey;
    QColor payload;
    QColor inflatedPayload;

    static FrameFieldColors forPalette(const QPalette &palette);
    QColor of(FrameField field) const;
};

// The data side of the hex view (after QHexView's split of widget and document): one frame's
// wire bytes, what its payload inflated to if anything, and where its fields lie. Copies
// nothing: the bytes are QByteArrays that may be raw views of a SessionRecord's storage, kept
// alive by `keepAlive`. Unmasking is done for the bytes asked for only, so showing a page of a
// 16 MiB masked frame touches a few hundred bytes.
class FrameDocument
{
public:
    FrameDocument() = default;
    // `wire`: one frame exactly as on the wire (header, mask key, payload). A header that does
    // not parse strictly (e.g. a non-minimal length) is still laid out as the bytes say.
    explicit FrameDocument(QByteArray wire, QByteArray inflated = {},
                           std::shared_ptr<const void> keepAlive = {});
    // A frame entry of a record, without copying its bytes; an empty document for events.
    static FrameDocument fromRecord(std::shared_ptr<const SessionRecord> record, qsizetype index);

    bool isEmpty() const { return m_wire.isEmpty(); }
    // The header is complete (all its bytes are present).
    bool hasHeader() const { return m_hasHeader; }
    const FrameHeader &header() const { return m_header; }
    const FrameLayout &layout() const { return m_layout; }
    int headerSize() const { return m_headerSize; }
    bool isMasked() const { return m_hasHeader && m_header.masked; }
    bool isCompressed() const { return m_compressed; }
    QByteArrayView wire() const { return m_wire; }
    QByteArrayView inflated() const { return m_inflated; }

    bool hasPresentation(FramePresentation presentation) const;
    qsizetype size(FramePresentation presentation) const;
    // Copies up to `length` bytes from `offset` of a presentation into `out`; returns how many.
    qsizetype read(FramePresentation presentation, qsizetype offset, qsizetype length,
                   char *out) const;
    QByteArray bytes(FramePresentation presentation, qsizetype offset, qsizetype length) const;

    FrameField fieldAt(FramePresentation presentation, qsizetype offset) const;
    ByteRange rangeOf(FramePresentation presentation, FrameField field) const;
    // One line naming the field of a byte and what it means there: "Byte 0: FIN=1 RSV1=0
    // RSV2=0 RSV3=0 opcode=0x1 (text)", "Byte 14: payload byte 0 (masked with key byte 2)".
    QString describe(FramePresentation presentation, qsizetype offset) const;

private:
    QByteArray m_wire;
    QByteArray m_inflated;
    std::shared_ptr<const void> m_keepAlive;
    FrameHeader m_header;
    FrameLayout m_layout;
    int m_headerSize = 0;
    bool m_hasHeader = false;
    bool m_compressed = false;
};

} // namespace duplex
