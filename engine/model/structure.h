// Structure: the organization's communication graph as measured once per
// design point (PreparedModel: paths, betweenness, components without
// product), and the kernel's event count, reported as metrics.
//
// A mechanism with no events and no state of its own: it exists so that
// these metrics, like every other, are declared once next to what they
// read (mechanism.h).
#pragma once

#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

class Structure : public Mechanism {
 public:
  explicit Structure(World& world) { (void)world; }
  // pm_betweenness, info_*, anchor_*, components/pairs without PM, events.
  static std::vector<MetricDef> Metrics();
};

}  // namespace orgsim::model
