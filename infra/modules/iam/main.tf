# Instance roles for the web and worker tiers. The permission policies are
# GENERATED from infra/iam-actions.json (the single source of truth for which
# API actions each process calls); this module only decides which resources
# each service's actions apply to. Do not add action strings here: edit
# iam-actions.json (infra/tests/check_iam.py enforces this).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  spec      = jsondecode(file("${path.module}/../../iam-actions.json"))
  partition = data.aws_partition.current.partition
  roles     = toset(["web", "worker"])

  worker_asg_arn = "arn:${local.partition}:autoscaling:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:autoScalingGroup:*:autoScalingGroupName/${var.worker_asg_name}"

  # role => service => resources that service's actions are granted on.
  # A service listed in iam-actions.json without an entry here fails the plan
  # (invalid index) instead of silently getting "*".
  resources = {
    web = {
      s3             = [var.bucket_arn, "${var.bucket_arn}/*"]
      sqs            = [var.queue_arn]
      secretsmanager = concat([var.secret_arn], var.db_master_secret_arn == null ? [] : [var.db_master_secret_arn])
      logs           = [var.log_group_arns.web, "${var.log_group_arns.web}:*"]
      kms            = [var.kms_key_arn]
    }
    worker = {
      s3             = [var.bucket_arn, "${var.bucket_arn}/*"]
      sqs            = concat([var.queue_arn, var.dlq_arn], var.ses_events_queue_arn == null ? [] : [var.ses_events_queue_arn])
      ses            = [var.ses_identity_arn, var.ses_configuration_set_arn]
      secretsmanager = [var.secret_arn]
      autoscaling    = [local.worker_asg_arn]
      logs           = [var.log_group_arns.worker, "${var.log_group_arns.worker}:*"]
      kms            = [var.kms_key_arn]
    }
  }

  # role => list of {sid, actions, resources}: the process's own calls
  # ("App*") followed by what its host agents / SSE need ("Support*").
  statements = {
    for role in local.roles : role => concat(
      [
        for svc, actions in local.spec[role] : {
          sid       = "App${replace(title(svc), "/[^A-Za-z0-9]/", "")}"
          actions   = sort(distinct(actions))
          resources = local.resources[role][svc]
        }
      ],
      [
        for svc, actions in lookup(local.spec.support, role, {}) : {
          sid       = "Support${replace(title(svc), "/[^A-Za-z0-9]/", "")}"
          actions   = sort(distinct(actions))
          resources = local.resources[role][svc]
        }
      ],
    )
  }
}

# Documents built with jsonencode (not the aws_iam_policy_document data
# source) so that `terraform test` asserts on the real JSON under a mocked
# provider.
locals {
  assume_ec2 = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  policies = {
    for role in local.roles : role => jsonencode({
      Version = "2012-10-17"
      Statement = [
        for s in local.statements[role] : {
          Sid      = s.sid
          Effect   = "Allow"
          Action   = s.actions
          Resource = s.resources
        }
      ]
    })
  }
}

resource "aws_iam_role" "this" {
  for_each           = local.roles
  name               = "${var.name}-${each.key}"
  description        = "Clipcontest ${each.key} instances"
  assume_role_policy = local.assume_ec2
}

resource "aws_iam_role_policy" "this" {
  for_each = local.roles
  name     = "clipcontest-${each.key}"
  role     = aws_iam_role.this[each.key].id
  policy   = local.policies[each.key]
}

# Session Manager (no SSH, no bastion).
resource "aws_iam_role_policy_attachment" "ssm" {
  for_each   = local.roles
  role       = aws_iam_role.this[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "this" {
  for_each = local.roles
  name     = "${var.name}-${each.key}"
  role     = aws_iam_role.this[each.key].name
}
