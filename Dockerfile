# syntax=docker/dockerfile:1
# One image for the API and the worker; docker-compose.yml picks the command
# (default: the API). TypeScript runs through tsx, a runtime dependency, so there is
# no compile step.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies (jest, typescript, test servers) stay out; tsx and the Temporal
# workflow bundler are runtime dependencies.
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY lib ./lib
COPY db ./db
COPY activities ./activities
COPY workflows ./workflows
COPY api ./api
COPY ops ./ops
# DATA_DIR is the only place written to (e-mails as .eml files when SMTP_URL is unset).
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/http/server.ts"]
