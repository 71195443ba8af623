#!/usr/bin/python3
"""PHOLD in SimPy 2 (Debian's python3-simpy 2.3.1, the SimPy 2 API): the
Python peer of orgsim-phold, for bench/compare_phold.sh.

    /usr/bin/python3 bench/phold_simpy.py --lps 1024 --per-lp 16 --end 10 --mean 1 --lookahead 0 --seed 1

Same model and flags as orgsim-phold (engine/phold/phold.h): each of the N*M events
in flight is a SimPy Process; arriving at time t counts as one processed
event, picks the next LP (uniformly random with probability --remote, else
itself) and holds for lookahead + Exp(mean). Last line, as orgsim-phold:

    events=<n> seconds=<s> events_per_s=<r>

where seconds is the wall time of simulate() (the event loop). Draws come
from Python's random.Random(seed), so counts match orgsim's in distribution,
not one by one. Run it with Debian's /usr/bin/python3, which has SimPy.
"""
import argparse
import random
import sys
import time

from SimPy.Simulation import Process, Simulation, hold


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("phold_simpy.py: error: %s\n" % message)
        sys.exit(2)


class Model:
    def __init__(self, args):
        self.lps = args.lps
        self.rate = 1.0 / args.mean
        self.lookahead = args.lookahead
        self.remote = args.remote
        self.rng = random.Random(args.seed)
        self.events = 0

    def delay(self):
        return self.lookahead + self.rng.expovariate(self.rate)


class InFlight(Process):
    """One of the N*M events in flight: a chain of arrivals at LPs."""

    def __init__(self, sim, lp):
        Process.__init__(self, sim=sim)
        self.lp = lp

    def run(self, model):
        rng = model.rng
        while True:
            model.events += 1  # an event arrives at self.lp at now()
            if model.remote >= 1.0 or (model.remote > 0.0 and rng.random() < model.remote):
                self.lp = rng.randrange(model.lps)
            yield hold, self, model.delay()


def main():
    parser = OneLineParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lps", type=int, default=1024)
    parser.add_argument("--per-lp", type=int, default=16)
    parser.add_argument("--end", type=float, default=100.0)
    parser.add_argument("--mean", type=float, default=1.0)
    parser.add_argument("--lookahead", type=float, default=0.0)
    parser.add_argument("--remote", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.lps < 1 or args.per_lp < 1:
        parser.error("--lps and --per-lp must be >= 1")
    if not (args.mean > 0 and args.lookahead >= 0 and args.end >= 0 and 0 <= args.remote <= 1):
        parser.error("need --mean > 0, --lookahead >= 0, --end >= 0, 0 <= --remote <= 1")

    model = Model(args)
    sim = Simulation()
    sim.initialize()
    for lp in range(args.lps):
        for _ in range(args.per_lp):
            p = InFlight(sim, lp)
            sim.activate(p, p.run(model), at=model.delay())
    start = time.perf_counter()
    sim.simulate(until=args.end)
    seconds = time.perf_counter() - start
    print("phold_simpy lps=%d per_lp=%d end=%g mean=%g lookahead=%g remote=%g seed=%d"
          % (args.lps, args.per_lp, args.end, args.mean, args.lookahead, args.remote, args.seed))
    print("events=%d seconds=%.6f events_per_s=%.0f"
          % (model.events, seconds, model.events / seconds if seconds > 0 else 0.0))


if __name__ == "__main__":
    main()
