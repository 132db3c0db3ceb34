# The window half of duplex_ui: main window, connection tabs, request editor, composer,
# handshake and stats views, the embedded echo server, looks and settings.
set(CMAKE_AUTORCC ON)
list(APPEND DUPLEX_UI_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/AppSettings.cpp ${CMAKE_CURRENT_LIST_DIR}/AppSettings.h
    ${CMAKE_CURRENT_LIST_DIR}/Composer.cpp ${CMAKE_CURRENT_LIST_DIR}/Composer.h
    ${CMAKE_CURRENT_LIST_DIR}/ConnectionTab.cpp ${CMAKE_CURRENT_LIST_DIR}/ConnectionTab.h
    ${CMAKE_CURRENT_LIST_DIR}/EnvironmentBox.cpp ${CMAKE_CURRENT_LIST_DIR}/EnvironmentBox.h
    ${CMAKE_CURRENT_LIST_DIR}/EnvironmentDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/EnvironmentDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/HandshakeView.cpp ${CMAKE_CURRENT_LIST_DIR}/HandshakeView.h
    ${CMAKE_CURRENT_LIST_DIR}/HeaderTableModel.cpp ${CMAKE_CURRENT_LIST_DIR}/HeaderTableModel.h
    ${CMAKE_CURRENT_LIST_DIR}/MainWindow.cpp ${CMAKE_CURRENT_LIST_DIR}/MainWindow.h
    ${CMAKE_CURRENT_LIST_DIR}/NoticeBanner.cpp ${CMAKE_CURRENT_LIST_DIR}/NoticeBanner.h
    ${CMAKE_CURRENT_LIST_DIR}/PayloadCodec.cpp ${CMAKE_CURRENT_LIST_DIR}/PayloadCodec.h
    ${CMAKE_CURRENT_LIST_DIR}/ProfileActions.cpp ${CMAKE_CURRENT_LIST_DIR}/ProfileActions.h
    ${CMAKE_CURRENT_LIST_DIR}/ProfileLibrary.cpp ${CMAKE_CURRENT_LIST_DIR}/ProfileLibrary.h
    ${CMAKE_CURRENT_LIST_DIR}/ProfilesSidebar.cpp ${CMAKE_CURRENT_LIST_DIR}/ProfilesSidebar.h
    ${CMAKE_CURRENT_LIST_DIR}/ProfileTreeModel.cpp ${CMAKE_CURRENT_LIST_DIR}/ProfileTreeModel.h
    ${CMAKE_CURRENT_LIST_DIR}/RequestBar.cpp ${CMAKE_CURRENT_LIST_DIR}/RequestBar.h
    ${CMAKE_CURRENT_LIST_DIR}/RequestEditor.cpp ${CMAKE_CURRENT_LIST_DIR}/RequestEditor.h
    ${CMAKE_CURRENT_LIST_DIR}/Resources.cpp ${CMAKE_CURRENT_LIST_DIR}/Resources.h
    ${CMAKE_CURRENT_LIST_DIR}/SaveProfileDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/SaveProfileDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/SecretItemDelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/SecretItemDelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/SendHistory.cpp ${CMAKE_CURRENT_LIST_DIR}/SendHistory.h
    ${CMAKE_CURRENT_LIST_DIR}/ShortcutsDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/ShortcutsDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/SparklineWidget.cpp ${CMAKE_CURRENT_LIST_DIR}/SparklineWidget.h
    ${CMAKE_CURRENT_LIST_DIR}/StatsView.cpp ${CMAKE_CURRENT_LIST_DIR}/StatsView.h
    ${CMAKE_CURRENT_LIST_DIR}/SvgIconEngine.cpp ${CMAKE_CURRENT_LIST_DIR}/SvgIconEngine.h
    ${CMAKE_CURRENT_LIST_DIR}/TabTitleEditor.cpp ${CMAKE_CURRENT_LIST_DIR}/TabTitleEditor.h
    ${CMAKE_CURRENT_LIST_DIR}/TemplateButton.cpp ${CMAKE_CURRENT_LIST_DIR}/TemplateButton.h
    ${CMAKE_CURRENT_LIST_DIR}/TrailingRowTableModel.cpp ${CMAKE_CURRENT_LIST_DIR}/TrailingRowTableModel.h
    ${CMAKE_CURRENT_LIST_DIR}/Theme.cpp ${CMAKE_CURRENT_LIST_DIR}/Theme.h
    ${CMAKE_CURRENT_LIST_DIR}/UrlCheck.cpp ${CMAKE_CURRENT_LIST_DIR}/UrlCheck.h
    ${CMAKE_CURRENT_LIST_DIR}/VariableTableModel.cpp ${CMAKE_CURRENT_LIST_DIR}/VariableTableModel.h
    ${CMAKE_CURRENT_LIST_DIR}/WindowDriver.cpp ${CMAKE_CURRENT_LIST_DIR}/WindowDriver.h
    ${PROJECT_SOURCE_DIR}/resources/duplex.qrc
)

set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/MainWindow.cpp
    APPEND PROPERTY COMPILE_DEFINITIONS DUPLEX_VERSION="${PROJECT_VERSION}")
