#include "ui/FrameDocument.h"

#include "core/protocol/Masking.h"
#include "core/session/SessionRecord.h"
#include "ui/RecordText.h"

#include <QPalette>

#include <cstring>

namespace duplex {
namespace {

QColor blend(const QColor &base, const QColor &tint, qreal amount)
{
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + tint.redF() * amount),
                            float(base.greenF() * (1 - amount) + tint.greenF() * amount),
                            float(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

QString hexByte(quint8 value)
{
    return QStringLiteral("0x%1").arg(value, 2, 16, QLatin1Char('0'));
}

} // namespace

QString frameFieldName(FrameField field)
{
    switch (field) {
    case FrameField::None:
        return {};
    case FrameField::FlagsAndOpcode:
        return QStringLiteral("Header: FIN, RSV1-3, opcode");
    case FrameField::MaskAndLength:
        return QStringLiteral("Header: MASK, payload length");
    case FrameField::ExtendedLength:
        return QStringLiteral("Extended payload length");
    case FrameField::MaskingKey:
        return QStringLiteral("Masking key");
    case FrameField::Payload:
        return QStringLiteral("Payload");
    case FrameField::InflatedPayload:
        return QStringLiteral("Inflated payload");
    }
    return {};
}

FrameFieldColors FrameFieldColors::forPalette(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const bool dark = base.lightness() < 128;
    const qreal amount = dark ? 0.38 : 0.24;
    FrameFieldColors colors;
    colors.header = blend(base, QColor(0x4f, 0x8c, 0xff), amount);
    colors.extendedLength = blend(base, QColor(0xa3, 0x71, 0xf7), amount);
    colors.maskKey = blend(base, QColor(0xf0, 0x88, 0x3e), amount);
    colors.payload = blend(base, QColor(0x3f, 0xb9, 0x50), amount * 0.6);
    colors.inflatedPayload = blend(base, QColor(0x1f, 0xb8, 0xb0), amount * 0.6);
    return colors;
}

QColor FrameFieldColors::of(FrameField field) const
{
    switch (field) {
    case FrameField::FlagsAndOpcode:
    case FrameField::MaskAndLength:
        return header;
    case FrameField::ExtendedLength:
        return extendedLength;
    case FrameField::MaskingKey:
        return maskKey;
    case FrameField::Payload:
        return payload;
    case FrameField::InflatedPayload:
        return inflatedPayload;
    case FrameField::None:
        break;
    }
    return {};
}

FrameDocument::FrameDocument(QByteArray wire, QByteArray inflated,
                             std::shared_ptr<const void> keepAlive)
    : m_wire(std::move(wire))
    , m_inflated(std::move(inflated))
    , m_keepAlive(std::move(keepAlive))
{
    const RecordText::LenientHeader parsed = RecordText::readHeader(m_wire);
    m_header = parsed.header;
    m_hasHeader = parsed.complete;
    m_headerSize = parsed.complete ? parsed.size : int(qMin<qsizetype>(m_wire.size(), 2));
    // Laid out as the bytes say (a non-minimal length keeps its long encoding).
    m_layout.flagsAndOpcode = { 0, qMin<qsizetype>(m_wire.size(), 1) };
    m_layout.maskAndLength = { 1, qMin<qsizetype>(qMax<qsizetype>(m_wire.size() - 1, 0), 1) };
    if (m_hasHeader) {
        const int extended = parsed.size - 2 - (m_header.masked ? 4 : 0);
        m_layout.extendedLength = { 2, extended };
        m_layout.maskKey = { 2 + extended, m_header.masked ? 4 : 0 };
        m_layout.payload = { parsed.size, m_wire.size() - parsed.size };
    } else {
        m_layout.extendedLength = { 2, 0 };
        m_layout.maskKey = { 2, 0 };
        m_layout.payload = { m_wire.size(), 0 };
    }
    m_compressed =
        !m_inflated.isEmpty() || (m_hasHeader && m_header.rsv1 && !isControl(m_header.opcode));
}

FrameDocument FrameDocument::fromRecord(std::shared_ptr<const SessionRecord> record,
                                        qsizetype index)
{
    if (!record || index < 0 || index >= record->size())
        return {};
    const RecordEntry &entry = record->entry(index);
    if (entry.type != RecordType::Frame)
        return {};
    const QByteArrayView data = record->data(entry);
    const RecordText::LenientHeader parsed = RecordText::readHeader(data);
    qsizetype wireSize = data.size();
    if (parsed.complete)
        wireSize = qsizetype(
            qMin(quint64(parsed.size) + parsed.header.payloadLength, quint64(data.size())));
    QByteArray wire = QByteArray::fromRawData(data.data(), wireSize);
    QByteArray inflated;
    if (entry.flags & RecordCompressed)
        inflated = QByteArray::fromRawData(data.data() + wireSize, data.size() - wireSize);
    FrameDocument document(std::move(wire), std::move(inflated), std::move(record));
    document.m_compressed = document.m_compressed || (entry.flags & RecordCompressed);
    return document;
}

bool FrameDocument::hasPresentation(FramePresentation presentation) const
{
    switch (presentation) {
    case FramePresentation::Wire:
        return true;
    case FramePresentation::Unmasked:
        return isMasked();
    case FramePresentation::Inflated:
        return m_compressed;
    }
    return false;
}

qsizetype FrameDocument::size(FramePresentation presentation) const
{
    if (!hasPresentation(presentation))
        return 0;
    return presentation == FramePresentation::Inflated ? m_inflated.size() : m_wire.size();
}

qsizetype FrameDocument::read(FramePresentation presentation, qsizetype offset, qsizetype length,
                              char *out) const
{
    const qsizetype total = size(presentation);
    if (offset < 0 || offset >= total || length <= 0)
        return 0;
    length = qMin(length, total - offset);
    if (presentation == FramePresentation::Inflated) {
        std::memcpy(out, m_inflated.constData() + offset, size_t(length));
        return length;
    }
    std::memcpy(out, m_wire.constData() + offset, size_t(length));
    if (presentation == FramePresentation::Unmasked) {
        // Unmask the part of [offset, offset + length) that is payload, and nothing else.
        const ByteRange payload = m_layout.payload;
        const qsizetype start = qMax(offset, payload.offset);
        const qsizetype end = qMin(offset + length, payload.end());
        if (start < end)
            applyMask(out + (start - offset), end - start, m_header.maskKey,
                      quint64(start - payload.offset));
    }
    return length;
}

QByteArray FrameDocument::bytes(FramePresentation presentation, qsizetype offset,
                                qsizetype length) const
{
    const qsizetype total = size(presentation);
    if (offset < 0 || offset >= total)
        return {};
    QByteArray out(qMin(length, total - offset), Qt::Uninitialized);
    read(presentation, offset, out.size(), out.data());
    return out;
}

FrameField FrameDocument::fieldAt(FramePresentation presentation, qsizetype offset) const
{
    if (offset < 0 || offset >= size(presentation))
        return FrameField::None;
    if (presentation == FramePresentation::Inflated)
        return FrameField::InflatedPayload;
    if (m_layout.flagsAndOpcode.contains(offset))
        return FrameField::FlagsAndOpcode;
    if (m_layout.maskAndLength.contains(offset))
        return FrameField::MaskAndLength;
    if (m_layout.extendedLength.contains(offset))
        return FrameField::ExtendedLength;
    if (m_layout.maskKey.contains(offset))
        return FrameField::MaskingKey;
    if (m_layout.payload.contains(offset))
        return FrameField::Payload;
    return FrameField::None;
}

ByteRange FrameDocument::rangeOf(FramePresentation presentation, FrameField field) const
{
    if (presentation == FramePresentation::Inflated)
        return field == FrameField::InflatedPayload ? ByteRange { 0, m_inflated.size() }
                                                    : ByteRange {};
    switch (field) {
    case FrameField::FlagsAndOpcode:
        return m_layout.flagsAndOpcode;
    case FrameField::MaskAndLength:
        return m_layout.maskAndLength;
    case FrameField::ExtendedLength:
        return m_layout.extendedLength;
    case FrameField::MaskingKey:
        return m_layout.maskKey;
    case FrameField::Payload:
        return m_layout.payload;
    default:
        return {};
    }
}

QString FrameDocument::describe(FramePresentation presentation, qsizetype offset) const
{
    const FrameField field = fieldAt(presentation, offset);
    if (field == FrameField::None)
        return {};
    QString text = QStringLiteral("Offset %1 (0x%2): %3")
                       .arg(offset)
                       .arg(offset, 4, 16, QLatin1Char('0'))
                       .arg(frameFieldName(field));
    const FrameHeader &h = m_header;
    switch (field) {
    case FrameField::FlagsAndOpcode: {
        const auto first = quint8(m_wire[0]);
        text += QStringLiteral(" \u2014 %1: FIN=%2 RSV1=%3 RSV2=%4 RSV3=%5, opcode 0x%6 (%7)")
                    .arg(hexByte(first))
                    .arg(int(h.fin))
                    .arg(int(h.rsv1))
                    .arg(int(h.rsv2))
                    .arg(int(h.rsv3))
                    .arg(first & 0x0F, 0, 16)
                    .arg(QString::fromLatin1(opcodeName(h.opcode)));
        break;
    }
    case FrameField::MaskAndLength: {
        const auto second = quint8(m_wire[1]);
        const int shortLength = second & 0x7F;
        text += QStringLiteral(" \u2014 %1: MASK=%2, length %3")
                    .arg(hexByte(second))
                    .arg(second >> 7)
                    .arg(shortLength);
        if (shortLength == 126)
            text += QStringLiteral(" (a 16-bit length follows)");
        else if (shortLength == 127)
            text += QStringLiteral(" (a 64-bit length follows)");
        break;
    }
    case FrameField::ExtendedLength:
        text += QStringLiteral(" (%1-bit), byte %2 of %3: payload length %L4")
                    .arg(m_layout.extendedLength.length * 8)
                    .arg(offset - m_layout.extendedLength.offset + 1)
                    .arg(m_layout.extendedLength.length)
                    .arg(h.payloadLength);
        break;
    case FrameField::MaskingKey:
        text += QStringLiteral(", byte %1 of 4: %2")
                    .arg(offset - m_layout.maskKey.offset + 1)
                    .arg(hexByte(quint8(m_wire[offset])));
        break;
    case FrameField::Payload: {
        const qsizetype at = offset - m_layout.payload.offset;
        text += QStringLiteral(", byte %L1 of %L2").arg(at).arg(m_layout.payload.length);
        if (isMasked()) {
            const quint8 key = h.maskKey[size_t(at % 4)];
            const auto wireByte = quint8(m_wire[offset]);
            text += presentation == FramePresentation::Unmasked
                ? QStringLiteral(" (unmasked: %1 = %2 xor key byte %3)")
                      .arg(hexByte(quint8(wireByte ^ key)), hexByte(wireByte))
                      .arg(at % 4 + 1)
                : QStringLiteral(" (masked with key byte %1: clear %2)")
                      .arg(at % 4 + 1)
                      .arg(hexByte(quint8(wireByte ^ key)));
        }
        if (m_compressed)
            text += QStringLiteral(", compressed");
        break;
    }
    case FrameField::InflatedPayload:
        text += QStringLiteral(", byte %L1 of %L2").arg(offset).arg(m_inflated.size());
        break;
    case FrameField::None:
        break;
    }
    return text;
}

} // namespace duplex
