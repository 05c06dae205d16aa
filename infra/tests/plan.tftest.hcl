# Offline runs of the whole configuration with a mocked AWS provider
# (`terraform test`). No credentials, no API calls.
#
# The policy documents are built with jsonencode, so the assertions below
# read the REAL JSON the deployment would send (no mocked policy data
# source). Runs that inspect computed values (ARNs inside policies, the
# secret document) use `command = apply` against the mock provider: the
# mock fills computed attributes (ARNs from the defaults below, so the
# provider's ARN validation passes), nothing leaves the machine.
#
# Boot ordering (which resource waits for which) is not visible here: it is
# checked on `terraform graph` by tests/check_graph.py.
#
# .ci/infra-check.sh runs it on a copy of infra/ where random_password is
# replaced by a constant (the random provider cannot be installed offline).

mock_provider "aws" {
  alias = "us_east_1"

  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/0000" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/cdn"
      domain_validation_options = [{
        domain_name           = "media.example.com"
        resource_record_name  = "_x.media.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_y.acm-validations.aws."
      }]
    }
  }
}

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_elb_service_account" {
    defaults = { arn = "arn:aws:iam::127311923021:root" }
  }
  mock_resource "aws_sesv2_email_identity" {
    defaults = {
      arn = "arn:aws:ses:us-east-1:123456789012:identity/example.com"
      dkim_signing_attributes = {
        tokens                  = ["tok1", "tok2", "tok3"]
        next_signing_key_length = "RSA_2048_BIT"
      }
    }
  }
  mock_resource "aws_sesv2_configuration_set" {
    defaults = { arn = "arn:aws:ses:us-east-1:123456789012:configuration-set/clipcontest-prod-mail" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/0000" }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/clipcontest-prod-alb/0000"
      arn_suffix = "app/clipcontest-prod-alb/0000"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-/0000"
      arn_suffix = "targetgroup/web-/0000"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/clipcontest-prod-alb/0000/1111" }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/alb/0000" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:topic" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:us-east-1:123456789012:queue"
      id  = "https://sqs.us-east-1.amazonaws.com/123456789012/queue"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/role" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:group" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:clipcontest-prod/app-AbCdEf" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::bucket" }
  }
  mock_resource "aws_cloudfront_distribution" {
    defaults = { arn = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE" }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:alarm" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      arn = "arn:aws:rds:us-east-1:123456789012:db:clipcontest-prod-mysql"
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0000-MaStEr"
        kms_key_id    = "arn:aws:kms:us-east-1:123456789012:key/0000"
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/site"
      domain_validation_options = [{
        domain_name           = "contest.example.com"
        resource_record_name  = "_x.contest.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_y.acm-validations.aws."
      }]
    }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_cloudfront_public_key" {
    defaults = { id = "K2JCJMDEHXQW5F" }
  }
}

# Distinct ARNs/URLs for the three queues, so a policy that points at the
# wrong queue fails.
override_resource {
  target = module.queue.aws_sqs_queue.jobs
  values = {
    arn  = "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-jobs"
    id   = "https://sqs.us-east-1.amazonaws.com/123456789012/clipcontest-prod-jobs"
    name = "clipcontest-prod-jobs"
  }
}
override_resource {
  target = module.queue.aws_sqs_queue.dlq
  values = {
    arn  = "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-jobs-dlq"
    id   = "https://sqs.us-east-1.amazonaws.com/123456789012/clipcontest-prod-jobs-dlq"
    name = "clipcontest-prod-jobs-dlq"
  }
}
override_resource {
  target = module.mail.aws_sqs_queue.events
  values = {
    arn  = "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-ses-events"
    id   = "https://sqs.us-east-1.amazonaws.com/123456789012/clipcontest-prod-ses-events"
    name = "clipcontest-prod-ses-events"
  }
}
override_resource {
  target = module.mail.aws_sns_topic.events
  values = { arn = "arn:aws:sns:us-east-1:123456789012:clipcontest-prod-ses-events" }
}
override_resource {
  target = module.storage.aws_s3_bucket.media
  values = {
    arn                         = "arn:aws:s3:::clipcontest-prod-media-123456789012"
    id                          = "clipcontest-prod-media-123456789012"
    bucket_regional_domain_name = "clipcontest-prod-media-123456789012.s3.us-east-1.amazonaws.com"
  }
}
override_resource {
  target = module.storage.aws_s3_bucket.logs
  values = {
    arn                = "arn:aws:s3:::clipcontest-prod-logs-123456789012"
    id                 = "clipcontest-prod-logs-123456789012"
    bucket_domain_name = "clipcontest-prod-logs-123456789012.s3.amazonaws.com"
  }
}

