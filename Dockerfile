# The Observa collector. Untested: Docker was not available where this file was written.
# Runs from source with tsx (npm start), so dev dependencies are installed too.
FROM node:20-slim

WORKDIR /app

# Dependencies first, for layer caching: the root manifest, the lockfile and every workspace manifest.
COPY package.json package-lock.json ./
COPY collector/package.json collector/
COPY sdk/package.json sdk/
COPY ui/package.json ui/
RUN npm ci

# Sources, copied one by one so a host node_modules or .observa never lands in the image.
COPY tsconfig.json knexfile.ts ./
COPY schemas schemas
COPY collector collector
COPY sdk sdk
COPY ui ui

ENV OBSERVA_DATA_DIR=/data
VOLUME /data
EXPOSE 4318 4317

CMD ["npm", "start"]
