#!/usr/bin/env python3
"""Encoder target: which libx264 preset/CRF pair the worker uses.

Goal (CONVENTIONS §5): at least 2x faster than the old system's plain `ffmpeg -i in out.mp4`
(libx264 medium, CRF 23) on the same file, at no more than 1.30x its size and an SSIM no more
than 0.005 below it. Every candidate is measured in the same run as the baseline; the ratios are
what count (this machine is shared and noisy). Usage: python3 bench/encoder.py [--seconds 30]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

CANDIDATES = [
    ("veryfast", 23, ""),
    ("superfast", 23, ""),
    ("superfast", 23, "mbtree=1:rc-lookahead=10"),
    ("superfast", 24, "mbtree=1:rc-lookahead=10"),
    ("veryfast", 23, "subme=1:me=dia:partitions=i8x8,i4x4"),
    ("veryfast", 24, "subme=1:me=dia:partitions=i8x8,i4x4"),
]


def run(args):
    t0 = time.monotonic()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def ssim(out, src):
    p = subprocess.run(["ffmpeg", "-nostdin", "-i", out, "-i", src, "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"],
                       check=True, capture_output=True, text=True)
    return float(re.findall(r"All:([0-9.]+)", p.stderr)[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=2, help="timings per encode; the fastest counts")
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="enc-bench-")
    src = os.path.join(d, "source.avi")
    # 720p with motion and film-grain-like noise, MPEG-4 Part 2 + MP3 in AVI: a typical upload.
    run(["ffmpeg", "-nostdin", "-y", "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={a.seconds},noise=alls=6:allf=t",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={a.seconds}", "-c:v", "mpeg4", "-q:v", "2", "-c:a", "libmp3lame", "-shortest", src])

    def best(args):
        return min(run(args) for _ in range(a.repeat))

    base_out = os.path.join(d, "base.mp4")
    base_t = best(["ffmpeg", "-nostdin", "-y", "-i", src, base_out])
    base_size = os.path.getsize(base_out)
    base_ssim = ssim(base_out, src)
    print(f"baseline `ffmpeg -i in out.mp4` (x264 medium crf 23): {base_t:.2f} s, {base_size/1e6:.2f} MB, SSIM {base_ssim:.4f}")
    print(f"{'preset':10} {'crf':>3} {'x264-params':38} {'speed':>6} {'size':>6} {'dSSIM':>8}  verdict")
    results = []
    for preset, crf, params in CANDIDATES:
        out = os.path.join(d, f"{preset}-{crf}-{len(results)}.mp4")
        args = ["ffmpeg", "-nostdin", "-y", "-i", src, "-map", "0:v:0", "-map", "0:a:0?", "-vf", "scale=1280:720,format=yuv420p",
                "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high"]
        if params:
            args += ["-x264-params", params]
        args += ["-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", out]
        t = best(args)
        speed, size, ds = base_t / t, os.path.getsize(out) / base_size, ssim(out, src) - base_ssim
        ok = speed >= 2.0 and size <= 1.30 and ds >= -0.005
        results.append(dict(preset=preset, crf=crf, params=params, speed=speed, size=size, dssim=ds, ok=ok))
        print(f"{preset:10} {crf:>3} {params or '-':38} {speed:5.2f}x {size:5.2f}x {ds:+8.4f}  {'meets target' if ok else 'misses'}")
    passing = [r for r in results if r["ok"]]
    if passing:
        # Timing noise here is several percent: among the candidates within 5% of the fastest,
        # take the best quality.
        fastest = max(r["speed"] for r in passing)
        pick = max((r for r in passing if r["speed"] >= 0.95 * fastest), key=lambda r: (r["dssim"], -r["size"]))
        print(f"\npick: preset={pick['preset']} crf={pick['crf']} x264-params={pick['params'] or '-'} "
              f"({pick['speed']:.2f}x faster, {pick['size']:.2f}x size, dSSIM {pick['dssim']:+.4f})")
    else:
        print("\nno candidate met the target in this run")
    json.dump(dict(baseline=dict(seconds=base_t, bytes=base_size, ssim=base_ssim), candidates=results),
              open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "encoder-last.json"), "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
