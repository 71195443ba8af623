#!/usr/bin/env python3
"""bench/scenarios/headline_x20.textproto is the headline scaled by 20 (ctest
bench_scaled_company): both flattened by `orgsim validate --flatten` must match
line by line, except the scenario's own name and description and the scaled
fields, which must be exactly 20 times the headline's. So a team, segment or
headcount added to the headline's company later fails here, naming the line,
instead of quietly making the company less than 20 times as large.

    scaled_company_test.py ORGSIM SOURCE_DIR
"""
import subprocess
import sys

SCALED = {"initial_headcount", "final_headcount", "potential_customers",
          "initial_customers", "initial_cash"}
OWN = {"name", "description"}  # top level only: the scenario's identity


def flattened(orgsim, path):
    out = subprocess.run([orgsim, "validate", "--flatten", path], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line and not line.startswith("#")]


def main():
    orgsim, root = sys.argv[1], sys.argv[2]
    headline = flattened(orgsim, root + "/scenarios/product_led_vs_project_mode.textproto")
    x20 = flattened(orgsim, root + "/bench/scenarios/headline_x20.textproto")
    errors = []
    if len(headline) != len(x20):
        errors.append("flattened lengths differ (%d vs %d lines)" % (len(headline), len(x20)))
    scaled = 0
    for i, (a, b) in enumerate(zip(headline, x20), 1):
        key_a, _, value_a = a.strip().partition(": ")
        key_b, _, value_b = b.strip().partition(": ")
        if key_a != key_b:
            errors.append("line %d: %r vs %r" % (i, a, b))
            break
        if key_a in SCALED:
            scaled += 1
            if float(value_b) != 20 * float(value_a):
                errors.append("line %d: %s is %s, not 20 x %s" % (i, key_a, value_b, value_a))
        elif a != b and not (key_a in OWN and not a.startswith(" ")):
            errors.append("line %d differs: %r vs %r" % (i, a, b))
    if errors:
        print("bench/scenarios/headline_x20.textproto is no longer the headline x 20:")
        print("\n".join("  " + e for e in errors))
        return 1
    print("headline_x20: %d scaled fields, each 20 x the headline's; the rest identical" % scaled)
    return 0


if __name__ == "__main__":
    sys.exit(main())
