#pragma once

#include <QLineEdit>

QT_BEGIN_NAMESPACE
class QTabBar;
QT_END_NAMESPACE

namespace duplex {

// An editor laid over one tab of a tab bar to rename it in place: Enter (or leaving it) keeps
// the text, Escape keeps the old name. It deletes itself when done.
class TabTitleEditor : public QLineEdit
{
    Q_OBJECT

public:
    TabTitleEditor(QTabBar *bar, int index, const QString &title);

Q_SIGNALS:
    void committed(const QString &title);
    void cancelled();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void finish(bool keep);

    bool m_done = false;
};

} // namespace duplex
