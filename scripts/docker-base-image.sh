#!/usr/bin/env bash
# docker-base-image.sh makes the two base images that the Dockerfile names,
# for a machine that cannot pull from Docker Hub but reaches Debian's package
# mirror:
#
#   debian:bookworm-slim   a debootstrap --variant=minbase rootfs, imported
#   golang:1.26-bookworm   that image + ca-certificates + this machine's Go
#                          toolchain in /usr/local/go (tag from `go env GOVERSION`)
#
# An image that already exists is left alone, so running it twice is cheap;
# --force remakes both. Where Docker Hub is reachable none of this is needed.
#
# Usage: scripts/docker-base-image.sh [--force]
# Environment:
#   DOCKER_HOST        daemon to use (as for the docker client)
#   DEBIAN_MIRROR      default http://deb.debian.org/debian
#   DEBIAN_SUITE       default bookworm
#   GOROOT_SRC         Go toolchain to copy in; default $(go env GOROOT)
#   RUNTIME_IMAGE      default debian:${DEBIAN_SUITE}-slim
#   GO_IMAGE           default golang:<major.minor of GOROOT_SRC>-${DEBIAN_SUITE}
#   HOST_CA_BUNDLE     CA bundle copied into the Go image so that `go mod download`
#                      trusts what this host trusts (a TLS-inspecting egress proxy
#                      here); default /etc/ssl/certs/ca-certificates.crt, empty: skip
set -euo pipefail

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*)
	echo "usage: $0 [--force]" >&2
	exit 2
	;;
esac

log() { printf 'docker-base-image: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}
RUNTIME_IMAGE=${RUNTIME_IMAGE:-debian:${DEBIAN_SUITE}-slim}
HOST_CA_BUNDLE=${HOST_CA_BUNDLE-/etc/ssl/certs/ca-certificates.crt}

if [[ -z "${GOROOT_SRC:-}" ]]; then
	command -v go >/dev/null || die "no go in PATH; set GOROOT_SRC"
	GOROOT_SRC=$(go env GOROOT)
fi
[[ -x "$GOROOT_SRC/bin/go" ]] || die "$GOROOT_SRC/bin/go not found"
# "go1.26.8" (first line of $GOROOT/VERSION) -> full 1.26.8, minor 1.26
go_full=$(head -n1 "$GOROOT_SRC/VERSION")
go_full=${go_full#go}
go_minor=$(cut -d. -f1,2 <<<"$go_full")
GO_IMAGE=${GO_IMAGE:-golang:${go_minor}-${DEBIAN_SUITE}}

command -v docker >/dev/null || die "no docker client in PATH"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (DOCKER_HOST=${DOCKER_HOST:-unset})"

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

work=$(mktemp -d /tmp/docker-base-image.XXXXXX)
trap 'rm -rf "$work"' EXIT

make_runtime_image() {
	[[ $EUID -eq 0 ]] || die "debootstrap needs root"
	if ! command -v debootstrap >/dev/null; then
		log "installing debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends debootstrap >/dev/null ||
			{ apt-get -o DPkg::Lock::Timeout=300 update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends debootstrap >/dev/null; }
	fi
	local root=$work/rootfs
	log "debootstrap --variant=minbase $DEBIAN_SUITE from $DEBIAN_MIRROR (about a minute)"
	debootstrap --variant=minbase --components=main "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
		{ tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

	# Make it behave like the official slim image: the same apt sources, no
	# docs/man pages/locales on later installs, no apt caches in layers.
	rm -f "$root/etc/apt/sources.list"
	cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${DEBIAN_MIRROR}
Suites: ${DEBIAN_SUITE} ${DEBIAN_SUITE}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${DEBIAN_MIRROR%/debian}/debian-security
Suites: ${DEBIAN_SUITE}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
	cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
	echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
	find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
	rm -rf "${root:?}"/usr/share/man/* "${root:?}"/usr/share/info/* \
		"${root:?}"/var/lib/apt/lists/* "${root:?}"/var/cache/apt/* "${root:?}"/var/log/* \
		"${root:?}"/dev/* "${root:?}"/proc/* "${root:?}"/sys/* "${root:?}"/tmp/* "${root:?}"/run/*
	: >"$root/etc/hostname"
	: >"$root/etc/resolv.conf"

	log "importing $RUNTIME_IMAGE"
	tar --numeric-owner -C "$root" -c . |
		docker import \
			--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			--change 'CMD ["bash"]' \
			--message "debootstrap --variant=minbase $DEBIAN_SUITE (scripts/docker-base-image.sh)" \
			- "$RUNTIME_IMAGE" >/dev/null
	rm -rf "$root"
}

make_go_image() {
	# The build context is streamed as a tar: the Dockerfile, the host's CA
	# bundle and GOROOT as go/.
	local ca_step="# no host CA bundle"
	if [[ -n "$HOST_CA_BUNDLE" && -s "$HOST_CA_BUNDLE" ]]; then
		cp "$HOST_CA_BUNDLE" "$work/host-ca-certificates.crt"
		ca_step="COPY host-ca-certificates.crt /etc/ssl/certs/ca-certificates.crt"
	else
		: >"$work/host-ca-certificates.crt"
	fi
	cat >"$work/Dockerfile" <<EOF
FROM ${RUNTIME_IMAGE}
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
${ca_step}
COPY go /usr/local/go
ENV GOLANG_VERSION=${go_full} GOTOOLCHAIN=local GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go && go version
WORKDIR /go
EOF
	log "building $GO_IMAGE from $RUNTIME_IMAGE + $GOROOT_SRC (go $go_full)"
	# Legacy builder: BuildKit needs the buildx plugin, which this machine
	# lacks. Host network: with dockerd --bridge=none it is the only network,
	# and apt needs it.
	tar -c -C "$work" Dockerfile host-ca-certificates.crt -C "$GOROOT_SRC" --transform 's,^\.,go,' . |
		DOCKER_BUILDKIT=0 docker build --network host -t "$GO_IMAGE" -t "golang:${go_full}-${DEBIAN_SUITE}" - >"$work/build.log" 2>&1 ||
		{ tail -n 30 "$work/build.log" >&2; die "docker build of $GO_IMAGE failed"; }
}

if [[ $force -eq 1 ]] || ! have_image "$RUNTIME_IMAGE"; then
	make_runtime_image
	force=1 # the Go image is built on top of it
else
	log "$RUNTIME_IMAGE exists, skipped"
fi
if [[ $force -eq 1 ]] || ! have_image "$GO_IMAGE"; then
	make_go_image
else
	log "$GO_IMAGE exists, skipped"
fi
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E "^(${RUNTIME_IMAGE}|${GO_IMAGE})\b" >&2 || true
