package guardlambda

import (
	"strconv"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// sesRecord maps one SES receipt record: the envelope sender and
// recipients, every message header (name and value) and the parsed common
// headers (from, to, subject...). The receipt part holds SES's own
// verdicts.
func (st *state) sesRecord(i int, rv jsontree.Value, r *guard.Record) *rejection {
	mail := rv.Path("ses", "mail")
	r.ID, _ = mail.Get("messageId").Str()
	r.EventSource, _ = rv.Get("eventSource").Str()
	st.strField("ses.mail.source", mail.Get("source"))
	st.jsonField("ses.mail.destination", mail.Get("destination"))
	for j, h := range mail.Get("headers").Elems() {
		name, _ := h.Get("name").Str()
		val, _ := h.Get("value").Str()
		base := "ses.mail.headers[" + strconv.Itoa(j) + "]"
		if name != "" {
			st.field(base+".name", name)
		}
		if val != "" {
			st.field(base+".value", val)
		}
	}
	st.jsonField("ses.mail.commonHeaders", mail.Get("commonHeaders"))
	return nil
}

// codeCommitRecord maps one CodeCommit trigger record: the pushed
// references (branch and tag names are chosen by whoever pushes) and the
// trigger's custom data.
func (st *state) codeCommitRecord(i int, rv jsontree.Value, r *guard.Record) *rejection {
	r.ID, _ = rv.Get("eventId").Str()
	r.EventSource, _ = rv.Get("eventSourceARN").Str()
	r.EventType, _ = rv.Get("eventName").Str()
	for j, ref := range rv.Path("codecommit", "references").Elems() {
		st.strField("codecommit.references["+strconv.Itoa(j)+"].ref", ref.Get("ref"))
	}
	st.strField("customData", rv.Get("customData"))
	st.strField("eventTriggerName", rv.Get("eventTriggerName"))
	return nil
}
