#!/usr/bin/env python3
"""Boot-ordering checks on `terraform graph` (DOT on stdin).

A first `terraform apply` must produce a working deployment without a second
apply, so some resources must wait for others even where no attribute
reference says so. Each pair below (A waits for B) must have a path A -> B in
the resource graph; the graph is transitively reduced, so reachability is
checked, not direct edges. A few pairs that must NOT depend on each other
guard the check itself (a graph where everything reaches everything would
otherwise pass).

usage: terraform graph | python3 infra/tests/check_graph.py
"""
import re
import sys

WAITS = [
    # Instances boot with the secret's value, the role's permissions and the
    # NAT routes in place (firstboot reads the secret, installs nothing
    # without egress, the DB bootstrap calls Secrets Manager).
    *[(f"module.{tier}.aws_autoscaling_group.this", dep)
      for tier in ("web", "worker")
      for dep in ("module.secrets.aws_secretsmanager_secret_version.app",
                  "module.iam.aws_iam_role_policy.this",
                  "module.iam.aws_iam_role_policy_attachment.ssm",
                  "module.network.aws_route.private_nat",
                  "module.database.aws_db_instance.this")],
    # The ALB checks it can write its access logs when they are enabled.
    ("module.alb.aws_lb.this", "module.storage.aws_s3_bucket_policy.logs"),
    # CloudFront standard logging needs ACLs enabled on the log bucket.
    ("module.cdn.aws_cloudfront_distribution.media", "module.storage.aws_s3_bucket_ownership_controls.logs"),
    # The drain hook belongs to the worker group (separate resource).
    ("module.worker.aws_autoscaling_lifecycle_hook.drain", "module.worker.aws_autoscaling_group.this"),
    # Instance refresh rollback alarms exist before the groups reference them.
    ("module.web.aws_autoscaling_group.this", "module.monitoring.aws_cloudwatch_metric_alarm.unhealthy_hosts"),
    ("module.worker.aws_autoscaling_group.this", "module.monitoring.aws_cloudwatch_metric_alarm.worker_stalled"),
    # SES events: SNS may deliver only once the queue policy allows it; SES
    # may publish only once the topic policy allows it.
    ("module.mail.aws_sns_topic_subscription.events_queue", "module.mail.aws_sqs_queue_policy.events"),
    ("module.mail.aws_sesv2_configuration_set_event_destination.bounces", "module.mail.aws_sns_topic_policy.events"),
    # Certificates: listeners and the distribution use validated certificates.
    ("module.alb.aws_lb_listener.https", "module.alb.aws_acm_certificate_validation.site"),
    ("module.cdn.aws_cloudfront_distribution.media", "module.cdn.aws_acm_certificate_validation.cdn"),
    ("module.cdn.aws_cloudfront_distribution.media", "module.cdn.aws_wafv2_web_acl.cdn"),
]

INDEPENDENT = [
    ("module.storage.aws_s3_bucket_policy.logs", "module.web.aws_autoscaling_group.this"),
    ("module.network.aws_route.private_nat", "module.secrets.aws_secretsmanager_secret_version.app"),
]

edges = {}
nodes = set()
for line in sys.stdin:
    m = re.match(r'\s*"([^"]+)"\s*->\s*"([^"]+)"', line)
    if m:
        a, b = (re.sub(r"^\[root\] | \(expand\)$", "", x) for x in m.groups())
        edges.setdefault(a, set()).add(b)
        nodes |= {a, b}
        continue
    m = re.match(r'\s*"([^"]+)"\s*\[label=', line)
    if m:
        nodes.add(m.group(1))


def reaches(a, b):
    seen, todo = set(), [a]
    while todo:
        n = todo.pop()
        if n == b:
            return True
        if n not in seen:
            seen.add(n)
            todo.extend(edges.get(n, ()))
    return False


failed = 0
for a, b in WAITS:
    missing = [n for n in (a, b) if n not in nodes]
    ok = not missing and reaches(a, b)
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {a} waits for {b}" + (f" (not in graph: {missing})" if missing else ""))
for a, b in INDEPENDENT:
    ok = a in nodes and b in nodes and not reaches(a, b)
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {a} does not wait for {b}")
print(f"{len(WAITS) + len(INDEPENDENT) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
