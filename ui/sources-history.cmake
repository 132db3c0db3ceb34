# The message history: model, filtering, hex frame view, detail pane (see HistoryPane.h).
list(APPEND DUPLEX_UI_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/FrameDocument.cpp ${CMAKE_CURRENT_LIST_DIR}/FrameDocument.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryFilter.cpp ${CMAKE_CURRENT_LIST_DIR}/HistoryFilter.h
    ${CMAKE_CURRENT_LIST_DIR}/IndexRuns.cpp ${CMAKE_CURRENT_LIST_DIR}/IndexRuns.h
    ${CMAKE_CURRENT_LIST_DIR}/MessageLogModel.cpp ${CMAKE_CURRENT_LIST_DIR}/MessageLogModel.h
    ${CMAKE_CURRENT_LIST_DIR}/RecordText.cpp ${CMAKE_CURRENT_LIST_DIR}/RecordText.h
)
