// Package recipes holds the AWS deployment recipes of fnguard and the tests
// that keep them honest: the function they deploy (./function), an AWS SAM
// template (sam/template.yaml) and a Terraform configuration
// (terraform/main.tf), for provided.al2023 on arm64 and x86_64. The AWS CDK
// recipe is the module in ../cdk.
//
// The tests build the bootstrap with the exact lines of ../README.md for both
// architectures and check the binary is static and carries the documented
// build settings, parse the SAM template (CloudFormation short-form tags
// included) and the Terraform file, and check the function, its FNGUARD_*
// variables (each accepted by guard.New) and ReportBatchItemFailures on the
// SQS event source.
package recipes
