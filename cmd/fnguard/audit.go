package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"go.uber.org/zap"
	"gopkg.in/yaml.v3"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/redact"
)

// severity orders audit findings; --fail-on compares against it.
type severity int

const (
	sevLow severity = iota + 1
	sevMedium
	sevHigh
)

func (s severity) String() string {
	switch s {
	case sevHigh:
		return "high"
	case sevMedium:
		return "medium"
	case sevLow:
		return "low"
	}
	return "unknown"
}

func parseSeverity(s string) (severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "high":
		return sevHigh, nil
	case "medium":
		return sevMedium, nil
	case "low":
		return sevLow, nil
	}
	return 0, fmt.Errorf("--fail-on %q: want high, medium or low", s)
}

// auditRule describes one check of `fnguard audit`. The ids are stable:
// SARIF consumers and suppressions refer to them.
type auditRule struct {
	ID       string
	Severity severity
	Title    string
	Help     string
}

var auditRules = []auditRule{
	{"iam-wildcard-admin", sevHigh, "IAM statement allows every action on every resource",
		"A function role with Action \"*\" and Resource \"*\" (or AdministratorAccess) turns any code execution in the function into control of the account. Grant the actions the function calls on the resources it uses."},
	{"iam-wildcard-action", sevMedium, "IAM statement allows a wildcard action",
		"Actions such as \"s3:*\" grant far more than a function calls (deletes, policy changes). List the actions explicitly."},
	{"iam-wildcard-resource", sevLow, "IAM statement applies to every resource",
		"Resource \"*\" lets a compromised function reach every table, bucket or queue of the account. Some actions (xray:PutTraceSegments, cloudwatch:PutMetricData) only accept \"*\"; scope the others to ARNs."},
	{"url-auth-none", sevHigh, "Function URL without authentication",
		"AuthType NONE lets anyone on the internet invoke the function. Use AWS_IAM, or put the URL behind CloudFront with origin access control, and keep fnguard's caller checks on."},
	{"permission-public", sevHigh, "Lambda permission for any principal",
		"Principal \"*\" lets any AWS account (or anyone, for a function URL) invoke the function."},
	{"permission-confused-deputy", sevMedium, "Service permission without SourceArn or SourceAccount",
		"A service principal (s3.amazonaws.com, sns.amazonaws.com, events.amazonaws.com…) without SourceArn/SourceAccount lets the service invoke the function on behalf of any account: the confused deputy. Add SourceArn (and SourceAccount for S3)."},
	{"event-source-not-allowlisted", sevMedium, "Event source not covered by FNGUARD_ALLOW_EVENT_SOURCES",
		"The function reads events from a source that its FNGUARD_ALLOW_EVENT_SOURCES does not admit: fnguard will refuse every record from it, or the allowlist is missing and any source is accepted."},
	{"event-source-unverified", sevLow, "Event source could not be checked against FNGUARD_ALLOW_EVENT_SOURCES",
		"The source ARN depends on values the template does not fix (region, account, generated names); check that the allowlist covers it once deployed."},
	{"batch-no-item-failures", sevMedium, "Batch event source without ReportBatchItemFailures",
		"fnguard reports poisoned SQS/Kinesis/DynamoDB records as batchItemFailures. Without FunctionResponseTypes: [ReportBatchItemFailures] Lambda ignores them and deletes the whole batch, blocked records included, when the function succeeds."},
	{"async-no-dlq", sevMedium, "Asynchronous source without a dead-letter queue or on-failure destination",
		"fnguard returns an error for a blocked asynchronous event so that it is kept; without a DLQ or on-failure destination Lambda drops it after its retries and the evidence is lost."},
	{"no-reserved-concurrency", sevLow, "Function without reserved concurrency",
		"Without ReservedConcurrentExecutions a flood of invocations (denial of wallet) scales until the account limit and starves other functions."},
	{"plaintext-secret", sevHigh, "Secret in plain text in the template",
		"A credential in Environment.Variables is visible to anyone who can read the template, the stack or the function configuration. Use a dynamic reference ({{resolve:secretsmanager:...}}) or read it at run time."},
}

