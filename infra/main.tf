# Clipcontest on AWS. See README.md for the architecture and deploy steps.

locals {
  name                = "${var.project}-${var.environment}"
  web_asg_name        = "${local.name}-web"
  worker_asg_name     = "${local.name}-worker"
  lifecycle_hook_name = "drain-worker"
  # systemd TimeoutStopSec for the worker: its grace period plus margin for
  # ffmpeg clean-up (the AMI's unit default is 150 s for the 120 s default).
  worker_stop_timeout = var.worker_shutdown_grace_secs + 30
  base_url            = "https://${var.domain_name}"
  # Same normalization as the app (shared/src/storage/s3.rs): no leading or
  # trailing slash, then one trailing slash; "" without a prefix.
  s3_prefix_trimmed = trim(var.s3_prefix, "/")
  key_prefix        = local.s3_prefix_trimmed == "" ? "" : "${local.s3_prefix_trimmed}/"
  # CA bundle shipped in the image (ami/scripts/install.sh).
  rds_ca_path = "/etc/clipcontest/rds-ca.pem"
  # File-carrying forms, exempt from WAF body inspection (the app bounds them).
  upload_path_regex = "^/(contests|c/[^/]+/(videos|edit))$"
  cdn_base_url      = length(var.cdn_aliases) > 0 ? "https://${var.cdn_aliases[0]}" : "https://${module.cdn.domain_name}"
}

module "kms" {
  source = "./modules/kms"
  name   = local.name
}

module "network" {
  source             = "./modules/network"
  name               = local.name
  cidr_block         = var.vpc_cidr
  single_nat_gateway = var.single_nat_gateway
  kms_key_arn        = module.kms.key_arn
  log_retention_days = var.log_retention_days
}

module "security_groups" {
  source   = "./modules/security_groups"
  name     = local.name
  vpc_id   = module.network.vpc_id
  app_port = var.app_port
}

module "storage" {
  source                      = "./modules/storage"
  name                        = local.name
  kms_key_arn                 = module.kms.key_arn
  cloudfront_distribution_arn = module.cdn.distribution_arn
  originals_ia_days           = var.originals_ia_days
  originals_glacier_ir_days   = var.originals_glacier_ir_days
  originals_expire_days       = var.originals_expire_days
  noncurrent_version_days     = var.noncurrent_version_days
  access_log_retention_days   = var.access_log_retention_days
  key_prefix                  = local.key_prefix
}

module "cdn" {
  source                      = "./modules/cdn"
  name                        = local.name
  bucket_regional_domain_name = module.storage.media_bucket_regional_domain_name
  logs_bucket_domain_name     = module.storage.logs_bucket_domain_name
  price_class                 = var.cdn_price_class
  aliases                     = var.cdn_aliases
  certificate_arn             = var.cdn_certificate_arn
  signed_urls                 = var.cdn_signed_urls
  signing_public_key_pem      = var.cdn_signing_public_key_pem
  key_prefix                  = local.key_prefix
  route53_zone_id             = var.route53_zone_id
  waf_rate_limit              = var.waf_rate_limit_cdn

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }
}

module "queue" {
  source      = "./modules/queue"
  name        = local.name
  kms_key_arn = module.kms.key_arn
  # The worker receives with visibility = its lease and extends it by
  # heartbeat; the queue default matches for any other consumer.
  visibility_timeout_seconds = var.worker_lease_secs
  message_retention_seconds  = var.sqs_message_retention_seconds
  max_receive_count          = var.sqs_max_receive_count
}

module "mail" {
  source          = "./modules/mail"
  name            = local.name
  domain          = var.mail_domain
  route53_zone_id = var.route53_zone_id
  kms_key_arn     = module.kms.key_arn
}

# Password of the application's own database user (not the master user,
# whose password RDS manages in its own secret).
resource "random_password" "db" {
  length           = 32
  special          = true
  override_special = "-_" # URL-safe: the password may end up in a mysql:// URL
  min_lower        = 2
  min_upper        = 2
  min_numeric      = 2
  keepers = {
    version = var.db_password_version
  }
}

