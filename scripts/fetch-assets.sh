#!/usr/bin/env bash
# fetch-assets.sh — vendor the front-end assets from npm into the Go tree.
#
# The app embeds its static files, so `go build` must not need npm. This
# script is the only place that talks to npm: it fetches exact, pinned
# package versions with `npm pack` (tarball only, no install scripts run),
# copies the built files plus their licence texts into the repository and
# regenerates internal/web/static/vendor/README.md. Commit the result.
#
# Idempotent: each vendored directory is wiped and rewritten on every run,
# so running it twice yields byte-identical files.
#
# Usage: scripts/fetch-assets.sh          (needs node + npm, network to npm)
set -euo pipefail

# Pinned versions. Bump here, re-run, review the diff, commit.
UTRECHT_PKG="@utrecht/component-library-css"
UTRECHT_VER="9.0.4"
TOKENS_PKG="@nl-design-system-unstable/voorbeeld-design-tokens"
TOKENS_VER="7.4.1"
# htmx is pinned to 2.x on purpose: htmx 4.x has breaking changes.
HTMX_PKG="htmx.org"
HTMX_VER="2.0.11"
AXE_PKG="axe-core"
AXE_VER="4.14.1"
FONT_PKG="@fontsource/noto-sans"
FONT_VER="5.3.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/internal/web/static/vendor"
AXE_DIR="$ROOT/internal/web/webtest/axe"

command -v npm >/dev/null 2>&1 || { echo "fetch-assets: npm not found on PATH" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch PKG VERSION -> prints the extracted package directory.
# `npm pack` verifies the tarball integrity against the registry metadata.
fetch() {
	local pkg="$1" ver="$2"
	local dir="$WORK/$(printf '%s' "$pkg" | tr '@/' '__')"
	mkdir -p "$dir"
	(cd "$dir" && npm pack --silent --ignore-scripts "$pkg@$ver" >/dev/null)
	local tgz
	tgz="$(find "$dir" -maxdepth 1 -name '*.tgz' -print -quit)"
	[[ -n "$tgz" ]] || { echo "fetch-assets: npm pack produced no tarball for $pkg@$ver" >&2; exit 1; }
	tar -xzf "$tgz" -C "$dir"
	# Guard against a registry/dist-tag surprise: the version must be exact.
	local got
	got="$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$dir/package/package.json")"
	if [[ "$got" != "$ver" ]]; then
		echo "fetch-assets: $pkg: wanted $ver, got $got" >&2
		exit 1
	fi
	printf '%s\n' "$dir/package"
}

# copy SRC DEST — fails loudly if SRC is missing (layout changed upstream).
copy() {
	[[ -f "$1" ]] || { echo "fetch-assets: missing $1" >&2; exit 1; }
	install -m 0644 -D "$1" "$2"
}

# licence PKGDIR DESTDIR PKG VER SPDX — copy the package's licence file, or
# write a LICENSE.txt stating the licence if the package ships none.
licence() {
	local src="$1" dest="$2" pkg="$3" ver="$4" spdx="$5" f
	for f in LICENSE LICENSE.md LICENSE.txt LICENCE LICENCE.md license license.md; do
		if [[ -f "$src/$f" ]]; then
			copy "$src/$f" "$dest/$f"
			return
		fi
	done
	printf '%s@%s is licensed under %s.\nThe package does not ship a licence file; see https://spdx.org/licenses/%s.html\n' \
		"$pkg" "$ver" "$spdx" "$spdx" >"$dest/LICENSE.txt"
}

echo "fetch-assets: fetching from npm ..."
utrecht="$(fetch "$UTRECHT_PKG" "$UTRECHT_VER")"
tokens="$(fetch "$TOKENS_PKG" "$TOKENS_VER")"
htmx="$(fetch "$HTMX_PKG" "$HTMX_VER")"
axe="$(fetch "$AXE_PKG" "$AXE_VER")"
font="$(fetch "$FONT_PKG" "$FONT_VER")"

# Start from a clean slate for every directory this script owns. The axe
# directory may also hold Go files (an embed wrapper), so only our files go.
rm -rf "$VENDOR/utrecht" "$VENDOR/voorbeeld-tokens" "$VENDOR/htmx" "$VENDOR/noto-sans"
rm -f "$AXE_DIR/axe.min.js" "$AXE_DIR/LICENSE" "$AXE_DIR/LICENSE-3RD-PARTY.txt"
mkdir -p "$VENDOR/utrecht" "$VENDOR/voorbeeld-tokens" "$VENDOR/htmx" "$VENDOR/noto-sans" "$AXE_DIR"

