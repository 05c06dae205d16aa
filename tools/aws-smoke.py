"""`./dev aws --smoke`: walks the AWS path of a running rehearsal once, as a user would.

organizer → contest → upload (S3 multipart) → job (SQS) → conversion by the separate worker →
MP4, poster and HLS through presigned S3 URLs → the "ready" mail (SES) → a permanent bounce on
the SES events queue → the next mail to that address is not sent and the organizer sees why.
Exits non-zero with the step that failed. Needs `requests` and `boto3` (moto's venv has both).
"""
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid

import boto3
import requests

base, moto, moto_mail, events_queue_name = sys.argv[1:5]
kw = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
web = requests.Session()
tag = uuid.uuid4().hex[:8]
participant = f"ana-{tag}@example.org"


def step(msg):
    print(f"smoke: {msg}", file=sys.stderr, flush=True)


def fail(msg):
    print(f"smoke: FAILED: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def csrf(path):
    r = web.get(base + path)
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    if not m:
        fail(f"no CSRF token on {path} ({r.status_code})")
    return m.group(1)


def upload(slug, title, path):
    token = csrf(f"/c/{slug}")
    fields = {"csrf_token": token, "title": title, "first_name": "Ana", "last_name": "Test",
              "email": participant, "description": "smoke test"}
    with open(path, "rb") as f:
        files = [(k, (None, v)) for k, v in fields.items()] + [("video", ("clip.avi", f, "video/x-msvideo"))]
        r = web.post(f"{base}/c/{slug}/videos", files=files, headers={"Accept": "application/json"})
    if r.status_code != 201:
        fail(f"upload answered {r.status_code}: {r.text[:300]}")
    return r.json()["id"]


def converted(vid, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = web.get(f"{base}/api/videos/{vid}").json()
        if s["state"] == "converted":
            return s
        if s["state"] == "failed":
            fail(f"conversion failed: {s.get('error')}")
        time.sleep(1)
    fail(f"video {vid} not converted within {timeout} s (is the worker running?)")


step("organizer and contest")
r = web.post(base + "/register", data={"csrf_token": csrf("/register"), "email": f"org-{tag}@example.org",
                                       "password": "a long enough password"}, allow_redirects=False)
if r.status_code != 303:
    fail(f"register answered {r.status_code}")
slug = f"smoke-{tag}"
now = time.gmtime(time.time() - 3600)
later = time.gmtime(time.time() + 7 * 86400)
fields = {"csrf_token": csrf("/contests/new"), "name": "Smoke Cup", "slug": slug, "description": "AWS rehearsal",
          "prize": "", "starts_at": time.strftime("%Y-%m-%dT%H:%M", now), "ends_at": time.strftime("%Y-%m-%dT%H:%M", later)}
r = web.post(base + "/contests", files=[(k, (None, v)) for k, v in fields.items()], allow_redirects=False)
if r.status_code != 303:
    fail(f"contest form answered {r.status_code}: {r.text[:300]}")

with tempfile.TemporaryDirectory() as d:
    clip = f"{d}/clip.avi"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=640x360:rate=25:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
                    "-c:v", "mpeg4", "-q:v", "5", "-c:a", "pcm_s16le", clip], check=True, timeout=120)
    step("upload (S3) and conversion (SQS → worker)")
    vid = upload(slug, "First clip", clip)
    s = converted(vid)
    for key in ("mp4_url", "poster_url"):
        url = s[key]
        if "X-Amz-Signature=" not in url:
            fail(f"{key} is not a presigned S3 URL: {url}")
        if requests.get(url).status_code != 200:
            fail(f"{key} does not answer 200")
    if not s.get("hls_url"):
        fail("no hls_url")
    master = web.get(base + s["hls_url"])
    if master.status_code != 200 or not master.text.startswith("#EXTM3U"):
        fail(f"master playlist: {master.status_code}")
    rung = next(l for l in master.text.splitlines() if l and not l.startswith("#"))
    playlist = web.get(base + s["hls_url"].rsplit("/", 1)[0] + "/" + rung).text
    segment = next(l for l in playlist.splitlines() if l and not l.startswith("#"))
    if "X-Amz-Signature=" not in segment or requests.get(segment).status_code != 200:
        fail(f"segment URL is not a working presigned URL: {segment[:120]}")
    step(f"converted: MP4, poster and HLS ({rung.split('/')[0]} …) through presigned S3 URLs")

    step("ready mail (SES)")
    deadline = time.time() + 60
    while True:
        data = requests.get(moto_mail + "/moto-api/data.json").json()
        raw = json.dumps(data.get("ses", {}))
        if participant in raw:
            break
        if time.time() > deadline:
            fail("no SES mail to the participant")
        time.sleep(1)

    step("a permanent bounce on the SES events queue")
    sqs = boto3.client("sqs", endpoint_url=moto, **kw)
    events_queue = sqs.get_queue_url(QueueName=events_queue_name)["QueueUrl"]
    sqs.send_message(QueueUrl=events_queue, MessageBody=json.dumps({
        "eventType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                   "bouncedRecipients": [{"emailAddress": participant, "diagnosticCode": "smtp; 550 user unknown"}]},
        "mail": {"destination": [participant]}}))
    deadline = time.time() + 60
    while int(sqs.get_queue_attributes(QueueUrl=events_queue, AttributeNames=["All"])["Attributes"]
              ["ApproximateNumberOfMessages"]) > 0 or int(sqs.get_queue_attributes(QueueUrl=events_queue,
              AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessagesNotVisible"]) > 0:
        if time.time() > deadline:
            fail("the worker did not consume the SES events queue")
        time.sleep(1)
    vid2 = upload(slug, "Second clip", clip)
    converted(vid2)
    deadline = time.time() + 60
    while True:
        page = web.get(f"{base}/c/{slug}").text
        if "Emails not delivered" in page and "suppressed after a bounce" in page:
            break
        if time.time() > deadline:
            fail("the organizer does not see the suppressed mail")
        time.sleep(1)
    step("the bounced address was not mailed again, and the organizer sees why")
print("smoke: OK: the whole AWS path works", file=sys.stderr)
