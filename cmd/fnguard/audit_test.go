package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditGolden(t *testing.T) {
	cleanEnv(t)
	for _, tpl := range []string{"insecure.yaml", "insecure.json", "secure.yaml"} {
		for _, format := range []string{"text", "json", "sarif"} {
			t.Run(tpl+"/"+format, func(t *testing.T) {
				code, out, stderr := runCmd(t, "", "audit", "--format", format, filepath.Join("testdata", "templates", tpl))
				want := exitFindings
				if tpl == "secure.yaml" {
					want = exitOK
				}
				if code != want {
					t.Errorf("exit %d, want %d (stderr %q)", code, want, stderr)
				}
				golden(t, "audit-"+strings.TrimSuffix(tpl, filepath.Ext(tpl))+"-"+filepath.Ext(tpl)[1:]+"."+format, out)
			})
		}
	}
}

// TestAuditFindsEachThreat names, for each rule, the template and resource
// it must be reported on: a rule that stops firing fails here even if
// someone rewrites the golden files.
func TestAuditFindsEachThreat(t *testing.T) {
	cleanEnv(t)
	found := map[string]map[string]bool{} // rule → resources
	for _, tpl := range []string{"insecure.yaml", "insecure.json"} {
		tmpl, err := loadTemplate(filepath.Join("testdata", "templates", tpl))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range auditTemplate(tmpl) {
			if found[f.Rule] == nil {
				found[f.Rule] = map[string]bool{}
			}
			found[f.Rule][f.Resource] = true
		}
	}
	tests := []struct{ rule, resource string }{
		{"iam-wildcard-admin", "OrdersFunction"},        // AdministratorAccess in SAM Policies
		{"iam-wildcard-admin", "ReportsRole"},           // Action * Resource * in an inline role policy
		{"iam-wildcard-action", "OrdersFunction"},       // s3:* statement
		{"iam-wildcard-action", "ApiRole"},              // AmazonDynamoDBFullAccess (JSON template)
		{"iam-wildcard-resource", "OrdersFunction"},     // DynamoDBCrudPolicy TableName '*'
		{"url-auth-none", "OrdersFunction"},             // SAM FunctionUrlConfig
		{"url-auth-none", "ReportsUrl"},                 // AWS::Lambda::Url
		{"permission-public", "ReportsPublic"},          // Principal '*'
		{"permission-public", "ApiInvoke"},              // Principal "*" in JSON
		{"permission-confused-deputy", "ReportsFromS3"}, // s3.amazonaws.com without SourceArn
		{"event-source-not-allowlisted", "OrdersFunction"},
		{"event-source-not-allowlisted", "ApiFunction"}, // FNGUARD_* without an allowlist
		{"event-source-unverified", "OrdersFunction"},
		{"batch-no-item-failures", "OrdersFunction"},
		{"async-no-dlq", "OrdersFunction"},  // SNS event
		{"async-no-dlq", "ReportsFunction"}, // S3 permission
		{"no-reserved-concurrency", "ReportsFunction"},
		{"plaintext-secret", "OrdersFunction"},  // DB_PASSWORD by name, AKIA key by value
		{"plaintext-secret", "ReportsFunction"}, // ghp_ token
		{"plaintext-secret", "ApiFunction"},     // xoxb- token in JSON
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.resource, func(t *testing.T) {
			if !found[tc.rule][tc.resource] {
				t.Errorf("%s not reported on %s; found %v", tc.rule, tc.resource, found[tc.rule])
			}
		})
	}
	for _, r := range auditRules {
		if found[r.ID] == nil {
			t.Errorf("rule %s has no example in testdata/templates", r.ID)
		}
	}
}

