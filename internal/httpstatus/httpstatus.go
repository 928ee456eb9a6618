// Package httpstatus maps the domain's error codes to HTTP statuses: the
// one mapping the web pages and the API share. casework knows no HTTP.
package httpstatus

import (
	"net/http"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Of is the HTTP status an error code answers with.
func Of(code casework.Code) int {
	switch code {
	case casework.CodeInvalid:
		return http.StatusUnprocessableEntity
	case casework.CodeNotFound:
		return http.StatusNotFound
	case casework.CodeConflict:
		return http.StatusConflict
	case casework.CodeForbidden:
		return http.StatusForbidden
	case casework.CodeUnauthorized:
		return http.StatusUnauthorized
	case casework.CodeTooMany:
		return http.StatusTooManyRequests
	case casework.CodeOverloaded:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
