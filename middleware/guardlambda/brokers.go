package guardlambda

import (
	"strconv"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// This file maps the message brokers whose payloads arrive encoded: Kafka
// (MSK and self-managed: base64 keys and values, headers as byte arrays)
// and Amazon MQ (ActiveMQ and RabbitMQ: base64 data). Each message is a
// guard.Record; the decoded text is inspected (as JSON when it is JSON),
// binary payloads (Avro, protobuf) that are not valid UTF-8 carry no text
// to inject into and are skipped. These platforms have no per-record
// answer: a poisoned message fails the invocation with a
// *guard.BlockedError, so that retries and on-failure destinations keep it.

// beginRecord appends a record and returns it with the index of its first
// field.
func (st *state) beginRecord(v jsontree.Value) (*guard.Record, int) {
	st.records = append(st.records, guard.Record{})
	st.recVals = append(st.recVals, v)
	return &st.records[len(st.records)-1], len(st.fields)
}

func (st *state) endRecord(r *guard.Record, f0 int) {
	r.Fields = st.fields[f0:len(st.fields):len(st.fields)]
}

// payloadField adds a message payload that encoding/json decodes into a
// []byte: a base64 string, decoded by the engine (located at
// loc<base64>; not base64: 400 for this record), or an array of byte
// values. The payload is inspected like a body (JSON, XML, form, GraphQL
// or text, by sniffing); binary payloads (Avro, protobuf) are skipped.
// errLoc names the member in the event for a shape error.
func (st *state) payloadField(loc string, v jsontree.Value, errLoc string) *rejection {
	switch v.Kind() {
	case jsontree.String:
		if s, _ := v.Str(); s != "" {
			st.fields = append(st.fields, guard.Field{Loc: loc, Value: s, Encoding: guard.EncodingBase64, Kind: guard.KindBody})
		}
	case jsontree.Array:
		if checkBytes(v) != nil {
			return badShape(errLoc, "base64 or an array of bytes", v)
		}
		if b, _ := st.bytesOf(v); len(b) > 0 {
			st.fields = append(st.fields, guard.Field{Loc: loc, Value: bytesString(b), Kind: guard.KindBody})
		}
	case jsontree.Null, jsontree.Invalid:
	default:
		return badShape(errLoc, "a base64 string", v)
	}
	return nil
}

// mapKafka maps {"eventSource","eventSourceArn","bootstrapServers",
// "records":{"<topic>-<partition>":[{topic,partition,offset,key,value,headers}]}}.
func (st *state) mapKafka() *rejection {
	root := st.root
	arn, _ := st.env.eventSourceArn.Str()
	recs := root.Get("records")
	switch recs.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		st.finishFields()
		return nil
	default:
		return badShape("records", "an object", recs)
	}
	st.records, st.recVals = st.records[:0], st.recVals[:0]
	for tp, list := range recs.Members() {
		if list.Kind() != jsontree.Array {
			if list.Kind() == jsontree.Null {
				continue
			}
			return badShape(st.a.loc("records", tp, ""), "an array", list)
		}
		for j, m := range list.Elems() {
			loc := func(suffix string) string {
				return st.a.loc("records", tp, "["+strconv.Itoa(j)+"]"+suffix)
			}
			r, f0 := st.beginRecord(m)
			r.EventSource = arn
			topic, _ := m.Get("topic").Str()
			r.EventType = topic
			off := m.Get("offset").Raw()
			part := m.Get("partition").Raw()
			r.ID = topic + "-" + string(part) + "@" + string(off)
			for _, k := range [...]string{"key", "value"} {
				if rej := st.payloadField(k, m.Get(k), loc("."+k)); rej != nil {
					return rej
				}
			}
			hs := m.Get("headers")
			for h, hv := range hs.Elems() {
				for name, val := range hv.Members() {
					st.field("headers["+strconv.Itoa(h)+"]<name>", name)
					b, ok := st.bytesOf(val)
					if !ok {
						return st.badBase64(loc(".headers[" + strconv.Itoa(h) + "]." + name))
					}
					st.textField(st.a.loc("headers["+strconv.Itoa(h)+"]", name, ""), b)
				}
			}
			st.endRecord(r, f0)
		}
	}
	st.finishRecords()
	return nil
}

// mapActiveMQ maps {"eventSource":"aws:mq","messages":[{messageID, data, properties, ...}]}.
func (st *state) mapActiveMQ() *rejection {
	arn, _ := st.env.eventSourceArn.Str()
	msgs := st.root.Get("messages")
	switch msgs.Kind() {
	case jsontree.Array:
	case jsontree.Null, jsontree.Invalid:
		st.finishFields()
		return nil
	default:
		return badShape("messages", "an array", msgs)
	}
	st.records, st.recVals = st.records[:0], st.recVals[:0]
	for i, m := range msgs.Elems() {
		r, f0 := st.beginRecord(m)
		r.EventSource = arn
		r.ID, _ = m.Get("messageID").Str()
		r.EventType, _ = m.Get("messageType").Str()
		if rej := st.payloadField("data", m.Get("data"), "messages["+strconv.Itoa(i)+"].data"); rej != nil {
			return rej
		}
		st.jsonField("properties", m.Get("properties"))
		st.strField("correlationID", m.Get("correlationID"))
		st.strField("type", m.Get("type"))
		st.endRecord(r, f0)
	}
	st.finishRecords()
	return nil
}

// mapRabbitMQ maps {"eventSource":"aws:rmq","rmqMessagesByQueue":
// {"<queue>::<vhost>":[{basicProperties:{headers,...}, data}]}}. Header
// values are strings, numbers or {"bytes":[...]} byte arrays.
func (st *state) mapRabbitMQ() *rejection {
	arn, _ := st.env.eventSourceArn.Str()
	byQ := st.root.Get("rmqMessagesByQueue")
	switch byQ.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		st.finishFields()
		return nil
	default:
		return badShape("rmqMessagesByQueue", "an object", byQ)
	}
	st.records, st.recVals = st.records[:0], st.recVals[:0]
	for q, list := range byQ.Members() {
		for j, m := range list.Elems() {
			r, f0 := st.beginRecord(m)
			r.EventSource = arn
			r.EventType = q
			bp := m.Get("basicProperties")
			r.ID, _ = bp.Get("messageId").Str()
			if rej := st.payloadField("data", m.Get("data"), st.a.loc("rmqMessagesByQueue", q, "["+strconv.Itoa(j)+"].data")); rej != nil {
				return rej
			}
			for name, hv := range bp.Get("headers").Members() {
				loc := st.a.loc("basicProperties.headers", name, "")
				st.field(loc+"<name>", name)
				switch hv.Kind() {
				case jsontree.String:
					s, _ := hv.Str()
					st.field(loc, s)
				case jsontree.Object:
					if bv := hv.Get("bytes"); bv.Exists() {
						if checkBytes(bv) != nil {
							return badShape(st.a.loc("rmqMessagesByQueue", q, "["+strconv.Itoa(j)+"].basicProperties.headers."+name+".bytes"), "an array of bytes", bv)
						}
						b, _ := st.bytesOf(bv)
						st.textField(loc, b)
					} else {
						st.jsonField(loc, hv)
					}
				case jsontree.Array:
					st.jsonField(loc, hv)
				}
			}
			for _, k := range [...]string{"correlationId", "replyTo", "type", "appId", "userId"} {
				st.strField("basicProperties."+k, bp.Get(k))
			}
			st.endRecord(r, f0)
		}
	}
	st.finishRecords()
	return nil
}
