variable "name" {
  description = "Name prefix (project-environment-role)."
  type        = string
}

variable "role" {
  description = "web or worker."
  type        = string
}

variable "ami_id" {
  description = "Image built by ami/ (Packer)."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type."
  type        = string
}

variable "security_group_id" {
  description = "Instance security group."
  type        = string
}

variable "instance_profile_name" {
  description = "IAM instance profile."
  type        = string
}

variable "user_data" {
  description = "cloud-init user data (plain text; base64-encoded here)."
  type        = string
}

variable "root_volume_gb" {
  description = "Root volume size (GiB); workers keep originals and outputs in /var/lib/clipcontest while converting."
  type        = number
}
