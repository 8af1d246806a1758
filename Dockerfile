# One image for every role (ingress, worker, api, relay): the role is chosen by the container command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev && npm install --no-save tsx
COPY tsconfig.json ./
COPY src ./src
ENV NODE_ENV=production DATA_DIR=/data
# Runs as the image's unprivileged `node` user (uid 1000), owner of the data directory; SMTP listens on ports >= 1024.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# Default role; docker-compose.yml overrides the command per service.
CMD ["node", "--import", "tsx", "src/run-role.ts", "worker", "ingress", "api"]