func ruleByID(id string) auditRule {
	for _, r := range auditRules {
		if r.ID == id {
			return r
		}
	}
	panic("fnguard: unknown audit rule " + id)
}

// auditFinding is one result of `fnguard audit`.
type auditFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Resource string `json:"resource"`
	Message  string `json:"message"`
	sev      severity
}

type auditor struct {
	t        *template
	red      *redact.Redactor
	findings []auditFinding
}

func (a *auditor) add(rule string, line int, resource, msg string) {
	r := ruleByID(rule)
	a.findings = append(a.findings, auditFinding{Rule: rule, Severity: r.Severity.String(), sev: r.Severity, File: a.t.path, Line: line, Resource: resource, Message: msg})
}

// auditTemplate runs every check over one template.
func auditTemplate(t *template) []auditFinding {
	red, err := redact.New(redact.Config{})
	if err != nil { // the zero config is valid; this is a programming error
		panic(err)
	}
	a := &auditor{t: t, red: red}
	fns := t.functions()
	a.iam(fns)
	a.urls(fns)
	a.permissions()
	for _, f := range fns {
		a.eventSources(f)
		a.asyncDLQ(f)
		a.concurrency(f)
		a.secrets(f)
	}
	sort.SliceStable(a.findings, func(i, j int) bool { return a.findings[i].Line < a.findings[j].Line })
	return a.findings
}

// ---- IAM ----

// Managed policies whose statements are wildcards (AWS-managed, by name).
var adminManaged = []string{"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"}

// SAM policy templates whose statements use Resource "*" whatever their
// parameters say.
var samWildcardResourceTemplates = []string{"CloudWatchPutMetricPolicy", "EC2DescribePolicy", "AMIDescribePolicy", "RekognitionDetectOnlyPolicy", "VPCAccessPolicy", "CloudWatchDescribeAlarmHistoryPolicy", "CloudWatchDashboardPolicy", "PollyFullAccessPolicy"}

func (a *auditor) iam(fns []*function) {
	roles := map[string]bool{} // logical ids of roles functions use
	for _, f := range fns {
		if id := refTarget(get(f.res.props, "Role")); id != "" {
			roles[id] = true
		}
		if f.sam {
			a.samPolicies(f)
		}
	}
	for _, r := range a.t.resources {
		switch r.typ {
		case "AWS::IAM::Role":
			if !roles[r.id] && !trustsLambda(r) {
				continue
			}
			for _, p := range items(get(r.props, "Policies")) {
				a.document(r.id, get(p, "PolicyDocument"))
			}
			a.managed(r.id, get(r.props, "ManagedPolicyArns"))
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			attached := false
			for _, ro := range items(get(r.props, "Roles")) {
				if id := refTarget(ro); id != "" && (roles[id] || a.t.byID[id] != nil && trustsLambda(a.t.byID[id])) {
					attached = true
				}
			}
			if attached {
				a.document(r.id, get(r.props, "PolicyDocument"))
			}
		}
	}
}

// trustsLambda reports whether a role's trust policy names the Lambda
// service: such a role is a function role even if no function in this
// template refers to it.
func trustsLambda(r *resource) bool {
	for _, st := range items(path(r.props, "AssumeRolePolicyDocument", "Statement")) {
		for _, s := range items(path(st, "Principal", "Service")) {
			if scalar(s) == "lambda.amazonaws.com" {
				return true
			}
		}
	}
	return false
}

