package guardlambda

import (
	"reflect"
	"testing"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// TestSQSFieldsFromCheck: an SQS record is mapped from the member values
// the type check gives (checkStructVals, one pass) exactly as sqsRecord
// maps it reading its members itself, and checkStructVals refuses what
// checkStruct refuses, with the same error.
func TestSQSFieldsFromCheck(t *testing.T) {
	rs := recordShape(shapeOf(kindSQS))
	ix := sqsMembers(rs)
	for j, name := range sqsMemberNames {
		if ix[j] < 0 || rs.members[ix[j]].name != name {
			t.Fatalf("sqsMembers[%d] = %d, want the index of %q", j, ix[j], name)
		}
	}
	events := [][]byte{
		// exact names, unknown members, a null and a wrong type, a
		// member named in another case, attributes in every form
		[]byte(`{"Records":[
			{"messageId":"m1","body":"hello","eventSourceARN":"arn:aws:sqs:eu-west-1:1:q.fifo","eventSource":"aws:sqs",
			 "attributes":{"MessageGroupId":"g1","MessageDeduplicationId":"d1"},"extra":{"x":[1,2]},
			 "messageAttributes":{"a":{"stringValue":"v","dataType":"String"},"b":{"binaryValue":"aGVsbG8=","dataType":"Binary"},
			   "c":{"stringListValues":["x","y"],"binaryListValues":["aGk="]}}},
			{"messageId":null,"body":null,"eventSource":"aws:sqs","messageAttributes":null},
			null,
			{"messageId":5,"body":"x","eventSource":"aws:sqs"},
			{"MessageId":"m2","body":"x","eventSource":"aws:sqs"},
			{"messageId":"m3","body":"x","eventSource":"aws:sqs","attributes":{"k":3}},
			{"messageId":"m4","body":"x","eventSource":"aws:sqs","messageAttributes":{"a":{"binaryValue":"%%%"}}},
			{"messageId":"m5","body":"x","eventSource":"aws:sqs","messageAttributes":{"a":{"stringValue":7}}},
			"not a record"
		]}`),
	}
	for _, name := range []string{"sqs_all_poisoned.json", "sqs_attribute_attack.json", "sqs_batch_clean.json",
		"sqs_batch_poisoned.json", "sqs_binary_attributes.json", "sqs_fifo_id_attack.json"} {
		events = append(events, fixture(t, name))
	}
	fused := 0
	for n, ev := range events {
		doc, err := jsontree.Parse(ev, envelopeLimits)
		if err != nil {
			t.Fatalf("event %d: %v", n, err)
		}
		for i, rv := range doc.Root().Get("Records").Elems() {
			var vals [32]jsontree.Value
			errV, errS := checkStructVals(rv, rs, &vals), checkStruct(rv, rs)
			if (errV == nil) != (errS == nil) || errV != nil && !reflect.DeepEqual(errV.rejection(), errS.rejection()) {
				t.Fatalf("event %d record %d: checkStructVals %v, checkStruct %v", n, i, errV, errS)
			}
			if errV != nil {
				continue
			}
			fused++
			var a, b state
			var ra, rb guard.Record
			rejA := a.sqsRecord(i, rv, &ra)
			rejB := b.sqsFields(i, &rb, vals[ix[0]], vals[ix[1]], vals[ix[2]], vals[ix[3]], vals[ix[4]])
			if !reflect.DeepEqual(rejA, rejB) || !reflect.DeepEqual(ra, rb) || !reflect.DeepEqual(a.fields, b.fields) {
				t.Fatalf("event %d record %d: sqsRecord %+v %+v %+v, from the check %+v %+v %+v", n, i, rejA, ra, a.fields, rejB, rb, b.fields)
			}
		}
	}
	if fused < 10 {
		t.Fatalf("only %d records passed the check", fused)
	}
}
