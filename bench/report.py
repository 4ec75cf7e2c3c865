#!/usr/bin/env python3
"""make bench's report: reads the rows bench/run.sh measured (one JSON
object per line) and the run's metadata, divides every figure by its
ceiling and opensstp's by the best peer of the same run, and writes
NAME.json, NAME.md and NAME.png (gnuplot) in the results directory, plus
latest.md; prints the Markdown to stdout.

    report.py --rows rows.jsonl --meta meta.json --micro micro.txt \
        --out bench/results --name 2026-11-25T2040Z-host
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

US = "opensstp"

# The order of the table; rows of an id not listed come after, as found.
TUNNEL_IDS = [
    "tput_up", "tput_down",
    "cpu_server_up", "cpu_client_up", "cpu_both_up",
    "cpu_server_down", "cpu_client_down", "cpu_both_down",
    "rtt_idle", "rtt_idle_p90",
    "rtt_load_up", "rtt_load_p90_up", "rtt_added_up",
    "rtt_load_down", "rtt_load_p90_down", "rtt_added_down",
    "setup_ms", "mem_per_client",
]


def load_rows(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def fmt(v):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    a = abs(v)
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    if a >= 0.1 or a == 0:
        return "%.2f" % v
    return "%.3f" % v


def ok(r):
    return r is not None and r.get("status") == "ok" and \
        isinstance(r.get("value"), (int, float))


def is_reference(provider):
    """Peers over UDP (ocserv with DTLS) are shown but are nobody's
    best TCP peer."""
    return provider is not None and "dtls" in provider


class Report:
    def __init__(self, rows, meta):
        self.rows = rows
        self.meta = meta
        self.notes = []
        self.providers = [p for p in meta.get("providers_run", [])]
        self.peers = [p for p in self.providers if p != US]
        self.ccs = meta.get("ccs", [])

    def find(self, rid, provider=None, cc=None, any_cc=False):
        for r in self.rows:
            if r.get("id") != rid or r.get("provider") != provider:
                continue
            if any_cc or r.get("cc") == cc:
                return r
        return None

    def ceiling_of(self, r):
        cid = r.get("ceiling")
        if not cid:
            return None
        c = self.find(cid, None, r.get("cc"))
        if c is None:
            c = self.find(cid, None, None)
        if c is None:
            c = self.find(cid, None, any_cc=True)
        return c

    def best_peer(self, r):
        best = None
        for p in self.peers:
            if is_reference(p):
                continue
            x = self.find(r["id"], p, r.get("cc"))
            if not ok(x):
                continue
            if best is None or (
                    x["value"] > best["value"] if r.get("better") == "higher"
                    else x["value"] < best["value"]):
                best = x
        return best

    def annotate(self):
        """Ratios into every row: ratio_ceiling (value / its ceiling),
        and for opensstp's, ratio_best_peer (value / the best TCP
        peer's)."""
        for r in self.rows:
            c = self.ceiling_of(r)
            if ok(r) and ok(c) and c["value"] != 0:
                r["ceiling_value"] = c["value"]
                r["ceiling_label"] = c.get("short") or c.get("id")
                r["ratio_ceiling"] = r["value"] / c["value"]
            if r.get("provider") == US and r.get("group") == "tunnel" and ok(r):
                b = self.best_peer(r)
                if b is not None and b["value"] != 0:
                    r["best_peer"] = b["provider"]
                    r["best_peer_value"] = b["value"]
                    r["ratio_best_peer"] = r["value"] / b["value"]

    def note(self, text):
        self.notes.append(text)
        return "[%d]" % len(self.notes)

    def cell(self, r):
        if r is None:
            return ""
        if r.get("status") == "failed":
            return "FAILED " + self.note("%s %s%s: %s" % (
                r.get("provider") or "ceiling", r.get("id"),
                " (%s)" % r["cc"] if r.get("cc") else "", r.get("note")))
        if r.get("status") == "skipped":
            return "skipped " + self.note("%s %s: %s" % (
                r.get("provider") or "ceiling", r.get("id"), r.get("note")))
        return fmt(r.get("value"))

    def table(self):
        cols = ["figure", "CC", US, "ceiling", "÷ ceiling",
                "best TCP peer", "÷ best peer"] + self.peers
        out = ["| " + " | ".join(cols) + " |",
               "|" + "---|" * len(cols)]

        def title(r):
            """Label, unit and which way is better, as far as known."""
            t = r.get("label") or r["id"]
            if r.get("unit"):
                t += ", " + r["unit"]
            if r.get("better"):
                t += " ↑" if r["better"] == "higher" else " ↓"
            return t

        def line(cells):
            out.append("| " + " | ".join(cells) + " |")

        def section(title):
            line(["**%s**" % title] + [""] * (len(cols) - 1))

        def tunnel_line(rid, cc):
            mine = self.find(rid, US, cc)
            peers = [self.find(rid, p, cc) for p in self.peers]
            proto = mine or next((x for x in peers if x), None)
            if proto is None:
                return
            cells = [title(proto), cc or "—", self.cell(mine)]
            cells += self.ceiling_cells(mine if ok(mine) else proto)
            if mine is not None and "ratio_best_peer" in mine:
                cells += ["%s %s" % (mine["best_peer"],
                                     fmt(mine["best_peer_value"])),
                          fmt(mine["ratio_best_peer"]) + "×"]
            else:
                cells += ["", ""]
            cells += [self.cell(x) for x in peers]
            line(cells)

        for cc in self.ccs:
            section("One TCP stream through each tunnel, congestion "
                    "control %s" % cc)
            for rid in TUNNEL_IDS:
                tunnel_line(rid, cc)
        section("Set-up and memory (congestion control %s)" %
                self.meta.get("default_cc"))
        for rid in TUNNEL_IDS:
            tunnel_line(rid, None)

        section("opensstp with many sessions")
        for r in self.rows:
            if r.get("group") != "sessions":
                continue
            cells = [title(r), r.get("cc") or "—", self.cell(r)]
            cells += self.ceiling_cells(r)
            cells += [""] * (len(cols) - len(cells))
            line(cells)

        section("Ceilings of this machine, measured in this run")
        for r in self.rows:
            if r.get("group") != "ceiling":
                continue
            cells = [title(r), r.get("cc") or "—", "", self.cell(r)]
            cells += [""] * (len(cols) - len(cells))
            line(cells)
        return "\n".join(out)

    def ceiling_cells(self, r):
        if r is None or "ceiling_value" not in r:
            c = self.ceiling_of(r) if r is not None else None
            if c is not None and c.get("status") == "failed":
                return ["FAILED (%s)" % c["id"], ""]
            return ["", ""]
        return ["%s (%s)" % (fmt(r["ceiling_value"]), r["ceiling_label"]),
                fmt(r["ratio_ceiling"]) + "×"]

    def targets(self):
        """The issue's targets, read off this run's figures (reported,
        never asserted)."""
        lines = ["| target | figures in this run | met? |", "|---|---|---|"]

        def add(what, figs, met):
            lines.append("| %s | %s | %s |" % (
                what, figs, "n/a" if met is None else
                ("yes" if met else "**no**")))

        def v(rid, p, cc=None):
            r = self.find(rid, p, cc)
            return r["value"] if ok(r) else None

        oc = "ocserv-tls"
        for cc in self.ccs:
            for d in ("up", "down"):
                a, b = v("tput_" + d, US, cc), v("tput_" + d, oc, cc)
                add("one stream %s ≥ 3× ocserv TLS-only (%s)" % (d, cc),
                    "%s vs %s Gbit/s" % (fmt(a), fmt(b)),
                    None if a is None or b is None else a >= 3 * b)
                a, b = v("cpu_both_" + d, US, cc), v("cpu_both_" + d, oc, cc)
                add("CPU per GB %s ≤ 1/3 of ocserv TLS-only (%s)" % (d, cc),
                    "%s vs %s CPU s/GB" % (fmt(a), fmt(b)),
                    None if a is None or b is None else a * 3 <= b)
                a = v("rtt_load_" + d, US, cc)
                tcp = [(p, v("rtt_load_" + d, p, cc)) for p in self.peers
                       if not is_reference(p)]
                tcp = [(p, x) for p, x in tcp if x is not None]
                add("RTT under load %s below every TCP peer's (%s)" % (d, cc),
                    "%s ms vs %s" % (fmt(a), ", ".join(
                        "%s %s" % (p, fmt(x)) for p, x in tcp) or "no peer"),
                    None if a is None or not tcp else
                    all(a < x for _, x in tcp))
                a = v("rtt_added_" + d, US, cc)
                add("RTT under load %s < 1 ms above idle (%s)" % (d, cc),
                    "+%s ms" % fmt(a), None if a is None else a < 1)
        rate = v("setup_rate_c100", US)
        hs = v("tls_hs_rate", None)
        add("set-up rate ≥ 0.7× full handshakes (wall, 100 at a time)",
            "%s vs %s /s" % (fmt(rate), fmt(hs)),
            None if rate is None or hs is None else rate >= 0.7 * hs)
        cpu = v("setup_cpu_c100", US)
        hcpu = v("tls_hs_server_ms", None)
        add("set-up rate per server core ≥ 0.7× handshakes per core",
            "%s vs %s server CPU ms each" % (fmt(cpu), fmt(hcpu)),
            None if cpu is None or hcpu is None else hcpu >= 0.7 * cpu)
        a, b = v("setup_ms", US), v("setup_ms", oc)
        add("time to first ping ≤ half of ocserv's",
            "%s vs %s ms" % (fmt(a), fmt(b)),
            None if a is None or b is None else a * 2 <= b)
        rss = v("tls_idle_rss", None)
        for r in self.rows:
            if r.get("id", "").startswith("mem_idle_") and ok(r):
                add("memory per idle session ≤ 1.3× idle TLS connection "
                    "(%s sessions)" % r["sessions"],
                    "%s vs %s KB" % (fmt(r["value"]), fmt(rss)),
                    None if rss is None else r["value"] <= 1.3 * rss)
        r = self.find("mem_idle_100000", US)
        add("100 000 idle sessions", "reached" if ok(r) else
            ("not run (QUICK)" if r is None else r.get("note")),
            None if r is None else ok(r))
        se = "softether"
        if se in self.peers:
            worse = []
            for r in self.rows:
                if r.get("provider") != US or r.get("group") != "tunnel":
                    continue
                x = self.find(r["id"], se, r.get("cc"))
                if not ok(r) or not ok(x):
                    continue
                better = r["value"] > x["value"] if r["better"] == "higher" \
                    else r["value"] < x["value"]
                if not better and not r["id"].startswith("rtt_added"):
                    worse.append("%s%s" % (r["id"], " (%s)" % r["cc"]
                                           if r.get("cc") else ""))
            add("better than SoftEther's server on every figure",
                "not better on: " + ", ".join(worse) if worse else
                "better on all", not worse)
        return "\n".join(lines)

    def markdown(self, micro):
        m = self.meta
        head = [
            "# make bench: %s" % m.get("date"),
            "",
            "%s%s" % ("QUICK run (shorter and fewer rows). " if m.get("quick")
                      else "", "Every figure below was measured in this "
                      "run; ratios divide opensstp's by the ceiling named "
                      "and by the best TCP peer (↑ higher is better, ↓ "
                      "lower is better, so a ratio above 1 is good for ↑ "
                      "and bad for ↓). See bench/README.md."),
            "",
            "| machine | |", "|---|---|",
            "| host | %s |" % m.get("hostname"),
            "| CPU | %s × %s |" % (m.get("nproc"), m.get("cpu_model")),
            "| memory | %s |" % m.get("memory"),
            "| kernel | %s |" % m.get("kernel"),
            "| OpenSSL | %s |" % m.get("openssl"),
            "| congestion control | default %s; rows run under %s |" % (
                m.get("default_cc"), ", ".join(self.ccs)),
            "| TLS of the opensstp rows and ceilings | %s, ECDSA P-256 "
            "certificate |" % m.get("tls"),
            "| tree | %s |" % m.get("git"),
            "| tools | %s |" % "; ".join(m.get("versions", [])),
            "| run | %s s, iperf3 %s s per stream |" % (
                m.get("duration_s"), m.get("iperf3_seconds")),
        ]
        body = self.table()
        skipped = ["- %s: %s" % (p, why)
                   for p, why in m.get("providers_skipped", {}).items()]
        tail = [""]
        if skipped:
            tail += ["Providers skipped:", ""] + skipped + [""]
        if self.notes:
            tail += ["Notes:", ""] + ["%d. %s" % (i + 1, n)
                                     for i, n in enumerate(self.notes)] + [""]
        tail += ["## The issue's targets, read off this run", "",
                 self.targets(), ""]
        if micro.strip():
            tail += ["## Micro-benchmarks (BUILD/bench)", "", "```",
                     micro.rstrip(), "```", ""]
        return "\n".join(head) + "\n\n" + body + "\n" + "\n".join(tail)


