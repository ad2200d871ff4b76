package guardlambda

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// recLoc renders "Records[i]" + rest for error messages (the envelope's own
// spelling; the engine's findings use "records[i]").
func recLoc(i int, rest string) string {
	return "Records[" + strconv.Itoa(i) + "]" + rest
}

// mapRecords maps the Records of an SQS, SNS, S3, DynamoDB Streams or
// Kinesis event, one guard.Record per element, in order.
func (st *state) mapRecords() *rejection {
	st.recArr = st.env.records
	st.attrName, st.attrLoc = "", ""
	n := st.recArr.Len()
	st.records = slices.Grow(st.records[:0], n)
	st.recVals = slices.Grow(st.recVals[:0], n)
	if st.kind == kindSNS {
		st.sns = slices.Grow(st.sns[:0], n)
	}
	// The records' struct, when each record is type-checked on its own.
	var rs *shape
	if st.kind.isBatch() && st.env.fam == famNone {
		rs = recordShape(shapeOf(st.kind))
	}
	for i, rv := range st.recArr.Elems() {
		st.recVals = append(st.recVals, rv)
		st.records = append(st.records, guard.Record{})
		r := &st.records[i]
		f0 := len(st.fields)
		var rej *rejection
		checked := false // rs's check done (and passed)
		switch st.kind {
		case kindSQS:
			if rs != nil {
				// The check first, giving the members the mapping reads
				// (one pass); a record that fails it is mapped as any.
				var vals [32]jsontree.Value
				if checkStructVals(rv, rs, &vals) == nil {
					ix := sqsMembers(rs)
					rej = st.sqsFields(i, r, vals[ix[0]], vals[ix[1]], vals[ix[2]], vals[ix[3]], vals[ix[4]])
					checked = true
					break
				}
			}
			rej = st.sqsRecord(i, rv, r)
		case kindSNS:
			rej = st.snsRecord(i, rv, r)
		case kindS3:
			rej = st.s3Record(i, rv, r)
		case kindDynamoDB:
			rej = st.dynamoRecord(i, rv, r)
		case kindKinesis:
			rej = st.kinesisRecord(i, rv, r)
		case kindSES:
			rej = st.sesRecord(i, rv, r)
		case kindCodeCommit:
			rej = st.codeCommitRecord(i, rv, r)
		}
		if rs != nil && !checked {
			// Checked after its mapping, whose own rejections are more
			// precise (a bad base64 value, rather than "want ..."); a
			// record its struct cannot hold fails alone.
			if err := checkRecord(rs, i, rv); err != nil && rej == nil {
				rej = err.rejection()
			}
		}
		if rej != nil {
			// This record alone is malformed: it fails alone, as one
			// the engine finds malformed does (a batch item failure;
			// for SNS and S3, which fail whole, the event).
			r.Rejection = rej.inRecord(i)
		}
		r.Fields = st.fields[f0:len(st.fields):len(st.fields)]
	}
	st.inv.Records = st.records
	st.inv.Order = st.order()
	return nil
}

// order tells how the records of a batch are ordered (see guard.Order):
// SQS FIFO queues (an eventSourceARN ending in ".fifo") by message group;
// Kinesis and DynamoDB streams by shard. Lambda's event source mapping
// reads one shard per invocation, so every record of a stream batch is in
// one group: the shard id of Kinesis eventIDs ("shardId-…:<sequence>"),
// the stream ARN for DynamoDB, whose records do not name their shard.
func (st *state) order() guard.Order {
	switch st.kind {
	case kindSQS:
		for i := range st.records {
			if strings.HasSuffix(st.records[i].EventSource, ".fifo") {
				return guard.OrderFIFO
			}
		}
	case kindKinesis, kindDynamoDB:
		return guard.OrderShard
	}
	return guard.OrderNone
}

// recStr reads an optional string member of record i; the location is
// only rendered for the error.
func (st *state) recStr(dst *string, i int, suffix string, v jsontree.Value) *rejection {
	switch v.Kind() {
	case jsontree.String:
		*dst, _ = v.Str()
	case jsontree.Null, jsontree.Invalid:
	default:
		return badShape(recLoc(i, suffix), "a string", v)
	}
	return nil
}

