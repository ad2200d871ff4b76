package recipes

import (
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fnguard/fnguard/internal/audittest"
)

// mapGet returns the value of key in a YAML mapping node, or nil.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// path follows keys through nested mappings.
func path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = mapGet(n, k)
	}
	return n
}

func scalars(n *yaml.Node) []string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, c := range n.Content {
		out = append(out, c.Value)
	}
	return out
}

// TestSAMTemplate parses sam/template.yaml as CloudFormation does (the
// short-form tags !Ref and !GetAtt kept as tagged nodes) and checks the
// function, its architectures, its FNGUARD_* settings and the SQS event.
func TestSAMTemplate(t *testing.T) {
	b, err := os.ReadFile("sam/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("sam/template.yaml: %v", err)
	}
	if len(doc.Content) != 1 {
		t.Fatal("sam/template.yaml: not one YAML document")
	}
	root := doc.Content[0]
	if v := mapGet(root, "Transform"); v == nil || v.Value != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform is not AWS::Serverless-2016-10-31")
	}

	arch := path(root, "Parameters", "Architecture")
	if got := scalars(mapGet(arch, "AllowedValues")); !slices.Equal(got, []string{"arm64", "x86_64"}) {
		t.Errorf("Parameters.Architecture.AllowedValues = %v, want [arm64 x86_64]", got)
	}

	resources := mapGet(root, "Resources")
	var fnName string
	var fn *yaml.Node
	for i := 0; resources != nil && i+1 < len(resources.Content); i += 2 {
		if v := mapGet(resources.Content[i+1], "Type"); v != nil && v.Value == "AWS::Serverless::Function" {
			if fn != nil {
				t.Fatalf("more than one function: %s and %s", fnName, resources.Content[i].Value)
			}
			fnName, fn = resources.Content[i].Value, resources.Content[i+1]
		}
	}
	if fn == nil {
		t.Fatal("no AWS::Serverless::Function in Resources")
	}
	props := mapGet(fn, "Properties")
	for k, want := range map[string]string{"Runtime": "provided.al2023", "Handler": "bootstrap"} {
		if v := mapGet(props, k); v == nil || v.Value != want {
			t.Errorf("%s.%s is not %s", fnName, k, want)
		}
	}
	archs := mapGet(props, "Architectures")
	if archs == nil || archs.Kind != yaml.SequenceNode || len(archs.Content) != 1 ||
		archs.Content[0].Tag != "!Ref" || archs.Content[0].Value != "Architecture" {
		t.Errorf("%s.Architectures is not [!Ref Architecture]", fnName)
	}
	if v := mapGet(props, "CodeUri"); v == nil || v.Value != "../build/" {
		t.Errorf("%s.CodeUri is not ../build/ (where the build lines write bootstrap)", fnName)
	}

	env := map[string]string{}
	vars := path(props, "Environment", "Variables")
	for i := 0; vars != nil && i+1 < len(vars.Content); i += 2 {
		k, v := vars.Content[i].Value, vars.Content[i+1]
		switch {
		case v.Tag == "!GetAtt" && v.Value == "Orders.Arn":
			env[k] = "arn:aws:sqs:eu-west-1:123456789012:orders-Orders-1A2B3C"
		case v.Kind == yaml.ScalarNode && (v.Tag == "!!str" || v.Tag == "!!int" || v.Tag == "!!bool"):
			env[k] = v.Value
		default:
			t.Errorf("%s: environment variable %s has a value this test cannot resolve (tag %s)", fnName, k, v.Tag)
		}
	}
	recipeEnv(t, env)

	var sqs *yaml.Node
	events := mapGet(props, "Events")
	for i := 0; events != nil && i+1 < len(events.Content); i += 2 {
		if v := mapGet(events.Content[i+1], "Type"); v != nil && v.Value == "SQS" {
			sqs = mapGet(events.Content[i+1], "Properties")
		}
	}
	if sqs == nil {
		t.Fatalf("%s has no SQS event", fnName)
	}
	if q := mapGet(sqs, "Queue"); q == nil || q.Tag != "!GetAtt" || q.Value != "Orders.Arn" {
		t.Errorf("the SQS event's Queue is not !GetAtt Orders.Arn")
	}
	if got := scalars(mapGet(sqs, "FunctionResponseTypes")); !slices.Equal(got, []string{"ReportBatchItemFailures"}) {
		t.Errorf("the SQS event's FunctionResponseTypes = %v, want [ReportBatchItemFailures]", got)
	}
	if q := mapGet(resources, "Orders"); q == nil || path(q, "Properties", "RedrivePolicy", "deadLetterTargetArn") == nil {
		t.Errorf("the Orders queue has no dead-letter queue: failed records would be retried until they expire")
	}
}

// TestSAMTemplatePassesAudit runs fnguard's own template audit over the
// recipe with --fail-on low: no finding of any severity (the allowlist
// written as !GetAtt Orders.Arn covers the queue, the SQS event has
// ReportBatchItemFailures, the function has reserved concurrency).
func TestSAMTemplatePassesAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/fnguard")
	}
	for _, f := range audittest.Run(t, "../..", "sam/template.yaml") {
		t.Errorf("audit finding: %v", f)
	}
}
