#pragma once
// Internal to leakstop_audit: what a path says about the environment it
// configures, whether it is test material, and what language it is in.
// The names come from CheckData (data/audit/checks.toml).

#include <string>
#include <string_view>

#include "audit/check_data.hpp"

namespace leakstop::audit {

// The canonical environment ("dev", "test", "staging", "qa", "prod") a
// file is specific to, or "" when it is not environment-specific:
// .env.<env>[.local], config/<env>.*, config/environments/<env>.rb,
// settings/<env>.py, application-<env>.{yml,properties}, appsettings.<Env>.json,
// Helm values-<env>.yaml, Kubernetes overlays/<env>/ and {environments,envs,
// k8s,deploy}/<env>/, <env>.tfvars.
std::string environment_of(std::string_view path, const CheckData& data);

// Test material: under tests/, spec/, fixtures/, testdata/..., or named
// *_test.*, *.spec.*, test_*.
bool is_test_path(std::string_view path, const CheckData& data);

// .env, .env.local, .env.<env>, .env.<env>.local: files meant to hold real
// values. Examples (.env.example, .env.sample, .env.template, .env.dist)
// are not.
bool is_env_file(std::string_view path, const CheckData& data);
bool is_env_example(std::string_view path, const CheckData& data);

// The last component of `path`.
std::string_view base_name(std::string_view path);

// One line reading `variable` from the environment in the language of
// `path` (process.env.X, os.environ["X"], os.Getenv("X"), ENV["X"],
// System.getenv("X"), getenv('X')), or "" when the language is unknown.
std::string env_read_example(std::string_view path, std::string_view variable);

// An environment variable name for a rule id: "stripe.secret-key" ->
// "STRIPE_SECRET_KEY".
std::string variable_for(std::string_view rule_id);

} // namespace leakstop::audit
