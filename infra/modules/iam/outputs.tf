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
  value       = { for r, d in data.aws_iam_policy_document.role : r => d.json }
}
