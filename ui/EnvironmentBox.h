#pragma once

#include <QComboBox>
#include <QUuid>

namespace duplex {

class ProfileLibrary;

// Which environment fills a tab's {{variables}}: "No environment", each environment of the
// store, and "Edit Environments…" at the end. It follows the store: an environment added,
// renamed or removed elsewhere shows at once; when the chosen one goes away, the box falls
// back to "No environment" and says so through environmentChosen().
class EnvironmentBox : public QComboBox
{
    Q_OBJECT

public:
    explicit EnvironmentBox(ProfileLibrary *library, QWidget *parent = nullptr);

    QUuid environmentId() const { return m_current; }
    void setEnvironmentId(const QUuid &id);
    QString environmentName() const;

Q_SIGNALS:
    // The user (or a removal) changed the environment.
    void environmentChosen(const QUuid &id);
    void editRequested();

private:
    void rebuild();
    void onActivated(int index);

    ProfileLibrary *m_library;
    QUuid m_current;
};

} // namespace duplex