def chart(rep, png):
    """Aggregate throughput and set-up rate against sessions, one line
    per congestion control; gnuplot (gnuplot-nox)."""
    gp = shutil.which("gnuplot")
    if gp is None:
        return "no gnuplot: no chart"
    base = png[:-4]
    series = []
    for cc in rep.ccs:
        pts = []
        for r in rep.rows:
            if r.get("id", "").startswith("agg_up_") and r.get("cc") == cc \
                    and ok(r):
                pts.append((r["sessions"], r["value"]))
        if pts:
            series.append(("throughput, %s" % cc, sorted(pts)))
    rates = sorted((r["concurrency"], r["value"]) for r in rep.rows
                   if r.get("id", "").startswith("setup_rate_c") and ok(r))
    if not series and not rates:
        return "nothing to chart"
    with open(base + ".dat", "w") as f:
        for name, pts in series + [("setup rate", rates)]:
            f.write("# %s\n" % name)
            for x, y in pts:
                f.write("%s %s\n" % (x, y))
            f.write("\n\n")
    term = "pngcairo" if "pngcairo" in subprocess.run(
        [gp, "-e", "set terminal"], capture_output=True,
        text=True).stderr + subprocess.run(
        [gp, "-e", "set terminal"], capture_output=True,
        text=True).stdout else "png"
    plots = ", ".join(
        "'%s' index %d using 1:2 with linespoints title '%s'" %
        (base + ".dat", i, name) for i, (name, _) in enumerate(series))
    script = """
set terminal %s size 1100,450
set output '%s'
set multiplot layout 1,2 title 'opensstp, %s'
set logscale x
set grid
set key top left
set xlabel 'sessions, each with its own iperf3 stream'
set ylabel 'aggregate Gbit/s'
set xrange [0.7:150]
set yrange [0:*]
%s
set xlabel 'sessions being set up at once (opensstp-load)'
set ylabel 'sessions set up per second'
set xrange [0.7:150]
plot '%s' index %d using 1:2 with linespoints title 'set-up rate'
unset multiplot
""" % (term, png, rep.meta.get("date"),
       ("plot " + plots) if plots else "set label 'no throughput rows' at graph 0.3,0.5\nplot 0 notitle",
       base + ".dat", len(series))
    with open(base + ".gp", "w") as f:
        f.write(script)
    p = subprocess.run([gp, base + ".gp"], capture_output=True, text=True)
    os.unlink(base + ".gp")
    os.unlink(base + ".dat")
    if p.returncode != 0:
        return "gnuplot failed: " + p.stderr.strip()[-300:]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--micro")
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", required=True)
    a = ap.parse_args()
    rows = load_rows(a.rows)
    with open(a.meta) as f:
        meta = json.load(f)
    micro = ""
    if a.micro and os.path.exists(a.micro):
        with open(a.micro) as f:
            micro = f.read()
    rep = Report(rows, meta)
    rep.annotate()
    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, a.name)
    why = chart(rep, base + ".png")
    if why:
        meta["chart"] = why
    md = rep.markdown(micro)
    if why:
        md += "\nChart: %s\n" % why
    else:
        md += "\nChart: %s.png (aggregate throughput and set-up rate "\
              "against sessions)\n" % a.name
    with open(base + ".md", "w") as f:
        f.write(md)
    with open(os.path.join(a.out, "latest.md"), "w") as f:
        f.write(md)
    with open(base + ".json", "w") as f:
        json.dump({"meta": meta, "rows": rows, "micro": micro}, f, indent=1)
        f.write("\n")
    sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
