#include "ui/HandshakeView.h"

#include "core/protocol/HttpHead.h"
#include "core/session/ConnectionSession.h"
#include "ui/Theme.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace duplex {

namespace {

QString milliseconds(qint64 us)
{
    if (us < 0)
        return QStringLiteral("—");
    if (us < 10'000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 2);
    return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 0);
}

// The steps of the connection as one stacked bar, each in its own colour, like a browser's
// network timing.
class TimingBar : public QWidget
{
public:
    explicit TimingBar(QWidget *parent)
        : QWidget(parent)
    {
        setMinimumHeight(fontMetrics().height() + 10);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }

    void setTimings(const SessionTimings &timings)
    {
        m_steps = {
            { QStringLiteral("DNS"), timings.dnsUs, QColor(0x8b, 0x5c, 0xf6) },
            { QStringLiteral("TCP"), timings.connectUs, QColor(0xf5, 0x9e, 0x0b) },
            { QStringLiteral("TLS"), timings.tlsUs, QColor(0x10, 0xb9, 0x81) },
            { QStringLiteral("Handshake"), timings.handshakeUs, QColor(0x3b, 0x82, 0xf6) },
        };
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        qint64 total = 0;
        for (const Step &step : m_steps)
            total += qMax<qint64>(0, step.us);
        const QRectF area = QRectF(rect()).adjusted(0.5, 3.5, -0.5, -3.5);
        painter.setPen(Qt::NoPen);
        painter.setBrush(palette().color(QPalette::Midlight));
        painter.drawRoundedRect(area, 3, 3);
        if (total <= 0)
            return;
        double x = area.left();
        for (const Step &step : m_steps) {
            if (step.us <= 0)
                continue;
            const double width = area.width() * double(step.us) / double(total);
            const QRectF part(x, area.top(), width, area.height());
            painter.setBrush(step.color);
            painter.drawRect(part);
            const QString label = QStringLiteral("%1 %2").arg(step.name, milliseconds(step.us));
            if (fontMetrics().horizontalAdvance(label) + 6 < width) {
                painter.setPen(Qt::white);
                painter.drawText(part, Qt::AlignCenter, label);
                painter.setPen(Qt::NoPen);
            }
            x += width;
        }
    }

private:
    struct Step
    {
        QString name;
        qint64 us = -1;
        QColor color;
    };
    QList<Step> m_steps;
};

QPlainTextEdit *wireText(QWidget *parent, const QString &name, const QString &placeholder)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setFont(Theme::monospaceFont());
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setPlaceholderText(placeholder);
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return edit;
}

QWidget *titled(const QString &title, QWidget *content)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *label = new QLabel(title, box);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    label->setBuddy(content);
    layout->addWidget(label);
    layout->addWidget(content, 1);
    return box;
}

} // namespace

HandshakeView::HandshakeView(QWidget *parent)
    : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("handshakeSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *bar = new TimingBar(this);
    bar->setToolTip(QStringLiteral("How long each step of opening the connection took"));
    m_timingBar = bar;

    m_request = wireText(this, QStringLiteral("handshakeRequest"),
                         QStringLiteral("The upgrade request appears here once sent."));
    m_response = wireText(this, QStringLiteral("handshakeResponse"),
                          QStringLiteral("The server's response appears here once received."));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("handshakeSplitter"));
    split->addWidget(titled(QStringLiteral("&Request (as sent)"), m_request));
    split->addWidget(titled(QStringLiteral("Respo&nse (as received)"), m_response));
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_summary);
    layout->addWidget(m_timingBar);
    layout->addWidget(split, 1);
    clear();
}

void HandshakeView::clear()
{
    m_session = nullptr;
    m_summary->setText(QStringLiteral("<span style='color:%1'>Not connected yet.</span>")
                           .arg(Theme::mutedTextColor().name()));
    static_cast<TimingBar *>(m_timingBar)->setTimings({});
    m_request->clear();
    m_response->clear();
}

QString HandshakeView::visibleText(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto b = quint8(bytes.at(i));
        if (b == '\r' && i + 1 < bytes.size() && bytes.at(i + 1) == '\n') {
            out.append(QLatin1Char('\n'));
            ++i;
        } else if (b == '\t' || (b >= 0x20 && b < 0x7f)) {
            out.append(QLatin1Char(char(b)));
        } else {
            out.append(QStringLiteral("\\x%1").arg(b, 2, 16, QLatin1Char('0')));
        }
    }
    return out;
}