# Utrecht component library CSS (EUPL-1.2).
copy "$utrecht/dist/index.css" "$VENDOR/utrecht/index.css"
licence "$utrecht" "$VENDOR/utrecht" "$UTRECHT_PKG" "$UTRECHT_VER" "EUPL-1.2"

# Voorbeeld design tokens (EUPL-1.2); all tokens are scoped to .voorbeeld-theme.
copy "$tokens/dist/theme.css" "$VENDOR/voorbeeld-tokens/theme.css"
licence "$tokens" "$VENDOR/voorbeeld-tokens" "$TOKENS_PKG" "$TOKENS_VER" "EUPL-1.2"

# htmx 2.x (0BSD).
copy "$htmx/dist/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
licence "$htmx" "$VENDOR/htmx" "$HTMX_PKG" "$HTMX_VER" "0BSD"

# Noto Sans, latin subset, regular + bold, woff2 only (OFL-1.1). The voorbeeld
# theme asks for 'Noto Sans', sans-serif; app.css declares the @font-face.
copy "$font/files/noto-sans-latin-400-normal.woff2" "$VENDOR/noto-sans/noto-sans-latin-400-normal.woff2"
copy "$font/files/noto-sans-latin-700-normal.woff2" "$VENDOR/noto-sans/noto-sans-latin-700-normal.woff2"
licence "$font" "$VENDOR/noto-sans" "$FONT_PKG" "$FONT_VER" "OFL-1.1"

# axe-core (MPL-2.0): TEST ONLY. Lives outside static/ so the app never serves it.
copy "$axe/axe.min.js" "$AXE_DIR/axe.min.js"
licence "$axe" "$AXE_DIR" "$AXE_PKG" "$AXE_VER" "MPL-2.0"
if [[ -f "$axe/LICENSE-3RD-PARTY.txt" ]]; then
	copy "$axe/LICENSE-3RD-PARTY.txt" "$AXE_DIR/LICENSE-3RD-PARTY.txt"
fi

# Regenerate the README with the pinned versions and checksums.
sums() {
	(cd "$ROOT" && sha256sum "$@" | sed 's/^/    /')
}
cat >"$VENDOR/README.md" <<EOF
# Vendored front-end assets

Everything in this directory is produced by \`scripts/fetch-assets.sh\`
(\`../app.css\` is our own stylesheet and is not vendored). Do not edit these files by hand:
change the pinned version in the script, re-run it, review the diff and commit.
\`go build\` never needs npm; only the script does.

| Package | Version | Licence | Vendored file(s) |
| --- | --- | --- | --- |
| \`$UTRECHT_PKG\` | $UTRECHT_VER | EUPL-1.2 | \`utrecht/index.css\` (from \`dist/index.css\`) |
| \`$TOKENS_PKG\` | $TOKENS_VER | EUPL-1.2 | \`voorbeeld-tokens/theme.css\` (from \`dist/theme.css\`; tokens apply under \`class="voorbeeld-theme"\`) |
| \`$HTMX_PKG\` | $HTMX_VER | 0BSD | \`htmx/htmx.min.js\` (from \`dist/htmx.min.js\`; pinned to 2.x on purpose, 4.x has breaking changes) |
| \`$FONT_PKG\` | $FONT_VER | OFL-1.1 | \`noto-sans/noto-sans-latin-{400,700}-normal.woff2\` (latin subset; \`@font-face\` is in \`app.css\`) |
| \`$AXE_PKG\` | $AXE_VER | MPL-2.0 | \`internal/web/webtest/axe/axe.min.js\` — **test only**, outside \`static/\`, never served by the app |

Each directory holds the package's own licence text next to the files.

Load order in the page \`<head>\`: \`voorbeeld-tokens/theme.css\`, \`utrecht/index.css\`,
then \`../app.css\`; put \`class="voorbeeld-theme"\` on \`<html>\` or \`<body>\`.

## SHA-256 of the vendored files

$(sums internal/web/static/vendor/utrecht/index.css \
	internal/web/static/vendor/voorbeeld-tokens/theme.css \
	internal/web/static/vendor/htmx/htmx.min.js \
	internal/web/static/vendor/noto-sans/noto-sans-latin-400-normal.woff2 \
	internal/web/static/vendor/noto-sans/noto-sans-latin-700-normal.woff2 \
	internal/web/webtest/axe/axe.min.js)
EOF

echo "fetch-assets: done"
(cd "$ROOT" && find internal/web/static/vendor internal/web/webtest/axe -type f | sort)
