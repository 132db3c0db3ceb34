#include "ui/NoticeBanner.h"

#include "ui/SvgIconEngine.h"
#include "ui/Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace duplex {

NoticeBanner::NoticeBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("noticeBanner"));
    setAutoFillBackground(true);
    m_icon = new QLabel(this);
    m_icon->setPixmap(SvgIconEngine::icon(QStringLiteral("warning")).pixmap(18, 18));
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("noticeText"));
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton(this);
    dismiss->setObjectName(QStringLiteral("dismissNotice"));
    dismiss->setIcon(SvgIconEngine::icon(QStringLiteral("close-tab")));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(QStringLiteral("Dismiss"));
    connect(dismiss, &QToolButton::clicked, this, [this] {
        m_showing.clear();
        hide();
    });
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_label, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    restyle();
    hide();
}

void NoticeBanner::addNotices(const QStringList &notices)
{
    bool added = false;
    for (const QString &notice : notices) {
        if (notice.isEmpty() || m_notices.contains(notice))
            continue;
        m_notices.append(notice);
        m_showing.append(notice);
        added = true;
    }
    if (!added)
        return;
    m_label->setText(text());
    show();
}

QString NoticeBanner::text() const
{
    return m_showing.join(QLatin1Char('\n'));
}

void NoticeBanner::restyle()
{
    QPalette palette = this->palette();
    QColor background = Theme::warningColor();
    background.setAlpha(50);
    palette.setColor(QPalette::Window, background);
    setPalette(palette);
}

void NoticeBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !property("restyling").toBool()) {
        setProperty("restyling", true);
        restyle();
        setProperty("restyling", false);
    }
}

} // namespace duplex
