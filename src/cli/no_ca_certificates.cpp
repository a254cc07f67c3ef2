// leakstop reads local repositories only: it never opens a network
// connection through libgit2. Yet Debian's libgit2 (built with mbedTLS)
// loads and parses every system CA certificate inside git_libgit2_init().
//
// NOTE: that parse took 4.3 ms of a 4.9 ms git_libgit2_init() on the CI
// machine, a quarter of a pre-commit run on bench/precommit.sh's repository.
//
// The executable exports these two definitions (see src/CMakeLists.txt), and
// the dynamic linker binds libgit2's calls to them ahead of libmbedx509's, so
// nothing is loaded. Should libgit2 ever open a TLS connection in this
// process, it would find no trusted CA and refuse it: fail closed. Delete
// this file if leakstop ever needs HTTPS through libgit2.

extern "C" {

struct mbedtls_x509_crt;

int mbedtls_x509_crt_parse_file(mbedtls_x509_crt* /*chain*/, const char* /*path*/) {
  return 0;
}

int mbedtls_x509_crt_parse_path(mbedtls_x509_crt* /*chain*/, const char* /*path*/) {
  return 0;
}

} // extern "C"
