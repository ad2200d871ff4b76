package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// A template is one parsed AWS SAM or CloudFormation template. Both YAML
// (with the !Ref / !Sub / !GetAtt short forms) and JSON are read through
// yaml.v3's node API, which keeps line numbers for every value.
type template struct {
	path       string
	root       *yaml.Node
	resources  []*resource          // in template order
	byID       map[string]*resource // logical id → resource
	parameters map[string]string    // parameter → Default, when it has a literal one
	globalsFn  *yaml.Node           // SAM Globals.Function, or nil
}

type resource struct {
	id    string
	typ   string
	line  int
	props *yaml.Node // mapping, or nil when the resource has no Properties
}

// errTemplate marks input that is not a template we can read.
var errTemplate = errors.New("not a CloudFormation or SAM template")

// loadTemplate reads and parses path.
func loadTemplate(path string) (*template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseTemplate(path, data)
}

func parseTemplate(path string, data []byte) (*template, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: %w: the document is not a mapping", path, errTemplate)
	}
	t := &template{path: path, root: doc.Content[0], byID: map[string]*resource{}, parameters: map[string]string{}}
	res := get(t.root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: %w: no Resources mapping", path, errTemplate)
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		k, v := res.Content[i], deref(res.Content[i+1])
		if v.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d: resource %s is not a mapping", path, v.Line, k.Value)
		}
		typ := scalar(get(v, "Type"))
		if typ == "" {
			return nil, fmt.Errorf("%s:%d: resource %s has no Type", path, v.Line, k.Value)
		}
		r := &resource{id: k.Value, typ: typ, line: k.Line}
		if p := get(v, "Properties"); p != nil && p.Kind == yaml.MappingNode {
			r.props = p
		}
		t.resources = append(t.resources, r)
		t.byID[r.id] = r
	}
	if ps := get(t.root, "Parameters"); ps != nil && ps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			if d := get(deref(ps.Content[i+1]), "Default"); d != nil && scalar(d) != "" {
				t.parameters[ps.Content[i].Value] = d.Value
			}
		}
	}
	if g := get(t.root, "Globals"); g != nil {
		t.globalsFn = get(g, "Function")
	}
	return t, nil
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// get returns the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return deref(m.Content[i+1])
		}
	}
	return nil
}

// path follows keys through nested mappings.
func path(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		m = get(m, k)
		if m == nil {
			return nil
		}
	}
	return m
}

// scalar returns the literal value of a plain scalar node, or "" for an
// intrinsic (a short-form tag or a one-key Ref/Fn:: mapping), a mapping or a
// sequence.
func scalar(n *yaml.Node) string {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return ""
	}
	return n.Value
}

// items returns the elements of a sequence, or the node itself when it is a
// single value (CloudFormation accepts both for Action, Resource, Principal).
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, deref(c))
		}
		return out
	}
	return []*yaml.Node{n}
}

// intrinsic decodes an intrinsic function in either notation: the short
// form (!Ref X, !GetAtt X.Arn, !Sub "...") or the JSON form ({"Ref": "X"},
// {"Fn::GetAtt": ["X","Arn"]}, {"Fn::Sub": "..."}). name is "Ref",
// "GetAtt", "Sub", "ImportValue"…; args are its scalar arguments.
func intrinsic(n *yaml.Node) (name string, args []string, ok bool) {
	n = deref(n)
	if n == nil {
		return "", nil, false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name = strings.TrimPrefix(n.Tag, "!")
		switch n.Kind {
		case yaml.ScalarNode:
			if name == "GetAtt" {
				return name, strings.SplitN(n.Value, ".", 2), true
			}
			return name, []string{n.Value}, true
		case yaml.SequenceNode:
			for _, c := range n.Content {
				args = append(args, scalar(c))
			}
			return name, args, true
		}
		return name, nil, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k != "Ref" && !strings.HasPrefix(k, "Fn::") {
			return "", nil, false
		}
		name = strings.TrimPrefix(k, "Fn::")
		v := deref(n.Content[1])
		switch v.Kind {
		case yaml.ScalarNode:
			if name == "GetAtt" {
				return name, strings.SplitN(v.Value, ".", 2), true
			}
			return name, []string{v.Value}, true
		case yaml.SequenceNode:
			for _, c := range v.Content {
				args = append(args, scalar(c))
			}
		}
		return name, args, true
	}
	return "", nil, false
}

