package guardlambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// Real events written by others (testdata/real, each folder with its
// NOTICE): aws-lambda-go's events, cfn and lambdaurl testdata (the commit
// copy, plus the v1.55.1 module's versions of the files that differ), AWS
// Lambda Powertools for Python and for TypeScript. Every input event must
// pass the default policy through the real adapter path; the copies beside
// the repository (../shared/fixtures/events) are run too when present.

// notInput lists the files of the suites that are not input events: the
// responses a function returns, and fragments of an event. They are not
// run.
var notInput = map[string]string{
	"aws-lambda-go/events/alb-lambda-target-response.json":                 "ALB target response",
	"aws-lambda-go/events/apigw-custom-auth-response.json":                 "authorizer response (IAM policy)",
	"aws-lambda-go/events/apigw-response.json":                             "API Gateway proxy response",
	"aws-lambda-go/events/appsync-identity-cognito.json":                   "fragment: the identity member of an AppSync event",
	"aws-lambda-go/events/appsync-identity-iam.json":                       "fragment: the identity member of an AppSync event",
	"aws-lambda-go/events/appsync-lambda-auth-response.json":               "AppSync authorizer response",
	"aws-lambda-go/events/iot-custom-auth-response.json":                   "IoT custom authorizer response",
	"aws-lambda-go/events/iot-preprovision-hook-response.json":             "IoT pre-provisioning hook response",
	"aws-lambda-go/events/kinesis-analytics-output-delivery-response.json": "Kinesis Analytics output response",
	"aws-lambda-go/events/kinesis-firehose-response.json":                  "Firehose transformation response",
	"aws-lambda-go/events/lambda-urls-response.json":                       "function URL response",
	"aws-lambda-go/events/lex-response.json":                               "Lex response",
	"aws-lambda-go/events/s3-batch-job-event-response.json":                "S3 Batch response",
	"powertools-python/appSyncAuthorizerResponse.json":                     "AppSync authorizer response",
}

// malformed lists the input events that are themselves malformed, with the
// rule fnguard refuses them with and why. They are refused (HTTP events
// with a 400 response, the others with a *guard.BlockedError wrapping
// guard.ErrRejected), never passed and never blocked as attacks.
var malformed = map[string]struct{ rule, why string }{
	"aws-lambda-go/events/dynamodb-event-malformed.2.json": {"validation.invalid_json",
		"truncated on purpose (aws-lambda-go tests its decoder's error with it): not valid JSON"},
	"powertools-python/apiGatewayProxyEventAnotherPath.json": {"validation.invalid_base64",
		`isBase64Encoded is true but the body is "Hello from Lambda!", not base64 (API Gateway never sends this)`},
	"powertools-python/apiGatewayProxyEventPathTrailingSlash.json": {"validation.invalid_base64",
		`isBase64Encoded is true but the body is "Hello from Lambda!", not base64`},
	"powertools-python/apiGatewayProxyEvent_noVersionAuth.json": {"validation.invalid_base64",
		`isBase64Encoded is true but the body is "Hello from Lambda!", not base64`},
	"powertools-python/sqsEvent.json": {"validation.invalid_base64",
		`messageAttributes.testAttr.binaryValue is "base64Str", not base64: aws-lambda-go cannot decode it into SQSMessageAttribute.BinaryValue ([]byte)`},
	"powertools-typescript/packages/parser/tests/events/sqs/base.json": {"validation.invalid_base64",
		`messageAttributes.testAttr.binaryValue is "base64Str", not base64 (same as powertools-python/sqsEvent.json)`},
}

