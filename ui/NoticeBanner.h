#pragma once

#include <QFrame>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace duplex {

// A strip across the top of the window for what the user must hear of once, not in a status
// bar that scrolls away: a profiles file that could not be read (and where its copy was kept),
// secrets held in memory only. Each sentence shows once per window; Dismiss hides the strip.
class NoticeBanner : public QFrame
{
    Q_OBJECT

public:
    explicit NoticeBanner(QWidget *parent = nullptr);

    // Adds the sentences not shown before and shows the strip.
    void addNotices(const QStringList &notices);
    QString text() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void restyle();

    QLabel *m_icon = nullptr;
    QLabel *m_label = nullptr;
    QStringList m_notices; // every sentence shown so far
    QStringList m_showing; // those in the strip now
};

} // namespace duplex
