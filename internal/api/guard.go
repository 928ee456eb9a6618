package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// guardText refuses, before an operation runs, a request whose address or
// JSON body holds a character that casework.TextProblem forbids anywhere
// (NUL and other control characters, zero-width characters, direction
// overrides): 422 with the Dutch message at the parameter or member. The
// finer rules per field (line breaks only in free text) are the forms'
// own, checked by the use case; this guard covers every member, velden or
// not, so nothing typed reaches a use case or the database unchecked.
func (h *handler) guardText(ctx huma.Context, next func(huma.Context)) {
	u := ctx.URL()
	if err := casework.CheckAddress(u.Path, u.Query()); err != nil {
		p := problemFor(err, "query.")
		_ = huma.WriteErr(h.api, ctx, p.Status, p.Detail, problemFields(p)...)
		return
	}
	if mt, _, _ := mime.ParseMediaType(ctx.Header("Content-Type")); mt == "application/json" || strings.HasSuffix(mt, "+json") {
		r, _ := humago.Unwrap(ctx)
		limit := ctx.Operation().MaxBodyBytes
		if limit <= 0 {
			limit = 1 << 20 // huma's default
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		// huma reads the body again, and answers what is too large or
		// unreadable in its own words.
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		if err == nil && int64(len(body)) <= limit {
			var v any
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if dec.Decode(&v) == nil {
				if loc, msg := textProblemIn(v, "body"); msg != "" {
					_ = huma.WriteErr(h.api, ctx, http.StatusUnprocessableEntity, msg, &huma.ErrorDetail{Location: loc, Message: msg})
					return
				}
			}
		}
	}
	next(ctx)
}

// textProblemIn returns the location and message of the first member name
// or string of a decoded JSON value that casework.TextProblem refuses even
// in free text.
func textProblemIn(v any, at string) (string, string) {
	switch v := v.(type) {
	case string:
		if msg := casework.TextProblem(v, true); msg != "" {
			return at, msg
		}
	case []any:
		for i, e := range v {
			if loc, msg := textProblemIn(e, at+"["+strconv.Itoa(i)+"]"); msg != "" {
				return loc, msg
			}
		}
	case map[string]any:
		for k, e := range v {
			if msg := casework.TextProblem(k, false); msg != "" {
				return at, msg
			}
			if loc, msg := textProblemIn(e, at+"."+k); msg != "" {
				return loc, msg
			}
		}
	}
	return "", ""
}

// documentGuards adds what the guards in front of every operation may
// answer to the document: 413 to every operation that takes a body (huma
// refuses one over the operation's MaxBodyBytes, 1 MB unless the operation
// sets more, as the upload does), 422 to every operation that takes
// parameters or a body (guardText, and huma's own checks of them).
func documentGuards(oapi *huma.OpenAPI) {
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil || op.Responses["401"] == nil {
				continue
			}
			problem := op.Responses["401"].Content
			if op.RequestBody != nil && op.Responses["413"] == nil {
				op.Responses["413"] = &huma.Response{Description: http.StatusText(http.StatusRequestEntityTooLarge), Content: problem}
			}
			if (op.RequestBody != nil || len(op.Parameters) > 0) && op.Responses["422"] == nil {
				op.Responses["422"] = &huma.Response{Description: http.StatusText(http.StatusUnprocessableEntity), Content: problem}
			}
		}
	}
}