// field adds a located string to the current record (or to the invocation
// for EventBridge). Strings that look like JSON documents are walked as
// such; the engine falls back to plain text when they do not parse. It is
// not inlined (a copy of the append at each of its callers cost 5 KiB of
// code for a call's worth of time).
//
//go:noinline
func (st *state) field(loc, v string) {
	st.fields = append(st.fields, guard.Field{Loc: loc, Value: v, JSON: looksJSON(v)})
}

// textField adds decoded binary data when it is text: binary that is not
// valid UTF-8 carries no injectable string.
func (st *state) textField(loc string, b []byte) {
	if isText(b) {
		st.field(loc, bytesString(b))
	}
}

// isText reports whether decoded binary data is text (see textField).
func isText(b []byte) bool { return len(b) > 0 && utf8.Valid(b) }

func (st *state) sqsRecord(i int, rv jsontree.Value, r *guard.Record) *rejection {
	// The members read, found in one pass (keys are unique: the parser
	// refuses duplicates) rather than by a lookup each.
	var id, arn, attrs, bodyV, ma jsontree.Value
	for k, v := range rv.Members() {
		switch k {
		case "messageId":
			id = v
		case "eventSourceARN":
			arn = v
		case "attributes":
			attrs = v
		case "body":
			bodyV = v
		case "messageAttributes":
			ma = v
		}
	}
	return st.sqsFields(i, r, id, arn, attrs, bodyV, ma)
}

// sqsMemberNames are the members of an SQS record that sqsFields reads.
var sqsMemberNames = [5]string{"messageId", "eventSourceARN", "attributes", "body", "messageAttributes"}

var sqsIndex struct {
	once sync.Once
	ix   [5]int
}

// sqsMembers is the index of each of sqsMemberNames in rs.members (the
// shape of SQS records).
func sqsMembers(rs *shape) *[5]int {
	sqsIndex.once.Do(func() {
		for j, name := range sqsMemberNames {
			sqsIndex.ix[j] = rs.memberNamed(name)
		}
	})
	return &sqsIndex.ix
}

// sqsFields maps SQS record i from its members.
func (st *state) sqsFields(i int, r *guard.Record, id, arn, attrs, bodyV, ma jsontree.Value) *rejection {
	r.ID, _ = id.Str()
	r.EventSource, _ = arn.Str()
	// FIFO queues only: both ids are chosen by the producer (up to 128
	// letters, digits and punctuation), and functions use them as keys.
	var group, dedup jsontree.Value
	for k, v := range attrs.Members() {
		switch k {
		case "MessageGroupId":
			group = v
		case "MessageDeduplicationId":
			dedup = v
		}
	}
	r.Group, _ = group.Str()
	if r.Group != "" {
		st.field("attributes.MessageGroupId", r.Group)
	}
	if s, _ := dedup.Str(); s != "" {
		st.field("attributes.MessageDeduplicationId", s)
	}
	var body string
	if rej := st.recStr(&body, i, ".body", bodyV); rej != nil {
		return rej
	}
	r.Body = stringBytes(body)
	switch ma.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		return nil
	default:
		return badShape(recLoc(i, ".messageAttributes"), "an object", ma)
	}
	for name, attr := range ma.Members() {
		var sv, slv, bv, blv jsontree.Value // one pass, as the record's members
		for k, v := range attr.Members() {
			switch k {
			case "stringValue":
				sv = v
			case "stringListValues":
				slv = v
			case "binaryValue":
				bv = v
			case "binaryListValues":
				blv = v
			}
		}
		if s, ok := sv.Str(); ok {
			// The records of a batch mostly carry the same attributes:
			// the location of the previous record's is reused.
			if name != st.attrName || st.attrLoc == "" {
				st.attrName, st.attrLoc = name, st.a.loc("messageAttributes", name, ".stringValue")
			}
			st.field(st.attrLoc, s)
		}
		for j, e := range slv.Elems() {
			if s, ok := e.Str(); ok {
				st.field(st.a.loc("messageAttributes", name, ".stringListValues["+strconv.Itoa(j)+"]"), s)
			}
		}
		b, ok := st.bytesOf(bv)
		if !ok {
			return st.badBase64(st.a.loc(recLoc(i, ".messageAttributes"), name, ".binaryValue"))
		}
		if isText(b) { // the location is only rendered for a field
			st.field(st.a.loc("messageAttributes", name, ".binaryValue"), bytesString(b))
		}
		for j, e := range blv.Elems() {
			b, ok := st.bytesOf(e)
			if !ok {
				return st.badBase64(st.a.loc(recLoc(i, ".messageAttributes"), name, ".binaryListValues["+strconv.Itoa(j)+"]"))
			}
			if isText(b) {
				st.field(st.a.loc("messageAttributes", name, ".binaryListValues["+strconv.Itoa(j)+"]"), bytesString(b))
			}
		}
	}
	return nil
}