// wantSource names the source each fixture must be recognised as, by
// substrings of its path (lower-cased), first match wins. Events that are
// no family fnguard knows (Cognito Sync, CodePipeline jobs,
// Kinesis Analytics, Connect outbound campaigns,
// CloudWatch alarms sent directly) are guard.SourceLambdaUnknown and
// walked as generic JSON.
var wantSource = []struct {
	sub string
	src guard.Source
}{
	{"apigw-custom-auth-request", guard.SourceAPIGatewayAuthorizer},
	{"apigw-v2-custom-authorizer", guard.SourceAPIGatewayAuthorizer},
	{"apigatewayauthorizer", guard.SourceAPIGatewayAuthorizer},
	{"apigw-rest/authorizer-", guard.SourceAPIGatewayAuthorizer},
	{"apigw-http/authorizer-", guard.SourceAPIGatewayAuthorizer},
	{"apigw-websocket/connectevent", guard.SourceAPIGatewayAuthorizer}, // a $connect authorizer event
	{"apigw-websocket", guard.SourceAPIGatewayWebSocket},
	{"appsync", guard.SourceAppSync},
	{"onpublish", guard.SourceAppSync},
	{"vpc-lattice", guard.SourceVPCLattice},
	{"vpclattice", guard.SourceVPCLattice},
	{"cognito-event.json", guard.SourceLambdaUnknown}, // Cognito Sync, not a user pool
	{"cognito", guard.SourceCognito},
	{"kafka", guard.SourceKafka},
	{"activemq", guard.SourceMQ},
	{"rabbitmq", guard.SourceMQ},
	{"firehose", guard.SourceFirehose},
	{"kinesisstreamcloudwatchlogs", guard.SourceKinesis},
	{"stream-cloudwatch-logs", guard.SourceKinesis},
	{"cloudwatch-logs-event", guard.SourceCloudWatchLogs},
	{"cloudwatchlogevent", guard.SourceCloudWatchLogs},
	{"events/cloudwatch/base", guard.SourceCloudWatchLogs},
	{"s3-batch-job-event-request", guard.SourceS3Batch},
	{"s3batchoperation", guard.SourceS3Batch},
	{"s3-object-lambda", guard.SourceS3ObjectLambda},
	{"s3objectevent", guard.SourceS3ObjectLambda},
	{"s3/object-", guard.SourceS3ObjectLambda},
	{"cloudformation", guard.SourceCloudFormation},
	{"cfn/", guard.SourceCloudFormation},
	{"secretsmanager", guard.SourceSecretsManager},
	{"bedrockagent", guard.SourceBedrockAgent},
	{"lex-event", guard.SourceLex},
	{"connect-event", guard.SourceConnect},
	{"connectcontactflow", guard.SourceConnect},
	{"iot-custom-auth-request", guard.SourceIoT},
	{"iot-preprovision-hook-request", guard.SourceIoT},
	{"config-event", guard.SourceConfig},
	{"awsconfigrule", guard.SourceConfig},
	{"ses-lambda-event", guard.SourceSES},
	{"ses-s3-event", guard.SourceSES},
	{"ses-sns-event", guard.SourceSES},
	{"sesevent", guard.SourceSES},
	{"events/ses/base", guard.SourceSES},
	{"code-commit", guard.SourceCodeCommit},
	{"transfer-family", guard.SourceTransferFamily},
	{"clientvpn", guard.SourceClientVPN},
}

func expectedSource(rel string) (guard.Source, bool) {
	l := strings.ToLower(rel)
	for _, w := range wantSource {
		if strings.Contains(l, w.sub) {
			return w.src, true
		}
	}
	return "", false
}

// realSuites returns the fixture roots: testdata/real, and the shared
// copies beside the repository when they are there.
func realSuites(t *testing.T) []string {
	roots := []string{filepath.Join("testdata", "real")}
	shared := filepath.Join("..", "..", "..", "shared", "fixtures", "events")
	if _, err := os.Stat(shared); err == nil {
		for _, s := range []string{"aws-lambda-go", "powertools-python", "powertools-typescript"} {
			roots = append(roots, filepath.Join(shared, s))
		}
	}
	return roots
}

type realEvent struct {
	rel  string // path relative to its suite root's parent, e.g. powertools-python/sqsEvent.json
	path string
}

