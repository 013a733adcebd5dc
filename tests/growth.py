#!/usr/bin/env python3
"""growth.py DEPTHBOOK SCRATCH [CLASS...]: builds each input class of
tests/t_growth.sh at 10 KB, 100 KB and 1 MB, times `depthbook check` (or,
for a "build:" class, `build --only html,epub,anki`, for a "build(OUTPUTS):"
class `build --only OUTPUTS`, for a "fmt:" class `fmt --check`) on each (the best of three interleaved rounds,
a run stopped at LIMIT seconds), and prints one line per class:

    CLASS t10k t100k t1m ratio1 ratio2 STATUS FLOOR

CPU times in milliseconds, ratios of consecutive sizes; STATUS is "ok" when
both ratios are at most 15 (a 10x larger input takes at most 15x longer),
or, where the environment names GROWTH_FLOOR (tests/bench/floor.c: cmark-
gfm parsing the same file alone), at most 1.5 times the floor's own ratio
at that step: cmark-gfm itself grows 12-14x from 100 KB to 1 MB of short
paragraphs on a 2-core machine (its tree outgrows the caches), so a
linear class of ours can pass 15 by noise alone while a quadratic one is
still 100x; "slow" otherwise; FLOOR is "floor:R1x,R2x" when the floor was
timed (only for a step that looked slow), else "-"; "timeout" when a run hit the limit, "crash" when a
run died by a signal or exited 2 or more. The guide around
each input is tests/hostile/ok.md, so the check has real units to do."""
import os
import resource
import shutil
import struct
import subprocess
import sys
import time
import zlib

LIMIT = 10.0
SIZES = (10_000, 100_000, 1_000_000)
OK = open(os.path.join(os.path.dirname(__file__), "hostile", "ok.md")).read()


