#!/usr/bin/env python3
"""Checks that the working tree publishes the same bytes as another revision.

Builds the release binary of --base in a temporary git worktree and the release binary
of the working tree (uncommitted changes included), builds the same sites with both and
compares the sha256 of every output file:

  sample  the repository's sample site, each revision's own (its site.yaml, content/ and
          themes/), as `jiangtang build --root ROOT --output DIR --now NOW`;
  corpus  the generated corpus (../shared/bench/gen_corpus.py, flavour jiangtang,
          --pages pages, --seed), the same input for both, cached like bench/run.py's.

Prints `SITE: identical: N files` per site, or the files that differ, are missing (in the
base only) or extra (in the working tree only), the first --show of them, and exits 1.

--base defaults to the merge base of HEAD and `main` (HEAD itself on main; HEAD when
there is no `main`): what the current branch changed. Binaries are built with `nice`
into one target folder, --work/cargo (default target/same-output/cargo), so dependencies
are built once; the base's binary is kept by commit (--work/bin/SHA), so a second run
against the same base builds only the working tree.

--save-manifest DIR writes the base's manifests (`sha256sum` format: SITE.sha256, and
meta.json with the commit and the settings); --against-manifest DIR compares the working
tree against them instead of building a base (the settings are taken from meta.json).
Standard library only.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)
sys.dont_write_bytecode = True  # no __pycache__ in bench/
import run as bench  # noqa: E402  (the corpus cache and its generator, shared with run.py)

REPO = os.path.dirname(BENCH)
SITES = ("sample", "corpus")
DEFAULTS = {"now": "2026-12-07 09:00", "pages": 10000, "seed": 42}


def die(msg):
    print("same_output.py: " + msg, file=sys.stderr, flush=True)
    sys.exit(2)


def step(msg):
    print("==> " + msg, flush=True)


def git(*args, cwd=REPO):
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        die("git %s failed:\n%s" % (" ".join(args), r.stderr.strip()))
    return r.stdout.strip()


def default_base():
    r = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO,
                       capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else "HEAD"


def cargo_build(src, work, dest):
    """`cargo build --release` of the checkout `src`, its binary copied to `dest`."""
    t0 = time.perf_counter()
    target = os.path.join(work, "cargo")
    r = subprocess.run(["nice", "-n", "19", "cargo", "build", "--release",
                        "--bin", "jiangtang", "--target-dir", target], cwd=src)
    if r.returncode != 0:
        die("cargo build --release failed in %s" % src)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = dest + ".tmp"
    shutil.copy2(os.path.join(target, "release", "jiangtang"), tmp)
    os.replace(tmp, dest)
    print("    built %s (%.0f s)" % (dest, time.perf_counter() - t0), flush=True)


def build_site(binary, root, out, now):
    bench.rmtree(out)
    t0 = time.perf_counter()
    r = subprocess.run(["nice", "-n", "10", binary, "build", "--root", root, "--output", out,
                        "--now", now], capture_output=True, text=True)
    if r.returncode != 0:
        die("%s build --root %s failed:\n%s%s" % (binary, root, r.stdout, r.stderr))
    print("    %s → %s (%.1f s)" % (root, out, time.perf_counter() - t0), flush=True)


def file_sha(path):
    if os.path.islink(path):
        return hashlib.sha256(b"symlink:" + os.fsencode(os.readlink(path))).hexdigest()
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(root):
    """{relative path: sha256} of every file under root."""
    rels = []
    for d, dirs, names in os.walk(root):
        dirs.sort()
        rels += [os.path.relpath(os.path.join(d, n), root) for n in names]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        shas = pool.map(lambda rel: file_sha(os.path.join(root, rel)), rels, chunksize=64)
        return dict(zip(rels, shas))


def write_manifest(path, files):
    with open(path, "w", encoding="utf-8") as f:
        for rel in sorted(files):
            f.write("%s  %s\n" % (files[rel], rel))


def read_manifest(path):
    files = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            sha, rel = line.rstrip("\n").split("  ", 1)
            files[rel] = sha
    return files


def compare(site, base, work, show):
    """Prints the verdict for one site; True when identical."""
    rows = [("differs", r) for r in sorted(base.keys() & work.keys()) if base[r] != work[r]]
    rows += [("missing", r) for r in sorted(base.keys() - work.keys())]
    rows += [("extra", r) for r in sorted(work.keys() - base.keys())]
    if not rows:
        print("%s: identical: %d files" % (site, len(work)), flush=True)
        return True
    counts = {k: sum(1 for kind, _ in rows if kind == k) for k in ("differs", "missing", "extra")}
    print("%s: NOT identical: %d differ, %d missing (base only), %d extra (working tree only); "
          "base %d files, working tree %d" % (site, counts["differs"], counts["missing"],
                                              counts["extra"], len(base), len(work)), flush=True)
    for kind, rel in rows[:show]:
        print("  %-8s %s" % (kind, rel))
    if len(rows) > show:
        print("  … and %d more" % (len(rows) - show))
    return False


def settings(args):
    """now, pages, seed: from the options, else from --against-manifest's meta.json."""
    meta = {}
    if args.against_manifest:
        path = os.path.join(args.against_manifest, "meta.json")
        try:
            with open(path, encoding="utf-8") as f:
                meta = json.load(f)
        except (OSError, ValueError) as e:
            die("cannot read %s: %s" % (path, e))
        for key in DEFAULTS:
            given = getattr(args, key)
            if given is not None and given != meta[key]:
                die("--%s %s, but the manifest was made with %s" % (key, given, meta[key]))
    for key, value in DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, meta.get(key, value))
    return meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--base", help="revision to compare with (default: merge base of HEAD "
                    "and main)")
    ap.add_argument("--sites", default=",".join(SITES),
                    help="comma-separated, of: sample, corpus (default %(default)s)")
    ap.add_argument("--pages", type=int, help="corpus pages (default %d)" % DEFAULTS["pages"])
    ap.add_argument("--seed", type=int, help="corpus seed (default %d)" % DEFAULTS["seed"])
    ap.add_argument("--now", help="the build's --now (default %r)" % DEFAULTS["now"])
    ap.add_argument("--save-manifest", metavar="DIR", help="write the base's manifests here")
    ap.add_argument("--against-manifest", metavar="DIR",
                    help="compare with these manifests instead of building a base")
    ap.add_argument("--show", type=int, default=50, help="files listed per site (default 50)")
    ap.add_argument("--work", default=os.path.join(REPO, "target", "same-output"),
                    help="binaries, cargo target and outputs (default %(default)s)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the built sites under WORK/out (removed otherwise)")
    ap.add_argument("--gen", default=bench.DEFAULT_GEN, help="gen_corpus.py (default %(default)s)")
    ap.add_argument("--cache", default=os.environ.get("JIANGTANG_BENCH_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "jiangtang-bench"),
        help="corpus cache, shared with run.py (default %(default)s)")
    args = ap.parse_args()

    t_start = time.perf_counter()
    if args.save_manifest and args.against_manifest:
        die("--save-manifest and --against-manifest exclude each other")
    if args.against_manifest and args.base:
        die("--base and --against-manifest exclude each other")
    sites = [s.strip() for s in args.sites.split(",") if s.strip()]
    if not sites or any(s not in SITES for s in sites):
        die("--sites takes a comma-separated list of: " + ", ".join(SITES))
    meta = settings(args)
    args.work = os.path.abspath(args.work)
    args.cache = os.path.abspath(os.path.expanduser(args.cache))
    gen_sha = bench.sha_file(args.gen, 8)
    if meta:
        sites = [s for s in sites if os.path.exists(os.path.join(args.against_manifest, s + ".sha256"))]
        if not sites:
            die("%s holds no manifest of the sites asked for" % args.against_manifest)
        if "corpus" in sites and meta.get("generator") != gen_sha:
            die("%s has changed since the manifest was made (generator %s, now %s): its corpus "
                "is another input" % (args.gen, meta.get("generator"), gen_sha))

    out_dir = os.path.join(args.work, "out")
    corpus = None
    if "corpus" in sites:
        step("corpus: %d pages, seed %d" % (args.pages, args.seed))
        corpus = bench.corpus(args, "jiangtang", args.pages)

    base_files = {}
    if meta:
        base_desc = "manifest %s (commit %s)" % (args.against_manifest, meta.get("commit"))
        for site in sites:
            base_files[site] = read_manifest(os.path.join(args.against_manifest, site + ".sha256"))
    else:
        rev = args.base or default_base()
        commit = git("rev-parse", "--verify", rev + "^{commit}")
        base_desc = "%s (%s)" % (rev, commit[:12])
        base_bin = os.path.join(args.work, "bin", commit, "jiangtang")
        tree = tempfile.mkdtemp(prefix="jiangtang-base-")
        os.rmdir(tree)
        git("worktree", "add", "--detach", "--quiet", tree, commit)
        try:
            if os.path.exists(base_bin):
                step("base %s: binary already built" % base_desc)
            else:
                step("base %s: cargo build --release" % base_desc)
                cargo_build(tree, args.work, base_bin)
            for site in sites:
                out = os.path.join(out_dir, "base-" + site)
                step("base: building the %s site" % site)
                build_site(base_bin, tree if site == "sample" else corpus, out, args.now)
                base_files[site] = manifest(out)
        finally:
            git("worktree", "remove", "--force", tree)
        if args.save_manifest:
            os.makedirs(args.save_manifest, exist_ok=True)
            for site in sites:
                write_manifest(os.path.join(args.save_manifest, site + ".sha256"), base_files[site])
            with open(os.path.join(args.save_manifest, "meta.json"), "w", encoding="utf-8") as f:
                json.dump({"commit": commit, "rev": rev, "now": args.now, "pages": args.pages,
                           "seed": args.seed, "generator": gen_sha,
                           "files": {s: len(base_files[s]) for s in sites}}, f, indent=1)
                f.write("\n")
            step("manifests of %s written to %s" % (base_desc, args.save_manifest))

    step("working tree: cargo build --release")
    work_bin = os.path.join(args.work, "bin", "work", "jiangtang")
    cargo_build(REPO, args.work, work_bin)
    work_files = {}
    for site in sites:
        out = os.path.join(out_dir, "work-" + site)
        step("working tree: building the %s site" % site)
        build_site(work_bin, REPO if site == "sample" else corpus, out, args.now)
        work_files[site] = manifest(out)

    if args.keep:
        step("outputs kept in %s" % out_dir)
    else:
        bench.rmtree(out_dir)
    step("working tree against %s, --now %r" % (base_desc, args.now))
    same = [compare(site, base_files[site], work_files[site], args.show) for site in sites]
    print("(%.0f s)" % (time.perf_counter() - t_start), flush=True)
    sys.exit(0 if all(same) else 1)


if __name__ == "__main__":
    main()
