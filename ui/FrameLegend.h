#pragma once

#include "ui/FrameDocument.h"

#include <QWidget>

#include <array>

class QLabel;

namespace duplex {

// Decodes a frame header field by field beside the hex view: FIN, RSV1-3, opcode (name and
// value), MASK, payload length (value and which encoding: 7-bit, 16-bit or 64-bit), and the
// masking key, each with a swatch in its hex-view colour.
class FrameLegend : public QWidget
{
    Q_OBJECT
public:
    enum class Field : quint8 {
        FirstBytes, // the first two bytes in hex: "0x81 0x85"
        Fin,
        Rsv1,
        Rsv2,
        Rsv3,
        Opcode,
        Mask,
        PayloadLength,
        MaskingKey,
    };
    static constexpr int FieldCount = 9;

    explicit FrameLegend(QWidget *parent = nullptr);

    void setDocument(const FrameDocument &document);
    void clear();

    // What the legend shows for a field: "1 (final frame)", "0x1 text", "300 (16-bit extended
    // length)", "37 fa 21 3d"; empty when nothing is shown.
    QString valueText(Field field) const;
    static QString label(Field field);
    // The same text, computed from a header without a widget. `compressed`: the frame belongs
    // to a permessage-deflate message (names RSV1 accordingly).
    static QString describe(const FrameHeader &header, Field field, bool compressed = false);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateSwatches();

    std::array<QLabel *, FieldCount> m_values {};
    std::array<QLabel *, FieldCount> m_swatches {};
    FrameDocument m_document;
};

} // namespace duplex