def repeat(unit, n):
    return unit * max(1, n // len(unit))


def nested(open_, close, n):
    k = max(1, n // (len(open_) + len(close)))
    return open_ * k + "x" + close * k


def png(i):
    """A 1x1 PNG whose one pixel is i: different bytes for each i, so that
    every image is a medium of its own (the deck names media by content)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixel = bytes([0, i & 255, (i >> 8) & 255, (i >> 16) & 255])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixel)) + chunk(b"IEND", b""))


def images(n):
    """n bytes of references to different images, and the image files:
    a class's generator may return (text, {path: bytes})."""
    k = max(1, n // 40)
    text = OK + "".join("![figure %d](img/i%d.png)\n" % (i, i) for i in range(k))
    return text, {"img/i%d.png" % i: png(i) for i in range(k)}


# name -> function of the byte count giving the guide text. The math
# classes wait for the formats helper's linear-time gen/math.c (#22).
CLASSES = {
    "prose": lambda n: OK + repeat("Some prose with *emphasis*, `code` and a [link](#q1-d1).\n\n", n),
    "one-long-line": lambda n: OK + "x" * n + "\n",
    "follow-ups": lambda n: OK + "".join(
        "###### Depth %d\n**Q:** q%d?\n**A:** a%d.\n\n" % (i, i, i)
        for i in range(4, 4 + n // 40)),
    "sections": lambda n: "# T\n\n" + "".join("## %d. S\n\n" % i for i in range(1, 1 + n // 10)),
    "nested-quotes": lambda n: OK + ">" * n + " deep\n",
    "nested-lists": lambda n: OK + "".join(" " * (2 * (i % 150)) + "- x\n" for i in range(n // 160)),
    "emphasis-runs": lambda n: OK + "*" * (n // 2) + "x" + "*" * (n // 2) + "\n",
    "open-brackets": lambda n: OK + "[" * n + "\n",
    "open-backticks": lambda n: OK + repeat("`a ", n) + "\n",
    "links": lambda n: OK + repeat("[l](#q1-d1) ", n) + "\n",
    "autolinks": lambda n: OK + repeat("www.example.com/a ", n) + "\n",
    "entities": lambda n: OK + repeat("&amp;&#x41;&copy; ", n) + "\n",
    "raw-html": lambda n: OK + repeat("<b><i>x</i></b> <script>y</script> ", n) + "\n",
    "smart-quotes": lambda n: OK + repeat("\"a' 'b\" -- ... ", n) + "\n",
    "table-tall": lambda n: OK + "\n| a | b | c |\n|---|---|---|\n" + repeat("| x | y | z |\n", n),
    "table-wide": lambda n: OK + "\n" + "".join("|" + "c|" * (n // 22) + "\n" if r != 1 else "|" + "-|" * (n // 22) + "\n" for r in range(11)),
    "front-matter-flow": lambda n: "---\ntitle: " + nested("[", "]", n) + "\n---\n" + OK,
    "front-matter-long": lambda n: "---\ntitle: \"" + "t" * n + "\"\n---\n" + OK,
    "math-dollars": lambda n: OK + repeat("$a ", n) + "\n",
    # digit-led openers with TeX markup look past their first space
    "math-amount-marked": lambda n: OK + repeat("$2^ ", n) + "z$\n",
    "math-nested-sup": lambda n: OK + "$" + nested("x^{", "}", n) + "$\n",
    "math-nested-sqrt": lambda n: OK + "$" + nested("\\sqrt{", "}", n) + "$\n",
    "math-braces": lambda n: OK + "$" + nested("{", "}", n) + "$\n",
    # built, not only checked: the renderers walk what check accepts
    "build:prose": lambda n: OK + repeat("Some prose with *emphasis*, `code` and a [link](#q1-d1).\n\n", n),
    "build:math-nested-sup": lambda n: OK + "$" + nested("x^{", "}", n) + "$\n",
    "build:math-nested-sqrt": lambda n: OK + "$" + nested("\\sqrt{", "}", n) + "$\n",
    # 25,000 different images at 1 MB: the book and the deck look each one
    # up among the media they hold (the site's copying of the files, which
    # is system time, would hide a quadratic lookup in a whole build)
    "build(epub,anki):images": images,
    # fmt renumbers follow-ups numbered from 5 on and rewrites each link to one
    "fmt:follow-ups": lambda n: OK + "".join(
        "###### Depth %d\n**Q:** q?\n**A:** see [x](#q1-d%d) [y](#q1-d%d).\n\n" % (i, i, i + 1)
        for i in range(5, 5 + n // 70)),
}


def run(db, content):
    """One run's CPU time (user + system, from the kernel's accounting of
    the child: less disturbed by other work on a shared machine than wall
    time), in ms; None when it passed LIMIT seconds of wall time; "crash"
    when it died by a signal or exited 2 or more (check exits 0 or 1)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    base = os.path.basename(content)
    if base.startswith("build:") or base.startswith("build("):
        # into a new directory each time: an unchanged rebuild renders nothing
        shutil.rmtree(content + "-out", ignore_errors=True)
        outputs = base[6:base.index(")")] if base.startswith("build(") else "html,epub,anki"
        argv = [db, "build", "--only", outputs, "-o", content + "-out", content]
    elif base.startswith("fmt:"):
        argv = [db, "fmt", "--check", os.path.join(content, "guide.md")]
    else:
        argv = [db, "check", content]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode < 0 or proc.returncode >= 2:
        return "crash"
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def floor_time(floor, d):
    """The floor's CPU time on d's guide.md, in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([floor, os.path.join(d, "guide.md")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def measure(db, dirs, rounds):
    """The best time of each input over rounds interleaved rounds (each
    round runs every size once, so that a busy moment of the machine falls
    on all sizes alike); a string status instead when a run failed."""
    best = [None] * len(dirs)
    for _ in range(rounds):
        for i, d in enumerate(dirs):
            t = run(db, d)
            if t is None:
                return "timeout", best
            if t == "crash":
                return "crash", best
            best[i] = t if best[i] is None else min(best[i], t)
            if t > 2000:  # slow enough: no need for more rounds of it
                return None, best
    return None, best


def main():
    db, scratch = sys.argv[1], sys.argv[2]
    floor = os.environ.get("GROWTH_FLOOR")
    names = sys.argv[3:] or list(CLASSES)
    for name in names:
        dirs = []
        for size in SIZES:
            d = os.path.join(scratch, "%s-%d" % (name, size))
            os.makedirs(d, exist_ok=True)
            made = CLASSES[name](size)
            text, files = made if isinstance(made, tuple) else (made, {})
            with open(os.path.join(d, "guide.md"), "w") as f:
                f.write(text)
            for rel, data in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
                with open(os.path.join(d, rel), "wb") as f:
                    f.write(data)
            dirs.append(d)
        # A quadratic class is 100x per step, not 15x: noise on a shared
        # machine can push a linear one past 15, so a slow-looking class
        # is measured again (up to twice) before it counts as slow.
        best = [None] * len(dirs)
        fbest = [None] * len(dirs)

        def linear(ratios):
            if floor and None not in fbest:
                fr = [b / max(a, 0.001) for a, b in zip(fbest, fbest[1:])]
                return all(r <= 15 or r <= 1.5 * f for r, f in zip(ratios, fr))
            return all(r <= 15 for r in ratios)

        for attempt in range(3):
            failure, times = measure(db, dirs, 3)
            best = [t if b is None else (b if t is None else min(b, t)) for b, t in zip(best, times)]
            if failure is not None:
                break
            ratios = [b / max(a, 0.001) for a, b in zip(best, best[1:])]
            if all(r <= 15 for r in ratios):
                break
            # a slow-looking step: the floor's growth on the same files
            if floor:
                for _ in range(3):
                    for i, d in enumerate(dirs):
                        t = floor_time(floor, d)
                        fbest[i] = t if fbest[i] is None else min(fbest[i], t)
                if linear(ratios):
                    break
        times = [t for t in best if t is not None]
        ratios = [b / max(a, 0.001) for a, b in zip(times, times[1:])]
        status = failure or ("ok" if len(times) == 3 and linear(ratios) else "slow")
        cells = ["%.1f" % t for t in times] + ["-"] * (3 - len(times))
        cells += ["%.1f" % r for r in ratios] + ["-"] * (2 - len(ratios))
        fcells = "-"
        if None not in fbest:
            fcells = "floor:" + ",".join("%.1fx" % (b / max(a, 0.001)) for a, b in zip(fbest, fbest[1:]))
        print(name, *cells, status, fcells, flush=True)


main()