func (a *auditor) samPolicies(f *function) {
	for _, p := range items(get(f.res.props, "Policies")) {
		switch p.Kind {
		case yaml.ScalarNode:
			a.managedName(f.res.id, p)
		case yaml.MappingNode:
			if st := get(p, "Statement"); st != nil {
				a.document(f.res.id, p)
				continue
			}
			for i := 0; i+1 < len(p.Content); i += 2 {
				name, args := p.Content[i].Value, deref(p.Content[i+1])
				for _, w := range samWildcardResourceTemplates {
					if name == w {
						a.add("iam-wildcard-resource", p.Content[i].Line, f.res.id, "SAM policy template "+name+" grants its actions on Resource \"*\"")
					}
				}
				if args != nil && args.Kind == yaml.MappingNode {
					for j := 0; j+1 < len(args.Content); j += 2 {
						if scalar(args.Content[j+1]) == "*" {
							a.add("iam-wildcard-resource", args.Content[j].Line, f.res.id, "SAM policy template "+name+" with "+args.Content[j].Value+": \"*\" applies to every resource")
						}
					}
				}
			}
		}
	}
}

func (a *auditor) managed(id string, arns *yaml.Node) {
	for _, n := range items(arns) {
		a.managedName(id, n)
	}
}

func (a *auditor) managedName(id string, n *yaml.Node) {
	s := scalar(n)
	if s == "" {
		if _, args, ok := intrinsic(n); ok && len(args) > 0 {
			s = args[0]
		}
	}
	name := s[strings.LastIndexByte(s, '/')+1:]
	for _, m := range adminManaged {
		if name == m {
			a.add("iam-wildcard-admin", n.Line, id, "managed policy "+name+" grants every action on every resource")
			return
		}
	}
	if strings.HasSuffix(name, "FullAccess") {
		a.add("iam-wildcard-action", n.Line, id, "managed policy "+name+" grants every action of its service on every resource")
	}
}

func (a *auditor) document(id string, doc *yaml.Node) {
	for _, st := range items(get(doc, "Statement")) {
		if e := scalar(get(st, "Effect")); e != "" && e != "Allow" {
			continue
		}
		var wildAct, starAct, starRes bool
		var acts []string
		for _, ac := range items(get(st, "Action")) {
			s := scalar(ac)
			if s == "*" {
				starAct = true
			}
			if strings.Contains(s, "*") {
				wildAct = true
				acts = append(acts, s)
			}
		}
		if get(st, "NotAction") != nil {
			wildAct, starAct = true, true // everything except a list
			acts = append(acts, "NotAction")
		}
		for _, r := range items(get(st, "Resource")) {
			if scalar(r) == "*" {
				starRes = true
			}
		}
		if get(st, "NotResource") != nil {
			starRes = true
		}
		line := st.Line
		switch {
		case starAct && starRes:
			a.add("iam-wildcard-admin", line, id, "statement allows Action \"*\" on Resource \"*\"")
		case wildAct:
			a.add("iam-wildcard-action", line, id, "statement allows "+strings.Join(acts, ", ")+resourceNote(starRes))
		case starRes:
			a.add("iam-wildcard-resource", line, id, "statement applies to Resource \"*\"")
		}
	}
}

func resourceNote(star bool) string {
	if star {
		return " on Resource \"*\""
	}
	return ""
}

// ---- function URLs and permissions ----

func (a *auditor) urls(fns []*function) {
	for _, f := range fns {
		if f.sam {
			if c := a.t.prop(f, "FunctionUrlConfig"); c != nil && scalar(get(c, "AuthType")) == "NONE" {
				a.add("url-auth-none", get(c, "AuthType").Line, f.res.id, "FunctionUrlConfig AuthType NONE: anyone can invoke the function")
			}
		}
	}
	for _, r := range a.t.resources {
		if r.typ == "AWS::Lambda::Url" && scalar(get(r.props, "AuthType")) == "NONE" {
			a.add("url-auth-none", get(r.props, "AuthType").Line, r.id, "function URL with AuthType NONE: anyone can invoke the function")
		}
	}
}

