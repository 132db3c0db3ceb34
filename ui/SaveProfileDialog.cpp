#include "ui/SaveProfileDialog.h"

#include "core/session/ProfileStore.h"
#include "ui/Theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace duplex {

SaveProfileDialog::SaveProfileDialog(const ProfileStore &store, const QString &name,
                                     const QString &folder, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
{
    setObjectName(QStringLiteral("saveProfileDialog"));
    setWindowTitle(QStringLiteral("Save as Profile"));
    m_name = new QLineEdit(name, this);
    m_name->setObjectName(QStringLiteral("profileNameEdit"));
    m_name->setPlaceholderText(QStringLiteral("e.g. Prices feed"));
    m_name->selectAll();
    m_folder = new QComboBox(this);
    m_folder->setObjectName(QStringLiteral("profileFolderBox"));
    m_folder->setEditable(true);
    m_folder->addItem(QString());
    m_folder->addItems(store.folders());
    m_folder->setCurrentText(folder);
    m_folder->lineEdit()->setPlaceholderText(QStringLiteral("top level; a/b for a subfolder"));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    QPalette error = m_problem->palette();
    error.setColor(QPalette::WindowText, Theme::errorColor());
    m_problem->setPalette(error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(QStringLiteral("&Name:"), m_name);
    form->addRow(QStringLiteral("&Folder:"), m_folder);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    connect(m_name, &QLineEdit::textChanged, this, &SaveProfileDialog::check);
    connect(m_folder, &QComboBox::currentTextChanged, this, &SaveProfileDialog::check);
    check();
    setMinimumWidth(420);
}

QString SaveProfileDialog::name() const
{
    return m_name->text().trimmed();
}

QString SaveProfileDialog::folder() const
{
    return Profile::normalizedFolder(m_folder->currentText());
}

QString SaveProfileDialog::problem() const
{
    if (name().isEmpty())
        return QStringLiteral("Give the profile a name.");
    if (name().contains(QLatin1Char('/')))
        return QStringLiteral("A name cannot contain '/'; put the profile in a folder instead.");
    if (m_store.findProfile(folder(), name()))
        return QStringLiteral("\"%1\" exists already %2; choose another name or save over it "
                              "from its tab.")
            .arg(name(),
                 folder().isEmpty() ? QStringLiteral("at the top level")
                                    : QStringLiteral("in %1").arg(folder()));
    return {};
}

void SaveProfileDialog::check()
{
    const QString text = problem();
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(text.isEmpty());
}

} // namespace duplex
