# Every dependency comes from Debian's packages; nothing is fetched.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.5)
# Hyperscan, or vectorscan (same API, same pkg-config name) where it is missing.
pkg_check_modules(HYPERSCAN REQUIRED IMPORTED_TARGET libhs>=5.4)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
find_package(fmt 9 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
# CMake's own FindSQLite3 (SQLite::SQLite3), for the store of organisation scans.
find_package(SQLite3 3.35 REQUIRED)
# SHA-256 for fingerprints: mbedTLS's crypto library, which libgit2 loads anyway.
find_library(MBEDCRYPTO_LIBRARY NAMES mbedcrypto REQUIRED)
find_path(MBEDTLS_INCLUDE_DIR mbedtls/sha256.h REQUIRED)
add_library(MbedTLS::crypto UNKNOWN IMPORTED)
set_target_properties(MbedTLS::crypto PROPERTIES IMPORTED_LOCATION ${MBEDCRYPTO_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${MBEDTLS_INCLUDE_DIR})
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
if(LEAKSTOP_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
