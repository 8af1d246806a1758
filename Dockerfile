# One image for every role (ingress, worker, api, relay): the role is chosen by the container command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev && npm install --no-save tsx
COPY tsconfig.json ./
COPY src ./src
ENV NODE_ENV=production DATA_DIR=/data
VOLUME /data
# Default role; docker-compose.yml overrides the command per service.
CMD ["node", "--import", "tsx", "src/run-role.ts", "worker", "ingress", "api"]
