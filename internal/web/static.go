package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

//go:embed templates
var templateFS embed.FS

// asset is one embedded static file with its content hash.
type asset struct {
	body  []byte
	hash  string // first 16 hex digits of SHA-256
	ctype string
}

// assets are the embedded static files, hashed once at start.
type assets struct {
	files map[string]asset // by path below static/, e.g. "app.css"
}

func loadAssets() *assets {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		ctype := mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) {
		case ".woff2":
			ctype = "font/woff2"
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case "":
			ctype = "text/plain; charset=utf-8"
		}
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[name] = asset{body: body, hash: hex.EncodeToString(sum[:8]), ctype: ctype}
		return nil
	})
	if err != nil {
		panic("web: embedded static files: " + err.Error())
	}
	return a
}

// url returns the address of a static file with its content hash, so that
// it can be cached for a year and still change on the next release.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + f.hash
}

// static serves the embedded files with an ETag; with the current hash in
// the query (as the templates link them) they are cached for a year.
func (s *server) static(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	f, ok := s.assets.files[name]
	if !ok {
		http.Error(w, "Niet gevonden", http.StatusNotFound)
		return nil
	}
	h := w.Header()
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	h.Set("Content-Type", f.ctype)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
	return nil
}