// refTarget returns the logical id a value points at through !Ref or
// !GetAtt, or "".
func refTarget(n *yaml.Node) string {
	name, args, ok := intrinsic(n)
	if !ok || len(args) == 0 {
		return ""
	}
	if name == "Ref" || name == "GetAtt" {
		return args[0]
	}
	return ""
}

// unresolved stands for a part of a value the template does not fix
// (a region, an account, a generated name). Two different spellings are
// used so that a pattern that only covers one of them is not "covered".
// A name CloudFormation generates for a resource is unresolved[variant]
// followed by "~" and the resource's logical id: it is unknown, but it is
// that resource's own, so the ARNs of two queues with generated names
// differ and an allowlist naming one does not cover the other.
var unresolved = [2]string{"fnguard-unresolved-a", "fnguard-unresolved-b"}

// unresolvedRE matches an unresolved part in a resolved value, for display.
var unresolvedRE = regexp.MustCompile(`fnguard-unresolved-[ab](~[A-Za-z0-9]+)?`)

// resolveString is resolveARN for any string value, Fn::Join included (the
// form the AWS CDK writes a string that concatenates tokens in).
func (t *template) resolveString(n *yaml.Node, variant int) (s string, partial, ok bool) {
	if parts, delim, isJoin := joinOf(n); isJoin {
		var b strings.Builder
		for i, p := range parts {
			v, pp, ok := t.resolveString(p, variant)
			if !ok {
				return "", false, false
			}
			if i > 0 {
				b.WriteString(delim)
			}
			b.WriteString(v)
			partial = partial || pp
		}
		return b.String(), partial, true
	}
	return t.resolveARN(n, variant)
}

// joinOf decodes Fn::Join [delimiter, [parts...]] in either notation.
func joinOf(n *yaml.Node) (parts []*yaml.Node, delim string, ok bool) {
	n = deref(n)
	if n == nil {
		return nil, "", false
	}
	var args *yaml.Node
	switch {
	case n.Tag == "!Join":
		args = n
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Fn::Join":
		args = deref(n.Content[1])
	default:
		return nil, "", false
	}
	if args == nil || args.Kind != yaml.SequenceNode || len(args.Content) != 2 {
		return nil, "", false
	}
	list := deref(args.Content[1])
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, "", false
	}
	return list.Content, scalar(args.Content[0]), true
}

// resolveARN returns the ARN a value denotes, with unknown parts replaced by
// unresolved[variant], and whether any part was unknown. ok is false when
// the value cannot be turned into an ARN at all.
func (t *template) resolveARN(n *yaml.Node, variant int) (arn string, partial, ok bool) {
	if s := scalar(n); s != "" {
		return s, false, true
	}
	u := unresolved[variant]
	name, args, isIntr := intrinsic(n)
	if !isIntr || len(args) == 0 {
		return "", false, false
	}
	switch name {
	case "Ref":
		if v, ok := t.parameters[args[0]]; ok {
			return v, false, true
		}
		if r := t.byID[args[0]]; r != nil {
			// Ref of an SNS topic is its ARN; of a bucket, its name.
			switch r.typ {
			case "AWS::SNS::Topic":
				return t.arnOf(r, variant), true, true
			case "AWS::S3::Bucket":
				return "arn:aws:s3:::" + t.nameOf(r, "BucketName", variant), true, true
			}
		}
		return u, true, true
	case "GetAtt":
		if r := t.byID[args[0]]; r != nil && len(args) > 1 && strings.HasSuffix(args[1], "Arn") {
			return t.arnOf(r, variant), true, true
		}
		return u, true, true
	case "Sub":
		return t.sub(args[0], variant), true, true
	}
	return u, true, true
}

