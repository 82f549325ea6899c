#!/usr/bin/env bash
# Lays out the files of the container image (docs/adr/0180): a jlink'ed Java runtime from the build
# machine's JDK, the shared libraries it loads, a minimal /etc, the data directory and the service's
# jar. Jib adds them as layers on top of `scratch`, so no registry and no container daemon is needed.
#
#   build-root.sh <jar> <output dir> [true|false]
#
# The third argument (default true) says whether to build the runtime; false for a base image that
# brings its own Java (-Pimage-temurin), when <output dir>/runtime stays empty.
#
# <output dir>/runtime  the Java runtime, its libraries and /etc (left out with a real base image)
# <output dir>/app      /app/sealgate.jar, /var/lib/sealgate and /tmp
set -euo pipefail

jar=$1
out=$2
with_runtime=${3:-true}
[ -f "$jar" ] || { echo "build-root.sh: no $jar: build addin-api first (mvn -pl packaging/image -am package)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/runtime" "$out/app/app" "$out/app/var/lib/sealgate" "$out/app/tmp"
cp "$jar" "$out/app/app/sealgate.jar"
if [ "$with_runtime" != true ]; then
  echo "build-root.sh: application only (the base image brings Java) in $out"
  exit 0
fi

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jlink=$java_home/bin/jlink
[ -x "$jlink" ] || { echo "build-root.sh: no jlink in $java_home (set JAVA_HOME to a full JDK 17)" >&2; exit 1; }
[ -d "$java_home/jmods" ] || { echo "build-root.sh: $java_home has no jmods (Debian: openjdk-17-jdk-headless)" >&2; exit 1; }

# What the service and its libraries use, plus the modules found only through the service loader
# or reflection (EC for TLS, DNS for JNDI, management for the process metrics, locale data).
# java.desktop only for java.beans (Spring); its native AWT libraries are removed below.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.management,\
jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,jdk.localedata

mkdir -p "$out/runtime/opt"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

"$jlink" --add-modules "$modules" --include-locales=en,de,fr,it \
  --strip-debug --no-header-files --no-man-pages --output "$staging/java"
# Debian's JDK links its legal notices and CA list into /usr/share and /etc: copy the files themselves.
cp -rL "$staging/java" "$out/runtime/opt/java"
java=$out/runtime/opt/java
cp -L /etc/ssl/certs/java/cacerts "$java/lib/security/cacerts" 2>/dev/null || true
# AWT, sound and fonts: no display in a mail gateway, and they would need X11 libraries.
rm -f "$java"/lib/lib{awt,awt_xawt,awt_headless,fontmanager,jawt,jsound,lcms,mlib_image,javajpeg,splashscreen}.so
if command -v objcopy >/dev/null; then
  objcopy --strip-debug "$java/lib/server/libjvm.so"
fi

# The shared libraries the runtime loads, from the build machine, at the paths its loader expects.
mapfile -t libraries < <(ldd "$java/bin/java" "$java/bin/keytool" "$java"/lib/*.so "$java"/lib/server/libjvm.so 2>/dev/null \
  | awk '/=> \// { print $3 } /^\t\/lib.*ld-linux/ { print $1 }' | sort -u)
for library in "${libraries[@]}"; do
  case "$library" in "$java"/*|"$out"/*) continue ;; esac
  mkdir -p "$out/runtime$(dirname "$library")"
  cp -L "$library" "$out/runtime$library"
done
[ -n "$(find "$out/runtime" -name 'ld-linux*' -print -quit)" ] || { echo "build-root.sh: no dynamic loader found" >&2; exit 1; }

mkdir -p "$out/runtime/etc"
cat > "$out/runtime/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
sealgate:x:10001:0:Sealgate:/var/lib/sealgate:/sbin/nologin
PASSWD
cat > "$out/runtime/etc/group" <<'GROUP'
root:x:0:
GROUP
echo 'hosts: files dns' > "$out/runtime/etc/nsswitch.conf"

echo "build-root.sh: $(du -sh "$out/runtime" | cut -f1) runtime, $(du -sh "$out/app" | cut -f1) application in $out"
