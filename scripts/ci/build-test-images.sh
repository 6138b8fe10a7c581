#!/usr/bin/env bash
# Builds the test images without a registry: a busybox root filesystem imported as an image.
#   shoal-test/busybox:1  — sh, sleep, httpd, nc, wget, ... (busybox httpd -f -p 80 -h DIR serves HTTP)
set -euo pipefail
: "${DOCKER_HOST:?set DOCKER_HOST to the engine to build into}"
image="shoal-test/busybox:1"
if docker image inspect "$image" >/dev/null 2>&1; then exit 0; fi
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "busybox is not installed (apt-get install -y busybox-static)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/tmp" "$work/www" "$work/etc"
cp "$busybox" "$work/bin/busybox"
for c in sh ls echo sleep httpd cat nc wget hostname env ps kill true false printf id mkdir rm; do
  ln -s busybox "$work/bin/$c"
done
echo "shoal test page" > "$work/www/index.html"
echo "root:x:0:0:root:/:/bin/sh" > "$work/etc/passwd"
tar -C "$work" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - "$image" >/dev/null
echo "built $image"
