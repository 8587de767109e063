#!/usr/bin/env python3
"""The Python tutorial's aggregation of a day, for `billing-alert bench --compare-python`.

    tutorial_aggregate.py DAY.json [TUTORIAL_CHECKOUT]

Given a checkout of the tutorial (the folder that holds core/aggregator.py), it times the tutorial's
own code: json.load of the whole file, then core.aggregator's extract_entries and aggregate_daily, as
its daily job calls them. Without one, it times this repository's rendition of the same steps:
json.load, then the five amounts summed per (domainId, projectId, serviceId) with the sets of
pricing types and regions.

Prints {"seconds", "peakResidentMegabytes", "keys", "code"} on one line; "code" says which ran.
"""
import json
import os
import resource
import sys
import time

FIELDS = ("usageTime", "usageSize", "generalAmount", "discountAmount", "expectAmount")


def number(value):
    if value is None or value == "":
        return 0.0
    return float(value)


def rendition(data):
    """This repository's rendition: the tutorial's sums per key, without its summary objects."""
    rows = (data.get("result") or {}).get("content") or []
    aggregates = {}
    for row in rows:
        key = (row.get("domainId"), row.get("projectId"), row.get("serviceId"))
        entry = aggregates.get(key)
        if entry is None:
            entry = aggregates[key] = {"sums": [0.0] * 5, "pricingTypes": set(), "regions": set(), "rows": 0}
        sums = entry["sums"]
        for index, field in enumerate(FIELDS):
            sums[index] += number(row.get(field))
        if row.get("pricingType"):
            entry["pricingTypes"].add(row["pricingType"])
        if row.get("region"):
            entry["regions"].add(row["region"])
        entry["rows"] += 1
    return len(aggregates)


def tutorial_functions(checkout):
    """The checkout's own extract_entries and aggregate_daily, or exits saying what is missing."""
    module = os.path.join(checkout, "core", "aggregator.py")
    if not os.path.isfile(module):
        sys.exit(f"{checkout} is not a checkout of the tutorial: it has no core/aggregator.py")
    sys.path.insert(0, os.path.abspath(checkout))
    from core import aggregator  # the checkout's own module

    missing = [name for name in ("extract_entries", "aggregate_daily") if not hasattr(aggregator, name)]
    if missing:
        sys.exit(f"{module} has no {' or '.join(missing)}: is it the tutorial's aggregator?")
    return aggregator.extract_entries, aggregator.aggregate_daily


def main(path, checkout=None):
    if checkout is None:
        code = "scripts/tutorial_aggregate.py"
        aggregate = rendition
    else:
        code = os.path.join(checkout, "core", "aggregator.py")
        extract_entries, aggregate_daily = tutorial_functions(checkout)

        def aggregate(data):
            return len(aggregate_daily(extract_entries(data)))

    start = time.perf_counter()
    with open(path, "rb") as handle:
        data = json.load(handle)
    keys = aggregate(data)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peakResidentMegabytes": peak, "keys": keys, "code": code}))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: tutorial_aggregate.py DAY.json [TUTORIAL_CHECKOUT]")
    main(*sys.argv[1:])
