// The "Explore" section of the HTML report (`orgsim report` on a database
// written by `orgsim explore`): per comparison and metric, the share of the
// uncertainty space where each arm is significantly better, drawn as a
// stacked bar (Benjamini–Hochberg, raw and Holm rows), and the PRIM boxes
// where the baseline wins and where the claim fails, each drawn over the
// explored points on the box's two most restricted uncertainties (or the
// two the effect is most sensitive to), with coverage, density and bounds
// in a table; and the sensitivity ranking.
//
// Deterministic: the same report gives the same bytes (svg.h's numbers).
//
//   io::ExploreReport r = io::AnalyzeExplore(*reader, {"profit_total"}).value();
//   html.insert(body_end, report::ExploreSectionHtml(r));
#pragma once

#include <string>

#include "engine/io/explore_results.h"

namespace orgsim::report {

// A <section id="explore"> element (with its own inline <style>-free SVG).
std::string ExploreSectionHtml(const io::ExploreReport& report);

// Inserts ExploreSectionHtml(report) before the closing </body> of `html`
// (appended when there is none).
void InsertExploreSection(std::string& html, const io::ExploreReport& report);

}  // namespace orgsim::report
