package main

import (
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Config is what the recipe needs to know about the function it deploys.
// The app reads it from the CDK context (cdk.json, or -c key=value on the
// cdk command line): "architecture" and "bootstrap".
type Config struct {
	// Architecture is the function's CPU architecture: "arm64" (the
	// default) or "x86_64". The bootstrap must be built for it
	// (GOARCH=arm64 or GOARCH=amd64).
	Architecture string
	// BootstrapDir is the directory holding the built bootstrap, packaged
	// as the function's code asset (default ../aws/build).
	BootstrapDir string
}

// Context keys the app reads.
const (
	ContextArchitecture = "architecture"
	ContextBootstrap    = "bootstrap"
)

// Defaults of the context keys.
const (
	DefaultArchitecture = "arm64"
	DefaultBootstrapDir = "../aws/build"
)

// ErrConfig marks a recipe setting that cannot be used; the message names
// the context key.
var ErrConfig = errors.New("fnguard cdk recipe")

// architectures maps the context value to the ELF machine the bootstrap
// must be built for.
var architectures = map[string]elf.Machine{"arm64": elf.EM_AARCH64, "x86_64": elf.EM_X86_64}

// goarch is the GOARCH that builds for each architecture, for messages.
var goarch = map[string]string{"arm64": "arm64", "x86_64": "amd64"}

// Check verifies the configuration before anything is synthesised: a known
// architecture, and a bootstrap in BootstrapDir that is a static Linux
// executable for that architecture (a dynamically linked one — built
// without CGO_ENABLED=0 — may fail to start on provided.al2023, and one for
// the other architecture fails with an exec format error).
func (c Config) Check() error {
	want, ok := architectures[c.Architecture]
	if !ok {
		return fmt.Errorf("%w: context %q = %q: want arm64 or x86_64", ErrConfig, ContextArchitecture, c.Architecture)
	}
	if c.BootstrapDir == "" {
		return fmt.Errorf("%w: context %q is empty: want the directory holding the built bootstrap", ErrConfig, ContextBootstrap)
	}
	bin := filepath.Join(c.BootstrapDir, "bootstrap")
	f, err := elf.Open(bin)
	if err != nil {
		var fe *elf.FormatError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%w: context %q = %q: no bootstrap there; build it first (from deploy/aws: CGO_ENABLED=0 GOOS=linux GOARCH=%s go build -tags lambda.norpc -trimpath -o build/bootstrap ./function)",
				ErrConfig, ContextBootstrap, c.BootstrapDir, goarch[c.Architecture])
		case errors.As(err, &fe):
			return fmt.Errorf("%w: context %q: %s is not a Linux executable: %v", ErrConfig, ContextBootstrap, bin, err)
		}
		return fmt.Errorf("%w: context %q: %v", ErrConfig, ContextBootstrap, err)
	}
	defer f.Close()
	if f.Machine != want {
		return fmt.Errorf("%w: context %q = %q but %s is built for %v: build it with GOARCH=%s",
			ErrConfig, ContextArchitecture, c.Architecture, bin, f.Machine, goarch[c.Architecture])
	}
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("%w: context %q: %s is an ELF %v, not an executable", ErrConfig, ContextBootstrap, bin, f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%w: context %q: %s is dynamically linked (it has a program interpreter): build it with CGO_ENABLED=0",
				ErrConfig, ContextBootstrap, bin)
		}
	}
	return nil
}

// configFromContext reads the configuration from the CDK context, with the
// defaults for keys that are not set.
func configFromContext(n constructs.Node) (Config, error) {
	c := Config{Architecture: DefaultArchitecture, BootstrapDir: DefaultBootstrapDir}
	for key, dst := range map[string]*string{ContextArchitecture: &c.Architecture, ContextBootstrap: &c.BootstrapDir} {
		switch v := n.TryGetContext(jsii.String(key)).(type) {
		case nil:
		case string:
			*dst = v
		default:
			return Config{}, fmt.Errorf("%w: context %q = %v (%T): want a string", ErrConfig, key, v, v)
		}
	}
	return c, nil
}