func (a *auditor) permissions() {
	for _, r := range a.t.resources {
		if r.typ != "AWS::Lambda::Permission" {
			continue
		}
		p := get(r.props, "Principal")
		ps := scalar(p)
		switch {
		case ps == "*":
			a.add("permission-public", p.Line, r.id, "Principal \"*\": any account (or anyone, for a function URL) may invoke the function")
		case strings.HasSuffix(ps, ".amazonaws.com") && get(r.props, "SourceArn") == nil && get(r.props, "SourceAccount") == nil:
			a.add("permission-confused-deputy", p.Line, r.id, "service principal "+ps+" without SourceArn or SourceAccount")
		}
	}
}

// ---- event sources ----

// eventSource is one trigger of a function.
type eventSource struct {
	kind     string // SQS, Kinesis, DynamoDB, SNS, S3, EventBridge, …
	line     int
	arn      *yaml.Node // the ARN (or, for EventBridge, nil)
	sources  []string   // EventBridge pattern sources
	respType *yaml.Node // FunctionResponseTypes
	esm      bool       // a polled source (event source mapping)
	async    bool       // an asynchronous push source
	name     string     // the SAM event's name or the mapping's logical id
}

var samEventKinds = map[string]struct {
	prop         string
	esm, async   bool
	batchFailure bool
}{
	"SQS":             {"Queue", true, false, true},
	"Kinesis":         {"Stream", true, false, true},
	"DynamoDB":        {"Stream", true, false, true},
	"MSK":             {"Stream", true, false, false},
	"MQ":              {"Broker", true, false, false},
	"DocumentDB":      {"Cluster", true, false, false},
	"SNS":             {"Topic", false, true, false},
	"S3":              {"Bucket", false, true, false},
	"EventBridgeRule": {"", false, true, false},
	"CloudWatchEvent": {"", false, true, false},
	"Schedule":        {"", false, true, false},
	"ScheduleV2":      {"", false, true, false},
	"IoTRule":         {"", false, true, false},
	"CloudWatchLogs":  {"", false, true, false},
	"Cognito":         {"", false, false, false},
}

func (a *auditor) sources(f *function) []eventSource {
	var out []eventSource
	if evs := get(f.res.props, "Events"); evs != nil && evs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(evs.Content); i += 2 {
			ev := deref(evs.Content[i+1])
			typ := scalar(get(ev, "Type"))
			k, known := samEventKinds[typ]
			if !known {
				continue
			}
			props := get(ev, "Properties")
			es := eventSource{kind: typ, line: evs.Content[i].Line, esm: k.esm, async: k.async, name: evs.Content[i].Value}
			if k.prop != "" {
				es.arn = get(props, k.prop)
				if typ == "S3" && es.arn != nil { // Bucket: !Ref MyBucket → the bucket's ARN
					if id := refTarget(es.arn); id != "" {
						es.arn = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!GetAtt", Value: id + ".Arn", Line: es.arn.Line}
					}
				}
			}
			if typ == "EventBridgeRule" || typ == "CloudWatchEvent" {
				for _, s := range items(path(props, "Pattern", "source")) {
					if v := scalar(s); v != "" {
						es.sources = append(es.sources, v)
					}
				}
			}
			es.respType = get(props, "FunctionResponseTypes")
			out = append(out, es)
		}
	}
	for _, r := range a.t.resources {
		if r.typ != "AWS::Lambda::EventSourceMapping" || !pointsAt(get(r.props, "FunctionName"), f) {
			continue
		}
		arnNode := get(r.props, "EventSourceArn")
		arn, _, _ := a.t.resolveARN(arnNode, 0)
		kind := "ESM"
		switch {
		case strings.HasPrefix(arn, "arn:aws:sqs:"):
			kind = "SQS"
		case strings.HasPrefix(arn, "arn:aws:kinesis:"):
			kind = "Kinesis"
		case strings.HasPrefix(arn, "arn:aws:dynamodb:"):
			kind = "DynamoDB"
		}
		out = append(out, eventSource{kind: kind, line: r.line, arn: arnNode, respType: get(r.props, "FunctionResponseTypes"), esm: true, name: r.id})
	}
	return out
}

