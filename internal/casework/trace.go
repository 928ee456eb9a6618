package casework

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// Trace is the W3C Trace Context (https://www.w3.org/TR/trace-context/) of
// one request: the trace it belongs to, the span this system opened for
// it, and the caller's span when the caller sent a traceparent.
type Trace struct {
	TraceID      string // 32 lower-case hex digits, not all zero
	SpanID       string // 16 lower-case hex digits: our span
	ParentSpanID string // the caller's span (parent-id of its traceparent), or ""
	Flags        string // trace-flags, two hex digits ("01": sampled)
	State        string // tracestate as received (valid), passed on unchanged
}

// StartTrace continues the caller's trace when traceparent is valid, and
// starts a new one otherwise (no header, or one that does not follow the
// specification exactly: the specification says to start anew then). A
// new span id is made either way. tracestate is kept only with a valid
// traceparent and only when it is itself well-formed.
func StartTrace(traceparent, tracestate string) Trace {
	t := Trace{SpanID: randomID(8), Flags: "01"}
	if id, parent, flags, ok := ParseTraceparent(traceparent); ok {
		t.TraceID, t.ParentSpanID, t.Flags = id, parent, flags
		if validTracestate(tracestate) {
			t.State = tracestate
		}
		return t
	}
	t.TraceID = randomID(16)
	return t
}

// Traceparent is the header value that passes this span on (to a caller
// in a response, or to a call this system makes).
func (t Trace) Traceparent() string {
	if t.TraceID == "" {
		return ""
	}
	return "00-" + t.TraceID + "-" + t.SpanID + "-" + t.Flags
}

// ParseTraceparent reads a traceparent header strictly per W3C Trace
// Context level 1: version-traceid-parentid-flags in lower-case hex;
// version ff, an all-zero trace id or parent id are invalid; version 00 is
// exactly 55 characters; a later version may carry more after a dash.
func ParseTraceparent(h string) (traceID, parentID, flags string, ok bool) {
	if len(h) < 55 {
		return "", "", "", false
	}
	version := h[0:2]
	if !lowerHex(version) || version == "ff" {
		return "", "", "", false
	}
	if version == "00" && len(h) != 55 {
		return "", "", "", false
	}
	if len(h) > 55 && h[55] != '-' {
		return "", "", "", false
	}
	if h[2] != '-' || h[35] != '-' || h[52] != '-' {
		return "", "", "", false
	}
	traceID, parentID, flags = h[3:35], h[36:52], h[53:55]
	if !lowerHex(traceID) || !lowerHex(parentID) || !lowerHex(flags) ||
		strings.Trim(traceID, "0") == "" || strings.Trim(parentID, "0") == "" {
		return "", "", "", false
	}
	return traceID, parentID, flags, true
}

// validTracestate accepts a tracestate of at most 512 characters of
// list-members key=value, separated by commas, with at most 32 members
// and printable ASCII only (the specification's limits); anything else is
// dropped rather than passed on.
func validTracestate(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	members := strings.Split(s, ",")
	if len(members) > 32 {
		return false
	}
	for _, m := range members {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		k, v, found := strings.Cut(m, "=")
		if !found || k == "" || v == "" || len(k) > 256 || len(v) > 256 {
			return false
		}
		for _, r := range m {
			if r < 0x20 || r > 0x7e {
				return false
			}
		}
	}
	return true
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return s != ""
}

// randomID returns n random bytes in hex, never all zero.
func randomID(n int) string {
	b := make([]byte, n)
	for {
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		for _, x := range b {
			if x != 0 {
				return hex.EncodeToString(b)
			}
		}
	}
}