// bytesOf decodes a []byte member as encoding/json does: a base64 string
// (ok is false when it is not valid base64) or an array of byte values
// (the type checks have made sure they are integers from 0 to 255). The
// bytes are in the arena.
func (st *state) bytesOf(v jsontree.Value) (b []byte, ok bool) {
	switch v.Kind() {
	case jsontree.String:
		s, _ := v.Str()
		if s == "" {
			return nil, true
		}
		return st.a.b64(s)
	case jsontree.Array:
		start := len(st.a.buf)
		for _, e := range v.Elems() {
			n, _ := e.Int64()
			st.a.buf = append(st.a.buf, byte(n))
		}
		return st.a.buf[start:len(st.a.buf):len(st.a.buf)], true
	}
	return nil, true
}

func (st *state) badBase64(loc string) *rejection {
	return &rejection{status: 400, rule: "validation.invalid_base64", loc: loc, reason: loc + ": not valid base64"}
}

func (st *state) snsRecord(i int, rv jsontree.Value, r *guard.Record) *rejection {
	// A record without Sns (null or missing: aws-lambda-go decodes it
	// as an empty SNSEntity) still gets an SNSMessage, whose signature
	// does not verify when FNGUARD_SNS_VERIFY is on.
	sns := rv.Get("Sns")
	st.sns = append(st.sns, guard.SNSMessage{})
	m := &st.sns[len(st.sns)-1]
	m.Type, _ = sns.Get("Type").Str()
	m.MessageID, _ = sns.Get("MessageId").Str()
	m.TopicARN, _ = sns.Get("TopicArn").Str()
	m.Timestamp, _ = sns.Get("Timestamp").Str()
	m.SignatureVersion, _ = sns.Get("SignatureVersion").Str()
	m.Signature, _ = sns.Get("Signature").Str()
	m.Token, _ = sns.Get("Token").Str()
	// Lambda deliveries spell these ...Url, HTTP deliveries ...URL.
	if m.SigningCertURL, _ = sns.Get("SigningCertUrl").Str(); m.SigningCertURL == "" {
		m.SigningCertURL, _ = sns.Get("SigningCertURL").Str()
	}
	if m.SubscribeURL, _ = sns.Get("SubscribeUrl").Str(); m.SubscribeURL == "" {
		m.SubscribeURL, _ = sns.Get("SubscribeURL").Str()
	}
	if rej := st.recStr(&m.Message, i, ".Sns.Message", sns.Get("Message")); rej != nil {
		return rej
	}
	if rej := st.recStr(&m.Subject, i, ".Sns.Subject", sns.Get("Subject")); rej != nil {
		return rej
	}
	r.ID, r.EventSource, r.EventType, r.SNS = m.MessageID, m.TopicARN, m.Type, m
	if m.Message != "" {
		st.field("Sns.Message", m.Message)
	}
	if m.Subject != "" {
		st.field("Sns.Subject", m.Subject)
	}
	for name, attr := range sns.Get("MessageAttributes").Members() {
		s, ok := attr.Get("Value").Str()
		if !ok || s == "" {
			continue
		}
		loc := st.a.loc("Sns.MessageAttributes", name, ".Value")
		if t, _ := attr.Get("Type").Str(); t == "Binary" {
			// aws-lambda-go hands attribute values over as they are
			// (map[string]interface{}), so a Binary value that is not
			// base64 is inspected as the text it is.
			if b, ok := st.a.b64(s); ok {
				st.textField(loc, b)
				continue
			}
		}
		st.field(loc, s)
	}
	return nil
}