// Function settings of the recipe.
const (
	functionTimeoutSeconds = 10
	// visibilityTimeoutSeconds is at least six times the function timeout,
	// as Lambda advises for SQS event sources: a message is not handed to
	// a second invocation while the first may still run.
	visibilityTimeoutSeconds = 6 * functionTimeoutSeconds
	reservedConcurrency      = 10
	maxReceiveCount          = 3
	batchSize                = 10
)

// NewOrdersStack defines the recipe's stack under scope: the Go function of
// deploy/aws/function on provided.al2023 with its FNGUARD_* settings, the
// SQS queue feeding it through an event source mapping with
// ReportBatchItemFailures (fnguard reports poisoned messages as batch item
// failures; without it Lambda deletes the whole batch when the invocation
// succeeds), and the dead-letter queue that receives a message after
// maxReceiveCount failed deliveries.
func NewOrdersStack(scope constructs.Construct, id string, cfg Config, props *awscdk.StackProps) (awscdk.Stack, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	deadLetters := awssqs.NewQueue(stack, jsii.String("OrdersDeadLetters"), &awssqs.QueueProps{
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
	})
	orders := awssqs.NewQueue(stack, jsii.String("Orders"), &awssqs.QueueProps{
		VisibilityTimeout: awscdk.Duration_Seconds(jsii.Number(visibilityTimeoutSeconds)),
		Encryption:        awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		DeadLetterQueue: &awssqs.DeadLetterQueue{
			Queue:           deadLetters,
			MaxReceiveCount: jsii.Number(maxReceiveCount),
		},
	})

	arch := awslambda.Architecture_ARM_64()
	if cfg.Architecture == "x86_64" {
		arch = awslambda.Architecture_X86_64()
	}
	fn := awslambda.NewFunction(stack, jsii.String("OrdersFunction"), &awslambda.FunctionProps{
		Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
		Handler:                      jsii.String("bootstrap"),
		Architecture:                 arch,
		Code:                         awslambda.Code_FromAsset(jsii.String(cfg.BootstrapDir), nil),
		MemorySize:                   jsii.Number(256),
		Timeout:                      awscdk.Duration_Seconds(jsii.Number(functionTimeoutSeconds)),
		ReservedConcurrentExecutions: jsii.Number(reservedConcurrency),
		Environment: &map[string]*string{
			"FNGUARD_MODE": jsii.String("block"),
			"FNGUARD_FAIL": jsii.String("closed"),
			// Only records of this queue are accepted (the ARN is filled
			// in at deploy time).
			"FNGUARD_ALLOW_EVENT_SOURCES": orders.QueueArn(),
			// SQS allows 256 KiB messages; anything larger is not an order.
			"FNGUARD_MAX_BODY_BYTES": jsii.String("262144"),
			"FNGUARD_SERVICE":        jsii.String("orders"),
			// Metrics as CloudWatch embedded metric format log lines.
			"FNGUARD_METRICS": jsii.String("emf"),
		},
	})
	fn.AddEventSource(awslambdaeventsources.NewSqsEventSource(orders, &awslambdaeventsources.SqsEventSourceProps{
		BatchSize:               jsii.Number(batchSize),
		ReportBatchItemFailures: jsii.Bool(true),
	}))

	awscdk.NewCfnOutput(stack, jsii.String("QueueUrl"), &awscdk.CfnOutputProps{Value: orders.QueueUrl()})
	awscdk.NewCfnOutput(stack, jsii.String("DeadLetterQueueUrl"), &awscdk.CfnOutputProps{Value: deadLetters.QueueUrl()})
	awscdk.NewCfnOutput(stack, jsii.String("FunctionArn"), &awscdk.CfnOutputProps{Value: fn.FunctionArn()})
	return stack, nil
}
