# The network session: sockets, TLS, proxies, timers, reconnect, and the record it writes.
list(APPEND DUPLEX_SESSION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/SessionRecord.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionRecord.h
)
