/* The floor under any hook built on libgit2: what `leakstop staged` must do
   before it scans a byte. Initialise libgit2, open the repository, read
   HEAD's tree and the index, and compare them. Built by bench/precommit.sh
   the way the release binary is (libgit2's static archive), with the same
   two mbedTLS functions replaced as src/cli/no_ca_certificates.cpp does, so
   that libgit2's start-up does not parse every system CA certificate. */
#include <git2.h>
#include <stdio.h>

struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt* chain, const char* path) {
  (void)chain;
  (void)path;
  return 0;
}
int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt* chain, const char* path) {
  (void)chain;
  (void)path;
  return 0;
}

int main(void) {
  git_repository* repo = NULL;
  git_object* tree = NULL;
  git_index* index = NULL;
  git_diff* diff = NULL;
  int rc = 0;
  git_libgit2_init();
  if (git_repository_open_ext(&repo, ".", 0, NULL) < 0 || git_revparse_single(&tree, repo, "HEAD^{tree}") < 0 ||
      git_repository_index(&index, repo) < 0 ||
      git_diff_tree_to_index(&diff, repo, (git_tree*)tree, index, NULL) < 0) {
    const git_error* error = git_error_last();
    fprintf(stderr, "libgit2_floor: %s\n", error && error->message ? error->message : "libgit2 error");
    rc = 1;
  } else {
    printf("%zu staged changes\n", git_diff_num_deltas(diff));
  }
  git_diff_free(diff);
  git_index_free(index);
  git_object_free(tree);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return rc;
}
