#include "ui/HistoryFilterBar.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTimer>
#include <QToolButton>

#include <bit>

namespace duplex {
namespace {

constexpr int DebounceMs = 180;

QToolButton *toggle(QWidget *parent, const QString &text, const QString &tip)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    return button;
}

} // namespace

HistoryFilterBar::HistoryFilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(4);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(QStringLiteral("Filter messages (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(QStringLiteral("Show only messages whose payload contains this text "
                                        "(binary payloads are matched as hex, session events "
                                        "by their description)"));
    layout->addWidget(m_search, 1);

    m_regexButton = toggle(this, QStringLiteral(".*"),
                           QStringLiteral("Treat the filter as a regular expression"));
    m_caseButton = toggle(this, QStringLiteral("Aa"), QStringLiteral("Match case"));
    layout->addWidget(m_regexButton);
    layout->addWidget(m_caseButton);

    m_direction = new QComboBox(this);
    m_direction->addItem(QStringLiteral("Both directions"));
    m_direction->addItem(QStringLiteral("\u2190 Received"));
    m_direction->addItem(QStringLiteral("\u2192 Sent"));
    m_direction->setToolTip(QStringLiteral("Show frames of one direction only (session events "
                                           "are always shown)"));
    layout->addWidget(m_direction);

    m_kindsButton = new QToolButton(this);
    m_kindsButton->setPopupMode(QToolButton::InstantPopup);
    m_kindsButton->setToolTip(QStringLiteral("Which kinds of messages to show"));
    auto *menu = new QMenu(m_kindsButton);
    for (int i = 0; i < MessageKindCount; ++i) {
        const auto kind = static_cast<MessageKind>(i);
        QAction *action = menu->addAction(RecordText::kindName(kind));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this, kind](bool on) {
            m_kinds =
                on ? MessageKinds(m_kinds | kindBit(kind)) : MessageKinds(m_kinds & ~kindBit(kind));
            updateKindsButton();
            emitChanged();
        });
    }
    menu->addSeparator();
    menu->addAction(QStringLiteral("Show All Kinds"), this, [this, menu] {
        for (QAction *action : menu->actions()) {
            const QSignalBlocker blocker(action);
            if (action->isCheckable())
                action->setChecked(true);
        }
        m_kinds = AllMessageKinds;
        updateKindsButton();
        emitChanged(); // once, not once per kind
    });
    m_kindsButton->setMenu(menu);
    layout->addWidget(m_kindsButton);
    updateKindsButton();

    m_status = new QLabel(this);
    m_status->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("999,999 of 9,999,999")));
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status->setToolTip(QStringLiteral("Messages shown, of all recorded since the last clear"));
    layout->addWidget(m_status);

    m_clearButton = new QToolButton(this);
    m_clearButton->setText(QStringLiteral("Clear"));
    m_clearButton->setAutoRaise(true);
    m_clearButton->setToolTip(QStringLiteral("Hide every message recorded so far; new ones keep "
                                             "appearing (Ctrl+L)"));
    connect(m_clearButton, &QToolButton::clicked, this, &HistoryFilterBar::clearRequested);
    layout->addWidget(m_clearButton);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &HistoryFilterBar::emitChanged);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &HistoryFilterBar::emitChanged);
    connect(m_regexButton, &QToolButton::toggled, this, &HistoryFilterBar::emitChanged);
    connect(m_caseButton, &QToolButton::toggled, this, &HistoryFilterBar::emitChanged);
    connect(m_direction, &QComboBox::currentIndexChanged, this, &HistoryFilterBar::emitChanged);
}

HistoryFilterSpec HistoryFilterBar::spec() const
{
    HistoryFilterSpec spec;
    spec.text = m_search->text();
    spec.regularExpression = m_regexButton->isChecked();
    spec.caseSensitive = m_caseButton->isChecked();
    spec.direction = static_cast<HistoryFilterSpec::Directions>(m_direction->currentIndex());
    spec.kinds = m_kinds;
    return spec;
}

void HistoryFilterBar::setSpec(const HistoryFilterSpec &spec)
{
    {
        const QSignalBlocker a(m_search), b(m_regexButton), c(m_caseButton), d(m_direction);
        m_search->setText(spec.text);
        m_regexButton->setChecked(spec.regularExpression);
        m_caseButton->setChecked(spec.caseSensitive);
        m_direction->setCurrentIndex(int(spec.direction));
        m_kinds = spec.kinds;
        const QList<QAction *> actions = m_kindsButton->menu()->actions();
        for (int i = 0; i < MessageKindCount && i < actions.size(); ++i) {
            const QSignalBlocker blocker(actions.at(i));
            actions.at(i)->setChecked(m_kinds & kindBit(static_cast<MessageKind>(i)));
        }
    }
    updateKindsButton();
    emitChanged();
}

QWidget *HistoryFilterBar::clearButton() const
{
    return m_clearButton;
}

void HistoryFilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void HistoryFilterBar::setCounts(qsizetype shown, qsizetype total, bool filtered)
{
    m_countText = filtered ? QStringLiteral("%L1 of %L2").arg(shown).arg(total)
                           : QStringLiteral("%L1").arg(total);
    setProgress(m_percent, m_running);
}

void HistoryFilterBar::setProgress(int percent, bool running)
{
    m_percent = percent;
    m_running = running;
    m_status->setText(running ? QStringLiteral("filtering\u2026 %1%").arg(percent) : m_countText);
}

void HistoryFilterBar::emitChanged()
{
    m_debounce->stop();
    const HistoryFilterSpec current = spec();
    const QString error = current.errorString();
    QPalette pal = m_search->palette();
    pal.setColor(QPalette::Text,
                 error.isEmpty() ? palette().color(QPalette::Text) : QColor(0xcf, 0x22, 0x2e));
    m_search->setPalette(pal);
    m_search->setToolTip(error.isEmpty() ? QStringLiteral(
                             "Show only messages whose payload contains this text (binary "
                             "payloads are matched as hex, session events by their description)")
                                         : error);
    Q_EMIT filterChanged(current);
}

void HistoryFilterBar::updateKindsButton()
{
    const int shown = std::popcount(unsigned(m_kinds & AllMessageKinds));
    m_kindsButton->setText(shown == MessageKindCount
                               ? QStringLiteral("All kinds")
                               : QStringLiteral("%1 of %2 kinds").arg(shown).arg(MessageKindCount));
}

} // namespace duplex
