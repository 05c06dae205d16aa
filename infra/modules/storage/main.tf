# Buckets:
#   media – private; {prefix}originals/{video_id}/... (uploads, never public),
#           {prefix}media/{video_id}/... and {prefix}banners/{contest_id}/...
#           (read by CloudFront through origin access control only).
#           {prefix} is var.key_prefix ("" or "some/path/").
#   logs  – ALB access logs, S3 server access logs, CloudFront standard logs.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}
data "aws_elb_service_account" "current" {}

locals {
  account_id    = data.aws_caller_identity.current.account_id
  media_bucket  = "${var.name}-media-${local.account_id}"
  logs_bucket   = "${var.name}-logs-${local.account_id}"
  public_prefix = ["media/", "banners/"]
}

# ============================================================================
# media bucket
# ============================================================================

resource "aws_s3_bucket" "media" {
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles storage cost for a contest site; durability comes from S3 (11 nines) plus versioning. Enable per deployment if a regional DR copy is required.
  #checkov:skip=CKV2_AWS_62:The application enqueues conversion jobs itself (SQS) after an upload completes; S3 event notifications are not used.
  bucket        = local.media_bucket
  force_destroy = false
}

resource "aws_s3_bucket_ownership_controls" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "media" {
  bucket                  = aws_s3_bucket.media.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "media" {
  bucket = aws_s3_bucket.media.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "media" {
  bucket        = aws_s3_bucket.media.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/${local.media_bucket}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket     = aws_s3_bucket.media.id
  depends_on = [aws_s3_bucket_versioning.media]

  # Uploaded originals are only read again for re-conversion: move them to
  # cheaper classes, optionally expire them.
  rule {
    id     = "originals"
    status = "Enabled"
    filter {
      prefix = "${var.key_prefix}originals/"
    }
    transition {
      days          = var.originals_ia_days
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = var.originals_glacier_ir_days
      storage_class = "GLACIER_IR"
    }
    dynamic "expiration" {
      for_each = var.originals_expire_days > 0 ? [var.originals_expire_days] : []
      content {
        days = expiration.value
      }
    }
  }

  # Whole bucket: clean up failed multipart uploads, old versions left by
  # overwrites/deletes, and orphaned delete markers.
  rule {
    id     = "housekeeping"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
    expiration {
      expired_object_delete_marker = true
    }
  }
}

locals {
  deny_insecure_transport = {
    for b in ["media", "logs"] : b => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource = [
        "arn:${data.aws_partition.current.partition}:s3:::${b == "media" ? local.media_bucket : local.logs_bucket}",
        "arn:${data.aws_partition.current.partition}:s3:::${b == "media" ? local.media_bucket : local.logs_bucket}/*",
      ]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }

  # Built with jsonencode (not the aws_iam_policy_document data source) so
  # that `terraform test` sees the real document under a mocked provider.
  media_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.deny_insecure_transport.media,
      {
        # CloudFront origin access control: converted media and banners only
        # (under the deployment's key prefix). originals/ is never readable
        # through CloudFront.
        Sid       = "CloudFrontReadPublicPrefixes"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = [for p in local.public_prefix : "${aws_s3_bucket.media.arn}/${var.key_prefix}${p}*"]
        Condition = { StringEquals = { "AWS:SourceArn" = var.cloudfront_distribution_arn } }
      },
    ]
  })
}

resource "aws_s3_bucket_policy" "media" {
  bucket     = aws_s3_bucket.media.id
  policy     = local.media_policy
  depends_on = [aws_s3_bucket_public_access_block.media]
}

# ============================================================================
# logs bucket
# ============================================================================

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log target bucket; logging it into itself would loop.
  #checkov:skip=CKV_AWS_144:Access logs are not worth a cross-region copy.
  #checkov:skip=CKV_AWS_145:ALB access logs can only be delivered to SSE-S3 (AES256) buckets, not SSE-KMS; AES256 is configured.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new log objects; no event notifications needed.
  #checkov:skip=CKV2_AWS_65:CloudFront standard logging writes with an ACL grant (awslogsdelivery), which requires ACLs enabled (BucketOwnerPreferred) on its target bucket.
  bucket        = local.logs_bucket
  force_destroy = false
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  #checkov:skip=CKV2_AWS_65:CloudFront standard logging delivers with an ACL grant (awslogsdelivery) and needs ACLs enabled on the log bucket; the media bucket uses BucketOwnerEnforced.
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket     = aws_s3_bucket.logs.id
  depends_on = [aws_s3_bucket_versioning.logs]
  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.access_log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

locals {
  alb_log_objects = "${aws_s3_bucket.logs.arn}/alb/AWSLogs/${local.account_id}/*"
  logs_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.deny_insecure_transport.logs,
      # ALB access logs: regions older than 2022 deliver as the regional ELB
      # account, newer regions as the log-delivery service principal.
      {
        Sid       = "AlbAccessLogsElbAccount"
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.current.arn }
        Action    = "s3:PutObject"
        Resource  = local.alb_log_objects
      },
      {
        Sid       = "AlbAccessLogsDeliveryService"
        Effect    = "Allow"
        Principal = { Service = "logdelivery.elasticloadbalancing.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = local.alb_log_objects
      },
      {
        Sid       = "S3ServerAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/s3/*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike      = { "aws:SourceArn" = aws_s3_bucket.media.arn }
        }
      },
    ]
  })
}

resource "aws_s3_bucket_policy" "logs" {
  bucket     = aws_s3_bucket.logs.id
  policy     = local.logs_policy
  depends_on = [aws_s3_bucket_public_access_block.logs]
}
