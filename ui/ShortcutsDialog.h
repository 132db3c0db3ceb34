#pragma once

#include <QDialog>

namespace duplex {

// Help > Keyboard Shortcuts: every shortcut of the window's actions, and those the composer,
// URL field and tab bar handle themselves.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);
};

} // namespace duplex
