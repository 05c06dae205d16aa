#!/usr/bin/env python3
"""Pipeline benchmark (issue: core). Prints ratios against baselines measured in the same run.

1. Upload of a ~1 GiB file: growth of the web process's peak RSS (VmHWM) over its RSS before
   the upload. Target: at most 64 MiB.
2. One conversion job's wall time (clipcontest_transcode_seconds from /metrics: fetch, probe,
   ffmpeg, poster, store, DB) divided by bare ffmpeg run with the same argv on the same file
   (`worker inspect` prints it). Target: at most 1.10.
3. Median time from the upload's 201 response to the job leaving `queued` (embedded worker).
   Target: under 1 s.

Usage: python3 bench/pipeline.py [--big-mib 1024] [--skip-build] [--aws]
Needs: ffmpeg, curl, cargo. Builds the release binaries into $CARGO_TARGET_DIR.

--aws runs the same measurements in AWS mode (MariaDB, S3/SQS/SES on moto): start the peers with
`eval "$(bash .ci/aws-peers.sh start)"` and run this script with the moto venv's python (it has
boto3): `~/.cache/clipcontest/venv-moto/bin/python bench/pipeline.py --aws`. The upload then
streams into S3 multipart parts and the job downloads the original from and uploads the MP4 to S3.
"""
import argparse, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.expanduser("~"), ".cache/clipcontest/target"))
# BENCH_PROFILE=debug measures the test build (no cold release build of the AWS SDK): the app's
# own work is slower there, so its ratios are an upper bound of the release build's.
PROFILE = os.environ.get("BENCH_PROFILE", "release")
if PROFILE not in ("release", "debug"):
    sys.exit("BENCH_PROFILE must be release or debug")


def build():
    if PROFILE == "release":
        sh(["cargo", "build", "--release", "-q", "--locked", "-p", "web", "-p", "worker"], cwd=ROOT)
    else:
        sh(["cargo", "build", "-q", "--locked", "--workspace", "--bins"], cwd=ROOT)


def binary(name):
    return os.path.join(TARGET, PROFILE, name)


def sh(args, **kw):
    return subprocess.run(args, check=True, **kw)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def ffmpeg_gen(path, args):
    if not os.path.exists(path):
        sh(["ffmpeg", "-nostdin", "-v", "error", "-y", *args, path])
    return path


