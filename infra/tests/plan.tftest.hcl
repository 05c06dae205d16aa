# Offline plan of the whole configuration with a mocked AWS provider
# (`terraform test`, Terraform >= 1.7). No credentials, no API calls.
# It catches wiring mistakes that `validate` does not: unknown services in
# iam-actions.json (no resource mapping -> invalid index), variable
# validations, the lifecycle-hook precondition, user-data rendering.
#
# .ci/infra-check.sh runs it on a copy of infra/ where random_password is
# replaced by a constant (the random provider cannot be installed offline).

mock_provider "aws" {
  alias = "us_east_1"
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
      dkim_signing_attributes = [{
        tokens                  = ["tok1", "tok2", "tok3"]
        next_signing_key_length = "RSA_2048_BIT"
      }]
    }
  }
}

variables {
  domain_name         = "contest.example.com"
  acm_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  mail_domain         = "example.com"
  mail_from           = "Clipcontest <noreply@example.com>"
  ami_id              = "ami-0123456789abcdef0"
}

run "plan_defaults" {
  command = plan

  assert {
    condition     = output.base_url == "https://contest.example.com"
    error_message = "base_url must be https://<domain_name>"
  }

  assert {
    condition     = module.worker.lifecycle_hook_name == "drain-worker"
    error_message = "lifecycle hook name must reach the worker module"
  }
}

run "plan_small_contest" {
  command = plan

  variables {
    single_nat_gateway         = true
    web_min_size               = 1
    web_max_size               = 2
    worker_max_size            = 2
    db_instance_class          = "db.t3.micro"
    db_multi_az                = false
    db_performance_insights    = false
    cdn_signed_urls            = true
    cdn_signing_public_key_pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"
    s3_prefix                  = "contest-2025/"
  }
}

run "rejects_short_lifecycle_hook" {
  command = plan

  variables {
    worker_shutdown_grace_secs         = 600
    worker_lifecycle_heartbeat_seconds = 300
  }

  expect_failures = [var.worker_lifecycle_heartbeat_seconds]
}

run "rejects_short_idle_timeout" {
  command = plan

  variables {
    alb_idle_timeout_seconds = 60
  }

  expect_failures = [var.alb_idle_timeout_seconds]
}