func (st *state) s3Record(i int, rv jsontree.Value, r *guard.Record) *rejection {
	s3 := rv.Get("s3") // an object, or null or missing (nothing to inspect)
	r.EventSource, _ = s3.Path("bucket", "arn").Str()
	r.EventType, _ = rv.Get("eventName").Str()
	r.ID, _ = rv.Path("responseElements", "x-amz-request-id").Str()
	var key string
	if rej := st.recStr(&key, i, ".s3.object.key", s3.Path("object", "key")); rej != nil {
		return rej
	}
	if key != "" {
		// S3 URL-encodes object keys in notifications, with '+' for space.
		dec, ok := st.a.unescape(key, true)
		if !ok {
			loc := recLoc(i, ".s3.object.key")
			return &rejection{status: 400, rule: "validation.invalid_encoding", loc: loc, reason: loc + ": malformed percent-encoding"}
		}
		st.field("s3.object.key", dec)
	}
	if s, _ := s3.Path("bucket", "name").Str(); s != "" {
		st.field("s3.bucket.name", s)
	}
	if s, _ := rv.Path("userIdentity", "principalId").Str(); s != "" {
		st.field("userIdentity.principalId", s)
	}
	return nil
}

func (st *state) kinesisRecord(i int, rv jsontree.Value, r *guard.Record) *rejection {
	k := rv.Get("kinesis") // an object, or null or missing (nothing to inspect)
	r.ID, _ = k.Get("sequenceNumber").Str()
	r.EventSource, _ = rv.Get("eventSourceARN").Str()
	r.EventType, _ = rv.Get("eventName").Str()
	r.Group = r.EventSource
	if id, _ := rv.Get("eventID").Str(); strings.HasPrefix(id, "shardId-") {
		if shard, _, ok := strings.Cut(id, ":"); ok {
			r.Group = shard
		}
	}
	b, ok := st.bytesOf(k.Get("data"))
	if !ok {
		return st.badBase64(recLoc(i, ".kinesis.data"))
	}
	// Gzip data (a CloudWatch Logs subscription delivered through a
	// stream) is decompressed by the engine, bounded, and inspected like a
	// body; other binary data (protobuf, Avro) holds no text to inject
	// into; text is inspected, as JSON when it is JSON.
	if len(b) >= 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 {
		st.fields = append(st.fields, guard.Field{Loc: "kinesis.data", Value: bytesString(b), Encoding: guard.EncodingGzip, Kind: guard.KindBody})
	} else {
		st.textField("kinesis.data", b)
	}
	if s, _ := k.Get("partitionKey").Str(); s != "" {
		st.field("kinesis.partitionKey", s)
	}
	return nil
}

// maxDynamoDepth bounds the nesting of L and M attribute values the adapter
// follows looking for binary values. DynamoDB itself allows 32 levels.
const maxDynamoDepth = 64

func (st *state) dynamoRecord(i int, rv jsontree.Value, r *guard.Record) *rejection {
	d := rv.Get("dynamodb") // an object, or null or missing (nothing to inspect)
	r.ID, _ = d.Get("SequenceNumber").Str()
	r.EventSource, _ = rv.Get("eventSourceARN").Str()
	r.EventType, _ = rv.Get("eventName").Str()
	r.Group = r.EventSource // one shard per invocation; records do not name it
	for _, img := range [...]struct{ key, loc string }{{"Keys", "dynamodb.Keys"}, {"NewImage", "dynamodb.NewImage"}, {"OldImage", "dynamodb.OldImage"}} {
		v := d.Get(img.key)
		switch v.Kind() {
		case jsontree.Object:
		case jsontree.Null, jsontree.Invalid:
			continue
		default:
			return badShape(recLoc(i, "."+img.loc), "an object", v)
		}
		// The image is walked as JSON by the engine: every S, N, SS, NS
		// and nested L/M string with its location, e.g.
		// records[0].dynamodb.NewImage.note.S, and every attribute name.
		raw := v.Raw()
		st.fields = append(st.fields, guard.Field{Loc: img.loc, Value: bytesString(raw), JSON: true})
		// Binary values (B, BS) are base64 in the event; decode them so
		// that text hidden in them is inspected too.
		if bytes.Contains(raw, []byte(`"B`)) {
			st.mark = append(st.mark[:0], img.loc...)
			if rej := st.dynamoMap(i, v, 0); rej != nil {
				return rej
			}
		}
	}
	return nil
}

