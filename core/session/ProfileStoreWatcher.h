#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace duplex {

class ProfileStore;

// Tells the UI when another process (another window, duplex-cli) changed the store's files.
//
// Watches the store's directory and files with QFileSystemWatcher, waits for the burst of
// events a save makes to settle, then asks ProfileStore::hasExternalChanges(): the store's own
// writes are therefore never reported. With autoReload on, it reloads the store itself and
// emits reloaded(); otherwise it emits externallyChanged() and leaves the decision to the UI
// (e.g. to ask before dropping unsaved edits).
class ProfileStoreWatcher : public QObject
{
    Q_OBJECT

public:
    // The store must outlive the watcher. Creates the store's directory if it is missing, so
    // that it can be watched.
    explicit ProfileStoreWatcher(ProfileStore *store, QObject *parent = nullptr);

    ProfileStore *store() const { return m_store; }

    bool autoReload() const { return m_autoReload; }
    void setAutoReload(bool autoReload) { m_autoReload = autoReload; }

    int settleInterval() const { return m_settle.interval(); }
    void setSettleInterval(int milliseconds) { m_settle.setInterval(milliseconds); }

public Q_SLOTS:
    // Compares now, without waiting for a file system event.
    void check();

Q_SIGNALS:
    void externallyChanged();
    void reloaded();

private:
    void onFileSystemEvent();
    void watchFiles();

    ProfileStore *m_store;
    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    bool m_autoReload = false;
};

} // namespace duplex
