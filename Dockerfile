# Dockerfile for talksearch: a static Go binary on Debian slim.
#
#   docker build -t talksearch:local .
#   docker run --init -p 8080:8080 -v talksearch-data:/data talksearch:local
#
# Build arguments:
#   GO_IMAGE           build stage image (default golang:1.26-bookworm)
#   RUNTIME_IMAGE      runtime image (default debian:bookworm-slim)
#   RUNTIME_PACKAGES   Debian packages for the runtime image: poppler-utils is
#                      the indexer's pdftotext fallback and, with tesseract-ocr
#                      and tesseract-ocr-deu, its OCR for pages without text;
#                      openthesaurus-de-text the thesaurus questions read
#                      (--thesaurus); each is optional at run time. "" skips apt altogether
#                      (an offline build), e.g.
#                      docker compose build --build-arg RUNTIME_PACKAGES=""
#
# Needs BuildKit (the default builder since Docker 23; DOCKER_BUILDKIT=1 on
# Docker 20.10) for the Go build cache mount, which makes a rebuild after a
# source change take seconds instead of minutes.

ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${GO_IMAGE} AS build
WORKDIR /src
ENV CGO_ENABLED=0
# Modules first, so that this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/talksearch ./cmd/talksearch

FROM ${RUNTIME_IMAGE}
ARG RUNTIME_PACKAGES="ca-certificates poppler-utils tesseract-ocr tesseract-ocr-deu openthesaurus-de-text"
RUN if [ -n "$RUNTIME_PACKAGES" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $RUNTIME_PACKAGES \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# A fixed numeric uid, so that a bind-mounted or pre-created /data can be
# chowned to it from the outside. A new named volume takes /data's owner.
RUN groupadd --gid 10001 talksearch \
    && useradd --uid 10001 --gid talksearch --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin talksearch \
    && mkdir -p /data /corpus \
    && chown talksearch:talksearch /data
COPY --from=build /out/talksearch /usr/local/bin/talksearch

ENV TALKSEARCH_DATA=/data \
    TALKSEARCH_ADDR=:8080
VOLUME /data
EXPOSE 8080
USER 10001:10001
WORKDIR /data

# Ready means the index is open. The image has neither curl nor wget, so bash
# speaks HTTP/1.0 to the port taken from TALKSEARCH_ADDR on 127.0.0.1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${TALKSEARCH_ADDR##*:} && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r _ code _ <&3 && [ \"$code\" = 200 ]"]

ENTRYPOINT ["talksearch"]
CMD ["serve"]
