#!/usr/bin/env python3
"""Reads the JSON reports of Lighthouse and criterion for bench.sh and prints
shell assignments (NAME=value) for it to eval."""
import json
import shlex
import sys


def lighthouse(path):
    r = json.load(open(path))
    a = r["audits"]
    cats = r["categories"]

    def score(cat):
        # An empty value when the category was not run (or could not score).
        c = cats.get(cat)
        return "" if c is None or c["score"] is None else round(c["score"] * 100)

    print(f"LH_SCORE={score('performance')}")
    print(f"LH_A11Y={score('accessibility')}")
    print(f"LH_BP={score('best-practices')}")
    print(f"LH_SEO={score('seo')}")
    # The weighted audits that cost points outside performance, by id.
    failed = sorted(
        ref["id"]
        for cat in ("accessibility", "best-practices", "seo")
        for ref in cats.get(cat, {}).get("auditRefs", [])
        if ref.get("weight", 0) > 0
        and a.get(ref["id"], {}).get("score") is not None
        and a[ref["id"]]["score"] < 1
    )
    print(f"LH_FAILED={shlex.quote(' '.join(failed))}")
    if "performance" in cats:
        print(f"LH_FCP={a['first-contentful-paint']['numericValue']:.0f}")
        print(f"LH_LCP={a['largest-contentful-paint']['numericValue']:.0f}")
        print(f"LH_TBT={a['total-blocking-time']['numericValue']:.0f}")
        print(f"LH_CLS={a['cumulative-layout-shift']['numericValue']:.3f}")


def criterion(lessons, size):
    lessons, size = int(lessons), int(size)

    def mean(name):
        path = f"target/criterion/pipeline/{name}/new/estimates.json"
        return json.load(open(path))["mean"]["point_estimate"]

    ns = mean("render_curriculum")
    print(f"MD_MS={ns / 1e6:.2f}")
    print(f"MD_PER_LESSON_US={ns / 1e3 / lessons:.0f}")
    print(f"MD_MIBS={size / (ns / 1e9) / 1048576:.2f}")
    print(f"GIFT_US={mean('parse_gift_quizzes') / 1e3:.0f}")


if __name__ == "__main__":
    {"lighthouse": lighthouse, "criterion": criterion}[sys.argv[1]](*sys.argv[2:])
