# Clipcontest machine image: Debian 12 + ffmpeg + the `web` and `worker`
# release binaries + hardened systemd units. One image serves both roles; the
# role is picked at first boot by cloud-init user data rendered by infra/.
#
# Build with ami/build.sh (compiles the binaries, then runs `packer build`).
# Only Packer's built-in amazon-ebs builder is used (no required_plugins), so
# `packer validate` works offline with Debian's packer 1.6.6.

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "instance_type" {
  type        = string
  default     = "c6i.large"
  description = "Build instance type (x86_64, matches the worker fleet)."
}

variable "web_binary" {
  type        = string
  description = "Path to the release `web` binary (e.g. target/release/web)."
}

variable "worker_binary" {
  type        = string
  description = "Path to the release `worker` binary (e.g. target/release/worker)."
}

variable "ami_name_prefix" {
  type    = string
  default = "clipcontest"
}

variable "git_revision" {
  type    = string
  default = "unknown"
}

variable "volume_size_gb" {
  type    = number
  default = 16
}

variable "subnet_id" {
  type        = string
  default     = ""
  description = "Optional subnet for the build instance (default VPC if empty)."
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
}

source "amazon-ebs" "debian12" {
  region        = var.region
  instance_type = var.instance_type
  subnet_id     = var.subnet_id
  ssh_username  = "admin"
  ssh_interface = "public_ip"

  # Official Debian 12 (bookworm) images published by Debian (account 136693071363).
  source_ami_filter {
    filters = {
      name                = "debian-12-amd64-*"
      architecture        = "x86_64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = ["136693071363"]
    most_recent = true
  }

  ami_name        = "${var.ami_name_prefix}-${local.timestamp}"
  ami_description = "Clipcontest web+worker image (git ${var.git_revision})"
  encrypt_boot    = true

  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.volume_size_gb
    volume_type           = "gp3"
    throughput            = 125
    iops                  = 3000
    delete_on_termination = true
    encrypted             = true
  }

  tags = {
    Name        = "${var.ami_name_prefix}-${local.timestamp}"
    Project     = "clipcontest"
    GitRevision = var.git_revision
    BaseAMI     = "{{ .SourceAMI }}"
    BaseAMIName = "{{ .SourceAMIName }}"
  }

  run_tags = {
    Name    = "packer-${var.ami_name_prefix}"
    Project = "clipcontest"
  }
}

build {
  sources = ["source.amazon-ebs.debian12"]

  provisioner "shell" {
    inline = ["mkdir -p /tmp/clipcontest/bin /tmp/clipcontest/files"]
  }

  provisioner "file" {
    source      = var.web_binary
    destination = "/tmp/clipcontest/bin/web"
  }

  provisioner "file" {
    source      = var.worker_binary
    destination = "/tmp/clipcontest/bin/worker"
  }

  # Trailing slash: copy the directory's contents, not the directory.
  provisioner "file" {
    source      = "${path.root}/files/"
    destination = "/tmp/clipcontest/files"
  }

  provisioner "shell" {
    inline = ["echo 'git_revision=${var.git_revision}' > /tmp/clipcontest/files/BUILD_INFO"]
  }

  provisioner "shell" {
    script          = "${path.root}/scripts/install.sh"
    execute_command = "chmod +x {{ .Path }}; sudo -E bash '{{ .Path }}'"
  }

  post-processor "manifest" {
    output     = "${path.root}/manifest.json"
    strip_path = true
  }
}