variables {
  domain_name         = "contest.example.com"
  acm_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  mail_domain         = "example.com"
  mail_from           = "Clipcontest <noreply@example.com>"
  ami_id              = "ami-0123456789abcdef0"
  alarm_emails        = ["ops@example.com"]
}

# ---------------------------------------------------------------------------
# Defaults: IAM, bucket policies, ALB, WAF, rolling updates, workers, queues,
# database, SES events, the secret, alarms, dashboard, budget.
# ---------------------------------------------------------------------------
run "defaults" {
  command = apply

  assert {
    condition     = output.base_url == "https://contest.example.com"
    error_message = "base_url must be https://<domain_name>"
  }

  # --- IAM (real documents) -------------------------------------------------
  assert {
    condition = alltrue([for role in ["web", "worker"] :
      jsondecode(output.iam_policies[role]).Version == "2012-10-17" &&
      alltrue([for s in jsondecode(output.iam_policies[role]).Statement : s.Effect == "Allow" && !contains(s.Resource, "*")])
    ])
    error_message = "instance policies must be Allow statements on named resources only"
  }
  assert {
    condition = [for s in jsondecode(output.iam_policies.worker).Statement : s.Resource if s.Sid == "AppSqs"][0] == [
      "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-jobs",
      "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-jobs-dlq",
      "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-ses-events",
    ]
    error_message = "the worker's SQS actions apply to the jobs queue, its DLQ and the ses-events queue"
  }
  assert {
    condition     = [for s in jsondecode(output.iam_policies.web).Statement : s.Resource if s.Sid == "AppSqs"][0] == ["arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-jobs"]
    error_message = "the web tier only sends to the jobs queue"
  }
  assert {
    condition     = [for s in jsondecode(output.iam_policies.worker).Statement : s.Action if s.Sid == "AppAutoscaling"][0] == ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"]
    error_message = "workers complete/heartbeat their lifecycle action; no SetInstanceProtection (no scale-in protection is claimed)"
  }
  assert {
    condition = [for s in jsondecode(output.iam_policies.web).Statement : s.Resource if s.Sid == "AppSecretsmanager"][0] == [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:clipcontest-prod/app-AbCdEf",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0000-MaStEr",
    ]
    error_message = "with db_bootstrap_from_instances the web role reads the app secret and the RDS master secret"
  }
  assert {
    condition     = [for s in jsondecode(output.iam_policies.worker).Statement : s.Resource if s.Sid == "AppSecretsmanager"][0] == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:clipcontest-prod/app-AbCdEf"]
    error_message = "the worker never reads the master secret"
  }

  # --- bucket policies (real documents) --------------------------------------
  assert {
    condition = [for s in jsondecode(module.storage.media_bucket_policy).Statement : s.Resource if s.Sid == "CloudFrontReadPublicPrefixes"][0] == [
      "arn:aws:s3:::clipcontest-prod-media-123456789012/media/*",
      "arn:aws:s3:::clipcontest-prod-media-123456789012/banners/*",
    ]
    error_message = "CloudFront may read media/ and banners/ only (never originals/)"
  }
  assert {
    condition     = [for s in jsondecode(module.storage.media_bucket_policy).Statement : s.Condition.StringEquals["AWS:SourceArn"] if s.Sid == "CloudFrontReadPublicPrefixes"][0] == "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE"
    error_message = "only this distribution may read through OAC"
  }
  assert {
    condition     = alltrue([for doc in [module.storage.media_bucket_policy, module.storage.logs_bucket_policy] : [for s in jsondecode(doc).Statement : s.Condition.Bool["aws:SecureTransport"] if s.Sid == "DenyInsecureTransport"][0] == "false"])
    error_message = "both buckets deny plain-HTTP access"
  }
  assert {
    condition     = [for s in jsondecode(module.storage.logs_bucket_policy).Statement : s.Resource if s.Sid == "AlbAccessLogsDeliveryService"][0] == "arn:aws:s3:::clipcontest-prod-logs-123456789012/alb/AWSLogs/123456789012/*"
    error_message = "the ALB may write its access logs under alb/"
  }
  assert {
    condition     = module.cdn.logging_bucket == "clipcontest-prod-logs-123456789012.s3.amazonaws.com"
    error_message = "CloudFront logs to the log bucket"
  }

  # --- ALB (issue 10: X-Forwarded-For; issue 11: health, /metrics) ----------------
  assert {
    condition     = module.alb.xff_header_processing_mode == "append"
    error_message = "the ALB must append the client address as the right-most X-Forwarded-For entry"
  }
  assert {
    condition     = module.alb.health_check.path == "/livez" && module.alb.health_check.matcher == "200"
    error_message = "the target group checks the shallow /livez, not /healthz (a DB failover must not fail targets)"
  }
  assert {
    condition     = module.alb.health_check.interval * module.alb.health_check.unhealthy_threshold >= 30 && module.alb.health_check.timeout < module.alb.health_check.interval
    error_message = "a target is only failed after >= 30 s of failed checks"
  }
  assert {
    condition     = module.alb.metrics_rule.paths == tolist(["/metrics", "/metrics/*"]) && module.alb.metrics_rule.type == "fixed-response" && module.alb.metrics_rule.status_code == "404"
    error_message = "/metrics must be answered 404 by the listener, never forwarded"
  }
  assert {
    condition     = module.web.health_check.type == "ELB" && module.web.health_check.grace_period >= 180
    error_message = "the web ASG uses ELB health with a grace period covering boot and migrations"
  }

  # --- WAF ---------------------------------------------------------------------------
  assert {
    condition     = module.alb.web_acl.scope == "REGIONAL" && keys(module.alb.web_acl.rules) == ["aws-common", "aws-known-bad-inputs", "rate-limit-per-ip"] && module.alb.web_acl.rate_limit == 3000
    error_message = "ALB web ACL: rate limit, common rule set, known bad inputs"
  }
  assert {
    condition     = alltrue([for p in ["/c/summer-2025/videos", "/contests", "/c/x/edit"] : can(regex(module.alb.web_acl.upload_path_regex, p))]) && !anytrue([for p in ["/login", "/c/x/videos/1", "/c/x", "/register"] : can(regex(module.alb.web_acl.upload_path_regex, p))])
    error_message = "exactly the file-carrying forms skip the managed rules' body inspection"
  }
  assert {
    condition     = module.cdn.web_acl.scope == "CLOUDFRONT" && keys(module.cdn.web_acl.rules) == ["aws-common", "aws-known-bad-inputs", "rate-limit-per-ip"]
    error_message = "CloudFront web ACL (us-east-1): rate limit, common rule set, known bad inputs"
  }
  assert {
    condition     = module.cdn.response_headers.access_control_max_age_sec >= 31536000 && module.cdn.response_headers.include_subdomains && module.cdn.response_headers.override
    error_message = "CloudFront sends HSTS (one year, subdomains)"
  }

  # --- rolling updates -------------------------------------------------------------
  assert {
    condition = alltrue([for r in [module.web.instance_refresh, module.worker.instance_refresh] :
      r.min_healthy_percentage == 100 && r.max_healthy_percentage == 200 && r.auto_rollback
    ])
    error_message = "instance refresh launches before it terminates (100 % / 200 %) and rolls back automatically"
  }
  assert {
    condition     = module.web.instance_refresh.alarm_specification[0].alarms == tolist(["clipcontest-prod-web-5xx", "clipcontest-prod-web-unhealthy"])
    error_message = "a web refresh rolls back on the 5xx and unhealthy-target alarms"
  }
  assert {
    condition     = module.worker.instance_refresh.alarm_specification[0].alarms == tolist(["clipcontest-prod-worker-stalled"])
    error_message = "a worker refresh rolls back when the workers stall"
  }

  # --- workers ---------------------------------------------------------------------
  assert {
    condition     = module.worker.lifecycle_hook_name == "drain-worker" && module.worker.lifecycle_hook.transition == "autoscaling:EC2_INSTANCE_TERMINATING" && module.worker.lifecycle_hook.heartbeat_timeout == 300 && module.worker.lifecycle_hook.default_result == "CONTINUE"
    error_message = "the termination lifecycle hook is a separate resource with the drain timeout"
  }
  assert {
    condition     = module.worker.backlog_expression == ["(visible + inflight) / instances"] && !module.worker.health_check.protect_from_scalein
    error_message = "the scaling metric counts in-flight jobs; no scale-in protection"
  }

  # --- queue: lease and dead letters --------------------------------------------------
  assert {
    condition     = module.queue.settings.visibility_timeout_seconds == 30
    error_message = "the jobs queue's visibility timeout equals the 30 s lease"
  }
  assert {
    condition     = module.queue.settings.redrive_policy.maxReceiveCount == 5 && module.queue.settings.redrive_policy.maxReceiveCount > var.worker_max_attempts && module.queue.settings.redrive_policy.deadLetterTargetArn == "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-jobs-dlq"
    error_message = "SQS dead-letters a job only after more receives (5) than the app's attempts (3)"
  }
  assert {
    condition     = strcontains(output.instance_user_data.worker, "APP_WORKER__LEASE_SECS=30") && strcontains(output.instance_user_data.worker, "APP_WORKER__MAX_ATTEMPTS=3")
    error_message = "the worker gets the lease and attempts Terraform sized the queue for"
  }

  # --- database ---------------------------------------------------------------------
  assert {
    condition     = module.database.engine.engine_version == "8.4" && module.database.parameter_group_family == "mysql8.4" && module.database.engine.manage_master_user_password
    error_message = "MySQL 8.4, matching parameter family, RDS-managed master password"
  }
  assert {
    condition     = module.database.engine.parameters.require_secure_transport == "1" && module.database.engine.ca_cert_identifier == "rds-ca-rsa2048-g1"
    error_message = "the database requires TLS"
  }
  assert {
    condition = alltrue([for k, v in {
      db_user              = "clipcontest_app"
      db_ssl_mode          = "verify_identity"
      db_ssl_ca            = "/etc/clipcontest/rds-ca.pem"
      ses_events_queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/clipcontest-prod-ses-events"
      sqs_queue_url        = "https://sqs.us-east-1.amazonaws.com/123456789012/clipcontest-prod-jobs"
    } : jsondecode(module.secrets.document)[k] == v])
    error_message = "the secret names the app's own DB user, verified TLS and the ses-events queue"
  }
  assert {
    condition     = !anytrue([for k in ["s3_prefix", "cdn_key_pair_id", "cdn_private_key", "cdn_signed_urls"] : contains(keys(jsondecode(module.secrets.document)), k)])
    error_message = "no prefix and no signing keys in the secret by default"
  }
  assert {
    condition = alltrue([for s in [
      "APP_AWS__DB_SSL_MODE=verify_identity",
      "APP_AWS__DB_SSL_CA=/etc/clipcontest/rds-ca.pem",
      "APP_TRUST_FORWARDED_FOR=true",
      "CLIPCONTEST_DB_BOOTSTRAP=1",
      "CLIPCONTEST_DB_MASTER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0000-MaStEr",
    ] : strcontains(output.instance_user_data.web, s)]) && !strcontains(output.instance_user_data.worker, "CLIPCONTEST_DB_MASTER_SECRET_ARN")
    error_message = "web instances verify the RDS certificate and bootstrap the app DB user; workers never see the master secret"
  }

  # --- SES bounce / complaint events --------------------------------------------------------
  assert {
    condition     = toset(module.mail.event_types) == toset(["BOUNCE", "COMPLAINT"])
    error_message = "the configuration set publishes bounces and complaints"
  }
  assert {
    condition     = jsondecode(module.mail.events_policies.queue).Statement[0].Condition.ArnEquals["aws:SourceArn"] == "arn:aws:sns:us-east-1:123456789012:clipcontest-prod-ses-events" && jsondecode(module.mail.events_policies.queue).Statement[0].Resource == "arn:aws:sqs:us-east-1:123456789012:clipcontest-prod-ses-events"
    error_message = "only the SES events topic may send to the ses-events queue"
  }
  assert {
    condition     = jsondecode(module.mail.events_policies.topic).Statement[0].Principal.Service == "ses.amazonaws.com" && jsondecode(module.mail.events_policies.topic).Statement[0].Condition.StringEquals["AWS:SourceAccount"] == "123456789012"
    error_message = "only SES of this account may publish to the events topic"
  }
  assert {
    condition     = contains([for s in jsondecode(module.kms.key_policy).Statement : s.Sid], "SesAndSnsEvents")
    error_message = "SES and SNS may use the CMK for the encrypted topic and queue"
  }

  # --- operations ---------------------------------------------------------------------
  assert {
    condition = alltrue([for k in ["web_none_healthy", "worker_stalled", "ses_bounce_rate", "ses_complaint_rate", "rds_connections"] :
    contains(keys(output.alarm_names), k)])
    error_message = "alarms: no healthy web host, worker stalled, SES bounce/complaint rates, RDS connections"
  }
  assert {
    condition     = module.monitoring.worker_stalled_expression == ["IF((visible + inflight) > 0 AND deleted == 0, 1, 0)"]
    error_message = "stalled = backlog present while nothing completes"
  }
  assert {
    condition     = length(jsondecode(module.monitoring.dashboard_body).widgets) == 6
    error_message = "the dashboard shows ALB, targets, jobs, instances, database and mail"
  }
  assert {
    condition     = module.monitoring.budget.limit == "300" && module.monitoring.budget.notifications == 2
    error_message = "a monthly budget with actual and forecast alerts"
  }
}

