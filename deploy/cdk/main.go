// Command cdk is the AWS CDK (Go) recipe of fnguard: a CDK app whose stack
// deploys the SQS consumer of deploy/aws/function on provided.al2023
// (arm64 or x86_64), configured with FNGUARD_* variables, fed by an SQS
// queue through an event source mapping with ReportBatchItemFailures, and
// with a dead-letter queue for the messages that keep failing.
//
// Build the bootstrap first (from deploy/aws; GOARCH=amd64 for x86_64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -o build/bootstrap ./function
//
// then, from deploy/cdk (cdk.json runs this program; the AWS CDK CLI comes
// from npm):
//
//	npx aws-cdk synth
//	npx aws-cdk deploy
//	npx aws-cdk deploy -c architecture=x86_64   # after the GOARCH=amd64 build
//
// The context keys "architecture" (arm64 or x86_64) and "bootstrap" (the
// directory holding the bootstrap, default ../aws/build) are checked before
// anything is synthesised: an unknown architecture, a missing bootstrap, or a
// bootstrap built for the other architecture or dynamically linked fails
// the synth with a message naming the key.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// StackName is the name of the recipe's stack.
const StackName = "FnguardOrders"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		jsii.Close()
		os.Exit(1)
	}
	jsii.Close()
}

func run() error {
	app := awscdk.NewApp(nil)
	cfg, err := configFromContext(app.Node())
	if err != nil {
		return err
	}
	// Environment-agnostic: the account and region come from the AWS CLI
	// profile at deploy time.
	if _, err := NewOrdersStack(app, StackName, cfg, &awscdk.StackProps{
		Description: jsii.String("Go Lambda on provided.al2023 protected by fnguard, fed by an SQS queue (ReportBatchItemFailures) with a dead-letter queue"),
	}); err != nil {
		return err
	}
	app.Synth(nil)
	return nil
}
