# Profiles, environments and their storage, import and export; HAR export and import.
# Included by core/session/CMakeLists.txt.
set(DUPLEX_PROFILES_DIR ${CMAKE_CURRENT_LIST_DIR})
list(APPEND DUPLEX_SESSION_SOURCES
    ${DUPLEX_PROFILES_DIR}/Environment.cpp ${DUPLEX_PROFILES_DIR}/Environment.h
    ${DUPLEX_PROFILES_DIR}/HarDocument.cpp ${DUPLEX_PROFILES_DIR}/HarDocument.h
    ${DUPLEX_PROFILES_DIR}/HarReplay.cpp ${DUPLEX_PROFILES_DIR}/HarReplay.h
    ${DUPLEX_PROFILES_DIR}/HexBytes.cpp ${DUPLEX_PROFILES_DIR}/HexBytes.h
    ${DUPLEX_PROFILES_DIR}/JsonFields.cpp ${DUPLEX_PROFILES_DIR}/JsonFields.h
    ${DUPLEX_PROFILES_DIR}/JsonListFile.cpp ${DUPLEX_PROFILES_DIR}/JsonListFile.h
    ${DUPLEX_PROFILES_DIR}/PostmanImport.cpp ${DUPLEX_PROFILES_DIR}/PostmanImport.h
    ${DUPLEX_PROFILES_DIR}/Profile.cpp ${DUPLEX_PROFILES_DIR}/Profile.h
    ${DUPLEX_PROFILES_DIR}/ProfileConnection.cpp ${DUPLEX_PROFILES_DIR}/ProfileConnection.h
    ${DUPLEX_PROFILES_DIR}/ProfileExchange.cpp ${DUPLEX_PROFILES_DIR}/ProfileExchange.h
    ${DUPLEX_PROFILES_DIR}/ProfileJson.cpp
    ${DUPLEX_PROFILES_DIR}/ProfileStore.cpp ${DUPLEX_PROFILES_DIR}/ProfileStore.h
    ${DUPLEX_PROFILES_DIR}/ProfileStoreWatcher.cpp ${DUPLEX_PROFILES_DIR}/ProfileStoreWatcher.h
    ${DUPLEX_PROFILES_DIR}/SecretStore.cpp ${DUPLEX_PROFILES_DIR}/SecretStore.h
    ${DUPLEX_PROFILES_DIR}/SecretSync.cpp ${DUPLEX_PROFILES_DIR}/SecretSync.h
    ${DUPLEX_PROFILES_DIR}/SessionExport.cpp ${DUPLEX_PROFILES_DIR}/SessionExport.h
    ${DUPLEX_PROFILES_DIR}/StoredItemTraits.cpp ${DUPLEX_PROFILES_DIR}/StoredItemTraits.h
    ${DUPLEX_PROFILES_DIR}/StoreWarning.cpp ${DUPLEX_PROFILES_DIR}/StoreWarning.h
    ${DUPLEX_PROFILES_DIR}/SecretStoreInMemory.cpp ${DUPLEX_PROFILES_DIR}/SecretStoreInMemory.h
    ${DUPLEX_PROFILES_DIR}/SecretStoreKeychain.cpp ${DUPLEX_PROFILES_DIR}/SecretStoreKeychain.h
    ${DUPLEX_PROFILES_DIR}/VariableSubstitution.cpp ${DUPLEX_PROFILES_DIR}/VariableSubstitution.h
)

# The HAR "creator" names the version that wrote the file.
set_source_files_properties(${DUPLEX_PROFILES_DIR}/HarDocument.cpp PROPERTIES
    COMPILE_DEFINITIONS "DUPLEX_HAR_CREATOR_VERSION=\"${PROJECT_VERSION}\"")

# Secrets go to the OS keychain through QtKeychain when it is there (Debian: qtkeychain-qt6-dev).
# Without it the build still works; SecretStore::createDefault() then keeps secrets in memory
# only and says so.
option(DUPLEX_USE_KEYCHAIN "Keep secret values in the OS keychain (QtKeychain)" ON)
if(DUPLEX_USE_KEYCHAIN)
    find_package(Qt6Keychain QUIET)
endif()
if(Qt6Keychain_FOUND)
    list(APPEND DUPLEX_SESSION_LIBRARIES Qt6Keychain::Qt6Keychain)
    list(APPEND DUPLEX_SESSION_DEFINITIONS DUPLEX_HAVE_QTKEYCHAIN)
    message(STATUS "Duplex: secrets in the OS keychain (QtKeychain ${Qt6Keychain_VERSION})")
else()
    message(STATUS "Duplex: QtKeychain not found; secrets will be kept in memory only")
endif()