func (a *auditor) eventSources(f *function) {
	if !f.usesFnguard() {
		return
	}
	allow, hasAllow := f.env["FNGUARD_ALLOW_EVENT_SOURCES"]
	// The allowlist as the function sees it once deployed, per variant of
	// the values the template does not fix: a literal, or an intrinsic
	// such as !GetAtt Queue.Arn (the AWS CDK writes queue.QueueArn() so).
	var globs [2][]string
	if hasAllow {
		for v := range globs {
			s, _, ok := a.t.resolveString(allow.node, v)
			if !ok {
				break
			}
			for _, g := range strings.Split(s, ",") {
				if g = strings.TrimSpace(g); g != "" {
					globs[v] = append(globs[v], g)
				}
			}
		}
	}
	for _, es := range a.sources(f) {
		if samEventKinds[es.kind].batchFailure || es.kind == "SQS" || es.kind == "Kinesis" || es.kind == "DynamoDB" {
			ok := false
			for _, t := range items(es.respType) {
				if scalar(t) == "ReportBatchItemFailures" {
					ok = true
				}
			}
			if !ok {
				a.add("batch-no-item-failures", es.line, f.res.id, es.kind+" source "+es.name+" has no FunctionResponseTypes: [ReportBatchItemFailures]")
			}
		}
		var cands [2]string
		partial := false
		switch {
		case es.arn != nil:
			for v := range cands {
				arn, p, ok := a.t.resolveARN(es.arn, v)
				if !ok {
					break
				}
				cands[v], partial = arn, partial || p
			}
		case len(es.sources) > 0:
			for _, s := range es.sources {
				a.checkSource(f, es, globs, hasAllow, [2]string{s, s}, false)
			}
			continue
		default:
			continue
		}
		if cands[0] == "" {
			continue
		}
		a.checkSource(f, es, globs, hasAllow, cands, partial)
	}
}

func (a *auditor) checkSource(f *function, es eventSource, globs [2][]string, hasAllow bool, cands [2]string, partial bool) {
	if !hasAllow || len(globs[0]) == 0 {
		a.add("event-source-not-allowlisted", es.line, f.res.id, es.kind+" source "+es.name+": the function sets FNGUARD_* but no FNGUARD_ALLOW_EVENT_SOURCES, so records from any "+strings.ToLower(es.kind)+" source are accepted")
		return
	}
	covered := true
	for v, c := range cands {
		if !sourceAllowed(globs[v], c) {
			covered = false
		}
	}
	if covered {
		return
	}
	shown := unresolvedRE.ReplaceAllString(cands[0], "…")
	if partial {
		a.add("event-source-unverified", es.line, f.res.id, es.kind+" source "+shown+" depends on deploy-time values; FNGUARD_ALLOW_EVENT_SOURCES does not cover every value it can take")
		return
	}
	a.add("event-source-not-allowlisted", es.line, f.res.id, es.kind+" source "+shown+" is not covered by FNGUARD_ALLOW_EVENT_SOURCES="+unresolvedRE.ReplaceAllString(strings.Join(globs[0], ","), "…"))
}

// sourceAllowed asks the engine itself: a guard configured with the globs
// inspects a record from source. The verdict is the one the function would
// give at run time.
func sourceAllowed(globs []string, source string) bool {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithAllowEventSources(globs...))
	if err != nil {
		return false // an allowlist the engine refuses covers nothing
	}
	inv := &guard.Invocation{Source: guard.SourceLambdaUnknown, Records: []guard.Record{{ID: "audit", EventSource: source, Body: []byte("{}")}}}
	d := g.Inspect(context.Background(), inv)
	for _, fd := range d.Findings {
		if fd.Category == guard.Allowlist {
			return false
		}
	}
	return true
}

