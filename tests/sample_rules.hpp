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

} // namespace leakstop::test
