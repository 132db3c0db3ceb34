#pragma once

#include <QDialog>

QT_BEGIN_NAMESPACE
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
QT_END_NAMESPACE

namespace duplex {

class ProfileStore;

// Asks for a new profile's name and folder ("Payments/Staging"; empty for the top level),
// offering the folders in use. Save stays disabled, with the reason shown, while the name is
// empty, holds '/', or is taken in that folder.
class SaveProfileDialog : public QDialog
{
    Q_OBJECT

public:
    SaveProfileDialog(const ProfileStore &store, const QString &name, const QString &folder,
                      QWidget *parent = nullptr);

    QString name() const;
    QString folder() const;
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *folderBox() const { return m_folder; }
    QString problem() const;

private:
    void check();

    const ProfileStore &m_store;
    QLineEdit *m_name = nullptr;
    QComboBox *m_folder = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace duplex