// TestAuditBenignLookAlikes: what resembles a finding but is safe.
func TestAuditBenignLookAlikes(t *testing.T) {
	cleanEnv(t)
	tmpl, err := loadTemplate(filepath.Join("testdata", "templates", "secure.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if fs := auditTemplate(tmpl); len(fs) != 0 {
		t.Errorf("secure template has findings: %+v", fs)
	}
	// Dynamic references, Refs and ARNs under secret-looking names are not
	// plain-text secrets; a reference to a parameter is not either.
	src := `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 1
      Environment:
        Variables:
          API_TOKEN: '{{resolve:ssm-secure:/orders/token}}'
          DB_PASSWORD_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
          TOKEN_TABLE: !Ref Tokens
          PASSWORD_MIN_LENGTH: ''
`
	tmpl, err = parseTemplate("inline.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range auditTemplate(tmpl) {
		if f.Rule == "plaintext-secret" {
			t.Errorf("false positive: %+v", f)
		}
	}
}

func TestAuditFailOn(t *testing.T) {
	cleanEnv(t)
	tests := []struct {
		tpl, failOn string
		want        int
	}{
		{"insecure.yaml", "high", exitFindings},
		{"insecure.json", "high", exitFindings},
		{"secure.yaml", "low", exitOK},
	}
	for _, tc := range tests {
		t.Run(tc.tpl+"/"+tc.failOn, func(t *testing.T) {
			code, _, _ := runCmd(t, "", "audit", "--fail-on", tc.failOn, filepath.Join("testdata", "templates", tc.tpl))
			if code != tc.want {
				t.Errorf("exit %d, want %d", code, tc.want)
			}
		})
	}
	// A template whose worst finding is low passes the default threshold.
	dir := t.TempDir()
	p := filepath.Join(dir, "low.yaml")
	os.WriteFile(p, []byte("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: provided.al2023\n"), 0o644)
	if code, out, _ := runCmd(t, "", "audit", p); code != exitOK || !strings.Contains(out, "no-reserved-concurrency") {
		t.Errorf("default --fail-on high: exit %d, output %q", code, out)
	}
	if code, _, _ := runCmd(t, "", "audit", "--fail-on", "low", p); code != exitFindings {
		t.Errorf("--fail-on low: exit %d, want 1", code)
	}
}

func TestAuditUnreadable(t *testing.T) {
	dir := t.TempDir()
	tests := map[string]string{
		"broken.yaml":   "Resources: [\n",
		"list.yaml":     "- a\n- b\n",
		"noresources.y": "AWSTemplateFormatVersion: '2010-09-09'\n",
		"notype.yaml":   "Resources:\n  Fn:\n    Properties: {}\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			os.WriteFile(p, []byte(src), 0o644)
			code, _, stderr := runCmd(t, "", "audit", p)
			if code != exitUsage || !strings.Contains(stderr, p) {
				t.Errorf("exit %d, stderr %q: want 2 naming the file", code, stderr)
			}
		})
	}
}