void HandshakeView::changeEvent(QEvent *event)
{
    // The summary's colours come from the palette: redraw it in the new one.
    if (event->type() == QEvent::PaletteChange && m_session)
        showSession(*m_session);
    QWidget::changeEvent(event);
}

void HandshakeView::showSession(const ConnectionSession &session)
{
    m_session = &session;
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td style='padding-right:10px'><b>%1</b></td><td>%2</td></tr>")
            .arg(name, value);
    };
    const auto escaped = [](const QByteArray &bytes) {
        return QString::fromUtf8(bytes).toHtmlEscaped();
    };

    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    html += row(QStringLiteral("URL"), session.url().toDisplayString().toHtmlEscaped());
    const QByteArray response = session.handshakeResponse();
    const qsizetype lineEnd = response.indexOf("\r\n");
    if (!response.isEmpty()) {
        const QString status =
            QString::fromLatin1(response.left(lineEnd < 0 ? response.size() : lineEnd));
        // Judged by the parsed status code: "HTTP/1.1 101" may come without a reason phrase.
        HttpHeadParser parser(HttpHeadParser::Kind::Response, response.size());
        const bool ok = parser.parse(response) == HttpHeadParser::Status::Complete
            && parser.head().statusCode == 101;
        html += row(QStringLiteral("Status"),
                    QStringLiteral("<span style='color:%1'>%2</span>")
                        .arg((ok ? Theme::successColor() : Theme::errorColor()).name(),
                             status.toHtmlEscaped()));
    }
    const bool open = session.state() == ConnectionSession::State::Open
        || session.state() == ConnectionSession::State::Closing;
    if (open || !session.negotiated().subprotocol.isEmpty()
        || !session.negotiated().extensions.isEmpty()) {
        const Negotiated &negotiated = session.negotiated();
        const QString none = QStringLiteral("<span style='color:%1'>none</span>")
                                 .arg(Theme::mutedTextColor().name());
        html += row(QStringLiteral("Subprotocol"),
                    negotiated.subprotocol.isEmpty() ? none : escaped(negotiated.subprotocol));
        html += row(QStringLiteral("Extensions"),
                    negotiated.extensions.isEmpty() ? none : escaped(negotiated.extensions));
    }
    const TlsInfo &tls = session.tlsInfo();
    if (tls.encrypted) {
        QString text = QStringLiteral("%1, %2").arg(tls.protocol, tls.cipher).toHtmlEscaped();
        if (!tls.ignoredErrors.isEmpty()) {
            text += QStringLiteral("<br><span style='color:%1'>Ignored: %2</span>")
                        .arg(Theme::warningColor().name(),
                             tls.ignoredErrors.join(QStringLiteral("; ")).toHtmlEscaped());
        }
        html += row(QStringLiteral("TLS"), text);
    }
    const SessionTimings &t = session.timings();
    html += row(QStringLiteral("Timings"),
                QStringLiteral("DNS %1 · TCP %2 · TLS %3 · handshake %4 · total %5")
                    .arg(milliseconds(t.dnsUs), milliseconds(t.connectUs), milliseconds(t.tlsUs),
                         milliseconds(t.handshakeUs), milliseconds(t.totalUs)));
    if (!session.redirectChain().isEmpty()) {
        QStringList hops;
        for (const QUrl &url : session.redirectChain())
            hops.append(url.toDisplayString().toHtmlEscaped());
        html += row(QStringLiteral("Redirected from"), hops.join(QStringLiteral("<br>")));
    }
    html += QStringLiteral("</table>");
    m_summary->setText(html);
    static_cast<TimingBar *>(m_timingBar)->setTimings(t);

    const QString request = visibleText(session.handshakeRequest());
    if (m_request->toPlainText() != request)
        m_request->setPlainText(request);
    const QString responseText = visibleText(response);
    if (m_response->toPlainText() != responseText)
        m_response->setPlainText(responseText);
}

QString HandshakeView::requestText() const
{
    return m_request->toPlainText();
}

QString HandshakeView::responseText() const
{
    return m_response->toPlainText();
}

QString HandshakeView::summaryText() const
{
    QTextDocument document;
    document.setHtml(m_summary->text());
    return document.toPlainText();
}

} // namespace duplex
