# The network session: sockets, TLS, proxies, timers, reconnect, and the record it writes.
list(APPEND DUPLEX_SESSION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/BackoffPolicy.cpp ${CMAKE_CURRENT_LIST_DIR}/BackoffPolicy.h
    ${CMAKE_CURRENT_LIST_DIR}/ConnectionSession.cpp ${CMAKE_CURRENT_LIST_DIR}/ConnectionSession.h
    ${CMAKE_CURRENT_LIST_DIR}/ConnectionSessionAttempt.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ConnectionSessionDetail.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalEchoServer.cpp ${CMAKE_CURRENT_LIST_DIR}/LocalEchoServer.h
    ${CMAKE_CURRENT_LIST_DIR}/PingTracker.cpp ${CMAKE_CURRENT_LIST_DIR}/PingTracker.h
    ${CMAKE_CURRENT_LIST_DIR}/ReconnectController.cpp ${CMAKE_CURRENT_LIST_DIR}/ReconnectController.h
    ${CMAKE_CURRENT_LIST_DIR}/RedirectStep.cpp ${CMAKE_CURRENT_LIST_DIR}/RedirectStep.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionError.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionError.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionInfo.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionObserver.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionObserver.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionOptions.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionOptions.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionProxy.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionProxy.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionRecord.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionRecord.h
    ${CMAKE_CURRENT_LIST_DIR}/SessionTls.cpp ${CMAKE_CURRENT_LIST_DIR}/SessionTls.h
    ${CMAKE_CURRENT_LIST_DIR}/WebSocketUrl.cpp ${CMAKE_CURRENT_LIST_DIR}/WebSocketUrl.h
)
# The JSON-lines form of frames (duplex-cli --frames, the history's export).
list(APPEND DUPLEX_SESSION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/FrameJsonLines.cpp ${CMAKE_CURRENT_LIST_DIR}/FrameJsonLines.h
)