# Cookie signing/encryption key shared by all web instances (sessions must be
# valid on every instance behind the ALB; a per-instance generated key would
# log users out whenever the ALB picks another instance).
resource "random_password" "session_key" {
  length  = 96
  special = false
}

module "database" {
  source                      = "./modules/database"
  name                        = local.name
  subnet_ids                  = module.network.database_subnet_ids
  security_group_id           = module.security_groups.db_sg_id
  kms_key_arn                 = module.kms.key_arn
  engine_version              = var.db_engine_version
  instance_class              = var.db_instance_class
  multi_az                    = var.db_multi_az
  db_name                     = var.db_name
  username                    = var.db_username
  parameter_group_family      = var.db_parameter_group_family
  allow_major_version_upgrade = var.db_allow_major_version_upgrade
  allocated_storage_gb        = var.db_allocated_storage_gb
  max_allocated_storage_gb    = var.db_max_allocated_storage_gb
  backup_retention_days       = var.db_backup_retention_days
  deletion_protection         = var.db_deletion_protection
  performance_insights        = var.db_performance_insights
}

module "secrets" {
  source      = "./modules/secrets"
  name        = local.name
  kms_key_arn = module.kms.key_arn
  # Contract with the application: see README.md, "Application secret".
  values = merge(
    {
      db_host               = module.database.address
      db_port               = module.database.port
      db_user               = var.db_app_username
      db_password           = random_password.db.result
      db_name               = module.database.db_name
      db_ssl_mode           = "verify_identity"
      db_ssl_ca             = local.rds_ca_path
      s3_bucket             = module.storage.media_bucket_name
      sqs_queue_url         = module.queue.queue_url
      sqs_dlq_url           = module.queue.dlq_url
      ses_from              = var.mail_from
      ses_configuration_set = module.mail.configuration_set_name
      base_url              = local.base_url
      cdn_base_url          = local.cdn_base_url
      session_key           = random_password.session_key.result
      ses_events_queue_url  = module.mail.events_queue_url
    },
    local.key_prefix == "" ? {} : { s3_prefix = local.key_prefix },
    var.cdn_signed_urls ? {
      cdn_signed_urls = true
      cdn_key_pair_id = module.cdn.public_key_id
      cdn_private_key = var.cdn_signing_private_key_pem
    } : {},
  )
}

module "monitoring" {
  source                     = "./modules/monitoring"
  name                       = local.name
  kms_key_arn                = module.kms.key_arn
  log_retention_days         = var.log_retention_days
  alarm_emails               = var.alarm_emails
  alb_arn_suffix             = module.alb.arn_suffix
  target_group_arn_suffix    = module.alb.target_group_arn_suffix
  alb_5xx_threshold          = var.alarm_alb_5xx_threshold
  queue_name                 = module.queue.queue_name
  dlq_name                   = module.queue.dlq_name
  max_receive_count          = var.sqs_max_receive_count
  oldest_message_age_seconds = var.alarm_oldest_job_seconds
  db_identifier              = module.database.identifier
  rds_cpu_percent            = var.alarm_rds_cpu_percent
  rds_free_storage_bytes     = var.alarm_rds_free_storage_gb * 1024 * 1024 * 1024
  rds_connections            = var.alarm_rds_connections
  ses_bounce_rate            = var.alarm_ses_bounce_rate
  ses_complaint_rate         = var.alarm_ses_complaint_rate
  monthly_budget_usd         = var.monthly_budget_usd
  web_asg_name               = local.web_asg_name
  worker_asg_name            = local.worker_asg_name
}

