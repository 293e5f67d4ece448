#!/usr/bin/env python3
"""Time pabutools 1.2.3 and shequ on the largest approval files, in the same run.

Usage (a throwaway virtual environment, nothing installed system-wide):
    python3 -m venv /tmp/pbvenv && /tmp/pbvenv/bin/pip install pabutools==1.2.3
    cargo build --release -p shequ
    /tmp/pbvenv/bin/python scripts/bench-pb-pabutools.py [DATA_DIR]

Both sides are timed on the rule alone (parsing excluded; shequ reports its own
solve time with `pb solve --timing`, median of 3 processes). shequ's outcome is
checked against reference_outcomes.json (pabutools defaults, exact fractions).
pabutools' greedy_utilitarian_welfare is timed as pabutools' greedy; its
outcome is not the reference's greedy_av on these files, so only the time is compared.
"""
import json, os, re, subprocess, sys, time
from pabutools.election import parse_pabulib, Cost_Sat, Cardinality_Sat
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SHEQU_PABULIB_DIR", os.path.join(here, "../../shared/data/pabulib"))
refs = json.load(open(os.path.join(data, "reference_outcomes.json")))
shequ = os.path.join(here, "../target/release/shequ")
files = ["Poland_Lodz_2022.pb", "Poland_Warszawa_2026.pb"]
rules = {
    "greedy": ("greedy_av", lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=Cardinality_Sat)),
    "mes": ("mes", lambda i, p: method_of_equal_shares(i, p, sat_class=Cost_Sat)),
    "phragmen": ("phragmen", lambda i, p: sequential_phragmen(i, p)),
}
print("| file | rule | pabutools | shequ | speed-up | shequ = reference |")
print("|---|---|---:|---:|---:|---|")
for f in files:
    path = os.path.join(data, f)
    instance, profile = parse_pabulib(path)
    for name, (key, rule) in rules.items():
        t = time.perf_counter()
        rule(instance, profile)
        t_pabu = time.perf_counter() - t
        runs, out = [], ""
        for _ in range(3):
            p = subprocess.run([shequ, "pb", "solve", "--timing", "--rule", name, path], capture_output=True, text=True, check=True)
            out = p.stdout
            runs.append(float(re.search(r"solve_ms=([0-9.]+)", p.stderr).group(1)) / 1000)
        t_shequ = sorted(runs)[1]
        same = set(out.split()) == set(refs[f]["outcomes"][key])
        print(f"| {f} | {name} | {t_pabu:.2f} s | {t_shequ * 1000:.1f} ms | {t_pabu / t_shequ:.0f}× | {'yes' if same else 'NO'} |")
        sys.stdout.flush()
