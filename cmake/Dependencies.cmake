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
# libcurl (Debian's libcurl4-openssl-dev) for the hosting services' APIs.
find_package(CURL 7.85 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
if(LEAKSTOP_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()

# LEAKSTOP_STATIC: link the static archives Debian ships (libgit2 and what it
# pulls in, Hyperscan, RE2, zlib) into the binary, so that a hook run does not
# pay the dynamic loader for them; what has no archive (libc, libstdc++, fmt,
# toml++, Kerberos for libgit2's GSSAPI) stays shared, and so does mbedTLS:
# cli/no_ca_certificates.cpp replaces two of its functions, which a static
# libmbedx509 would define a second time.
# On by default for Release builds (what install.sh builds): measured on a
# hook run, it saves the loader 5 ms of the 17 ms CPU of `leakstop
# --version` and 10-15% of `leakstop staged` (docs/performance.md).
# -DLEAKSTOP_STATIC=OFF links everything shared (install.sh falls back to it).
if(CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT LEAKSTOP_SANITIZE AND NOT LEAKSTOP_FUZZ)
  set(LEAKSTOP_STATIC_DEFAULT ON)
else()
  set(LEAKSTOP_STATIC_DEFAULT OFF)
endif()
option(LEAKSTOP_STATIC "Link Debian's static archives where they exist" ${LEAKSTOP_STATIC_DEFAULT})
if(LEAKSTOP_STATIC)
  # `target` links the libraries named in ARGN (pkg-config --static order):
  # each from its lib<name>.a when there is one, else shared.
  function(leakstop_link_static target)
    set(libs)
    foreach(name IN LISTS ARGN)
      if(name MATCHES "^(c|m|rt|dl|pthread|gcc|gcc_s|stdc\\+\\+|mbedtls|mbedx509|mbedcrypto)$")
        list(APPEND libs ${name})
        continue()
      endif()
      find_library(LEAKSTOP_STATIC_${name} NAMES lib${name}.a)
      if(LEAKSTOP_STATIC_${name})
        list(APPEND libs ${LEAKSTOP_STATIC_${name}})
      else()
        list(APPEND libs ${name})
      endif()
    endforeach()
    set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES ${libs})
  endfunction()
  # libgit2's .pc names libssh2 but not what libssh2 needs, nor GSSAPI.
  # Debian ships GSSAPI shared only, without the -dev symlink.
  pkg_check_modules(LIBSSH2 REQUIRED libssh2)
  find_library(LEAKSTOP_GSSAPI NAMES gssapi_krb5 libgssapi_krb5.so.2 REQUIRED)
  leakstop_link_static(PkgConfig::LIBGIT2 ${LIBGIT2_STATIC_LIBRARIES} ${LIBSSH2_STATIC_LIBRARIES})
  set_property(TARGET PkgConfig::LIBGIT2 APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${LEAKSTOP_GSSAPI})
  leakstop_link_static(PkgConfig::HYPERSCAN ${HYPERSCAN_STATIC_LIBRARIES})
  leakstop_link_static(PkgConfig::RE2 ${RE2_STATIC_LIBRARIES})
  find_library(LEAKSTOP_STATIC_Z NAMES libz.a REQUIRED)
  set_property(TARGET ZLIB::ZLIB PROPERTY IMPORTED_LOCATION ${LEAKSTOP_STATIC_Z})
endif()