module "iam" {
  source                    = "./modules/iam"
  name                      = local.name
  bucket_arn                = module.storage.media_bucket_arn
  queue_arn                 = module.queue.queue_arn
  dlq_arn                   = module.queue.dlq_arn
  secret_arn                = module.secrets.secret_arn
  ses_identity_arn          = module.mail.identity_arn
  ses_configuration_set_arn = module.mail.configuration_set_arn
  worker_asg_name           = local.worker_asg_name
  log_group_arns            = module.monitoring.log_group_arns
  kms_key_arn               = module.kms.key_arn
  ses_events_queue_arn      = module.mail.events_queue_arn
  db_master_secret_arn      = var.db_bootstrap_from_instances ? module.database.master_user_secret_arn : null
}

module "alb" {
  source                       = "./modules/alb"
  name                         = local.name
  vpc_id                       = module.network.vpc_id
  subnet_ids                   = module.network.public_subnet_ids
  security_group_id            = module.security_groups.alb_sg_id
  app_port                     = var.app_port
  certificate_arn              = var.acm_certificate_arn
  idle_timeout_seconds         = var.alb_idle_timeout_seconds
  deregistration_delay_seconds = var.alb_deregistration_delay_seconds
  deletion_protection          = var.alb_deletion_protection
  access_logs_bucket           = module.storage.logs_bucket_name
  domain_name                  = var.domain_name
  route53_zone_id              = var.route53_zone_id
  waf_rate_limit               = var.waf_rate_limit_site
  upload_path_regex            = local.upload_path_regex
}

# ---------------------------------------------------------------------------
# First boot: one image, the role comes from cloud-init user data.
#   /etc/clipcontest/env           application environment (EnvironmentFile)
#   /etc/clipcontest/instance.env  deployment settings for helper scripts
#   clipcontest-firstboot <role>   enables that role's unit + CloudWatch agent
# ---------------------------------------------------------------------------

locals {
  app_env_common = {
    APP_MODE           = "aws"
    APP_AWS__SECRET_ID = module.secrets.secret_arn
    APP_DATA_DIR       = "/var/lib/clipcontest"
    AWS_REGION         = var.region
    RUST_LOG           = var.rust_log
    APP_SECURE_COOKIES = "true" # behind HTTPS (ALB)
    # TLS to RDS verified against the CA bundle in the image (also in the
    # secret as db_ssl_mode / db_ssl_ca).
    APP_AWS__DB_SSL_MODE = "verify_identity"
    APP_AWS__DB_SSL_CA   = local.rds_ca_path
  }

  roles = {
    web = {
      env = merge(local.app_env_common, {
        APP_LISTEN              = "0.0.0.0:${var.app_port}"
        APP_EMBEDDED_WORKER     = "false"
        APP_TRUST_FORWARDED_FOR = "true" # the ALB sets X-Forwarded-For; rate limits key on it
      })
      instance_env = merge(
        {
          CLIPCONTEST_ROLE      = "web"
          CLIPCONTEST_LOG_GROUP = module.monitoring.log_group_names.web
          # A new app DB password changes the launch template, so the
          # instance refresh replaces the fleet and the bootstrap applies it.
          CLIPCONTEST_DB_PASSWORD_VERSION = tostring(var.db_password_version)
        },
        var.db_bootstrap_from_instances ? {
          CLIPCONTEST_DB_BOOTSTRAP         = "1"
          CLIPCONTEST_DB_MASTER_SECRET_ARN = module.database.master_user_secret_arn
          CLIPCONTEST_APP_SECRET_ARN       = module.secrets.secret_arn
          CLIPCONTEST_REGION               = var.region
          CLIPCONTEST_DB_CA                = local.rds_ca_path
        } : {},
      )
      unit_dropin = null
    }
    worker = {
      env = merge(local.app_env_common, {
        APP_WORKER__SHUTDOWN_GRACE_SECS = tostring(var.worker_shutdown_grace_secs)
        APP_WORKER__LEASE_SECS          = tostring(var.worker_lease_secs)
        APP_WORKER__MAX_ATTEMPTS        = tostring(var.worker_max_attempts)
      })
      instance_env = {
        CLIPCONTEST_DB_PASSWORD_VERSION = tostring(var.db_password_version)
        CLIPCONTEST_ROLE                = "worker"
        CLIPCONTEST_LOG_GROUP           = module.monitoring.log_group_names.worker
        CLIPCONTEST_ASG_NAME            = local.worker_asg_name
        CLIPCONTEST_LIFECYCLE_HOOK      = local.lifecycle_hook_name
      }
      unit_dropin = "[Service]\nTimeoutStopSec=${local.worker_stop_timeout}s\n"
    }
  }

  cloud_config = {
    for role, r in local.roles : role => {
      write_files = concat(
        [
          {
            path        = "/etc/clipcontest/env"
            owner       = "root:root"
            permissions = "0640"
            content     = format("%s\n", join("\n", [for k in sort(keys(r.env)) : format("%s=%s", k, r.env[k])]))
          },
          {
            path        = "/etc/clipcontest/instance.env"
            owner       = "root:root"
            permissions = "0644"
            content     = format("%s\n", join("\n", [for k in sort(keys(r.instance_env)) : format("%s=%s", k, r.instance_env[k])]))
          },
        ],
        r.unit_dropin == null ? [] : [
          {
            path        = "/etc/systemd/system/clipcontest-${role}.service.d/10-stop-timeout.conf"
            owner       = "root:root"
            permissions = "0644"
            content     = r.unit_dropin
          },
        ],
      )
      runcmd = [
        ["systemctl", "daemon-reload"],
        ["/opt/clipcontest/bin/clipcontest-firstboot", role],
      ]
    }
  }

  user_data = { for role, c in local.cloud_config : role => join("\n", ["#cloud-config", yamlencode(c)]) }
}