// arnOf builds the ARN of a resource defined in the template.
func (t *template) arnOf(r *resource, variant int) string {
	u := unresolved[variant]
	switch r.typ {
	case "AWS::SQS::Queue":
		return "arn:aws:sqs:" + u + ":" + u + ":" + t.nameOf(r, "QueueName", variant)
	case "AWS::SNS::Topic":
		return "arn:aws:sns:" + u + ":" + u + ":" + t.nameOf(r, "TopicName", variant)
	case "AWS::Kinesis::Stream":
		return "arn:aws:kinesis:" + u + ":" + u + ":stream/" + t.nameOf(r, "Name", variant)
	case "AWS::DynamoDB::Table":
		return "arn:aws:dynamodb:" + u + ":" + u + ":table/" + t.nameOf(r, "TableName", variant) + "/stream/" + u
	case "AWS::S3::Bucket":
		return "arn:aws:s3:::" + t.nameOf(r, "BucketName", variant)
	}
	return u
}

func (t *template) nameOf(r *resource, prop string, variant int) string {
	if r.props != nil {
		n := get(r.props, prop)
		if s := scalar(n); s != "" {
			return s
		}
		if name, args, ok := intrinsic(n); ok && name == "Sub" && len(args) > 0 {
			return t.sub(args[0], variant)
		}
		if name, args, ok := intrinsic(n); ok && name == "Ref" && len(args) > 0 {
			if v, ok := t.parameters[args[0]]; ok {
				return v
			}
		}
	}
	return unresolved[variant] + "~" + r.id
}

// sub expands a Fn::Sub string: parameters with defaults and AWS::Partition
// are filled in, anything else becomes unresolved.
func (t *template) sub(s string, variant int) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		name := s[i+2 : i+j]
		switch {
		case name == "AWS::Partition":
			b.WriteString("aws")
		case strings.HasPrefix(name, "!"): // ${!Literal}
			b.WriteString("${" + name[1:] + "}")
		default:
			if v, ok := t.parameters[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(unresolved[variant])
			}
		}
		s = s[i+j+1:]
	}
}

// function is a Lambda function of the template (SAM or plain
// CloudFormation), with SAM Globals merged in where they apply.
type function struct {
	res *resource
	sam bool
	env map[string]envVar // Environment.Variables, globals first
}

type envVar struct {
	node *yaml.Node // the value
	key  *yaml.Node // the key, for its line
}

func (t *template) functions() []*function {
	var fs []*function
	for _, r := range t.resources {
		switch r.typ {
		case "AWS::Serverless::Function", "AWS::Lambda::Function":
		default:
			continue
		}
		f := &function{res: r, sam: r.typ == "AWS::Serverless::Function", env: map[string]envVar{}}
		if f.sam {
			addEnv(f.env, path(t.globalsFn, "Environment", "Variables"))
		}
		addEnv(f.env, path(r.props, "Environment", "Variables"))
		fs = append(fs, f)
	}
	return fs
}

func addEnv(dst map[string]envVar, vars *yaml.Node) {
	if vars == nil || vars.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(vars.Content); i += 2 {
		dst[vars.Content[i].Value] = envVar{node: deref(vars.Content[i+1]), key: vars.Content[i]}
	}
}

// prop returns a function property, falling back to SAM Globals.
func (t *template) prop(f *function, name string) *yaml.Node {
	if n := get(f.res.props, name); n != nil {
		return n
	}
	if f.sam {
		return get(t.globalsFn, name)
	}
	return nil
}

// usesFnguard reports whether the function is configured for fnguard: any
// FNGUARD_* variable in its environment.
func (f *function) usesFnguard() bool {
	for k := range f.env {
		if strings.HasPrefix(k, "FNGUARD_") {
			return true
		}
	}
	return false
}

// sortedEnv returns the environment's names in a stable order.
func (f *function) sortedEnv() []string {
	ks := make([]string, 0, len(f.env))
	for k := range f.env {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		return f.env[ks[i]].key.Line < f.env[ks[j]].key.Line || f.env[ks[i]].key.Line == f.env[ks[j]].key.Line && ks[i] < ks[j]
	})
	return ks
}

// pointsAt reports whether a FunctionName / function reference names f.
func pointsAt(n *yaml.Node, f *function) bool {
	if id := refTarget(n); id != "" {
		return id == f.res.id
	}
	s := scalar(n)
	if s == "" {
		return false
	}
	if name := scalar(get(f.res.props, "FunctionName")); name != "" && (s == name || strings.HasSuffix(s, ":function:"+name)) {
		return true
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
