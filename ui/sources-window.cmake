# The window half of duplex_ui: main window, connection tabs, request editor, composer,
# handshake and stats views, the embedded echo server, looks and settings.
set(CMAKE_AUTORCC ON)
list(APPEND DUPLEX_UI_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/ConnectionSettings.cpp ${CMAKE_CURRENT_LIST_DIR}/ConnectionSettings.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalEchoServer.cpp ${CMAKE_CURRENT_LIST_DIR}/LocalEchoServer.h
    ${CMAKE_CURRENT_LIST_DIR}/PayloadCodec.cpp ${CMAKE_CURRENT_LIST_DIR}/PayloadCodec.h
    ${CMAKE_CURRENT_LIST_DIR}/Resources.cpp ${CMAKE_CURRENT_LIST_DIR}/Resources.h
    ${CMAKE_CURRENT_LIST_DIR}/SendHistory.cpp ${CMAKE_CURRENT_LIST_DIR}/SendHistory.h
    ${CMAKE_CURRENT_LIST_DIR}/SvgIconEngine.cpp ${CMAKE_CURRENT_LIST_DIR}/SvgIconEngine.h
    ${CMAKE_CURRENT_LIST_DIR}/Theme.cpp ${CMAKE_CURRENT_LIST_DIR}/Theme.h
    ${CMAKE_CURRENT_LIST_DIR}/UrlCheck.cpp ${CMAKE_CURRENT_LIST_DIR}/UrlCheck.h
    ${PROJECT_SOURCE_DIR}/resources/duplex.qrc
)
