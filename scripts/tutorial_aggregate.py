#!/usr/bin/env python3
"""The Python tutorial's way of aggregating a day, for `billing-alert bench --compare-python`.

It loads the whole API response with the json module, then sums the five amounts per
(domainId, projectId, serviceId) and keeps the sets of pricing types and regions, as the
tutorial's hourly and daily jobs do. Prints {"seconds", "peakResidentMegabytes", "keys"}.
"""
import json
import resource
import sys
import time

FIELDS = ("usageTime", "usageSize", "generalAmount", "discountAmount", "expectAmount")


def number(value):
    if value is None or value == "":
        return 0.0
    return float(value)


def main(path):
    start = time.perf_counter()
    with open(path, "rb") as handle:
        data = json.load(handle)
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
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peakResidentMegabytes": peak, "keys": len(aggregates)}))


if __name__ == "__main__":
    main(sys.argv[1])