def aws_env():
    """A fresh database, bucket, queue + DLQ and SES identity on the peers; the app's env for them."""
    import boto3, uuid
    moto, mysql = os.environ["CLIPCONTEST_TEST_MOTO_URL"], os.environ.get("CLIPCONTEST_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306")
    creds = dict(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1")
    os.environ.update(creds)
    kw = dict(endpoint_url=moto, region_name="us-east-1")
    name = "bench-" + uuid.uuid4().hex[:10]
    boto3.client("s3", **kw).create_bucket(Bucket=name)
    sqs = boto3.client("sqs", **kw)
    dlq = sqs.create_queue(QueueName=name + "-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    q = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "60",
                         "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "10"})})["QueueUrl"]
    boto3.client("sesv2", **kw).create_email_identity(EmailIdentity="example.org")
    db = name.replace("-", "_")
    sh(["mariadb", "-h", "127.0.0.1", "-u", "root", "-e", f"CREATE DATABASE {db}"])
    return dict(creds, APP_MODE="aws", APP_DATABASE__URL=f"{mysql}/{db}", APP_AWS__ENDPOINT_URL=moto, APP_AWS__REGION="us-east-1",
                APP_AWS__S3_BUCKET=name, APP_AWS__SQS_QUEUE_URL=q, APP_AWS__SQS_DLQ_URL=dlq, APP_AWS__RELAY_POLL_MS="200",
                APP_MAIL__FROM="Bench <bench@example.org>", APP_SESSION_KEY="b" * 64, APP_BASE_URL="http://bench.test")


class Site:
    def __init__(self, work, embedded, aws=False):
        self.dir = tempfile.mkdtemp(dir=work)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.jar = os.path.join(self.dir, "cookies")
        env = dict(os.environ, APP_LISTEN=f"127.0.0.1:{self.port}", APP_DATA_DIR=os.path.join(self.dir, "data"),
                   APP_EMBEDDED_WORKER="true" if embedded else "false", APP_UPLOAD__MAX_BYTES=str(4 << 30),
                   APP_LOGIN_PER_MINUTE="100", RUST_LOG="warn,worker=info", APP_LOG_FORMAT="json",
                   # One participant uploads every round: lift the abuse limits (security.rs tests them).
                   APP_LIMITS__DEFAULT_ENTRIES_PER_EMAIL="1000", APP_LIMITS__UPLOADS_PER_ADDRESS="1000",
                   APP_LIMITS__MAILS_PER_RECIPIENT_PER_DAY="1000")
        if aws:
            env.update(aws_env())
        self.log = os.path.join(self.dir, "web.log")
        self.proc = subprocess.Popen([binary("web")], env=env, cwd=ROOT, stderr=subprocess.STDOUT,
                                     stdout=open(self.log, "w"))
        for _ in range(200):
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.05)
        self.csrf = None

    def curl(self, path, *args):
        p = subprocess.run(["curl", "-s", "-b", self.jar, "-c", self.jar, "-o", "-", "-w", "\n%{http_code}", *args, self.base + path],
                           check=True, capture_output=True)
        body, _, code = p.stdout.rpartition(b"\n")
        return int(code), body

    def get(self, path):
        return self.curl(path)

    def token(self, path="/login"):
        _, body = self.get(path)
        return re.search(rb'name="csrf_token" value="([0-9a-f]+)"', body).group(1).decode()

    def setup_contest(self):
        t = self.token("/register")
        code, _ = self.curl("/register", "-d", f"csrf_token={t}&email=bench%40example.org&password=benchmark-password")
        assert code == 303, code
        t = self.token("/contests/new")
        code, _ = self.curl("/contests", "-F", f"csrf_token={t}", "-F", "name=Bench", "-F", "slug=bench",
                            "-F", "starts_at=2020-01-01T00:00", "-F", "ends_at=2099-01-01T00:00")
        assert code == 303, code
        self.csrf = self.token("/c/bench")

    def upload(self, path, title):
        code, body = self.curl("/c/bench/videos", "-H", "Accept: application/json", "-F", f"csrf_token={self.csrf}",
                               "-F", f"title={title}", "-F", "first_name=Bench", "-F", "last_name=Mark",
                               "-F", "email=bench@example.org", "-F", f"video=@{path}")
        assert code == 201, (code, body[:300])
        return json.loads(body)["id"]

    def state(self, vid):
        # urllib, not a curl process: polling must not steal CPU from the encode being measured.
        with urllib.request.urlopen(f"{self.base}/api/videos/{vid}") as r:
            return json.loads(r.read())["state"]

    def wait(self, vid, states, timeout=600):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            s = self.state(vid)
            if s in states:
                return s
            time.sleep(0.25)
        raise SystemExit(f"video {vid} stuck")

    def transcode_seconds(self):
        _, body = self.get("/metrics")
        m = re.search(rb"clipcontest_transcode_seconds_sum ([0-9.e+-]+)", body)
        return float(m.group(1)) if m else 0.0

    def status(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def phases(self):
        """The worker's per-phase timings of its last conversion (from its JSON log)."""
        last = None
        with open(self.log) as f:
            for line in f:
                if '"converted"' in line:
                    last = json.loads(line).get("fields", {})
        return {k: v for k, v in (last or {}).items() if k.endswith("_ms")}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--big-mib", type=int, default=1024)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--conv-seconds", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3, help="jobs, interleaved with rounds+1 bare runs")
    ap.add_argument("--aws", action="store_true", help="AWS mode against MariaDB and moto (see above)")
    a = ap.parse_args()
    if not a.skip_build:
        build()
    work = tempfile.mkdtemp(prefix="pipe-bench-")
    results = {}
    try:
        # 1. Upload RSS (embedded worker off: the upload path alone).
        frames = max(1, (a.big_mib << 20) // (1280 * 720 * 3 // 2))
        big = ffmpeg_gen(os.path.join(work, "big.nut"), ["-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25", "-frames:v", str(frames),
                                                         "-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-f", "matroska"])
        size = os.path.getsize(big)
        site = Site(work, embedded=False, aws=a.aws)
        site.setup_contest()
        before = site.status("VmRSS")
        t0 = time.monotonic()
        site.upload(big, "Big one")
        up_s = time.monotonic() - t0
        peak = site.status("VmHWM")
        site.stop()
        growth = (peak - before) / 2**20
        results["upload"] = dict(bytes=size, seconds=up_s, rss_before_mib=before / 2**20, peak_mib=peak / 2**20, growth_mib=growth)
        print(f"1. upload {size/2**30:.2f} GiB in {up_s:.1f} s: RSS {before/2**20:.1f} MiB before, peak {peak/2**20:.1f} MiB, "
              f"growth {growth:.1f} MiB (target <= 64) -> {'OK' if growth <= 64 else 'MISSED'}")
        os.remove(big)

        # 2 and 3 with the embedded worker.
        site = Site(work, embedded=True, aws=a.aws)
        site.setup_contest()
        small = ffmpeg_gen(os.path.join(work, "small.avi"), ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1", "-c:v", "mpeg4"])
        waits = []
        for i in range(9):
            vid = site.upload(small, f"Small {i}")
            t0 = time.monotonic()
            while site.state(vid) == "queued":
                time.sleep(0.005)
            waits.append(time.monotonic() - t0)
            site.wait(vid, {"converted", "failed"})
        med = statistics.median(waits)
        results["start_latency"] = dict(samples=waits, median=med)
        print(f"3. upload response -> job started: median {med*1000:.0f} ms over {len(waits)} uploads "
              f"(max {max(waits)*1000:.0f} ms; target < 1000 ms) -> {'OK' if med < 1 else 'MISSED'}")

        conv = ffmpeg_gen(os.path.join(work, "conv.avi"), ["-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={a.conv_seconds}",
                                                            "-f", "lavfi", "-i", f"sine=frequency=440:duration={a.conv_seconds}",
                                                            "-c:v", "mpeg4", "-q:v", "3", "-c:a", "libmp3lame", "-shortest"])
        env = dict(os.environ, RUST_LOG="error")
        report = json.loads(subprocess.run([binary("worker"), "inspect", conv], check=True, capture_output=True, env=env).stdout)
        bare_dir = tempfile.mkdtemp(dir=work)

        def bare():
            t0 = time.monotonic()
            sh(["ffmpeg", *report["ffmpeg_args"]], cwd=bare_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return time.monotonic() - t0

        # Interleaved (bare, job, bare, job, ...) and medians: load from other processes on this
        # shared machine comes and goes, and must hit both sides alike.
        bares, jobs, phases = [], [], []
        for i in range(a.rounds):
            bares.append(bare())
            s0 = site.transcode_seconds()
            vid = site.upload(conv, f"Conversion {i}")
            assert site.wait(vid, {"converted", "failed"}) == "converted"
            jobs.append(site.transcode_seconds() - s0)
            phases.append(site.phases())
        bares.append(bare())
        site.stop()
        base, job = statistics.median(bares), statistics.median(jobs)
        ratio = job / base
        results["job_overhead"] = dict(plan=report["plan"], bare_seconds=bares, job_seconds=jobs, ratio=ratio, phases_ms=phases)
        print(f"2. {a.conv_seconds} s 720p AVI ({report['plan']}): job median {job:.2f} s {[round(j, 2) for j in jobs]} vs bare ffmpeg "
              f"median {base:.2f} s {[round(b, 2) for b in bares]} "
              f"-> ratio {ratio:.3f} (target <= 1.10) -> {'OK' if ratio <= 1.10 else 'MISSED'}")
        print(f"   job phases (ms): {phases}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"mode: {'aws (MariaDB, moto)' if a.aws else 'local (SQLite, folder)'}")
    with open(os.path.join(ROOT, "bench", "pipeline-aws-last.json" if a.aws else "pipeline-last.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
