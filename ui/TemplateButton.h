#pragma once

#include "core/session/Profile.h"

#include <QToolButton>

#include <functional>

namespace duplex {

// The composer's "Templates" menu: the tab's saved messages (text, JSON, hex, Base64 or a
// file's path), each inserted into the composer with its kind by a click, and "Save Current
// Message as Template…". The list belongs to the tab's profile; the button only shows it and
// says what the user asked for.
class TemplateButton : public QToolButton
{
    Q_OBJECT

public:
    explicit TemplateButton(QWidget *parent = nullptr);

    void setTemplates(const QList<Profile::MessageTemplate> &templates);
    const QList<Profile::MessageTemplate> &templates() const { return m_templates; }

    // What "Save Current Message" saves: the composer's kind and text.
    void setCurrentMessage(std::function<Profile::MessageTemplate()> current)
    {
        m_current = std::move(current);
    }

    // Saves the current message as a template named `name` (no dialog).
    void saveCurrentAs(const QString &name);

    static QString kindLabel(Profile::TemplateKind kind);

Q_SIGNALS:
    void templateChosen(const duplex::Profile::MessageTemplate &chosen);
    void templateAdded(const duplex::Profile::MessageTemplate &added);
    void templateRemoved(int index);

private:
    void rebuildMenu();
    void askAndSave();

    QList<Profile::MessageTemplate> m_templates;
    std::function<Profile::MessageTemplate()> m_current;
};

} // namespace duplex
