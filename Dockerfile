# skiff container image. Two stages: "build" compiles the TypeScript with the dev dependencies,
# the final stage holds only the production dependencies, the compiled dist/ and bin/.
# It runs as a non-root user, writes nothing at run time (fit for readOnlyRootFilesystem), and
# node itself is PID 1: skiff installs SIGTERM/SIGINT handlers, so signals reach the drain logic.
#
#   docker build -t registry.example.org/skiff:0.1.0 .
#   docker run --rm -p 9090:9090 -v "$PWD/examples:/routes:ro" registry.example.org/skiff:0.1.0 \
#     --address 0.0.0.0:9090 --support-address 0.0.0.0:9911 --routes-file /routes/routes.eskip

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
# dependencies first, so a source change does not reinstall them
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY filters ./filters
RUN npx tsc -p tsconfig.json

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# production dependencies only; no install scripts (the "prepare" build already ran above).
# They include the OTLP trace exporters (http/protobuf, http/json, grpc): the image can export
# spans as soon as OTEL_* variables ask for it, and loads an exporter only then.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
# the node image's unprivileged user, by number so runAsNonRoot can verify it
USER 1000:1000
# 9990/9991: proxy listeners (external, internal classes); 9911: support (probes, metrics)
EXPOSE 9990 9991 9911
# --no-memory-reducer: see bin/skiff.js (an idle start would cost CPU per request for good)
ENTRYPOINT ["node", "--no-memory-reducer", "bin/skiff.js"]
