# Launch template shared by the web and worker tiers: same image, role chosen
# by the cloud-init user data. IMDSv2 only (hop limit 1), encrypted root
# volume, no key pair, no public IP (private subnets; SSM for access).

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-"
  description            = "Clipcontest ${var.role}"
  image_id               = var.ami_id
  instance_type          = var.instance_type
  vpc_security_group_ids = [var.security_group_id]
  user_data              = base64encode(var.user_data)
  ebs_optimized          = true
  update_default_version = true

  iam_instance_profile {
    name = var.instance_profile_name
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.root_volume_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = var.name, Role = var.role }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = { Name = var.name, Role = var.role }
  }
}