# ---------------------------------------------------------------------------
# The other branches in one run (each run starts the provider again, which is
# slow on a loaded machine): s3_prefix and signed URLs (behaviours, bucket
# policy and secret follow the prefix; the media behaviour trusts the key
# group; the secret carries the key-pair id and the private key), a Route 53
# zone without certificate ARNs (ACM certificates validated by DNS, alias
# records), and no DB bootstrap access once the app user exists.
# ---------------------------------------------------------------------------
run "prefix_signed_urls_route53_no_bootstrap" {
  command = apply

  variables {
    single_nat_gateway          = true
    web_min_size                = 1
    web_max_size                = 2
    worker_max_size             = 2
    db_instance_class           = "db.t3.micro"
    db_multi_az                 = false
    db_performance_insights     = false
    cdn_signed_urls             = true
    cdn_signing_public_key_pem  = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"
    cdn_signing_private_key_pem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
    s3_prefix                   = "/contest-2025/"
    acm_certificate_arn         = null
    route53_zone_id             = "Z0123456789ABCDEFGHIJ"
    cdn_aliases                 = ["media.example.com"]
    db_bootstrap_from_instances = false
  }

  assert {
    condition     = output.key_prefix == "contest-2025/"
    error_message = "the prefix is normalized like the app does it"
  }
  assert {
    condition     = keys(module.cdn.behaviours) == ["contest-2025/banners/*", "contest-2025/media/*"]
    error_message = "CDN behaviours match the prefixed keys the app puts in its URLs"
  }
  assert {
    condition     = module.cdn.behaviours["contest-2025/media/*"] == tolist([module.cdn.key_group_id]) && module.cdn.behaviours["contest-2025/banners/*"] == null
    error_message = "media requires a signature from the key group; banners stay public"
  }
  assert {
    condition = [for s in jsondecode(module.storage.media_bucket_policy).Statement : s.Resource if s.Sid == "CloudFrontReadPublicPrefixes"][0] == [
      "arn:aws:s3:::clipcontest-prod-media-123456789012/contest-2025/media/*",
      "arn:aws:s3:::clipcontest-prod-media-123456789012/contest-2025/banners/*",
    ]
    error_message = "the bucket policy lets CloudFront read the prefixed media/ and banners/ only"
  }
  assert {
    condition     = jsondecode(module.secrets.document).s3_prefix == "contest-2025/"
    error_message = "the secret carries the normalized prefix"
  }
  assert {
    condition     = jsondecode(module.secrets.document).cdn_key_pair_id == "K2JCJMDEHXQW5F" && output.cdn_public_key_id == "K2JCJMDEHXQW5F"
    error_message = "the secret carries the CloudFront public key id"
  }
  assert {
    condition     = jsondecode(module.secrets.document).cdn_private_key == var.cdn_signing_private_key_pem
    error_message = "the secret carries the private key"
  }
  assert {
    condition     = tostring(jsondecode(module.secrets.document).cdn_signed_urls) == "true"
    error_message = "the secret tells the app to sign"
  }
  assert {
    condition     = module.alb.certificate_arn == "arn:aws:acm:us-east-1:123456789012:certificate/site"
    error_message = "the HTTPS listener uses the DNS-validated certificate"
  }
  assert {
    condition     = module.cdn.certificate_arn == "arn:aws:acm:us-east-1:123456789012:certificate/cdn"
    error_message = "CloudFront uses the certificate created in us-east-1"
  }
  assert {
    condition     = module.cdn.alias_records == ["media.example.com A", "media.example.com AAAA"]
    error_message = "alias records for the CDN name"
  }
  assert {
    condition     = output.cdn_base_url == "https://media.example.com"
    error_message = "media URLs use the CDN alias"
  }
  assert {
    condition     = [for s in jsondecode(output.iam_policies.web).Statement : s.Resource if s.Sid == "AppSecretsmanager"][0] == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:clipcontest-prod/app-AbCdEf"]
    error_message = "without the bootstrap the web role reads only the app secret"
  }
  assert {
    condition     = !strcontains(output.instance_user_data.web, "CLIPCONTEST_DB_BOOTSTRAP")
    error_message = "without the bootstrap the instances do not try it"
  }
}

# --- refusals ---------------------------------------------------------------------
# One run (provider start-ups are slow on a loaded machine); expect_failures
# requires EACH listed validation to fail on its own value.

run "refusals" {
  command = plan

  variables {
    sqs_max_receive_count              = 3    # not above worker_max_attempts (3)
    acm_certificate_arn                = null # and no route53_zone_id
    cdn_signed_urls                    = true # public key but no private key
    cdn_signing_public_key_pem         = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"
    s3_prefix                          = "a/*"
    worker_shutdown_grace_secs         = 600
    worker_lifecycle_heartbeat_seconds = 300
    alb_idle_timeout_seconds           = 60
  }

  expect_failures = [
    var.sqs_max_receive_count,
    var.acm_certificate_arn,
    var.cdn_signing_private_key_pem,
    var.s3_prefix,
    var.worker_lifecycle_heartbeat_seconds,
    var.alb_idle_timeout_seconds,
  ]
}
