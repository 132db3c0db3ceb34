# The message history: model, filtering, hex frame view, detail pane (see HistoryPane.h).
list(APPEND DUPLEX_UI_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/FrameDocument.cpp ${CMAKE_CURRENT_LIST_DIR}/FrameDocument.h
    ${CMAKE_CURRENT_LIST_DIR}/FrameHexView.cpp ${CMAKE_CURRENT_LIST_DIR}/FrameHexView.h
    ${CMAKE_CURRENT_LIST_DIR}/FrameLegend.cpp ${CMAKE_CURRENT_LIST_DIR}/FrameLegend.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryFilter.cpp ${CMAKE_CURRENT_LIST_DIR}/HistoryFilter.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryItemDelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/HistoryItemDelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryFilterBar.cpp ${CMAKE_CURRENT_LIST_DIR}/HistoryFilterBar.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryPane.cpp ${CMAKE_CURRENT_LIST_DIR}/HistoryPane.h
    ${CMAKE_CURRENT_LIST_DIR}/HistoryTableView.cpp ${CMAKE_CURRENT_LIST_DIR}/HistoryTableView.h
    ${CMAKE_CURRENT_LIST_DIR}/IndexRuns.cpp ${CMAKE_CURRENT_LIST_DIR}/IndexRuns.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonHighlighter.cpp ${CMAKE_CURRENT_LIST_DIR}/JsonHighlighter.h
    ${CMAKE_CURRENT_LIST_DIR}/MessageDetailView.cpp ${CMAKE_CURRENT_LIST_DIR}/MessageDetailView.h
    ${CMAKE_CURRENT_LIST_DIR}/MessageLogModel.cpp ${CMAKE_CURRENT_LIST_DIR}/MessageLogModel.h
    ${CMAKE_CURRENT_LIST_DIR}/RecordText.cpp ${CMAKE_CURRENT_LIST_DIR}/RecordText.h
)
