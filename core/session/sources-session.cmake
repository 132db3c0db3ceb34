# The network session: sockets, TLS, proxies, timers, reconnect, and the record it writes.
list(APPEND DUPLEX_SESSION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/SessionRecord.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionRecord.h
)
# The JSON-lines form of frames (duplex-cli --frames, the history's export).
list(APPEND DUPLEX_SESSION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/FrameJsonLines.cpp ${CMAKE_CURRENT_LIST_DIR}/FrameJsonLines.h
)
