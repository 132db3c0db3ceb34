#include "ui/TemplateButton.h"

#include "ui/SvgIconEngine.h"

#include <QInputDialog>
#include <QMenu>

namespace duplex {

TemplateButton::TemplateButton(QWidget *parent)
    : QToolButton(parent)
{
    setObjectName(QStringLiteral("templateButton"));
    setIcon(SvgIconEngine::icon(QStringLiteral("template")));
    setText(QStringLiteral("Templates"));
    setToolButtonStyle(Qt::ToolButtonIconOnly);
    setPopupMode(QToolButton::InstantPopup);
    setAutoRaise(true);
    setToolTip(QStringLiteral("Messages saved with this tab's profile: insert one, or save the "
                              "current message as a template. {{variables}} are filled when "
                              "the message is sent."));
    setMenu(new QMenu(this));
    connect(menu(), &QMenu::aboutToShow, this, &TemplateButton::rebuildMenu);
}

QString TemplateButton::kindLabel(Profile::TemplateKind kind)
{
    switch (kind) {
    case Profile::TemplateKind::Text:
        return QStringLiteral("Text");
    case Profile::TemplateKind::Json:
        return QStringLiteral("JSON");
    case Profile::TemplateKind::Hex:
        return QStringLiteral("Hex");
    case Profile::TemplateKind::Base64:
        return QStringLiteral("Base64");
    case Profile::TemplateKind::File:
        return QStringLiteral("File");
    }
    return {};
}

void TemplateButton::setTemplates(const QList<Profile::MessageTemplate> &templates)
{
    m_templates = templates;
    setText(QStringLiteral("Templates"));
    setToolTip(QStringLiteral("%1 saved with this tab's profile: insert one, or save the "
                              "current message as a template. {{variables}} are filled when "
                              "the message is sent.")
                   .arg(templates.size() == 1
                            ? QStringLiteral("1 message")
                            : QStringLiteral("%1 messages").arg(templates.size())));
}

void TemplateButton::rebuildMenu()
{
    QMenu *list = menu();
    list->clear();
    if (m_templates.isEmpty())
        list->addAction(QStringLiteral("No templates yet"))->setEnabled(false);
    for (const Profile::MessageTemplate &t : std::as_const(m_templates)) {
        QString label = t.name.isEmpty() ? t.body.simplified().left(40) : t.name;
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction *action = list->addAction(QStringLiteral("%1\t%2").arg(label, kindLabel(t.kind)));
        action->setToolTip(t.body.left(400));
        connect(action, &QAction::triggered, this, [this, t] { Q_EMIT templateChosen(t); });
    }
    list->addSeparator();
    connect(list->addAction(SvgIconEngine::icon(QStringLiteral("save")),
                            QStringLiteral("&Save Current Message as Template…")),
            &QAction::triggered, this, &TemplateButton::askAndSave);
    if (!m_templates.isEmpty()) {
        QMenu *remove = list->addMenu(QStringLiteral("&Remove"));
        for (int i = 0; i < m_templates.size(); ++i) {
            QString label = m_templates.at(i).name;
            label.replace(QLatin1Char('&'), QStringLiteral("&&"));
            connect(remove->addAction(label), &QAction::triggered, this,
                    [this, i] { Q_EMIT templateRemoved(i); });
        }
    }
}

void TemplateButton::askAndSave()
{
    if (!m_current)
        return;
    const Profile::MessageTemplate current = m_current();
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, QStringLiteral("Save as Template"),
        QStringLiteral("Name of the template (%1):").arg(kindLabel(current.kind)),
        QLineEdit::Normal, current.body.simplified().left(30), &ok);
    if (ok)
        saveCurrentAs(name);
}

void TemplateButton::saveCurrentAs(const QString &name)
{
    if (!m_current)
        return;
    Profile::MessageTemplate t = m_current();
    t.name = name.trimmed();
    if (t.name.isEmpty())
        t.name = QStringLiteral("Template %1").arg(m_templates.size() + 1);
    Q_EMIT templateAdded(t);
}

} // namespace duplex
