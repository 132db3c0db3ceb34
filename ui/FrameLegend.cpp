#include "ui/FrameLegend.h"

#include "ui/RecordText.h"

#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>

namespace duplex {
namespace {

QString bit(bool value, const QString &set, const QString &clear)
{
    return value ? QStringLiteral("1 \u2014 ") + set : QStringLiteral("0 \u2014 ") + clear;
}

QString lengthText(quint64 length, int extendedBytes)
{
    const QString encoding = extendedBytes == 0 ? QStringLiteral("7-bit")
        : extendedBytes == 2                    ? QStringLiteral("16-bit extended length")
                                                : QStringLiteral("64-bit extended length");
    return QStringLiteral("%L1 (%2)").arg(length).arg(encoding);
}

} // namespace

FrameLegend::FrameLegend(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 4, 6, 4);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    for (int i = 0; i < FieldCount; ++i) {
        const auto field = static_cast<Field>(i);
        auto *swatch = new QLabel(this);
        swatch->setFixedSize(10, 10);
        swatch->setAutoFillBackground(true);
        auto *name = new QLabel(label(field), this);
        auto *value = new QLabel(this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        name->setBuddy(value);
        grid->addWidget(swatch, i, 0, Qt::AlignVCenter);
        grid->addWidget(name, i, 1);
        grid->addWidget(value, i, 2);
        m_swatches[size_t(i)] = swatch;
        m_values[size_t(i)] = value;
    }
    grid->setColumnStretch(2, 1);
    grid->setRowStretch(FieldCount, 1);
    m_swatches[size_t(Field::Fin)]->setToolTip(
        QStringLiteral("FIN: set on the last frame of a message"));
    m_swatches[size_t(Field::Rsv1)]->setToolTip(
        QStringLiteral("RSV1: set by permessage-deflate on the first frame of a compressed "
                       "message; reserved otherwise"));
    m_swatches[size_t(Field::Mask)]->setToolTip(
        QStringLiteral("MASK: clients mask every frame they send; servers never do"));
    setToolTip(QStringLiteral("The frame header, field by field (RFC 6455 section 5.2); the "
                              "colours match the hex view"));
    clear();
}

QString FrameLegend::label(Field field)
{
    switch (field) {
    case Field::FirstBytes:
        return QStringLiteral("Header bytes");
    case Field::Fin:
        return QStringLiteral("FIN");
    case Field::Rsv1:
        return QStringLiteral("RSV1");
    case Field::Rsv2:
        return QStringLiteral("RSV2");
    case Field::Rsv3:
        return QStringLiteral("RSV3");
    case Field::Opcode:
        return QStringLiteral("Opcode");
    case Field::Mask:
        return QStringLiteral("MASK");
    case Field::PayloadLength:
        return QStringLiteral("Payload length");
    case Field::MaskingKey:
        return QStringLiteral("Masking key");
    }
    return {};
}

QString FrameLegend::describe(const FrameHeader &header, Field field, bool compressed)
{
    switch (field) {
    case Field::FirstBytes: {
        char bytes[MaxFrameHeaderSize];
        encodeFrameHeader(header, bytes);
        return QStringLiteral("0x%1 0x%2")
            .arg(quint8(bytes[0]), 2, 16, QLatin1Char('0'))
            .arg(quint8(bytes[1]), 2, 16, QLatin1Char('0'));
    }
    case Field::Fin:
        return bit(header.fin, QStringLiteral("final frame"), QStringLiteral("more frames follow"));
    case Field::Rsv1:
        if (compressed || (header.rsv1 && !isControl(header.opcode)))
            return bit(header.rsv1, QStringLiteral("compressed (permessage-deflate)"),
                       QStringLiteral("part of a compressed message"));
        return bit(header.rsv1, QStringLiteral("reserved bit set"), QStringLiteral("clear"));
    case Field::Rsv2:
        return bit(header.rsv2, QStringLiteral("reserved bit set"), QStringLiteral("clear"));
    case Field::Rsv3:
        return bit(header.rsv3, QStringLiteral("reserved bit set"), QStringLiteral("clear"));
    case Field::Opcode: {
        const auto value = static_cast<quint8>(header.opcode);
        QString text = QStringLiteral("0x%1 %2")
                           .arg(value, 0, 16)
                           .arg(QString::fromLatin1(opcodeName(header.opcode)));
        if (isReserved(header.opcode))
            text +=
                isControl(header.opcode) ? QStringLiteral(" (control)") : QStringLiteral(" (data)");
        return text;
    }
    case Field::Mask:
        return bit(header.masked, QStringLiteral("masked (client to server)"),
                   QStringLiteral("not masked"));
    case Field::PayloadLength:
        return lengthText(header.payloadLength, header.extendedLengthSize());
    case Field::MaskingKey:
        if (!header.masked)
            return QStringLiteral("none");
        return RecordText::hex(QByteArrayView(reinterpret_cast<const char *>(header.maskKey.data()),
                                              qsizetype(header.maskKey.size())));
    }
    return {};
}

void FrameLegend::setDocument(const FrameDocument &document)
{
    m_document = document;
    if (document.isEmpty() || !document.hasHeader()) {
        for (QLabel *value : m_values)
            value->setText(document.isEmpty() ? QString() : QStringLiteral("(incomplete header)"));
        updateSwatches();
        return;
    }
    const FrameHeader &header = document.header();
    for (int i = 0; i < FieldCount; ++i)
        m_values[size_t(i)]->setText(
            describe(header, static_cast<Field>(i), document.isCompressed()));
    // As on the wire, which may differ from the minimal encoding describe() assumes.
    const QByteArrayView wire = document.wire();
    m_values[size_t(Field::FirstBytes)]->setText(
        QStringLiteral("0x%1 0x%2")
            .arg(quint8(wire[0]), 2, 16, QLatin1Char('0'))
            .arg(quint8(wire[1]), 2, 16, QLatin1Char('0')));
    m_values[size_t(Field::PayloadLength)]->setText(
        lengthText(header.payloadLength, int(document.layout().extendedLength.length)));
    updateSwatches();
}

void FrameLegend::clear()
{
    setDocument(FrameDocument());
}

QString FrameLegend::valueText(Field field) const
{
    return m_values[size_t(field)]->text();
}

void FrameLegend::updateSwatches()
{
    const FrameFieldColors colors = FrameFieldColors::forPalette(palette());
    const bool extended = m_document.layout().extendedLength.length > 0;
    for (int i = 0; i < FieldCount; ++i) {
        const auto field = static_cast<Field>(i);
        QColor color = colors.header;
        if (field == Field::PayloadLength && extended)
            color = colors.extendedLength;
        else if (field == Field::MaskingKey)
            color = m_document.isMasked() ? colors.maskKey : QColor();
        QLabel *swatch = m_swatches[size_t(i)];
        QPalette pal = swatch->palette();
        pal.setColor(QPalette::Window, color.isValid() ? color : Qt::transparent);
        swatch->setPalette(pal);
        swatch->setVisible(!m_document.isEmpty());
    }
}

void FrameLegend::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateSwatches();
    QWidget::changeEvent(event);
}

} // namespace duplex
