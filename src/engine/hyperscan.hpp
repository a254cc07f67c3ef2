#pragma once
// Owners of Hyperscan handles, and the one place its return codes become
// exceptions. A database is immutable and shared between threads; scratch
// space belongs to one thread.

#include <hs/hs.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop::engine {

struct HsDatabaseFree {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct HsScratchFree {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};
struct HsCompileErrorFree {
  void operator()(hs_compile_error_t* e) const { hs_free_compile_error(e); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseFree>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchFree>;
using HsCompileError = std::unique_ptr<hs_compile_error_t, HsCompileErrorFree>;

// Throws RepoError("Hyperscan: <what>: error <rc>") unless rc is HS_SUCCESS.
void check_hs(hs_error_t rc, std::string_view what);

struct HsPattern {
  std::string expression;
  unsigned int flags = 0;
};

// Result of compiling many patterns: either a database, or the index of the
// first pattern Hyperscan rejected and its message.
struct HsCompileResult {
  HsDatabase database;
  int failed_index = -1;
  std::string message;
};

// Which CPU a database is compiled for: this one, or any x86-64 (no AVX2
// or AVX-512, generic tuning) for databases shipped with an install.
enum class CpuTarget { native, portable };

HsCompileResult compile_block_database(const std::vector<HsPattern>& patterns,
                                       CpuTarget target = CpuTarget::native);

// `literal` as a Hyperscan regex that matches exactly it: letters and
// digits as they are, every other byte written \xHH, so that none means
// anything else.
std::string escaped_literal(std::string_view literal);

// `pattern` with its large bounded repeats made open-ended (`{m,n}` with n
// over 16, or over 2 on a group, becomes `{m,}`): it matches everywhere
// the pattern does and more, and Hyperscan compiles it many times faster.
// For prefiltering only: RE2 confirms every hit with the real pattern.
std::string widen_repeats(std::string_view pattern);

// Largest number of bytes a match of `expression` can span, or nullopt when
// it is unbounded. Throws nothing; an invalid pattern yields nullopt.
std::optional<unsigned int> max_match_width(const HsPattern& pattern);

std::string serialize(const hs_database_t* db);
// Null when `bytes` is not a database this library and CPU can use.
HsDatabase deserialize(std::string_view bytes);

// Hyperscan version and the CPU features a serialized database depends on.
std::string platform_key(CpuTarget target = CpuTarget::native);

// Scratch space big enough for every non-null database in `dbs`.
HsScratch allocate_scratch(std::initializer_list<const hs_database_t*> dbs);

} // namespace leakstop::engine
