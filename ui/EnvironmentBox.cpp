#include "ui/EnvironmentBox.h"

#include "ui/ProfileLibrary.h"
#include "ui/SvgIconEngine.h"

namespace duplex {

namespace {

const QString editMarker = QStringLiteral("edit");

} // namespace

EnvironmentBox::EnvironmentBox(ProfileLibrary *library, QWidget *parent)
    : QComboBox(parent)
    , m_library(library)
{
    setObjectName(QStringLiteral("environmentBox"));
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumHeight(30);
    setToolTip(QStringLiteral("The environment whose variables fill {{name}} in the URL, headers "
                              "and messages of this tab when it connects or sends"));
    setAccessibleName(QStringLiteral("Environment"));
    rebuild();
    connect(m_library, &ProfileLibrary::changed, this, &EnvironmentBox::rebuild);
    // activated: user picks only, never the clear()/addItem()/setCurrentIndex() of rebuild().
    connect(this, &QComboBox::activated, this, &EnvironmentBox::onActivated);
}

void EnvironmentBox::rebuild()
{
    clear();
    addItem(SvgIconEngine::icon(QStringLiteral("environment")), QStringLiteral("No environment"),
            QUuid().toString());
    bool found = m_current.isNull();
    for (const Environment &environment : m_library->store().environments()) {
        addItem(SvgIconEngine::icon(QStringLiteral("environment")), environment.name,
                environment.id.toString());
        found = found || environment.id == m_current;
    }
    insertSeparator(count());
    addItem(QStringLiteral("Edit Environments…"), editMarker);
    if (!found) {
        m_current = {};
        Q_EMIT environmentChosen(m_current);
    }
    setCurrentIndex(qMax(0, findData(m_current.toString())));
}

void EnvironmentBox::setEnvironmentId(const QUuid &id)
{
    m_current = m_library->environment(id) ? id : QUuid();
    setCurrentIndex(qMax(0, findData(m_current.toString())));
}

QString EnvironmentBox::environmentName() const
{
    if (const auto environment = m_library->environment(m_current))
        return environment->name;
    return {};
}

void EnvironmentBox::onActivated(int index)
{
    const QString chosen = itemData(index).toString();
    if (chosen == editMarker) {
        setCurrentIndex(qMax(0, findData(m_current.toString())));
        Q_EMIT editRequested();
        return;
    }
    const QUuid id = QUuid::fromString(chosen);
    if (id == m_current)
        return;
    m_current = id;
    Q_EMIT environmentChosen(id);
}

} // namespace duplex
