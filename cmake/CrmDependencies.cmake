# Every third-party dependency, found once. All come from Debian bookworm packages
# (tools/install-deps.sh installs them).
find_package(Threads REQUIRED)
# Debian ships no protobuf CMake config: module mode.
find_package(Protobuf REQUIRED)
# Needs protobuf-compiler-grpc installed, or configure fails on missing plugin files.
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(RocksDB CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka++ rdkafka)
# cpp-httplib serves /metrics; Debian builds it as a shared library.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# libsodium: the authenticated encryption of restricted personal data (XChaCha20-Poly1305).
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# libjwt (the OpenSSL build): verifies the callers' bearer tokens, HS256 and RS256.
pkg_check_modules(JWT REQUIRED IMPORTED_TARGET libjwt)
# tcmalloc (gperftools' minimal build) as every executable's allocator: the services
# allocate a protobuf message and its strings per row and per call from up to 128 handler
# threads, which glibc's malloc serves from contended arenas (bench/RESULTS.md has the
# figures). Sanitizer and fuzz builds keep their own allocator.
if(NOT CRM_SANITIZE AND NOT CRM_FUZZ)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
endif()
if(CRM_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(CRM_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()
