#pragma once
// A small valid rule file shared by tests that need one on disk.

namespace leakstop::test {

// One rule that fires on "zeta" and four digits.
inline constexpr const char* k_zeta_rule = R"([[rule]]
id = "demo.zeta"
description = "Zeta number"
severity = "low"
regex = '''\b(zeta[0-9]{4})\b'''
keywords = ["zeta"]
remediation = "None."
examples = ["x zeta1234", "zeta9876 y"]
negative_examples = ["zeta12", "beta1234"]
)";

// One rule that fires on "dmo_" and 20 letters or digits.
inline constexpr const char* k_token_rule = R"([[rule]]
id = "demo.token"
description = "Demo token"
severity = "high"
regex = '''\b(dmo_[a-zA-Z0-9]{20})\b'''
keywords = ["dmo_"]
remediation = "Rotate it."
examples = ["t = dmo_q8Zr2LmX0pW4nT7yB3cV", "dmo_Kd9sQ2mZ7xW1vB4nR8tY"]
negative_examples = ["dmo_short", "xmo_q8Zr2LmX0pW4nT7yB3cV"]
)";

} // namespace leakstop::test