module "web" {
  source                     = "./modules/web"
  name                       = local.web_asg_name
  ami_id                     = var.ami_id
  instance_type              = var.web_instance_type
  security_group_id          = module.security_groups.web_sg_id
  instance_profile_name      = module.iam.instance_profile_names.web
  user_data                  = local.user_data.web
  root_volume_gb             = var.web_root_volume_gb
  subnet_ids                 = module.network.private_subnet_ids
  min_size                   = var.web_min_size
  max_size                   = var.web_max_size
  target_group_arn           = module.alb.target_group_arn
  alb_arn_suffix             = module.alb.arn_suffix
  target_group_arn_suffix    = module.alb.target_group_arn_suffix
  cpu_target_percent         = var.web_cpu_target_percent
  requests_per_target        = var.web_requests_per_target
  health_check_grace_seconds = var.web_health_check_grace_seconds
  rollback_alarm_names       = module.monitoring.web_rollback_alarm_names

  # Instances must not boot before what their first boot needs: the secret's
  # value, the role's permissions, and the NAT routes (packages, AWS APIs).
  depends_on = [module.secrets, module.iam, module.network]
}

module "worker" {
  source                      = "./modules/worker"
  name                        = local.worker_asg_name
  ami_id                      = var.ami_id
  instance_type               = var.worker_instance_type
  security_group_id           = module.security_groups.worker_sg_id
  instance_profile_name       = module.iam.instance_profile_names.worker
  user_data                   = local.user_data.worker
  root_volume_gb              = var.worker_root_volume_gb
  subnet_ids                  = module.network.private_subnet_ids
  min_size                    = var.worker_min_size
  max_size                    = var.worker_max_size
  queue_name                  = module.queue.queue_name
  backlog_per_instance_target = var.worker_backlog_per_instance
  stop_timeout_seconds        = local.worker_stop_timeout
  lifecycle_heartbeat_seconds = var.worker_lifecycle_heartbeat_seconds
  lifecycle_hook_name         = local.lifecycle_hook_name
  rollback_alarm_names        = module.monitoring.worker_rollback_alarm_names

  depends_on = [module.secrets, module.iam, module.network]
}