// dynamoMap visits a map of attribute name -> attribute value; st.mark holds
// the record-relative location of the map.
func (st *state) dynamoMap(i int, m jsontree.Value, depth int) *rejection {
	for name, av := range m.Members() {
		n := len(st.mark)
		st.mark = jsontree.AppendKey(st.mark, name)
		if rej := st.dynamoValue(i, av, depth); rej != nil {
			return rej
		}
		st.mark = st.mark[:n]
	}
	return nil
}

func (st *state) dynamoValue(i int, av jsontree.Value, depth int) *rejection {
	if depth >= maxDynamoDepth {
		loc := recLoc(i, "."+string(st.mark))
		return &rejection{status: 400, rule: "validation.dynamodb_depth", loc: loc,
			reason: loc + ": attribute values nested deeper than " + strconv.Itoa(maxDynamoDepth) + " levels"}
	}
	for t, v := range av.Members() {
		n := len(st.mark)
		switch t {
		case "B":
			s, ok := v.Str()
			if !ok {
				continue
			}
			st.mark = append(st.mark, ".B"...)
			if rej := st.dynamoBinary(i, s); rej != nil {
				return rej
			}
		case "BS":
			for j, e := range v.Elems() {
				s, ok := e.Str()
				if !ok {
					continue
				}
				st.mark = append(st.mark[:n], ".BS"...)
				st.mark = jsontree.AppendIndex(st.mark, j)
				if rej := st.dynamoBinary(i, s); rej != nil {
					return rej
				}
			}
		case "L":
			for j, e := range v.Elems() {
				st.mark = append(st.mark[:n], ".L"...)
				st.mark = jsontree.AppendIndex(st.mark, j)
				if rej := st.dynamoValue(i, e, depth+1); rej != nil {
					return rej
				}
			}
		case "M":
			st.mark = append(st.mark, ".M"...)
			if rej := st.dynamoMap(i, v, depth+1); rej != nil {
				return rej
			}
		}
		st.mark = st.mark[:n]
	}
	return nil
}

func (st *state) dynamoBinary(i int, s string) *rejection {
	b, ok := st.a.b64(s)
	if !ok {
		return st.badBase64(recLoc(i, "."+string(st.mark)))
	}
	start := len(st.a.buf)
	st.a.buf = append(st.a.buf, st.mark...)
	st.textField(st.a.since(start), b)
	return nil
}

// mapEventBridge maps an EventBridge event to one record: EventSource is the
// event's source, EventType its detail-type, and the detail is walked as
// JSON; Account is the event's account.
func (st *state) mapEventBridge() *rejection {
	e := &st.env
	st.records = append(st.records[:0], guard.Record{})
	r := &st.records[0]
	r.ID, _ = e.id.Str()
	r.EventSource, _ = e.source.Str()
	r.EventType, _ = e.detailType.Str()
	if r.EventSource != "" {
		st.field("source", r.EventSource)
	}
	if r.EventType != "" {
		st.field("detail-type", r.EventType)
	}
	d := e.detail
	switch d.Kind() {
	case jsontree.Object, jsontree.Array:
		st.fields = append(st.fields, guard.Field{Loc: "detail", Value: bytesString(d.Raw()), JSON: true})
	case jsontree.String:
		s, _ := d.Str()
		st.field("detail", s)
	}
	res := e.resources
	switch res.Kind() {
	case jsontree.Array:
		for j, e := range res.Elems() {
			s, ok := e.Str()
			if !ok {
				if e.Kind() == jsontree.Null {
					continue
				}
				return badShape(string(jsontree.AppendIndex([]byte("resources"), j)), "a string", e)
			}
			start := len(st.a.buf)
			st.a.buf = jsontree.AppendIndex(append(st.a.buf, "resources"...), j)
			st.field(st.a.since(start), s)
		}
	case jsontree.Null, jsontree.Invalid:
	default:
		return badShape("resources", "an array of strings", res)
	}
	r.Fields = st.fields
	// The sending account, for "account:<id>" entries of
	// FNGUARD_ALLOW_EVENT_SOURCES.
	if rej := st.str(&r.Account, "account", e.account); rej != nil {
		return rej
	}
	if r.Account != "" {
		st.attrs = append(st.attrs, guard.Param{Name: "aws.account_id", Value: r.Account})
	}
	if reg, ok := e.region.Str(); ok {
		st.attrs = append(st.attrs, guard.Param{Name: "aws.region", Value: reg})
	}
	st.inv.Records, st.inv.Attrs = st.records, st.attrs
	return nil
}
