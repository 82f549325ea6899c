#!/bin/sh
# Refreshes the vendored MSAL.js browser bundles (docs/adr/0120) from the npm registry.
# Usage: addin-api/scripts/refresh-msal.sh [version]   (default: the version in lib/MSAL-VERSION)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
lib="$here/src/main/resources/static/addin/lib"
version=${1:-$(cat "$lib/MSAL-VERSION")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@azure/msal-browser@$version" >/dev/null)
tar -xzf "$work"/azure-msal-browser-"$version".tgz -C "$work" \
  package/LICENSE package/lib/msal-browser.min.js package/lib/redirect-bridge/msal-redirect-bridge.min.js
cp "$work/package/lib/msal-browser.min.js" "$lib/msal-browser.min.js"
cp "$work/package/lib/redirect-bridge/msal-redirect-bridge.min.js" "$lib/msal-redirect-bridge.min.js"
cp "$work/package/LICENSE" "$lib/MSAL-LICENSE.txt"
echo "$version" > "$lib/MSAL-VERSION"
echo "MSAL.js $version vendored into $lib"
