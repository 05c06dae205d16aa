output "instance_profile_names" {
  description = "Instance profile name by role (web, worker)."
  value       = { for r, p in aws_iam_instance_profile.this : r => p.name }
}

output "role_arns" {
  description = "Role ARN by role."
  value       = { for r, role in aws_iam_role.this : r => role.arn }
}

output "policies" {
  description = "Generated permission policy JSON by role (for review)."
  value       = local.policies
}

output "assume_role_policy" {
  description = "Trust policy of both roles (EC2)."
  value       = local.assume_ec2
}

output "role_policy_ids" {
  description = "Inline policy and managed attachment ids (instances must not boot before these exist)."
  value       = concat([for p in aws_iam_role_policy.this : p.id], [for a in aws_iam_role_policy_attachment.ssm : a.id])
}
