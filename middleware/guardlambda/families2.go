package guardlambda

import (
	"strconv"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// refineMore recognises the families told by members of their own (S3
// Batch, S3 Object Lambda, CloudFormation, Secrets Manager, Bedrock, Lex,
// Connect, IoT, Config, CloudWatch Logs). It returns famNone for anything
// else, which keeps the generic walk.
func refineMore(root jsontree.Value) family {
	has := func(k string) bool { return present(root.Get(k)) }
	switch {
	case has("awslogs") && root.Get("awslogs").Kind() == jsontree.Object:
		return famCloudWatchLogs
	case has("invocationSchemaVersion") && root.Get("tasks").Kind() == jsontree.Array && has("job"):
		return famS3Batch
	case has("xAmzRequestId") && has("userRequest") && has("configuration"):
		return famS3ObjectLambda
	case has("RequestType") && has("ResponseURL") && has("StackId") && has("LogicalResourceId"):
		return famCloudFormation
	case has("SecretId") && has("ClientRequestToken") && has("Step"):
		return famSecretsManager
	case has("messageVersion") && has("agent") && has("actionGroup"):
		return famBedrockAgent
	case has("messageVersion") && has("currentIntent") && has("invocationSource"):
		return famLexV1
	case has("messageVersion") && has("sessionState") && has("invocationSource"):
		return famLexV2
	case root.Get("Details").Kind() == jsontree.Object && present(root.Path("Details", "ContactData")):
		return famConnect
	case has("token") && has("protocolData") && has("connectionMetadata"):
		return famIoTAuth
	case has("claimCertificateId") && has("certificateId") && has("templateArn"):
		return famIoTProvision
	case has("configRuleName") && has("invokingEvent") && has("resultToken"):
		return famConfig
	case has("username") && root.Get("password").Exists() && has("protocol") && has("serverId"):
		return famTransfer
	case has("connection-id") && has("endpoint-id") && has("schema-version"):
		return famClientVPN
	}
	return famNone
}

// mapFamily2 maps the families of refineMore; ok is false for the others.
func (st *state) mapFamily2() (rej *rejection, ok bool) {
	switch st.env.fam {
	case famCloudWatchLogs:
		return st.mapCloudWatchLogs(), true
	case famS3Batch:
		return st.mapS3Batch(), true
	case famS3ObjectLambda:
		return st.mapS3ObjectLambda(), true
	case famCloudFormation:
		return st.mapCloudFormation(), true
	case famSecretsManager:
		for _, k := range [...]string{"SecretId", "ClientRequestToken", "Step"} {
			st.strField(k, st.root.Get(k))
		}
		st.finishFields()
		return nil, true
	case famBedrockAgent:
		return st.mapBedrock(), true
	case famLexV1, famLexV2:
		return st.mapLex(), true
	case famConnect:
		// The contact's attributes, parameters, endpoints, segment
		// attributes, references...: all of Details is walked.
		st.jsonField("Details", st.root.Get("Details"))
		st.finishFields()
		return nil, true
	case famIoTAuth:
		return st.mapIoTAuth(), true
	case famIoTProvision:
		st.strField("clientId", st.root.Get("clientId"))
		st.jsonField("parameters", st.root.Get("parameters"))
		st.finishFields()
		return nil, true
	case famTransfer:
		// The user name the client logs in with; not the password (any
		// character is valid in one, and it is never used as data).
		st.strField("username", st.root.Get("username"))
		st.finishFields()
		return nil, true
	case famClientVPN:
		// What the VPN client reports about itself.
		st.members(st.root, "connection-id", "endpoint-id", "schema-version")
		st.finishFields()
		return nil, true
	case famConfig:
		// invokingEvent and ruleParameters are JSON documents in strings
		// (walked as JSON by the engine); every other member too, but
		// the result token, which is AWS's opaque callback id.
		st.members(st.root, "resultToken")
		st.finishFields()
		return nil, true
	}
	return nil, false
}

// members adds every member of obj but those named in skip, each at its own
// location (objects and arrays walked, strings inspected, as JSON when they
// hold a JSON document).
func (st *state) members(obj jsontree.Value, skip ...string) {
next:
	for k, v := range obj.Members() {
		for _, s := range skip {
			if k == s {
				continue next
			}
		}
		loc := st.a.loc("", k, "")
		if loc[0] == '.' {
			loc = loc[1:] // a plain name; odd names keep their ["..."] form
		}
		st.jsonField(loc, v)
	}
}

// mapS3Batch maps an S3 Batch Operations event: each task's object key
// (URL-encoded in schema 1.0) and the job's user arguments (schema 2.0).
func (st *state) mapS3Batch() *rejection {
	root := st.root
	st.jsonField("job.userArguments", root.Path("job", "userArguments"))
	for i, t := range root.Get("tasks").Elems() {
		key, _ := t.Get("s3Key").Str()
		if key == "" {
			continue
		}
		loc := "tasks[" + strconv.Itoa(i) + "].s3Key"
		st.field(loc, key)
		if dec, ok := st.a.unescape(key, false); ok && dec != key {
			st.field(loc+"<url>", dec)
		}
	}
	st.finishFields()
	return nil
}

// mapS3ObjectLambda maps an S3 Object Lambda event as the request its
// client sent to the access point: userRequest.url (path and query) and
// userRequest.headers.
func (st *state) mapS3ObjectLambda() *rejection {
	root, inv := st.root, &st.inv
	ur := root.Get("userRequest")
	st.headerMap(ur.Get("headers"))
	if u, ok := ur.Get("url").Str(); ok {
		rest := u
		if i := indexOf(rest, "://"); i >= 0 && urlScheme(rest[:i]) {
			rest = rest[i+3:]
			if j := indexByte(rest, '/'); j >= 0 {
				rest = rest[j:]
			} else {
				rest = ""
			}
		}
		p, q, _ := cut(rest, '?')
		if dec, ok := st.a.unescape(p, false); ok {
			p = dec
		}
		inv.Path = p
		st.parseQuery(q)
	}
	st.finishFields()
	return nil
}

// urlScheme reports a URL scheme as RFC 3986 writes it: a letter, then
// letters, digits, '+', '-' or '.'. A URL whose "scheme" is anything else
// is not one: the whole of it is judged as the path.
func urlScheme(s string) bool {
	if s == "" || !('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// mapCloudFormation maps a custom resource request: the resource's
// properties (old and new), set by whoever writes or changes the template.
func (st *state) mapCloudFormation() *rejection {
	root := st.root
	st.jsonField("ResourceProperties", root.Get("ResourceProperties"))
	st.jsonField("OldResourceProperties", root.Get("OldResourceProperties"))
	st.strField("LogicalResourceId", root.Get("LogicalResourceId"))
	st.strField("PhysicalResourceId", root.Get("PhysicalResourceId"))
	st.finishFields()
	return nil
}

// mapBedrock maps a Bedrock agent action group call: the user's input
// text, the API path, the parameters' and request body properties'
// values, and the session attributes.
func (st *state) mapBedrock() *rejection {
	root, inv := st.root, &st.inv
	inv.Method, _ = root.Get("httpMethod").Str()
	inv.Path, _ = root.Get("apiPath").Str()
	// Every member but the agent's own description: the user's input
	// text, the parameters and request body properties the model
	// extracted from it, the session attributes.
	st.members(root, "agent", "messageVersion")
	st.finishFields()
	return nil
}

// mapLex maps a Lex V1 or V2 code hook: the user's utterance, the slot
// values Lex resolved from it, and the session and request attributes
// (set by the client application).
func (st *state) mapLex() *rejection {
	// Every member but the bot's own configuration: the utterance
	// (inputTranscript, transcriptions), the slots Lex resolved from it
	// (currentIntent, interpretations, sessionState), the session and
	// request attributes the client application sets, the user id.
	st.members(st.root, "bot", "messageVersion")
	st.finishFields()
	return nil
}

// mapIoTAuth maps an IoT Core custom authorizer request: the token (as an
// Authorization header), the HTTP headers and query string, the MQTT user
// name and client id, the TLS server name. The MQTT password is not
// inspected (any byte is valid in one).
func (st *state) mapIoTAuth() *rejection {
	root := st.root
	if s, ok := root.Get("token").Str(); ok && s != "" {
		st.headers = append(st.headers, guard.Param{Name: "authorization", Value: s})
	}
	pd := root.Get("protocolData")
	st.headerMap(pd.Path("http", "headers"))
	if q, ok := pd.Path("http", "queryString").Str(); ok {
		if len(q) > 0 && q[0] == '?' {
			q = q[1:]
		}
		st.parseQuery(q)
	}
	st.strField("protocolData.mqtt.username", pd.Path("mqtt", "username"))
	st.strField("protocolData.mqtt.clientId", pd.Path("mqtt", "clientId"))
	st.strField("protocolData.tls.serverName", pd.Path("tls", "serverName"))
	st.finishFields()
	return nil
}

// mapCloudWatchLogs maps a CloudWatch Logs subscription:
// {"awslogs":{"data":"<base64 of gzip of JSON>"}}. The engine decodes it
// (bounded by FNGUARD_MAX_BODY_BYTES and its compression-ratio cap, 413
// beyond) and walks the document: log group, log stream and every log
// event's message (a message that is JSON as JSON), located as
// awslogs.data<gzip+base64>.logEvents[i].message. A zlib stream in place of
// gzip (Powertools' own fixtures carry one; its decoders accept both) is
// decoded too: awslogs.data<base64><deflate>....
func (st *state) mapCloudWatchLogs() *rejection {
	const loc = "awslogs.data"
	dv := st.root.Path("awslogs", "data")
	s, ok := dv.Str()
	if !ok {
		return badShape(loc, "a string", dv)
	}
	if head, ok := st.a.b64(s[:min(len(s), 4)]); ok && len(head) >= 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		z, ok := st.a.b64(s)
		if !ok {
			return st.badBase64(loc)
		}
		st.fields = append(st.fields, guard.Field{Loc: loc + "<base64>", Value: bytesString(z), Encoding: guard.EncodingDeflate, Kind: guard.KindJSON})
	} else {
		st.fields = append(st.fields, guard.Field{Loc: loc, Value: s, Encoding: guard.EncodingGzipBase64, Kind: guard.KindJSON})
	}
	st.finishFields()
	return nil
}