// TestSARIFRequiredFields checks the output against the properties the
// SARIF 2.1.0 schema marks required, and the enums GitHub code scanning
// relies on.
func TestSARIFRequiredFields(t *testing.T) {
	cleanEnv(t)
	_, out, _ := runCmd(t, "", "audit", "--format", "sarif", filepath.Join("testdata", "templates", "insecure.yaml"))
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	need := func(obj map[string]any, where string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s: required property %q missing", where, k)
			}
		}
	}
	need(log, "sarifLog", "version", "runs")
	if log["version"] != "2.1.0" {
		t.Errorf("version %v", log["version"])
	}
	runs := log["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	runObj := runs[0].(map[string]any)
	need(runObj, "run", "tool")
	tool := runObj["tool"].(map[string]any)
	need(tool, "tool", "driver")
	driver := tool["driver"].(map[string]any)
	need(driver, "toolComponent", "name")
	rules := driver["rules"].([]any)
	ids := map[string]bool{}
	for i, r := range rules {
		rm := r.(map[string]any)
		need(rm, "reportingDescriptor", "id")
		ids[rm["id"].(string)] = true
		if rm["id"] != auditRules[i].ID {
			t.Errorf("rule %d is %v, want %s", i, rm["id"], auditRules[i].ID)
		}
	}
	results := runObj["results"].([]any)
	if len(results) == 0 {
		t.Fatal("no results")
	}
	levels := map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	for i, r := range results {
		rm := r.(map[string]any)
		where := "results[" + itoa(i) + "]"
		need(rm, where, "message", "ruleId", "locations")
		msg := rm["message"].(map[string]any)
		if _, ok := msg["text"]; !ok {
			t.Errorf("%s.message has neither text nor id", where)
		}
		if !levels[rm["level"].(string)] {
			t.Errorf("%s.level %v", where, rm["level"])
		}
		if !ids[rm["ruleId"].(string)] {
			t.Errorf("%s.ruleId %v not in the driver's rules", where, rm["ruleId"])
		}
		if idx := int(rm["ruleIndex"].(float64)); rules[idx].(map[string]any)["id"] != rm["ruleId"] {
			t.Errorf("%s.ruleIndex %d does not point at %v", where, idx, rm["ruleId"])
		}
		loc := rm["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
		need(loc, where+".physicalLocation", "artifactLocation", "region")
		if line := loc["region"].(map[string]any)["startLine"].(float64); line < 1 {
			t.Errorf("%s startLine %v", where, line)
		}
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, p := range []string{"insecure.yaml", "insecure.json", "secure.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "templates", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Resources:\n  A:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Principal: !Ref X\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tmpl, err := parseTemplate("fuzz.yaml", b)
		if err != nil {
			return
		}
		for _, fd := range auditTemplate(tmpl) {
			if fd.Rule == "" || fd.Severity == "" || fd.Resource == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
		}
	})
}

// TestAuditAllowlistIntrinsics: FNGUARD_ALLOW_EVENT_SOURCES written as an
// intrinsic (SAM's !GetAtt Queue.Arn, the {"Fn::GetAtt"} / {"Fn::Join"} the
// AWS CDK writes) is resolved like the source's ARN: the queue it names is
// covered, another queue of the template is not, even when CloudFormation
// generates both names.
func TestAuditAllowlistIntrinsics(t *testing.T) {
	cleanEnv(t)
	const head = `Resources:
  Orders: {Type: AWS::SQS::Queue}
  Audit: {Type: AWS::SQS::Queue}
  Named: {Type: AWS::SQS::Queue, Properties: {QueueName: named-orders}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      ReservedConcurrentExecutions: 1
      Environment:
        Variables:
          FNGUARD_MODE: block
`
	const mapping = `  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: %s
      FunctionResponseTypes: [ReportBatchItemFailures]
`
	for _, tc := range []struct {
		name, allow, source string
		want                string // rule reported, "" for none
	}{
		{"short GetAtt, same queue", "!GetAtt Orders.Arn", "!GetAtt Orders.Arn", ""},
		{"JSON GetAtt, same queue", `{"Fn::GetAtt": [Orders, Arn]}`, `{"Fn::GetAtt": [Orders, Arn]}`, ""},
		{"GetAtt vs Sub of the named queue", "!GetAtt Named.Arn", `!Sub "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:named-orders"`, ""},
		{"Join of two ARNs", `{"Fn::Join": [",", [{"Fn::GetAtt": [Audit, Arn]}, {"Fn::GetAtt": [Orders, Arn]}]]}`, "!GetAtt Orders.Arn", ""},
		{"another generated queue", "!GetAtt Audit.Arn", "!GetAtt Orders.Arn", "event-source-unverified"},
		{"Join without the queue", `{"Fn::Join": [",", [{"Fn::GetAtt": [Audit, Arn]}, "arn:aws:sqs:*:*:named-orders"]]}`, "!GetAtt Orders.Arn", "event-source-unverified"},
		{"literal name vs generated", "arn:aws:sqs:*:*:orders", "!GetAtt Orders.Arn", "event-source-unverified"},
		{"named queue, other literal", "arn:aws:sqs:*:*:other", "!GetAtt Named.Arn", "event-source-unverified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := head + "          FNGUARD_ALLOW_EVENT_SOURCES: " + tc.allow + "\n" + strings.Replace(mapping, "%s", tc.source, 1)
			tmpl, err := parseTemplate("inline.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range auditTemplate(tmpl) {
				got = append(got, f.Rule+": "+f.Message)
				if strings.Contains(f.Message, "fnguard-unresolved") {
					t.Errorf("message shows the placeholder: %s", f.Message)
				}
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("findings %q, want none", got)
			case tc.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tc.want+":")):
				t.Errorf("findings %q, want one %s", got, tc.want)
			}
		})
	}
}
