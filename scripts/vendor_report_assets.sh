#!/usr/bin/env bash
# Re-vendor the JavaScript the offline report inlines (run by hand when bumping versions; needs npm
# and the network). Writes analysis/report/assets/ and prints the sha256 sums to paste into its
# README.md. The report renderer (analysis/report.py) never downloads anything.
set -euo pipefail
HTML_MANAGER=${HTML_MANAGER:-1.0.15}   # @jupyter-widgets/html-manager, pairs with ipywidgets 8.1
REQUIREJS=${REQUIREJS:-2.3.8}
LEAFLET=${LEAFLET:-1.9.4}        # the interactive map (analysis/views/webmap.py)
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/analysis/report/assets"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "@jupyter-widgets/html-manager@$HTML_MANAGER" "requirejs@$REQUIREJS" \
  "leaflet@$LEAFLET" >/dev/null
mkdir hm rq lf
tar xzf "jupyter-widgets-html-manager-$HTML_MANAGER.tgz" -C hm
tar xzf "requirejs-$REQUIREJS.tgz" -C rq
tar xzf "leaflet-$LEAFLET.tgz" -C lf
mkdir -p "$dest/html-manager" "$dest/requirejs"
# embed.js is the standalone bundle (core widgets, no AMD loader needed); the woff2 fonts are the
# Font Awesome faces its CSS points at (the renderer inlines them as data: URIs).
cp hm/package/dist/embed.js hm/package/dist/embed.js.LICENSE.txt hm/package/package.json "$dest/html-manager/"
for f in hm/package/dist/*.woff2; do cp "$f" "$dest/html-manager/"; done
cp rq/package/require.js rq/package/package.json "$dest/requirejs/"
views="$root/analysis/views/assets"
mkdir -p "$views/leaflet"
cp lf/package/dist/leaflet.js lf/package/dist/leaflet.css lf/package/LICENSE lf/package/package.json "$views/leaflet/"
(cd "$dest" && find . -type f ! -name README.md -print0 | sort -z | xargs -0 sha256sum)
echo "# analysis/views/assets:"
(cd "$views" && find . -type f ! -name README.md -print0 | sort -z | xargs -0 sha256sum)
