#include "core/session/ProfileStoreWatcher.h"

#include "core/session/ProfileStore.h"

#include <QDir>
#include <QFileInfo>

namespace duplex {

ProfileStoreWatcher::ProfileStoreWatcher(ProfileStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    Q_ASSERT(m_store);
    m_settle.setSingleShot(true);
    m_settle.setInterval(150);
    connect(&m_settle, &QTimer::timeout, this, &ProfileStoreWatcher::check);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &ProfileStoreWatcher::onFileSystemEvent);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this,
            &ProfileStoreWatcher::onFileSystemEvent);
    QDir().mkpath(m_store->directory());
    m_watcher.addPath(m_store->directory());
    watchFiles();
}

void ProfileStoreWatcher::onFileSystemEvent()
{
    // A save replaces the file (the watch on it is lost) and creates and removes a lock file:
    // watch again and wait for the burst to end.
    watchFiles();
    m_settle.start();
}

void ProfileStoreWatcher::watchFiles()
{
    for (const QString &path : { m_store->profilesFilePath(), m_store->environmentsFilePath() }) {
        if (QFileInfo::exists(path) && !m_watcher.files().contains(path))
            m_watcher.addPath(path);
    }
}

void ProfileStoreWatcher::check()
{
    if (!m_store->hasExternalChanges())
        return;
    if (m_autoReload) {
        m_store->reload();
        Q_EMIT reloaded();
    } else {
        Q_EMIT externallyChanged();
    }
}

} // namespace duplex
