# Profiles, environments and variable substitution.
# Included by core/session/CMakeLists.txt.
set(DUPLEX_PROFILES_DIR ${CMAKE_CURRENT_LIST_DIR})
list(APPEND DUPLEX_SESSION_SOURCES
    ${DUPLEX_PROFILES_DIR}/Environment.cpp ${DUPLEX_PROFILES_DIR}/Environment.h
    ${DUPLEX_PROFILES_DIR}/Profile.cpp ${DUPLEX_PROFILES_DIR}/Profile.h
    ${DUPLEX_PROFILES_DIR}/VariableSubstitution.cpp ${DUPLEX_PROFILES_DIR}/VariableSubstitution.h
)
