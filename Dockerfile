# One image for every isochron service (gateway, worker, api, simulator, migrate); the command
# picks the service. Used by docker-compose.yml.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ zlib1g-dev libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
ENV CKJS_LINKING=dynamic
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
CMD ["node", "--import", "tsx", "services/gateway/main.ts"]
