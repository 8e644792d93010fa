# kfguard's container image: the CLI (scan, webhook serve, export vap ...) on a distroless Node 20
# runtime, running as an unprivileged user. The webhook Deployment (`kfguard webhook manifests`,
# deploy/webhook/) runs it with args `webhook serve ...`; `docker run IMAGE scan /manifests` works too.
#
#   docker build -t kfguard:0.1.0 .
#
# Stage 1 bundles the CLI with esbuild: dist/ is self-contained (every dependency inlined), so the
# runtime stage needs no node_modules and no npm.
# The image has no kubectl, kustomize or helm: a kustomize directory or chart in a scanned folder is an
# input error (exit 2) naming the missing renderer, and its files are scanned as plain manifests.
# Render outside and pipe the result: `kustomize build overlays/prod | docker run -i --rm IMAGE scan -`.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no install script is needed (the build below is the only one).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/
COPY src/ src/
RUN npm run build

# Stage 2: distroless (no shell, no package manager), "nonroot" variant: uid and gid 65532, as the
# webhook Deployment's securityContext expects. Nothing is written at runtime, so the root
# filesystem can be mounted read-only.
FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=build /src/dist/ dist/
COPY bin/ bin/
COPY data/ data/
COPY package.json ./
# Apache-2.0 asks that the licence travel with the work; the bundled packages' notices are in dist/.
COPY LICENSE ./
USER 65532:65532
ENV NODE_ENV=production
EXPOSE 8443
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/kfguard.js"]
CMD ["--help"]
