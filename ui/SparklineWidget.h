#pragma once

#include <QWidget>

#include <deque>

namespace duplex {

// A small painted line chart of the latest values (ping round-trip times), newest on the right,
// with the latest, lowest and highest value written beside it.
class SparklineWidget : public QWidget
{
    Q_OBJECT

public:
    explicit SparklineWidget(QWidget *parent = nullptr);

    void addValue(double value);
    void clear();
    const std::deque<double> &values() const { return m_values; }
    // How a value is written, e.g. "%1 ms".
    void setFormat(const QString &format, int decimals);
    void setPlaceholderText(const QString &text);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString formatted(double value) const;

    std::deque<double> m_values;
    static constexpr int Capacity = 120; // values kept
    QString m_format = QStringLiteral("%1");
    int m_decimals = 1;
    QString m_placeholder;
};

} // namespace duplex
