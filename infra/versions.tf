terraform {
  required_version = ">= 1.10.0" # cross-variable validation, terraform test mocks, S3 lockfile

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6, < 4.0"
    }
  }

  # Remote state. The state holds the app database password, the session key
  # and (with signed URLs) the CDN private key: keep it in an encrypted,
  # access-controlled, versioned bucket. To use it, create the bucket once
  # (versioning + SSE-KMS + Block Public Access), uncomment this block, set
  # bucket/key/region, and run `terraform init -migrate-state`.
  #
  # backend "s3" {
  #   bucket       = "my-terraform-state"       # created beforehand, versioned
  #   key          = "clipcontest/prod.tfstate" # one key per environment
  #   region       = "us-east-1"
  #   encrypt      = true
  #   use_lockfile = true # S3-native state locking (Terraform >= 1.10)
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}

# CloudFront's certificates and CLOUDFRONT-scope WAF web ACLs live in us-east-1
# whatever the deployment region.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = merge(var.tags, {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}