func (a *auditor) asyncDLQ(f *function) {
	async := ""
	for _, es := range a.sources(f) {
		if es.async {
			async = es.kind
			break
		}
	}
	if async == "" {
		for _, r := range a.t.resources {
			if r.typ == "AWS::Lambda::Permission" && pointsAt(get(r.props, "FunctionName"), f) {
				switch scalar(get(r.props, "Principal")) {
				case "sns.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com", "iot.amazonaws.com", "logs.amazonaws.com", "ses.amazonaws.com":
					async = scalar(get(r.props, "Principal"))
				}
			}
		}
	}
	if async == "" {
		return
	}
	if a.t.prop(f, "DeadLetterQueue") != nil || get(f.res.props, "DeadLetterConfig") != nil {
		return
	}
	if c := a.t.prop(f, "EventInvokeConfig"); c != nil && path(c, "DestinationConfig", "OnFailure") != nil {
		return
	}
	for _, r := range a.t.resources {
		if r.typ == "AWS::Lambda::EventInvokeConfig" && pointsAt(get(r.props, "FunctionName"), f) && path(r.props, "DestinationConfig", "OnFailure") != nil {
			return
		}
	}
	a.add("async-no-dlq", f.res.line, f.res.id, "asynchronous source ("+async+") without DeadLetterQueue or an OnFailure destination")
}

func (a *auditor) concurrency(f *function) {
	if a.t.prop(f, "ReservedConcurrentExecutions") == nil {
		a.add("no-reserved-concurrency", f.res.line, f.res.id, "no ReservedConcurrentExecutions: invocations scale until the account limit")
	}
}

// secrets flags literal credentials in the function's environment, with
// the redactor's own detectors: a value it would mask, or a non-empty
// literal under a key it treats as secret.
func (a *auditor) secrets(f *function) {
	for _, k := range f.sortedEnv() {
		v := f.env[k]
		s := scalar(v.node)
		if s == "" || strings.HasPrefix(s, "{{resolve:") || strings.HasPrefix(s, "arn:") {
			continue
		}
		switch {
		case a.red.String(s) != s:
			a.add("plaintext-secret", v.key.Line, f.res.id, "Environment.Variables."+k+" holds a credential in plain text")
		case a.red.IsSecretKey(k):
			a.add("plaintext-secret", v.key.Line, f.res.id, "Environment.Variables."+k+" is a secret by its name and holds a literal value")
		}
	}
}

// ---- command ----

func runAudit(args []string, stdout, stderr io.Writer) int {
	c := newSubcommand("audit", "[--format text|json|sarif] [--fail-on high|medium|low] TEMPLATE...", stderr)
	format := c.formatFlag("", "text", "json", "sarif")
	failOn := c.fs.String("fail-on", "high", "exit 1 when a finding has this severity or higher: high, medium or low")
	if !c.parse(args, 1, -1) {
		return exitUsage
	}
	threshold, err := parseSeverity(*failOn)
	if err != nil {
		return c.fail(err)
	}
	var all []auditFinding
	for _, p := range c.fs.Args() {
		t, err := loadTemplate(p)
		if err != nil {
			return c.fail(err)
		}
		all = append(all, auditTemplate(t)...)
	}
	switch *format {
	case "json":
		if all == nil {
			all = []auditFinding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			return writeErr(stderr, err)
		}
	case "sarif":
		if err := writeSARIF(stdout, all); err != nil {
			return writeErr(stderr, err)
		}
	default:
		writeAuditText(stdout, all)
	}
	for _, f := range all {
		if f.sev >= threshold {
			return exitFindings
		}
	}
	return exitOK
}

func writeAuditText(w io.Writer, fs []auditFinding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "no findings")
		return
	}
	counts := map[string]int{}
	for _, f := range fs {
		fmt.Fprintf(w, "%s:%d: %s %s [%s] %s\n", f.File, f.Line, strings.ToUpper(f.Severity), f.Rule, f.Resource, f.Message)
		counts[f.Severity]++
	}
	fmt.Fprintf(w, "\n%d findings: %d high, %d medium, %d low\n", len(fs), counts["high"], counts["medium"], counts["low"])
}

func writeErr(stderr io.Writer, err error) int {
	if !errors.Is(err, io.ErrClosedPipe) {
		fmt.Fprintln(stderr, "fnguard:", err)
	}
	return exitUsage
}
