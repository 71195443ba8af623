// ModelConfig: every lever of the orgsim organization model, with defaults.
//
// The structs are generated at build time from proto/orgsim/scenario.proto
// (tools/codegen/protoc_gen_orgsim.cc writes config_levers.h into the build
// tree): the schema is the one declaration of every lever, its default,
// range, unit and comment. To add a lever, add its field to scenario.proto
// and use it in engine/model/; nothing else is written by hand. The structs
// carry no protobuf type; engine/io/ converts a validated scenario into a
// ModelConfig with generated converters, and experiments sweep any numeric
// field by its path, e.g. `organization.pm.people_sense`.
//
// Conventions
//   * Struct and field names are the message and field names (a message M
//     becomes MConfig unless (config_struct) names it); enum values drop
//     their prefix (ROLE_CUSTOMER_SUCCESS -> Role::kCustomerSuccess).
//   * Every field comment gives: meaning; unit; valid range; the claim(s)
//     C1–C11 of /work/shared/mission.md it tests (or "mechanics" / "queueing"
//     for plumbing). Sources for defaults are in docs/model.md.
//   * Organizational designs such as "product-led" or "project mode" are NOT
//     represented here: they are bundles of lever values in scenario files.
//     The model never reads an arm name.
//   * Time is in days unless a name says otherwise; money in one currency
//     unit (think USD); probabilities and capability levels in [0, 1].
//
//   ModelConfig config;                       // defaults: a 3-year startup
//   config.organization.pm.people_sense = 0.8;
//   config.organization.operating.ceremony_hours_per_week = 2;
//   Status valid = CheckConfig(config);       // config_rules.h; the first bad value
//                                             // (ranges: ModelConfigRanges())
#pragma once

#include "engine/model/config_levers.h"  // generated