func realEvents(t *testing.T) []realEvent {
	var evs []realEvent
	for _, root := range realSuites(t) {
		base := root
		if filepath.Base(root) != "real" {
			base = filepath.Dir(root)
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			rel, _ := filepath.Rel(base, p)
			evs = append(evs, realEvent{rel: filepath.ToSlash(rel), path: p})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return evs
}

func TestRealEventsPass(t *testing.T) {
	g, logs := testGuard(t)
	evs := realEvents(t)
	var passed, refused, skipped int
	seen := map[string]bool{}
	for _, ev := range evs {
		seen[ev.rel] = true
		t.Run(ev.rel, func(t *testing.T) {
			if why, ok := notInput[ev.rel]; ok {
				skipped++
				t.Skip("not an input event: " + why)
			}
			payload, err := os.ReadFile(ev.path)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			ran := false
			h := WrapHandler(g, lambda.NewHandler(func(_ context.Context, e json.RawMessage) (any, error) {
				ran = true
				got = slices.Clone(e)
				return map[string]any{"records": []any{}}, nil
			}))
			n := logs.Len()
			out, err := h.Invoke(lambdaCtx("req-real"), payload)
			if m, ok := malformed[ev.rel]; ok {
				refused++
				if ran {
					// A malformed record of a batch fails alone: the
					// handler gets the others, the response names it.
					if err != nil || !strings.Contains(string(out), `"batchItemFailures":[{"itemIdentifier"`) ||
						len(got) >= len(payload) || !loggedRule(logs.All()[n:], m.rule) {
						t.Fatalf("malformed fixture reached the handler (want refusal %s: %s); out %s, err %v", m.rule, m.why, out, err)
					}
					return
				}
				var be *guard.BlockedError
				switch {
				case errors.As(err, &be):
					if !errors.Is(err, guard.ErrRejected) || len(be.Decision.Findings) == 0 || be.Decision.Findings[0].Rule != m.rule {
						t.Fatalf("refused with %v, want a rejection %s (%s)", err, m.rule, m.why)
					}
				case err == nil && strings.Contains(string(out), `"statusCode":400`):
					if !loggedRule(logs.All()[n:], m.rule) {
						t.Fatalf("400 without a %s log line", m.rule)
					}
				default:
					t.Fatalf("got %s, %v; want a refusal %s (%s)", out, err, m.rule, m.why)
				}
				return
			}
			if err != nil || !ran {
				t.Fatalf("legitimate event refused: out %s, err %v; logs %v", out, err, logs.All()[n:])
			}
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(payload)) {
				t.Fatalf("the handler got a changed event")
			}
			passed++
		})
	}
	for rel := range notInput {
		if !seen[rel] {
			t.Errorf("notInput lists %s, which is not in the suites", rel)
		}
	}
	for rel := range malformed {
		if !seen[rel] {
			t.Errorf("malformed lists %s, which is not in the suites", rel)
		}
	}
	t.Logf("%d files: %d input events passed, %d malformed refused, %d not input events", len(evs), passed, refused, skipped)
}

func loggedRule(entries []observer.LoggedEntry, rule string) bool {
	for _, e := range entries {
		if strings.Contains(fmt.Sprint(e.ContextMap()), rule) {
			return true
		}
	}
	return false
}

// TestRealEventsRecognised checks that every fixture of a family is
// recognised as that family's source.
func TestRealEventsRecognised(t *testing.T) {
	for _, ev := range realEvents(t) {
		want, ok := expectedSource(ev.rel)
		if !ok || notInput[ev.rel] != "" {
			continue
		}
		if _, bad := malformed[ev.rel]; bad {
			continue
		}
		payload, err := os.ReadFile(ev.path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsontree.Parse(payload, envelopeLimits)
		if err != nil {
			t.Fatalf("%s: %v", ev.rel, err)
		}
		var e envelope
		k := recognize(doc.Root(), &e)
		got := k.source()
		if e.fam != famNone {
			got = e.fam.source()
		}
		if got != want {
			t.Errorf("%s: recognised as %s (kind %d, family %q), want %s", ev.rel, got, k, e.fam, want)
		}
	}
}
